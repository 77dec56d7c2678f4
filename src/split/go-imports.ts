/**
 * What the split planner needs from Go source, without a Go toolchain: the import paths of a file
 * (its import declarations, read by a small lexer that knows comments, interpreted and raw
 * strings, aliases and `_`/`.` imports), the module path of a go.mod, and the folder an import
 * path names inside the repository. Tolerant by design: a file that stops parsing (half edited,
 * not Go) yields the imports read so far, since a missing edge only costs ordering, never a file.
 */

export interface GoImport {
  path: string;
  /** The alias, `_` or `.` before the path; null for a plain import. */
  name: string | null;
}

/** A Go module of the repository: the folder of its go.mod ('' for the root) and its path. */
export interface GoModule {
  dir: string;
  path: string;
}

/** Code-unit order, the same on every machine (localeCompare is not). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const isGoTest = (path: string): boolean => path.endsWith('_test.go');

/** Whether Go builds the file into its folder's package (testdata is never built). */
export function isPackageGo(path: string): boolean {
  return path.endsWith('.go') && !`/${path}`.includes('/testdata/');
}

/** The changed files whose imports the planner wants: Go files of packages (not testdata). */
export function goSourcePaths(files: readonly { path: string }[]): string[] {
  return files.map((f) => f.path).filter(isPackageGo);
}

const IDENT = /[\p{L}_][\p{L}\p{Nd}_]*/uy;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  /** Skips white space, semicolons and comments; false on an unterminated block comment. */
  skip(): boolean {
    const { text } = this;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === ';') {
        this.pos++;
      } else if (text.startsWith('//', this.pos)) {
        const end = text.indexOf('\n', this.pos);
        this.pos = end < 0 ? text.length : end + 1;
      } else if (text.startsWith('/*', this.pos)) {
        const end = text.indexOf('*/', this.pos + 2);
        if (end < 0) return false;
        this.pos = end + 2;
      } else {
        break;
      }
    }
    return true;
  }

  ident(): string | null {
    IDENT.lastIndex = this.pos;
    const match = IDENT.exec(this.text);
    if (!match) return null;
    this.pos += match[0].length;
    return match[0];
  }

  /** Consumes `word` when it is the whole next identifier. */
  keyword(word: string): boolean {
    const start = this.pos;
    if (this.ident() === word) return true;
    this.pos = start;
    return false;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  /** A Go string literal (interpreted or raw), unquoted; null when there is none or it is bad. */
  string(): string | null {
    const { text } = this;
    const quote = text[this.pos];
    if (quote === '`') {
      const end = text.indexOf('`', this.pos + 1);
      if (end < 0) return null;
      const value = text.slice(this.pos + 1, end).replaceAll('\r', '');
      this.pos = end + 1;
      return value;
    }
    if (quote !== '"') return null;
    let value = '';
    let i = this.pos + 1;
    while (i < text.length) {
      const ch = text[i] ?? '';
      if (ch === '"') {
        this.pos = i + 1;
        return value;
      }
      if (ch === '\n') return null;
      if (ch !== '\\') {
        value += ch;
        i++;
        continue;
      }
      const escape = readEscape(text, i);
      if (!escape) return null;
      value += escape.value;
      i = escape.next;
    }
    return null;
  }
}

/** The escape sequence at `text[at]` (a backslash) inside an interpreted string. */
function readEscape(text: string, at: number): { value: string; next: number } | null {
  const kind = text[at + 1] ?? '';
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return { value: simple, next: at + 2 };
  // Octal takes three digits including `kind`; the others a letter and a fixed count of hex.
  const form: Record<string, [number, RegExp, number]> = {
    x: [2, /^[0-9a-fA-F]{2}$/, 16],
    u: [4, /^[0-9a-fA-F]{4}$/, 16],
    U: [8, /^[0-9a-fA-F]{8}$/, 16],
  };
  const [length, pattern, radix] = /[0-7]/.test(kind) ? [3, /^[0-7]{3}$/, 8] : (form[kind] ?? []);
  if (length === undefined || pattern === undefined) return null;
  const first = /[0-7]/.test(kind) ? at + 1 : at + 2;
  const digits = text.slice(first, first + length);
  if (!pattern.test(digits)) return null;
  const code = Number.parseInt(digits, radix);
  const tooBig = radix === 8 ? code > 0xff : code > 0x10ffff;
  if (tooBig || (code >= 0xd800 && code <= 0xdfff)) return null;
  return { value: String.fromCodePoint(code), next: first + length };
}

function importSpec(scanner: Scanner): GoImport | null {
  let name: string | null = null;
  if (scanner.peek() === '.') {
    scanner.pos++;
    name = '.';
  } else {
    name = scanner.ident();
  }
  if (!scanner.skip()) return null;
  const path = scanner.string();
  return path === null ? null : { path, name };
}

/**
 * The imports of a Go source file, in source order: every spec of every import declaration after
 * the package clause. Stops at the first declaration that is not an import (Go puts imports
 * first) or at the first thing it cannot read.
 */
export function parseGoImports(source: string): GoImport[] {
  const scanner = new Scanner(source.startsWith('\uFEFF') ? source.slice(1) : source);
  const imports: GoImport[] = [];
  if (!scanner.skip() || !scanner.keyword('package') || !scanner.skip()) return imports;
  if (scanner.ident() === null) return imports;
  for (;;) {
    if (!scanner.skip() || !scanner.keyword('import') || !scanner.skip()) return imports;
    if (scanner.peek() !== '(') {
      const spec = importSpec(scanner);
      if (!spec) return imports;
      imports.push(spec);
      continue;
    }
    scanner.pos++;
    for (;;) {
      if (!scanner.skip()) return imports;
      if (scanner.peek() === ')') {
        scanner.pos++;
        break;
      }
      const spec = importSpec(scanner);
      if (!spec) return imports;
      imports.push(spec);
    }
  }
}

/** The module path a go.mod declares (`module example.com/x`, quoted or not); null if none. */
export function parseGoModulePath(goMod: string): string | null {
  for (const raw of goMod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const match = /^module\s+(.+)$/.exec(line);
    if (!match?.[1]) continue;
    const value = match[1].trim();
    const scanner = new Scanner(value);
    const quoted = value.startsWith('"') || value.startsWith('`') ? scanner.string() : value;
    return quoted && !/\s/.test(quoted) ? quoted : null;
  }
  return null;
}

/**
 * The repository folder an import path names ('' for a module root), or null when no module of
 * the repository holds it (standard library, third-party, vendored copies are not ours). The
 * longest module path wins, so nested modules take their own packages.
 */
export function goImportFolder(importPath: string, modules: readonly GoModule[]): string | null {
  let best: GoModule | null = null;
  for (const module of modules) {
    const inside = importPath === module.path || importPath.startsWith(`${module.path}/`);
    if (inside && (!best || module.path.length > best.path.length)) best = module;
  }
  if (!best) return null;
  const rest = importPath.slice(best.path.length + 1);
  if (best.dir === '') return rest;
  return rest === '' ? best.dir : `${best.dir}/${rest}`;
}
