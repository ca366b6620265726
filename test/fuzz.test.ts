// Fuzz (issue 9): fixtures mutated at random (bytes and tokens, deterministic seed) through the
// engine and every fix it offers. No rule may throw, and no applied fix may leave its file with
// more ERROR/MISSING nodes than it had. CI runs a few thousand cases; `npm run soak -- SECONDS`
// runs for a time budget (WAITGUARD_FUZZ_SECONDS) from another seed (WAITGUARD_FUZZ_SEED).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { applyEdits, FileAnalyzer, indexFile, PackageIndex, parseGoVersion, type ExplainContext, type GoParser, type Rule, type Tree } from '../server/src/engine';
import { goParser, random, TESTDATA } from './harness';

const SEED = Number(process.env.WAITGUARD_FUZZ_SEED ?? 9);
const SECONDS = Number(process.env.WAITGUARD_FUZZ_SECONDS ?? 0);
const CASES = SECONDS > 0 ? Infinity : Number(process.env.WAITGUARD_FUZZ_CASES ?? 3_000);

const TOKENS = ['{', '}', '(', ')', '[', ']', ';', ',', '.', ':=', '=', '\n', '\r\n', '\t', ' ', '"', '`', "'", '//', '/*', '*/', '\0', '\uFEFF', 'é', '🚀', 'defer', 'go', 'func', 'return', 'for', 'range', 'if', 'else', 'switch', 'case', 'default:', 'select', 'break', 'continue', 'goto L', 'L:', 'fallthrough', 'panic("x")', 'os.Exit(1)', 'wg', 'mu', 's.wg', '&wg', '*wg', 'wg.Add(1)', 'wg.Add(2)', 'wg.Add(-1)', 'wg.Done()', 'wg.Wait()', 'wg.Go(func() {})', 'mu.Lock()', 'mu.Unlock()', 'defer mu.Unlock()', 'defer wg.Done()', 'go func() {', '}()', 'for {', 'for i := range 3 {', 'var wg sync.WaitGroup', 'ctx, cancel := context.WithCancel(ctx)', 'cancel()', 'f.Close()', '//waitguard:ignore wg-add-in-goroutine reason', 'sync.WaitGroup', 'package p', 'import "sync"'];

interface Fixture {
  path: string;
  dir: string;
  text: string;
  siblings: Map<string, string>;
}

function fixtures(): Fixture[] {
  const found: Fixture[] = [];
  const walk = (dir: string) => {
    const files = readdirSync(dir).map((f) => join(dir, f));
    const go = files.filter((f) => f.endsWith('.go') && statSync(f).isFile());
    const texts = new Map(go.map((f) => [f, readFileSync(f, 'utf8')]));
    for (const path of go) found.push({ path, dir, text: texts.get(path)!, siblings: texts });
    for (const f of files) if (statSync(f).isDirectory()) walk(f);
  };
  walk(TESTDATA);
  return found;
}

/** One random mutation: bytes (insert, delete, duplicate, swap a character) or tokens. */
function mutate(text: string, next: () => number): string {
  const at = () => Math.floor(next() * (text.length + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const a = at();
  const b = Math.min(text.length, a + 1 + Math.floor(next() * 40));
  switch (Math.floor(next() * 8)) {
    case 0:
      return text.slice(0, a) + String.fromCharCode(Math.floor(next() * 0x80)) + text.slice(a);
    case 1:
      return text.slice(0, a) + text.slice(b);
    case 2:
      return text.slice(0, b) + text.slice(a, b) + text.slice(b);
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(next() * lines.length);
      const j = Math.floor(next() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 4: {
      // Replace a word with a token.
      const words = [...text.matchAll(/[\w.]+|[{}()[\];,]/g)];
      const w = words.length ? pick(words) : undefined;
      return w ? text.slice(0, w.index) + pick(TOKENS) + text.slice(w.index! + w[0].length) : text;
    }
    case 5: {
      // Delete a token.
      const words = [...text.matchAll(/[\w.]+|[{}()[\];,]|:=/g)];
      const w = words.length ? pick(words) : undefined;
      return w ? text.slice(0, w.index) + text.slice(w.index! + w[0].length) : text;
    }
    case 6: {
      // Cut the file at a random point (half-typed), maybe closing it with a brace.
      return text.slice(0, a) + (next() < 0.5 ? '}' : '');
    }
    default:
      return text.slice(0, a) + ` ${pick(TOKENS)} ` + text.slice(a);
  }
}

/** String, rune and raw-string literals (kept) or comments (dropped), as Go's lexer reads them. */
const LITERAL_OR_COMMENT = /("(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*')|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

/** Go's tokens and where lines break between them: comments dropped (one spanning lines breaks one), spaces and blank lines folded. */
function tokensAndBreaks(text: string): string {
  return text
    .replace(LITERAL_OR_COMMENT, (match, literal: string | undefined) => literal ?? (match.includes('\n') ? '\n' : ' '))
    .replace(/[ \t\r]+/g, ' ')
    .replace(/ ?\n[\n ]*/g, '\n');
}

/**
 * ERROR and MISSING nodes of the top-level declarations that `edits` touch, each parsed alone in
 * a package of its own, before and after the edits.
 */
function editedDeclarations(parser: GoParser, input: string, edits: readonly { start: number; end: number; newText: string }[]): { was: number; now: number } {
  const tree = parser.parse(input);
  const spans: [number, number][] = [];
  try {
    for (const node of tree.rootNode.namedChildren) {
      if (node && edits.some((e) => e.start <= node.endIndex && e.end >= node.startIndex)) spans.push([node.startIndex, node.endIndex]);
    }
  } finally {
    tree.delete();
  }
  let was = 0;
  let now = 0;
  for (const [start, end] of spans) {
    const inside = edits.filter((e) => e.start >= start && e.end <= end).map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
    if (inside.length < edits.filter((e) => e.start <= end && e.end >= start).length) return { was: 0, now: 1 }; // an edit across a declaration's edge
    was += brokenCount(parser, `package p\n${input.slice(start, end)}`);
    now += brokenCount(parser, `package p\n${applyEdits(input.slice(start, end), inside)}`);
  }
  return { was, now };
}

/** ERROR and MISSING nodes in a tree. */
function brokenNodes(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  let count = 0;
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      if ((node.hasError || node.isMissing) && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return count;
    }
  } finally {
    cursor.delete();
  }
}

function brokenCount(parser: GoParser, text: string): number {
  const tree = parser.parse(text);
  try {
    return brokenNodes(tree);
  } finally {
    tree.delete();
  }
}

const goVersions = new Map<string, ReturnType<typeof parseGoVersion>>();
function goVersionOf(dir: string) {
  if (!goVersions.has(dir)) {
    let version;
    for (let d = dir; d.startsWith(TESTDATA); d = dirname(d)) {
      if (existsSync(join(d, 'go.mod'))) {
        version = parseGoVersion(readFileSync(join(d, 'go.mod'), 'utf8'));
        break;
      }
    }
    goVersions.set(dir, version);
  }
  return goVersions.get(dir);
}

it(`fuzz: ${SECONDS > 0 ? `${SECONDS} s soak` : `${CASES} mutated fixtures`} (seed ${SEED}) — no throw (analysis, hover, hints, lenses), every fix parses as well as its input (under ${SECONDS > 0 ? SECONDS + 60 : 90} s)`, async (t) => {
  const parser = await goParser();
  const all = fixtures();
  const next = random(SEED);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let cases = 0;
  let findings = 0;
  let fixesApplied = 0;
  for (; SECONDS > 0 ? performance.now() < deadline : cases < CASES; cases++) {
    const fixture = all[Math.floor(next() * all.length)];
    let text = fixture.text;
    const mutations = 1 + Math.floor(next() * 4);
    for (let m = 0; m < mutations; m++) text = mutate(text, next);
    const where = `case ${cases} (seed ${SEED}) from ${fixture.path}`;
    const throwing = (rule: Rule, path: string, error: unknown) => {
      throw new Error(`${where}: rule ${rule.id} failed on ${path}: ${error instanceof Error ? error.stack : String(error)}\n--- input ---\n${text}`);
    };
    const index = new PackageIndex(fixture.dir, goVersionOf(fixture.dir), (x) => parser.parse(x));
    const texts = new Map(fixture.siblings);
    texts.set(fixture.path, text);
    for (const [path, sibling] of texts) {
      if (path === fixture.path) continue;
      const tree = parser.parse(sibling);
      indexFile(index, path, sibling, tree);
      tree.delete();
    }
    const tree = parser.parse(text);
    let found;
    try {
      indexFile(index, fixture.path, text, tree);
      const analyzer = new FileAnalyzer(fixture.path, throwing, false);
      found = analyzer.analyze(tree, text, index);
      // Hover, hints and lenses read the same units: they must not throw either, and point inside the files.
      const explain: ExplainContext = {
        place: (node) => {
          const offset = node.source.base + node.start;
          assert.ok(offset >= 0 && offset <= (texts.get(node.source.path)?.length ?? -1), `${where}: a place outside ${node.source.path}`);
          return { line: 1, uri: 'file:///fuzz.go' };
        },
      };
      const targets = [...text.matchAll(/\b(?:defer|go|func|Add|Done|Wait|Go|wg)\b/g)].map((m) => m.index!);
      for (let n = 0; n < 8; n++) {
        const offset = targets.length > 0 && n % 2 === 0 ? targets[Math.floor(next() * targets.length)] : Math.floor(next() * (text.length + 1));
        const hovered = analyzer.explain(offset, text, index, explain);
        if (hovered) assert.ok(0 <= hovered.start && hovered.start <= hovered.end && hovered.end <= text.length, `${where}: hover range`);
      }
      for (const hint of analyzer.inlayHints(0, text.length, text, index, explain, { deferOrder: true, waitGroup: true })) assert.ok(hint.offset >= 0 && hint.offset <= text.length, `${where}: hint offset`);
      for (const lens of analyzer.codeLenses(text, index, explain, found)) assert.ok(0 <= lens.start && lens.end <= text.length, `${where}: lens range`);
    } finally {
      tree.delete();
    }
    findings += found.length;
    const before = new Map<string, number>();
    for (const finding of found) {
      for (const fix of finding.fixes) {
        const byPath = new Map<string, typeof fix.edits>();
        for (const e of fix.edits) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
        for (const [path, edits] of byPath) {
          const input = texts.get(path);
          assert.ok(input !== undefined, `${where}: "${fix.title}" edits ${path}, outside the package`);
          for (const e of edits) assert.ok(0 <= e.start && e.start <= e.end && e.end <= input.length, `${where}: "${fix.title}" edit out of range`);
          const output = applyEdits(input, edits);
          fixesApplied++;
          // A fix that only removes a comment leaves Go the same tokens and line breaks; tree-sitter's
          // error recovery in a broken file may still take another path (a directive removed above it).
          if (tokensAndBreaks(output) === tokensAndBreaks(input)) continue;
          let was = before.get(path);
          if (was === undefined) before.set(path, (was = brokenCount(parser, input)));
          const now = brokenCount(parser, output);
          // In a file already broken, an edit can send tree-sitter's recovery of the broken part down
          // another path: there the declarations the fix edited are judged on their own.
          const judged = now > was && was > 0 ? editedDeclarations(parser, input, edits) : { was, now };
          assert.ok(judged.now <= judged.was, `${where}: "${fix.title}" for ${finding.rule} "${finding.message}" leaves ${judged.now} ERROR/MISSING nodes, its input had ${judged.was}\n--- input ---\n${input}\n--- output ---\n${output}`);
        }
      }
    }
  }
  const ms = performance.now() - started;
  t.diagnostic(`${cases} cases, ${findings} findings, ${fixesApplied} fixes applied and reparsed in ${(ms / 1000).toFixed(1)} s`);
  assert.ok(ms < (SECONDS > 0 ? SECONDS + 60 : 90) * 1000, `took ${(ms / 1000).toFixed(1)} s`);
});
