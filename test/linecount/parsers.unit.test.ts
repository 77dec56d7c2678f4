import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GeneratedFilesError,
  matchGeneratedFiles,
  parseGeneratedFiles,
  parsePathList,
  type GeneratedFiles,
} from '../../src/linecount/generated-files.js';
import { parsePushInput, PushInputError, skipReason } from '../../src/linecount/gate.js';
import { sizeLabel } from '../../src/linecount/count.js';
import { revisionProblem } from '../../src/linecount/resolve.js';
import { contentMarker, headOf } from '../../src/linecount/rules.js';

const token = fc.stringMatching(/^[A-Za-z0-9._/-]{1,20}$/).filter((s) => !s.startsWith('#'));
const baseName = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/).filter((s) => !s.startsWith('#'));
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const sha = fc.oneof(hex(40), hex(64));
const refName = fc.stringMatching(/^refs\/(heads|tags)\/[A-Za-z0-9._/-]{1,30}$/);

describe('.generated_files parser', () => {
  it('reads back every directive written with any spacing and comments', () => {
    const rules = fc.record({
      fileNames: fc.array(token, { maxLength: 5 }),
      filePrefixes: fc.array(token, { maxLength: 5 }),
      pathPrefixes: fc.array(token, { maxLength: 5 }),
      paths: fc.array(token, { maxLength: 5 }),
      pathsFromRepo: fc.array(token, { maxLength: 3 }),
    });
    const space = fc.stringMatching(/^[ \t]{1,3}$/);
    fc.assert(
      fc.property(rules, space, fc.boolean(), (r: GeneratedFiles, sep, crlf) => {
        const lines = ['# generated files', ''];
        for (const v of r.fileNames) lines.push(`file-name${sep}${v}`);
        for (const v of r.filePrefixes) lines.push(`  file-prefix${sep}${v}  `);
        for (const v of r.pathPrefixes) lines.push(`path-prefix${sep}${v}`, '   # comment');
        for (const v of r.paths) lines.push(`path${sep}${v}`);
        for (const v of r.pathsFromRepo) lines.push(`paths-from-repo${sep}${v}`);
        expect(parseGeneratedFiles(lines.join(crlf ? '\r\n' : '\n'))).toEqual(r);
      }),
    );
  });

  it('matches by exact path, path prefix, base name and base-name prefix only', () => {
    fc.assert(
      fc.property(token, baseName, (dir, name) => {
        const file = `${dir}/${name}`;
        const none = parseGeneratedFiles('');
        expect(matchGeneratedFiles(none, file)).toBeNull();
        expect(matchGeneratedFiles(parseGeneratedFiles(`path ${file}`), file)).not.toBeNull();
        expect(
          matchGeneratedFiles(parseGeneratedFiles(`path-prefix ${dir}/`), file),
        ).not.toBeNull();
        expect(matchGeneratedFiles(parseGeneratedFiles(`file-name ${name}`), file)).not.toBeNull();
        expect(
          matchGeneratedFiles(parseGeneratedFiles(`file-prefix ${name.slice(0, 1)}`), file),
        ).not.toBeNull();
        // `path` is exact: a longer path does not match.
        expect(matchGeneratedFiles(parseGeneratedFiles(`path ${file}`), `${file}x`)).toBeNull();
      }),
    );
  });

  it('reads files saved with a UTF-8 byte order mark', () => {
    expect(parseGeneratedFiles('\uFEFFfile-name a.txt\n').fileNames).toEqual(['a.txt']);
    expect(parsePathList('\uFEFFgen/a.go\ngen/b.go\n')).toEqual(['gen/a.go', 'gen/b.go']);
  });

  it('names the first bad line', () => {
    expect(() => parseGeneratedFiles('file-name a\nbogus b\n')).toThrow(GeneratedFilesError);
    expect(() => parseGeneratedFiles('file-name a b\n')).toThrow(/line 1/);
    expect(() => parseGeneratedFiles('# ok\nfile-name\n')).toThrow(/line 2/);
  });
});

describe('pre-push stdin parser', () => {
  const pushed = fc.record({
    localRef: fc.oneof(refName, fc.constant('(delete)'), fc.constant('HEAD')),
    localSha: sha,
    remoteRef: refName,
    remoteSha: sha,
  });

  it('reads back any list of pushed refs, with or without a final newline', () => {
    fc.assert(
      fc.property(fc.array(pushed, { maxLength: 8 }), fc.boolean(), (refs, finalNewline) => {
        const text = refs
          .map((r) => `${r.localRef} ${r.localSha} ${r.remoteRef} ${r.remoteSha}`)
          .join('\n');
        expect(parsePushInput(text + (finalNewline ? '\n' : ''))).toEqual(refs);
      }),
    );
  });

  it('rejects a line without exactly four valid fields', () => {
    fc.assert(
      fc.property(pushed, fc.integer({ min: 0, max: 3 }), (r, drop) => {
        const fields = [r.localRef, r.localSha, r.remoteRef, r.remoteSha];
        fields.splice(drop, 1);
        expect(() => parsePushInput(fields.join(' '))).toThrow(PushInputError);
      }),
    );
    expect(() => parsePushInput(`a ${'z'.repeat(40)} refs/heads/b ${'0'.repeat(40)}`)).toThrow(
      PushInputError,
    );
  });

  it('gates branch updates and creations only, never the base', () => {
    const zero = '0'.repeat(40);
    const one = '1'.repeat(40);
    const ref = (localSha: string, remoteRef: string) => ({
      localRef: 'x',
      localSha,
      remoteRef,
      remoteSha: zero,
    });
    expect(skipReason(ref(one, 'refs/heads/feat'), 'main')).toBeNull();
    expect(skipReason(ref(zero, 'refs/heads/feat'), 'main')).toBe('deletion');
    expect(skipReason(ref(one, 'refs/tags/v1'), 'main')).toBe('tag');
    expect(skipReason(ref(one, 'refs/heads/main'), 'main')).toBe('base');
    expect(skipReason(ref(one, 'refs/notes/x'), 'main')).toBe('not-a-branch');
  });
});

describe('content markers and size labels', () => {
  it('finds markers in comments only, in the first 40 lines', () => {
    expect(contentMarker('// Code generated by controller-gen. DO NOT EDIT.\npackage x')).toMatch(
      /DO NOT EDIT/,
    );
    expect(contentMarker('# Code generated by hack/gen.sh\nfoo: 1')).toBe('Code generated by');
    expect(contentMarker('// Generated by the protocol buffer compiler.  DO NOT EDIT!')).toMatch(
      /protoc/,
    );
    expect(contentMarker('/**\n * Autogenerated by Thrift Compiler (0.9.3)\n */')).toMatch(
      /thrift/,
    );
    expect(
      contentMarker('package gen\nconst header = "// Code generated by x. DO NOT EDIT."'),
    ).toBeNull();
    const late = `${'x\n'.repeat(40)}// Code generated by x. DO NOT EDIT.\n`;
    expect(contentMarker(headOf(late))).toBeNull();
    expect(
      contentMarker(headOf(`${'x\n'.repeat(39)}// Code generated by x. DO NOT EDIT.\n`)),
    ).not.toBeNull();
  });

  it('takes a marker only where it states that the file is generated, never a negation', () => {
    expect(contentMarker('// This is NOT auto-generated: edit it by hand\npackage x')).toBeNull();
    expect(contentMarker('# Do not edit the auto-generated zz.go; edit types.go')).toBeNull();
    expect(contentMarker('// The auto-generated clients live in pkg/client')).toBeNull();
    expect(contentMarker('# This file is automatically @generated by Cargo.')).toBe(
      'autogenerated',
    );
    expect(contentMarker('<!-- Code generated by gomarkdoc. DO NOT EDIT -->')).toMatch(/DO NOT/);
    expect(contentMarker('// @generated by the build')).toBe('@generated');
  });

  it('labels sizes like the Kubernetes size plugin', () => {
    expect([0, 9, 10, 29, 30, 99, 100, 499, 500, 999, 1000].map(sizeLabel)).toEqual([
      'XS',
      'XS',
      'S',
      'S',
      'M',
      'M',
      'L',
      'L',
      'XL',
      'XL',
      'XXL',
    ]);
  });
});

describe('one revision', () => {
  const name = fc.stringMatching(/^[A-Za-z0-9_/-]{1,20}$/).filter((s) => !s.startsWith('-'));

  it('takes names, ids and single-commit suffixes', () => {
    for (const rev of ['HEAD', 'main', 'origin/main', 'refs/heads/x', 'HEAD~2', 'v1^{commit}']) {
      expect(revisionProblem(rev)).toBeNull();
    }
    fc.assert(
      fc.property(name, fc.constantFrom('', '~1', '^', '^2', '@{1}'), (n, suffix) => {
        expect(revisionProblem(n + suffix)).toBeNull();
      }),
    );
  });

  it('refuses every range form, and suggests REV --base FROM for A..B and A...B', () => {
    fc.assert(
      fc.property(name, name, fc.constantFrom('..', '...'), (a, b, dots) => {
        expect(revisionProblem(`${a}${dots}${b}`)).toEqual({
          problem: 'is a range, not one revision',
          next: `${b} --base ${a}`,
        });
        expect(revisionProblem(`${dots}${b}`)?.next).toBe(`${b} --base HEAD`);
        for (const range of [`^${a}`, `${a}^!`, `${a}^@`, `${a}^-`, `${a}^-2`]) {
          expect(revisionProblem(range)?.problem).toBe('is a range, not one revision');
        }
      }),
    );
  });
});

describe('generated-code markers', () => {
  const leader = fc.constantFrom(
    '//',
    '#',
    '##',
    '/*',
    ' *',
    '--',
    ';',
    '<!--',
    '%',
    '"""',
    '{{/*',
  );
  const tool = fc
    .stringMatching(/^[a-z][a-z0-9._/-]{0,15}$/)
    .filter((t) => !/\b(?:hand|not|never)\b/.test(t));
  const statements = (g: string) => [
    `Code generated by ${g}. DO NOT EDIT.`,
    `Code generated from ${g}`,
    `Code generated by ${g}`,
    `This file is auto-generated by ${g}`,
    `This file was automatically generated`,
    `This file is generated. Do not edit.`,
    `this code was autogenerated with ${g}`,
    `Auto-generated by ${g}`,
    `Autogenerated from ${g}, do not edit`,
    `Generated by ${g}`,
    `AUTO-GENERATED FILE. DO NOT EDIT.`,
    `Generated code - do not edit`,
    `@generated`,
    `@generated by ${g}`,
    `DO NOT EDIT. This file is generated by ${g}.`,
    `Generated by the protocol buffer compiler.  DO NOT EDIT!`,
    `Autogenerated by Thrift Compiler (0.9.3)`,
  ];
  const negations = (g: string) => [
    `This file is not auto-generated`,
    `This file is NOT generated by ${g}`,
    `This file isn't generated`,
    `This file was never generated`,
    `NOT auto-generated: edit ${g} by hand`,
    `Not generated, edit freely`,
    `This code is hand-written, not auto-generated`,
    `Do not edit the auto-generated ${g}; edit its template`,
    `Edit the generated code in ${g}`,
    `TODO: make ${g} auto-generated`,
    `Generated files live in ${g}`,
    `Code not generated by ${g}`,
    `Generated by hand`,
    `This file is generated by hand`,
    `The auto-generated code of ${g} is elsewhere`,
    `see ${g} for the auto-generated version`,
  ];
  const statement = tool.chain((g) => fc.constantFrom(...statements(g)));
  const negation = tool.chain((g) => fc.constantFrom(...negations(g)));

  it('finds every statement that the file is generated, after any comment leader', () => {
    fc.assert(
      fc.property(leader, fc.constantFrom('', ' ', '  '), statement, (l, sp, text) => {
        expect(contentMarker(`package x\n${l}${sp}${text}\nfunc f() {}`), text).not.toBeNull();
      }),
    );
  });

  it('never takes a negation, a mention, or a statement outside a comment', () => {
    fc.assert(
      fc.property(leader, negation, statement, (l, text, positive) => {
        expect(contentMarker(`${l} ${text}\n`), text).toBeNull();
        expect(contentMarker(`const header = "${positive}"\n`), positive).toBeNull();
        expect(contentMarker(`x = 1 ${l} ${positive}\n`), positive).toBeNull();
      }),
    );
  });

  it('looks at the first 40 lines only', () => {
    fc.assert(
      fc.property(leader, statement, fc.integer({ min: 0, max: 80 }), (l, text, before) => {
        const content = `${'x\n'.repeat(before)}${l} ${text}\n`;
        expect(contentMarker(headOf(content)) !== null).toBe(before < 40);
      }),
    );
  });
});
