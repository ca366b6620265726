// The corpus test of issue 5: `waitguard --fix` over a copy of a large real Go code base (the Go
// 1.19 standard library from Debian's golang-1.19-src). Every file it changes must still parse
// with no more ERROR/MISSING nodes, stay gofmt-clean when it was, and the findings must drop.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { DIST, goParser } from './harness';

const GO_SRC = '/usr/lib/go-1.19/src';
/**
 * The whole library takes several minutes to fix on two cores (each fix round re-analyses every
 * file in one thread), so the test uses every top-level directory but these big ones (and two
 * with few findings): about a quarter of the code, and most of the fixable findings (net, os,
 * database, log, ...).
 */
const LEFT_OUT = new Set(['cmd', 'runtime', 'syscall', 'vendor', 'crypto', 'internal', 'go']);
const GOFMT = spawnSync('gofmt', ['-h']).error ? undefined : 'gofmt';

interface JsonFinding {
  file: string;
  rule: string;
  fixes: { title: string }[];
}

function waitguard(args: string[]): JsonFinding[] {
  const r = spawnSync(process.execPath, [join(DIST, 'cli.js'), '--format', 'json', '--jobs', '2', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(r.status === 0 || r.status === 1, `waitguard ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

/** The .go files the CLI analyses (it skips testdata, vendor and hidden directories). */
function goFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== 'testdata' && e.name !== 'vendor' && !e.name.startsWith('.')) goFiles(join(dir, e.name), out);
    } else if (e.name.endsWith('.go')) {
      out.push(join(dir, e.name));
    }
  }
  return out;
}

async function brokenNodes(text: string): Promise<number> {
  const tree = (await goParser()).parse(text);
  try {
    if (!tree.rootNode.hasError) return 0;
    return tree.rootNode.descendantsOfType(['ERROR']).length + (tree.rootNode.toString().match(/MISSING/g)?.length ?? 0);
  } finally {
    tree.delete();
  }
}

/** The files of `paths` gofmt would reformat (one gofmt run for all). */
function notGofmtClean(paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const r = spawnSync(GOFMT!, ['-l', ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return new Set(r.stdout.split('\n').filter((l) => l !== ''));
}

function byRule(findings: JsonFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts].sort().map(([rule, n]) => `${rule} ${n}`).join(', ');
}

describe('corpus', () => {
  it('--fix over the Go standard library keeps every file parseable and gofmt-clean, and drops the findings', async (t) => {
    if (!existsSync(GO_SRC)) {
      assert.ok(!process.env.CI, `${GO_SRC} is missing: CI installs golang-1.19-src`);
      t.skip(`${GO_SRC} not installed (apt-get install golang-1.19-src): corpus test skipped`);
      return;
    }
    assert.ok(GOFMT || !process.env.CI, 'gofmt is required in CI');
    const started = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'waitguard-corpus-'));
    try {
      for (const e of readdirSync(GO_SRC, { withFileTypes: true })) {
        if (LEFT_OUT.has(e.name) || !(e.isDirectory() || e.isSymbolicLink())) continue;
        cpSync(join(GO_SRC, e.name), join(dir, e.name), { recursive: true, dereference: true });
      }
      const files = goFiles(dir);
      const original = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));

      const before = waitguard([dir]);
      const fixable = before.filter((f) => f.fixes.length > 0).length;
      const after = waitguard(['--fix', dir]);

      const changed = files.filter((f) => readFileSync(f, 'utf8') !== original.get(f));
      for (const f of changed) {
        const was = await brokenNodes(original.get(f)!);
        const now = await brokenNodes(readFileSync(f, 'utf8'));
        assert.ok(now <= was, `${relative(dir, f)}: ${now} ERROR/MISSING nodes after --fix, ${was} before`);
      }
      if (GOFMT) {
        const dirtyBefore = notGofmtClean(changed.map((f) => join(GO_SRC, relative(dir, f))));
        const dirtyAfter = notGofmtClean(changed);
        for (const f of changed) {
          if (dirtyBefore.has(join(GO_SRC, relative(dir, f)))) continue;
          assert.ok(!dirtyAfter.has(f), `${relative(dir, f)} is no longer gofmt-clean after --fix`);
        }
      }
      t.diagnostic(`${files.length} files (${GO_SRC} without ${[...LEFT_OUT].join(', ')}), ${changed.length} changed by --fix`);
      t.diagnostic(`findings before: ${before.length} (${fixable} with a fix): ${byRule(before)}`);
      t.diagnostic(`findings after: ${after.length}: ${byRule(after)}`);
      t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (fixable > 0) assert.ok(after.length < before.length, `findings did not drop: ${before.length} before, ${after.length} after`);
      assert.ok(changed.length > 0 || fixable === 0, 'no file changed although fixes were offered');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
