import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every git process of the test run (ours and the tool's) sees the same small global config, so
 * tests never depend on, nor change, the machine's ~/.gitconfig.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-gitconfig-'));
const file = path.join(dir, 'gitconfig');
writeFileSync(
  file,
  [
    '[user]',
    '\tname = Test User',
    '\temail = test@example.invalid',
    '[commit]',
    '\tgpgsign = false',
    '[gc]',
    '\tauto = 0',
    '[init]',
    '\tdefaultBranch = main',
    '[advice]',
    '\tdetachedHead = false',
    '',
  ].join('\n'),
);
process.env.GIT_CONFIG_GLOBAL = file;
process.env.GIT_CONFIG_NOSYSTEM = '1';
process.env.NO_COLOR = '1';
delete process.env.TMC_AGENT;
// The per-user config (agent id) is read from here: an empty folder, never the machine's own.
process.env.XDG_CONFIG_HOME = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-xdg-'));
delete process.env.FORCE_COLOR;
