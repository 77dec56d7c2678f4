import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The direction of imports between the folders of src/ (STYLE.md): commands → domain folders →
 * git/config/util; git/ and log/ import only errors and util; no domain folder imports commands/,
 * cli/ or ui/ (ui/format.ts, pure formatting, excepted); commands do not import each other; the
 * entry (src/cli.ts, src/cli/) loads commands and the domain lazily. Each rule is a regex over
 * the import path as written (relative).
 */
const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const rule = (regex, message, extra = {}) => ({ regex, message, ...extra });

const NOT_UP = rule(
  '(^|/)(commands|cli)(/|\\.js$)|(^|/)main\\.js$|(^|/)ui/(?!format\\.js$)',
  'a domain module returns data: no commands/, cli/ or ui/ (only ui/format.js)',
);
/**
 * The domain: every folder of src/ but those with rules of their own below, so that a concept
 * folder added later is held to the direction without being listed here.
 */
const NOT_DOMAIN = ['boot', 'claims', 'cli', 'commands', 'git', 'log', 'ui', 'util'].map(
  (d) => `src/${d}/**`,
);
const WORKTREE_LOOKUP = ['lookup', 'names', 'identity', 'paths', 'disposable'].map(
  (f) => `src/worktrees/${f}.ts`,
);

const boundaries = [
  restrict(['src/errors.ts', 'src/repo.ts'], [NOT_UP]),
  {
    ...restrict(['src/*/**/*.ts'], [NOT_UP]),
    ignores: NOT_DOMAIN,
  },
  // Claims sit between worktree lookup (below) and the worktree lifecycle (above: remove holds
  // the claim, add drops a leftover one, list shows them).
  restrict(
    ['src/claims/**/*.ts'],
    [
      NOT_UP,
      rule(
        'worktrees/(?!(lookup|names|identity|paths|disposable)\\.js$)',
        'claims use worktrees/lookup, not the lifecycle',
      ),
    ],
  ),
  // remote/ is the transport and the shared log; the claim store over it is claims/remote-store.ts.
  restrict(
    ['src/remote/**/*.ts'],
    [NOT_UP, rule('(^|/)claims/', 'remote/ is below claims: it must not import them')],
  ),
  restrict(WORKTREE_LOOKUP, [
    NOT_UP,
    rule('(^|/)claims/', 'worktree lookup is below claims: it must not import them'),
  ]),
  restrict(
    ['src/git/**/*.ts', 'src/log/**/*.ts'],
    [rule('^\\.\\./(?!errors\\.js$|util/)', 'git/ and log/ import only errors and util')],
  ),
  restrict(['src/util/**/*.ts'], [rule('^\\.\\./(?!errors\\.js$)', 'util/ imports only errors')]),
  restrict(
    ['src/ui/**/*.ts'],
    [rule('(^|/)(commands|cli)(/|\\.js$)', 'ui/ renders; it does not know commands or the CLI')],
  ),
  restrict(
    ['src/commands/**/*.ts'],
    [
      rule('^\\./', 'commands do not import each other: shared renderers go to ui/'),
      rule('^\\.\\./cli(/(?!command\\.js$)|\\.js$)', 'commands import only types from cli/command'),
    ],
  ),
  // The hot paths (--version, lines, check, the hook, status) load only what they use: the entry
  // imports commands and the domain lazily (import()), except the few light modules listed.
  restrict(
    ['src/cli/**/*.ts'],
    [
      rule(
        '^\\.\\./(?!errors\\.js$|util/|ui/|config/identity\\.js$|config/user-file\\.js$|claims/task\\.js$)',
        'load commands and the domain lazily: await import(...)',
        { allowTypeImports: true },
      ),
    ],
  ),
  // test:fast runs the *.unit.test.ts files in threads sharing one module graph: they stay pure
  // (no repository, no process), or they belong in a *.test.ts file.
  restrict(
    ['test/**/*.unit.test.ts'],
    [
      rule(
        '^execa$|^node:child_process$|helpers/(?!kcp-branch\\.js$)',
        'a unit test makes no repository and starts no process: name it *.test.ts instead',
      ),
    ],
  ),
  restrict(
    ['src/cli.ts', 'src/main.ts'],
    [
      rule('^\\./(?!cli(/|\\.js$)|errors\\.js$|ui/|boot/)', 'load commands and the domain lazily', {
        allowTypeImports: true,
      }),
    ],
  ),
  // boot/ loads the program (the CLI's entry, and how it imports what the bundle leaves out)
  // from its code cache, and knows nothing else.
  restrict(
    ['src/boot/**/*.ts'],
    [
      rule(
        '^\\.\\./(?!cli(/action)?\\.js$|util/external\\.js$)',
        'boot/ loads the program: only the CLI entry',
        {
          allowTypeImports: true,
        },
      ),
    ],
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  ...boundaries,
  {
    // --json is decided once, by the boundary (src/cli/action.ts): a command returns its data and
    // a renderer, and never asks which of them will be used.
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='json']",
          message:
            'a command does not branch on --json: return { data, render } (src/cli/command.ts)',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // CommonJS: bin/ (bin/package.json; an ES module entry costs the ESM loader at every start)
    // and the preloads of the start-up tests.
    files: ['bin/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
