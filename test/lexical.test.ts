// Files a scan will not analyse, and packages too large to keep every tree, are indexed from
// their declaration skeleton (project/batch.ts): what the index reads must be exactly what a full parse gives.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bracketsBalanced, ChunkedText, declarationSkeleton, multiLineLiterals } from '../server/src/engine';
import { extractFacts, type FileFacts } from '../server/src/engine/go/facts';
import { goFilesIn, goParser, random, TESTDATA } from './harness';

const STDLIB = '/usr/lib/go-1.19/src';
/** Packages a scan indexes this way: over 2 MB of source each, or with long tables and embedded data. */
const LARGE_PACKAGES = ['cmd/compile/internal/ssa', 'runtime', 'syscall', 'time/tzdata', 'unicode', 'cmd/internal/obj/x86'];

function summary(f: FileFacts): string {
  return JSON.stringify({
    packageName: f.packageName,
    imports: f.imports.signature,
    funcs: f.funcs.map((d) => [d.name, d.receiverType, d.results, d.start, d.end]),
    structs: [...f.structs],
    vars: [...f.vars].map(([name, v]) => [name, v.type, v.value?.text]),
  });
}

describe('declarationSkeleton', () => {
  it('blanks the bodies of top-level functions and methods, constants\' strings and long literals only, keeping offsets and lines', () => {
    const text = [
      'package p',
      'func a() { x := "}" ; _ = \'{\' ; /* } */ // }',
      '\ty := `}`',
      '}',
      'func (s *S) b() struct{ n int } { return struct{ n int }{} }',
      'func c(f interface{ M() }) func() {',
      '\treturn func() { go f.M() }',
      '}',
      'func d[T any](x T) (r T) { return x }',
      'var e = func() { println("kept") }',
      'type S struct{ f func() }',
      'func asm()',
      `var table = []int{${'1, '.repeat(200)}}`,
      'var short = []int{1, 2}',
      `var long = "${'x'.repeat(500)}"`,
      'const data = "\\x00\\x01" +',
      '\t"\\x02"',
      `type Big struct{ ${'f int; '.repeat(80)}}`,
      'func broken() {',
    ].join('\r\n');
    const blanked = declarationSkeleton(text);
    assert.equal(blanked.length, text.length);
    const expected = [
      /^package p$/,
      /^func a\(\) \{ +$/,
      /^ +$/,
      /^\}$/,
      /^func \(s \*S\) b\(\) struct\{ n int \} \{ +\}$/,
      /^func c\(f interface\{ M\(\) \}\) func\(\) \{$/,
      /^ +$/,
      /^\}$/,
      /^func d\[T any\]\(x T\) \(r T\) \{ +\}$/,
      /^var e = func\(\) \{ println\("kept"\) \}$/,
      /^type S struct\{ f func\(\) \}$/,
      /^func asm\(\)$/,
      /^var table = \[\]int\{ +\}$/,
      /^var short = \[\]int\{1, 2\}$/,
      /^var long = " +"$/,
      /^const data = " +" \+$/,
      /^\t" +"$/,
      /^type Big struct\{ (f int; )+\}$/,
      /^func broken\(\) \{$/,
    ];
    blanked.split('\r\n').forEach((line, i) => assert.match(line, expected[i], `line ${i + 1}`));
  });

  it('the facts of blanked files equal those of a full parse: every fixture and the largest standard-library packages', async (t) => {
    const parser = await goParser();
    const stdlib = existsSync(STDLIB) ? LARGE_PACKAGES.flatMap((dir) => goFilesIn(join(STDLIB, dir))) : [];
    if (stdlib.length === 0) t.diagnostic(`${STDLIB} not found: fixtures only`);
    const fixtures = readdirSync(TESTDATA).flatMap((id) => goFilesIn(join(TESTDATA, id)));
    const files = [...fixtures, ...stdlib];
    let fullMs = 0;
    let blankedMs = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      let started = performance.now();
      const full = parser.parse(text);
      fullMs += performance.now() - started;
      const expected = summary(extractFacts(path, text, full));
      full.delete();
      const blanked = declarationSkeleton(text);
      started = performance.now();
      const tree = parser.parse(blanked);
      blankedMs += performance.now() - started;
      assert.equal(summary(extractFacts(path, text, tree)), expected, path);
      tree.delete();
    }
    t.diagnostic(`${files.length} files: parsed in ${Math.round(fullMs)} ms, blanked in ${Math.round(blankedMs)} ms`);
  });
});

describe('bracketsBalanced', () => {
  it('sees brackets closed in order outside literals and comments, and raw strings and block comments left open', () => {
    const balanced = ['', 'func f() { g(a[1], "(", \'[\', `{`) /* ( */ // [\n}', 'x := a / b * (c / d)', 's := "unterminated ( on its line\n', 'f(/**/)', 'f("*", \'*\')'];
    const unbalanced = ['func f() {', 'g(a[1)]', 'defer log.Println("done", len(', ')', 'x := `raw (', 'f() /* open', 'f() /*/', '{ ( } )'];
    for (const text of balanced) assert.ok(bracketsBalanced(text), JSON.stringify(text));
    for (const text of unbalanced) assert.ok(!bracketsBalanced(text), JSON.stringify(text));
  });

  it('agrees with tree-sitter on every function of the fixtures: balanced ones parse without errors spilling out', async () => {
    const parser = await goParser();
    for (const file of goFilesIn(TESTDATA)) {
      const text = readFileSync(file, 'utf8');
      const tree = parser.parse(text);
      if (!tree.rootNode.hasError) assert.ok(bracketsBalanced(text), file);
      tree.delete();
    }
  });
});

describe('multiLineLiterals', () => {
  it('finds the raw strings and block comments that run over a line break, as Go reads them', () => {
    const spans = (text: string) => multiLineLiterals(text).map(([start, end]) => text.slice(start, end));
    assert.deepEqual(spans('a := `one line`\nb := `two\nlines`\n/* one */\n/* and\n two */ c / d'), ['`two\nlines`', '/* and\n two */']);
    // Openers inside other literals and comments open nothing.
    assert.deepEqual(spans('s := "`"\nr := \'`\'\n// a ` and a /*\nx := 1\n'), []);
    // Unclosed: to the end of the text.
    assert.deepEqual(spans('x := 1 `\nfunc f() {}\n'), ['`\nfunc f() {}\n']);
  });

  it('reads an edited document chunk by chunk as it reads the whole string', () => {
    // Literals that open in one chunk and close several chunks on, or never; openers in quotes and comments.
    const LINES = ['\tx := a / b\n', '\ts := `raw\n', 'more` + "q`"\n', '/* open\n', ' close */ y\n', "\t// `/* in a comment\n", "\tr := '`'\n", '\tf(`one line`)\n'];
    const next = random(20261201);
    for (let round = 0; round < 40; round++) {
      const lines = Array.from({ length: 4_000 + Math.floor(next() * 8_000) }, () => (next() < 0.995 ? LINES[0] : LINES[1 + Math.floor(next() * (LINES.length - 1))]));
      const text = lines.join('') + (round % 2 === 0 ? '' : LINES[1 + (round % 4)].trimEnd());
      const chunked = ChunkedText.of(text);
      assert.ok(chunked.chunkFrom(0).length < text.length, 'several chunks');
      assert.deepEqual(multiLineLiterals(chunked), multiLineLiterals(text), `round ${round}`);
    }
  });
});
