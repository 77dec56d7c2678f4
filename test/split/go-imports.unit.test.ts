import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  goImportFolder,
  parseGoImports,
  parseGoModulePath,
  type GoImport,
} from '../../src/split/go-imports.js';

const paths = (source: string) => parseGoImports(source).map((i) => i.path);

describe('parseGoImports', () => {
  it('reads a single import', () => {
    expect(parseGoImports('package x\n\nimport "fmt"\n\nfunc main() {}\n')).toEqual([
      { path: 'fmt', name: null },
    ]);
  });

  it('reads grouped imports with aliases, blank and dot imports', () => {
    const source = [
      '// Copyright header',
      '//go:build linux',
      '',
      '/* package doc */',
      'package v1alpha1 // trailing',
      '',
      'import (',
      '\t"context"',
      '\tmetav1 "k8s.io/apimachinery/pkg/apis/meta/v1"',
      '\t_ "embed"',
      '\t. "github.com/onsi/gomega"',
      '',
      '\t// a comment line',
      '\ttmcv1 /* inline */ "github.com/kcp-dev/kcp/apis/tmc/v1alpha1" // why',
      ')',
      '',
      'import "strings"; import raw `github.com/x/raw`',
      '',
      'var x = "import \\"not/this\\""',
    ].join('\n');
    expect(parseGoImports(source)).toEqual<GoImport[]>([
      { path: 'context', name: null },
      { path: 'k8s.io/apimachinery/pkg/apis/meta/v1', name: 'metav1' },
      { path: 'embed', name: '_' },
      { path: 'github.com/onsi/gomega', name: '.' },
      { path: 'github.com/kcp-dev/kcp/apis/tmc/v1alpha1', name: 'tmcv1' },
      { path: 'strings', name: null },
      { path: 'github.com/x/raw', name: 'raw' },
    ]);
  });

  it('does not read imports out of comments or strings before the package clause', () => {
    const source = '/*\nimport "fake/one"\n*/\n// import "fake/two"\npackage p\nimport "real"\n';
    expect(paths(source)).toEqual(['real']);
  });

  it('stops at the first declaration that is not an import', () => {
    expect(paths('package p\nimport "a"\nfunc f() {}\nimport "b"\n')).toEqual(['a']);
  });

  it('unquotes escapes in interpreted strings', () => {
    expect(paths('package p\nimport ("a\\x2fb" "c\\u002fd" "e\\057f" "g\\U0000002Fh")')).toEqual([
      'a/b',
      'c/d',
      'e/f',
      'g/h',
    ]);
  });

  it('keeps what it read before broken input and never throws', () => {
    expect(paths('package p\nimport (\n"a"\n"b')).toEqual(['a']);
    expect(paths('package p\nimport (\n"a"\n/* open')).toEqual(['a']);
    expect(paths('package p\nimport "a\\q"')).toEqual([]);
    expect(paths('not go at all')).toEqual([]);
    expect(paths('')).toEqual([]);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() => parseGoImports(`package p\nimport (${text}`)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any import block written with any names, comments and quoting', () => {
    const importPath = fc.stringMatching(/^[a-z0-9._-]{1,8}(\/[a-z0-9._-]{1,8}){0,3}$/);
    const name = fc.constantFrom(null, '_', '.', 'alias', 'ünï', 'x9');
    const spec = fc.record({ path: importPath, name, raw: fc.boolean(), comment: fc.boolean() });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 8 }), fc.boolean(), (specs, grouped) => {
        const write = (s: (typeof specs)[number]) =>
          `${s.name ?? ''} ${s.raw ? `\`${s.path}\`` : JSON.stringify(s.path)}${s.comment ? ' // c "x"' : ''}`;
        const body = grouped
          ? `import (\n${specs.map((s) => `\t${write(s)}\n`).join('')})\n`
          : specs.map((s) => `import ${write(s)}\n`).join('');
        const source = `// header\npackage p\n\n${body}\ntype T struct{}\n`;
        expect(parseGoImports(source)).toEqual(specs.map((s) => ({ path: s.path, name: s.name })));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseGoModulePath', () => {
  it('reads the module path, bare or quoted, ignoring comments', () => {
    expect(parseGoModulePath('// c\nmodule github.com/kcp-dev/kcp // x\n\ngo 1.22\n')).toBe(
      'github.com/kcp-dev/kcp',
    );
    expect(parseGoModulePath('module "example.com/q"\n')).toBe('example.com/q');
    expect(parseGoModulePath('go 1.22\n')).toBeNull();
  });
});

describe('goImportFolder', () => {
  const modules = [
    { dir: '', path: 'github.com/kcp-dev/kcp' },
    { dir: 'staging/src/github.com/kcp-dev/sdk', path: 'github.com/kcp-dev/kcp/sdk' },
  ];

  it('maps module imports to folders and ignores everything else', () => {
    expect(goImportFolder('github.com/kcp-dev/kcp/pkg/x', modules)).toBe('pkg/x');
    expect(goImportFolder('github.com/kcp-dev/kcp', modules)).toBe('');
    expect(goImportFolder('github.com/kcp-dev/kcp/sdk/apis/core', modules)).toBe(
      'staging/src/github.com/kcp-dev/sdk/apis/core',
    );
    expect(goImportFolder('github.com/kcp-dev/kcp/sdk', modules)).toBe(
      'staging/src/github.com/kcp-dev/sdk',
    );
    expect(goImportFolder('github.com/kcp-dev/kcpx/y', modules)).toBeNull();
    expect(goImportFolder('fmt', modules)).toBeNull();
  });
});
