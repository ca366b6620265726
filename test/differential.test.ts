// Incremental parsing and cached analysis must agree with a fresh parse of the same text after
// every edit: 2,000 random edits (single and multi-change, CRLF, non-ASCII, documents of several
// chunks) through the path the server uses (GoDocument.applyChanges, edited-tree reparse, one
// FileAnalyzer per document), and the document's text must equal LSP's TextDocument's. Through
// GoDocument.update, versions that wait to be parsed may only carry the last parsed findings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { TextDocument, type Range, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, FileAnalyzer, indexFile, LineIndex, PackageIndex, RULES, type Finding, type GoParser, type Rule, type Tree } from '../server/src/engine';
import type { RuleContext } from '../server/src/engine/rules/rule';
import { GoDocument, spanningEdit, type OffsetEdit } from '../server/src/lsp/documents';
import { largeFile } from './bench/corpus';
import { goFilesIn, goParser, random, TESTDATA } from './harness';

const EDITS = 2_000;
/** Edits per session before the document is reopened from the fixture: keeps texts Go-like. */
const SESSION = 25;
const SNIPPETS = ['', 'x', '\n', '\r\n', '{', '}', '(', ')', 'é', '🚀', '日本', '"s"', '// c\n', '// é🚀\n', '\n\t_ = "日本🚀"\n', '\n\tx := 1\n', '\n\tdefer g()\n', 'defer f.Close()\n', 'go func() {\n', '}()\n', 'wg.Add(1)\n', 'wg.Done()', 'for {\n', 'return\n', '\t', 'var wg sync.WaitGroup\n'];

function shape(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.walk();
  for (;;) {
    out.push(`${cursor.nodeType}@${cursor.startIndex}-${cursor.endIndex}`);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return out.join(' ');
      }
    }
  }
}

/** A random edit anywhere, or `near` an offset (within 4 characters: typing and deleting at one place). */
function randomChange(doc: TextDocument, next: () => number, near?: number): { range: Range; text: string } {
  const text = doc.getText();
  const pick = () => {
    let offset = near === undefined ? Math.floor(next() * (text.length + 1)) : Math.max(0, Math.min(text.length, near + Math.floor(next() * 9) - 4));
    if (offset > 0 && offset < text.length && /[\uDC00-\uDFFF]/.test(text[offset])) offset--; // never split a surrogate pair
    return offset;
  };
  const a = pick();
  const b = next() < 0.5 ? a : Math.min(text.length, a + Math.floor(next() * 12));
  const end = b > a && /[\uD800-\uDBFF]/.test(text[b - 1]) ? b + 1 : b;
  return { range: { start: doc.positionAt(a), end: doc.positionAt(end) }, text: SNIPPETS[Math.floor(next() * SNIPPETS.length)] };
}

const COMMENTS = ['// é🚀 note\n', '/* ü 日本 */ ', '// x\r\n', '/* 🚀🚀 */'];

/**
 * Edits that keep valid Go valid: a comment inserted before the first token of a line, or a
 * change immediately undone by a second change of the same notification.
 */
function validChanges(doc: TextDocument, next: () => number): TextDocumentContentChangeEvent[] {
  const text = doc.getText();
  if (next() < 0.5) {
    const inserted = randomChange(doc, next);
    const start = doc.offsetAt(inserted.range.start);
    const removed = text.slice(start, doc.offsetAt(inserted.range.end));
    const after = TextDocument.create('u', 'go', 0, text.slice(0, start) + inserted.text + text.slice(start + removed.length));
    const undo = { range: { start: after.positionAt(start), end: after.positionAt(start + inserted.text.length) }, text: removed };
    return [inserted, undo];
  }
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  const indent = /^\s*/.exec(lines[line])![0].replace(/\r/g, '').length;
  if (lines[line].trim() === '' || lines[line].trimStart().startsWith('`')) return [];
  const at = { line, character: indent };
  const comment = COMMENTS[Math.floor(next() * COMMENTS.length)];
  return [{ range: { start: at, end: at }, text: comment.endsWith('\n') ? comment + lines[line].slice(0, indent) : comment }];
}

function assertSameLines(edited: LineIndex, fresh: LineIndex, when: string): void {
  assert.equal(edited.lineCount, fresh.lineCount, `line count ${when}`);
  for (let line = 0; line < fresh.lineCount; line++) assert.equal(edited.lineStart(line), fresh.lineStart(line), `start of line ${line} ${when}`);
}

it('a line index edited in place equals a fresh one over 5,000 random edits with \\n, \\r\\n and lone \\r', () => {
  const next = random(20261201);
  const pieces = ['a', 'bc', '\n', '\r', '\r\n', '\n\r', 'é🚀', ''];
  const piece = () => pieces[Math.floor(next() * pieces.length)];
  let text = Array.from({ length: 40 }, piece).join('');
  const lines = new LineIndex(text);
  for (let i = 0; i < 5_000; i++) {
    const start = Math.floor(next() * (text.length + 1));
    const end = Math.min(text.length, start + Math.floor(next() * 4));
    const inserted = Array.from({ length: Math.floor(next() * 3) }, piece).join('');
    text = text.slice(0, start) + inserted + text.slice(end);
    lines.edit(start, end, inserted, text);
    assertSameLines(lines, new LineIndex(text), `after edit ${i} (${JSON.stringify({ start, end, inserted })})`);
  }
});

it('a line index turns positions into offsets as LSP\'s TextDocument does, past the end of a line or of the text too', () => {
  const text = 'ab\r\ncd\n\ré\r\r\n\nend';
  const lines = new LineIndex(text);
  const reference = TextDocument.create('u', 'go', 0, text);
  for (let line = 0; line <= reference.lineCount + 1; line++) {
    for (let character = 0; character <= 6; character++) assert.equal(lines.offset({ line, character }), reference.offsetAt({ line, character }), JSON.stringify({ line, character }));
  }
});

function findingsOf(parser: GoParser, path: string, text: string, tree: Tree, analyzer: FileAnalyzer): string {
  const index = new PackageIndex('/differential', { major: 1, minor: 22 }, (t) => parser.parse(t));
  indexFile(index, path, text, tree);
  return JSON.stringify(analyzer.analyze(tree, text, index));
}

it(`incremental parse and cached analysis equal fresh ones over ${EDITS} random edits`, async (t) => {
  const parser = await goParser();
  const fixtures = ['wg-add-in-goroutine', 'defer-in-loop'].flatMap((id) => goFilesIn(join(TESTDATA, id)));
  const next = random(20261126);
  const path = '/differential/a.go';
  let edits = 0;
  let validTrees = 0;
  for (let session = 0; edits < EDITS; session++) {
    const file = fixtures[session % fixtures.length];
    let original = readFileSync(file, 'utf8');
    // Every fourth document is long enough to be kept in several chunks, the fixture's code in the last.
    if (session % 4 === 2) original = original.replace('\n', `\n${'// a comment line that pads the document to span chunks\n'.repeat(800)}`);
    if (next() < 0.3) original = original.replace(/\n/g, '\r\n');
    const chaotic = session % 2 === 1;
    const state = new GoDocument('file:///differential/a.go', 1, original, () => assert.fail('a rule threw'));
    const index = new PackageIndex('/differential', { major: 1, minor: 22 }, (t) => parser.parse(t));
    for (let i = 0; i < SESSION; i++, edits++) {
      const before = state.text.toString();
      // Changes of one notification apply in sequence: each range refers to the text after the previous ones.
      const changes: TextDocumentContentChangeEvent[] = [];
      const scratch = TextDocument.create('file:///scratch.go', 'go', 0, before);
      const count = chaotic && next() < 0.3 ? 2 + Math.floor(next() * 2) : 1;
      for (let c = 0; c < count; c++) {
        const step = chaotic ? [randomChange(scratch, next)] : validChanges(scratch, next);
        for (const change of step) TextDocument.update(scratch, [change], 0);
        changes.push(...step);
      }
      state.applyChanges(changes, state.version + 1);
      const text = scratch.getText(); // LSP's reference implementation of the same changes
      assert.equal(state.text.toString(), text, `text after edit ${edits} of ${file}`);
      const tree = state.reparse(parser);
      indexFile(index, path, state.text, tree);
      const incremental = JSON.stringify(state.analyzer.analyze(tree, state.text, index));
      assertSameLines(state.lines, new LineIndex(text), `after edit ${edits} of ${file}`);
      const fresh = parser.parse(text);
      try {
        // Tree-sitter recovers from syntax errors differently in incremental and fresh parses
        // (reproduced with plain web-tree-sitter), so trees are compared where the text is valid
        // Go; findings, which never depend on broken declarations, are compared after every edit.
        if (!fresh.rootNode.hasError) {
          validTrees++;
          assert.ok(shape(tree) === shape(fresh), `tree differs from a fresh parse after edit ${i + 1} of session ${session} (${file}): ${JSON.stringify({ before, changes })}`);
        }
        assert.equal(incremental, findingsOf(parser, path, text, fresh, new FileAnalyzer(path)), `findings differ after edit ${edits} of ${file}`);
      } finally {
        fresh.delete();
      }
    }
    state.dispose();
  }
  assert.ok(edits >= EDITS, `${edits} edits`);
  t.diagnostic(`${edits} edits, trees compared on ${validTrees} valid texts, findings on all`);
  assert.ok(validTrees >= EDITS / 4, `only ${validTrees} edits left valid Go to compare trees on`);
});

it('cached analysis equals a fresh one after each edit of a struct that methods read field by field', async () => {
  const parser = await goParser();
  const path = '/differential/service.go';
  const original = [
    'package p',
    '',
    'import "sync"',
    '',
    'type Inner struct {',
    '\tsync.Mutex',
    '}',
    '',
    'type Service struct {',
    '\tmu sync.Mutex',
    '\twg sync.WaitGroup',
    '\tInner',
    '\tn int',
    '}',
    '',
    'func (s *Service) bump() {',
    '\ts.mu.Lock()',
    '\ts.n++',
    '}',
    '',
    'func (s *Service) run(jobs []func()) {',
    '\tfor _, job := range jobs {',
    '\t\tgo func() {',
    '\t\t\ts.wg.Add(1)',
    '\t\t\tdefer s.wg.Done()',
    '\t\t\tjob()',
    '\t\t}()',
    '\t}',
    '\ts.wg.Wait()',
    '}',
    '',
    'func (s Service) count() int {',
    '\treturn s.n',
    '}',
    '',
    'func (s *Service) promoted() {',
    '\ts.Lock()',
    '\ts.n++',
    '}',
    '',
  ].join('\n');
  // Each step replaces the first occurrence of the first string (in a type declaration) with the second.
  const steps: [string, string][] = [
    ['\tmu sync.Mutex', '\tmx sync.Mutex'],
    ['\tmx sync.Mutex', '\tmu sync.Mutex'],
    ['\twg sync.WaitGroup', '\twg *sync.WaitGroup'],
    ['\twg *sync.WaitGroup', '\twg int'],
    ['\twg int', '\twg sync.WaitGroup'],
    ['\tInner\n', '\tinner Inner\n'],
    ['\tinner Inner\n', '\tInner\n'],
    ['\tsync.Mutex\n}', '\tsync.RWMutex\n}'],
    ['\tsync.RWMutex\n}', '\tsync.WaitGroup\n}'],
    ['\tsync.WaitGroup\n}', '\tsync.Mutex\n}'],
    ['\tn int', '\tn, m int'],
    ['\twg sync.WaitGroup', '\twg sync.WaitGroup\n\tdone chan struct{}'],
  ];
  const state = new GoDocument('file:///differential/service.go', 1, original, () => assert.fail('a rule threw'));
  const index = new PackageIndex('/differential', { major: 1, minor: 22 }, (t) => parser.parse(t));
  const seen = new Set<string>();
  try {
    for (const [from, to] of [['', ''] as [string, string], ...steps]) {
      const before = state.text.toString();
      const at = before.indexOf(from);
      assert.ok(at >= 0, `${JSON.stringify(from)} not found`);
      state.applyChanges([{ range: { start: state.lines.position(at), end: state.lines.position(at + from.length) }, text: to }], state.version + 1);
      const tree = state.reparse(parser);
      const text = state.text.toString();
      indexFile(index, path, state.text, tree);
      const incremental = JSON.stringify(state.analyzer.analyze(tree, state.text, index));
      const fresh = parser.parse(text);
      try {
        assert.equal(incremental, findingsOf(parser, path, text, fresh, new FileAnalyzer(path)), `findings differ after ${JSON.stringify(from)} → ${JSON.stringify(to)}`);
      } finally {
        fresh.delete();
      }
      seen.add(incremental);
    }
  } finally {
    state.dispose();
  }
  assert.ok(seen.size >= 4, `the edits should change the findings: ${seen.size} distinct sets`);
});

it('closing a parenthesis that hid the rest of the file from the parser re-checks only the declaration it is in', async () => {
  const parser = await goParser();
  const path = '/differential/big.go';
  const original = largeFile(3000);
  let checks = 0;
  const counting: Rule[] = RULES.map((rule) => (rule.check ? { ...rule, check: (ctx: RuleContext) => (checks++, rule.check!(ctx)) } : rule));
  const state = new GoDocument(`file://${path}`, 1, original, () => assert.fail('a rule threw'));
  const index = new PackageIndex('/differential', { major: 1, minor: 22 }, (t) => parser.parse(t));
  const analyse = () => {
    checks = 0;
    const tree = state.reparse(parser);
    indexFile(index, path, state.text, tree);
    return { findings: state.analyzer.analyze(tree, state.text, index, counting), functions: tree.rootNode.descendantsOfType(['function_declaration', 'method_declaration']).length };
  };
  try {
    const opened = analyse();
    assert.ok(checks >= 100, `${checks} checks on open`);
    const at = state.lines.position(original.indexOf('\n', original.indexOf('\tvar wg sync.WaitGroup\n', original.length / 4)));
    const line = '\n\t\tdefer log.Println("done", len(items))';
    const lineEnd = { line: at.line + 1, character: line.length - 1 };
    // The whole line at once: functions below it move, and those that read their bodies are checked again.
    state.applyChanges([{ range: { start: at, end: at }, text: line }], 2);
    analyse();
    const moved = checks;
    state.applyChanges([{ range: { start: at, end: lineEnd }, text: '' }], 3);
    assert.equal(JSON.stringify(analyse().findings), JSON.stringify(opened.findings));
    // The same line typed: until the call is closed, tree-sitter folds most of the rest of the file into an error.
    state.applyChanges([{ range: { start: at, end: at }, text: line.slice(0, -2) }], 4);
    const broken = analyse();
    assert.ok(broken.functions < opened.functions / 2, `the unclosed call should hide most functions (${broken.functions} of ${opened.functions} left)`);
    const closeAt = { line: at.line + 1, character: line.length - 3 };
    state.applyChanges([{ range: { start: closeAt, end: closeAt }, text: '))' }], 5);
    assert.equal(analyse().functions, opened.functions);
    assert.ok(checks <= moved, `${checks} declarations re-checked once the call was closed, ${moved} when the line was pasted`);
  } finally {
    state.dispose();
  }
});

it('one spanning edit stands for a sequence of edits: the text before and after it is untouched, and it is no wider', () => {
  const next = random(20261201);
  for (let run = 0; run < 2_000; run++) {
    const original = 'abcdefghijklmnopqrstuvwxyz'.repeat(2);
    // Where each character of the edited text came from: its offset in the original, or -1 when inserted.
    let origin = [...original].map((_, i) => i);
    let spanning: OffsetEdit | undefined;
    for (let n = 1 + Math.floor(next() * 6); n > 0; n--) {
      const start = Math.floor(next() * (origin.length + 1));
      let oldEnd = Math.min(origin.length, start + Math.floor(next() * 4));
      // Text inserted and deleted again leaves no trace to measure the edit by: deletions take original text only.
      if (origin.slice(start, oldEnd).includes(-1)) oldEnd = start;
      const inserted = oldEnd === start ? 1 + Math.floor(next() * 3) : Math.floor(next() * 3);
      origin = [...origin.slice(0, start), ...Array<number>(inserted).fill(-1), ...origin.slice(oldEnd)];
      const edit = { start, oldEnd, newEnd: start + inserted };
      spanning = spanning ? spanningEdit(spanning, edit) : edit;
    }
    let prefix = 0;
    while (prefix < origin.length && origin[prefix] === prefix) prefix++;
    let suffix = 0;
    while (suffix < Math.min(origin.length, original.length) - prefix && origin[origin.length - 1 - suffix] === original.length - 1 - suffix) suffix++;
    assert.deepEqual(spanning, { start: prefix, oldEnd: original.length - suffix, newEnd: origin.length - suffix }, `run ${run}`);
  }
});

it('while a call is typed with its parenthesis open, the rest of the file keeps its findings without a parse', async () => {
  const parser = await goParser();
  const path = '/differential/typed.go';
  const original = largeFile(3000);
  const state = new GoDocument(`file://${path}`, 1, original, () => assert.fail('a rule threw'));
  const index = new PackageIndex('/differential', { major: 1, minor: 22 }, (t) => parser.parse(t));
  const fresh = (): string => {
    const text = state.text.toString();
    const tree = parser.parse(text);
    try {
      return findingsOf(parser, path, text, tree, new FileAnalyzer(path));
    } finally {
      tree.delete();
    }
  };
  // Hover, hints and lenses by what they say and the line they are on (line numbers below the typing move by one).
  const context = state.explainContext(() => assert.fail('no other file'));
  const lineAt = (offset: number) => state.text.slice(state.lines.lineStart(state.lines.position(offset).line), offset);
  const explanations = () => ({
    hints: state.inlayHints(0, state.text.length, index, context, { deferOrder: true, waitGroup: true }).map((h) => `${h.label} after ${lineAt(h.offset)}`),
    lenses: state.codeLenses(index, context, DEFAULT_SETTINGS).map((l) => `${l.title} at ${lineAt(l.end)} (${l.locations.map((at) => lineAt(at.end)).join('; ')})`),
  });
  try {
    state.update(parser, index);
    const opened = state.findings.map((f) => ({ rule: f.rule, start: f.start, text: original.slice(f.start, f.end) }));
    const openedExplanations = explanations();
    const openedHintOffsets = state.inlayHints(0, original.length, index, context, { deferOrder: true, waitGroup: true }).map((h) => h.offset);
    const openedLensOffsets = state.codeLenses(index, context, DEFAULT_SETTINGS).map((l) => l.start);
    // Typed on a new line after a flagged one: that function's findings go while it is open.
    const flagged = opened.find((f) => f.start > original.length / 4)!;
    const [from, to] = [original.lastIndexOf('\nfunc ', flagged.start), original.indexOf('\n}\n', flagged.start)];
    const inTyped = opened.filter((f) => f.start > from && f.start < to).length;
    const hovered = original.indexOf('\tdefer ', to) + 2; // a defer below the typing
    const hoverBefore = state.explain(hovered, index, context)!.markdown;
    const belowTyping = (text: string) => text.replace(/(lines? |#L)(\d+(?:, \d+)*)/g, (_, label: string, lines: string) => label + lines.replace(/\d+/g, (n) => String(Number(n) + 1)));
    const hoverBelowTyping = belowTyping(hoverBefore);
    assert.notEqual(hoverBelowTyping, hoverBefore);
    const explainedInTyped = original.lastIndexOf('\tdefer ', flagged.start) + 2; // above the typing, in the same function
    assert.ok(explainedInTyped > from && state.explain(explainedInTyped, index, context));
    const at = state.lines.position(original.indexOf('\n', flagged.start));
    const typed = '\n\t\tdefer log.Println("done", len(items))';
    let carried = 0;
    for (let i = 0; i < typed.length; i++) {
      const where = { line: at.line + (i > 0 ? 1 : 0), character: i > 0 ? i - 1 : at.character };
      state.applyChanges([{ range: { start: where, end: where }, text: typed[i] }], state.version + 1);
      state.update(parser, index);
      const text = state.text.toString();
      if (state.stale) {
        carried++;
        // Not parsed: every finding is one of the opened document's, at the same code, moved by the typing.
        for (const f of state.findings) assert.ok(opened.some((o) => o.rule === f.rule && o.text === text.slice(f.start, f.end)), `${f.rule} at ${f.start} after ${JSON.stringify(typed.slice(0, i + 1))}`);
        assert.equal(state.findings.length, opened.length - inTyped, `findings carried after ${JSON.stringify(typed.slice(0, i + 1))}`);
        // Explanations too, from the last parse: all but those of the function typed in, at the same code.
        const { hints, lenses } = explanations();
        assert.ok(hints.length > 0 && lenses.length > 0);
        const typedIn = (offset: number) => offset > from && offset < to;
        const expected = (said: string[], offsets: number[]) => said.flatMap((x, n) => (typedIn(offsets[n]) ? [] : offsets[n] > to ? belowTyping(x) : x));
        assert.deepEqual(hints, expected(openedExplanations.hints, openedHintOffsets));
        assert.deepEqual(lenses, expected(openedExplanations.lenses, openedLensOffsets));
        assert.equal(state.explain(hovered + i + 1, index, context)?.markdown, hoverBelowTyping);
        assert.equal(state.explain(explainedInTyped, index, context), undefined, 'the function typed in is not explained from its old text');
      } else assert.equal(JSON.stringify(state.findings), fresh(), `after ${JSON.stringify(typed.slice(0, i + 1))}`);
    }
    assert.ok(carried >= 10, `only ${carried} keystrokes waited to parse`);
    assert.ok(!state.stale, 'the closed call is parsed');
  } finally {
    state.dispose();
  }
});

it('as the server updates a document over 1,000 random edits: parsed versions equal a fresh analysis, carried ones hold only moved findings', async (t) => {
  const parser = await goParser();
  const fixtures = ['defer-order', 'lost-cancel', 'ignore-directive'].flatMap((id) => goFilesIn(join(TESTDATA, id)));
  const next = random(20261203);
  const path = '/differential/u.go';
  let edits = 0;
  let carried = 0;
  for (let session = 0; edits < 1_000; session++) {
    const original = readFileSync(fixtures[session % fixtures.length], 'utf8');
    const state = new GoDocument(`file://${path}`, 1, original, () => assert.fail('a rule threw'));
    const index = new PackageIndex('/differential', { major: 1, minor: 22 }, (t) => parser.parse(t));
    const scratch = TextDocument.create('file:///scratch.go', 'go', 0, original);
    state.update(parser, index);
    // What the last parsed version found, by the code it points at (carried findings keep their code).
    const pointedAt = (findings: Finding[], text: string) => new Set(findings.map((f) => JSON.stringify([f.rule, f.message, text.slice(f.start, f.end)])));
    let parsed = pointedAt(state.findings, original);
    let last: number | undefined;
    for (let i = 0; i < SESSION; i++, edits++) {
      // Most edits near the one before, as typing is: the document merges touching edits.
      const change = randomChange(scratch, next, next() < 0.7 ? last : undefined);
      last = scratch.offsetAt(change.range.start) + change.text.length;
      TextDocument.update(scratch, [change], 0);
      state.applyChanges([change], state.version + 1);
      state.update(parser, index);
      const text = scratch.getText();
      if (state.stale) {
        carried++;
        for (const f of pointedAt(state.findings, text)) assert.ok(parsed.has(f), `carried ${f} after edit ${edits}`);
        continue;
      }
      const fresh = parser.parse(text);
      try {
        assert.equal(JSON.stringify(state.findings), findingsOf(parser, path, text, fresh, new FileAnalyzer(path)), `findings differ after edit ${edits}`);
      } finally {
        fresh.delete();
      }
      parsed = pointedAt(state.findings, text);
    }
    state.dispose();
  }
  t.diagnostic(`${carried} of ${edits} versions carried over without a parse`);
  assert.ok(carried >= 100, `only ${carried} versions waited to be parsed`);
});
