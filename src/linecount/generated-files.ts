/**
 * The `.generated_files` file of the Kubernetes Prow `size` plugin, at the repository root.
 * One directive and one value per line, `#` starts a comment line:
 *   file-name <name>        a file with this base name, in any folder
 *   file-prefix <prefix>    a file whose base name starts with this
 *   path-prefix <prefix>    a path that starts with this (`prefix` is an old spelling)
 *   path <path>             exactly this path from the repository root
 *   paths-from-repo <file>  a file of the repository listing exact paths, one a line
 */

export const GENERATED_FILES = '.generated_files';

export interface GeneratedFiles {
  fileNames: string[];
  filePrefixes: string[];
  pathPrefixes: string[];
  paths: string[];
  /** Files (repository paths) that list more exact paths. */
  pathsFromRepo: string[];
}

export class GeneratedFilesError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    readonly problem: string,
  ) {
    super(`line ${line} ${JSON.stringify(text)}: ${problem}`);
  }
}

export function emptyGeneratedFiles(): GeneratedFiles {
  return { fileNames: [], filePrefixes: [], pathPrefixes: [], paths: [], pathsFromRepo: [] };
}

/** Parses the file; throws GeneratedFilesError naming the first bad line, as Prow rejects it. */
export function parseGeneratedFiles(text: string): GeneratedFiles {
  const rules = emptyGeneratedFiles();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    if (fields.length !== 2) {
      throw new GeneratedFilesError(i + 1, line, 'expected "<directive> <value>"');
    }
    const [directive = '', value = ''] = fields;
    switch (directive) {
      case 'file-name':
        rules.fileNames.push(value);
        break;
      case 'file-prefix':
        rules.filePrefixes.push(value);
        break;
      case 'prefix':
      case 'path-prefix':
        rules.pathPrefixes.push(value);
        break;
      case 'path':
        rules.paths.push(value);
        break;
      case 'paths-from-repo':
        rules.pathsFromRepo.push(value);
        break;
      default:
        throw new GeneratedFilesError(
          i + 1,
          line,
          `unknown directive ${JSON.stringify(directive)} (known: file-name, file-prefix, path-prefix, path, paths-from-repo)`,
        );
    }
  }
  return rules;
}

/** The paths a `paths-from-repo` file lists: one a line, blank lines and `#` comments skipped. */
export function parsePathList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The directive that marks `file` generated, e.g. `file-prefix zz_generated.`, or null. */
export function matchGeneratedFiles(rules: GeneratedFiles, file: string): string | null {
  if (rules.paths.includes(file)) return `path ${file}`;
  for (const prefix of rules.pathPrefixes) {
    if (file.startsWith(prefix)) return `path-prefix ${prefix}`;
  }
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (rules.fileNames.includes(base)) return `file-name ${base}`;
  for (const prefix of rules.filePrefixes) {
    if (base.startsWith(prefix)) return `file-prefix ${prefix}`;
  }
  return null;
}
