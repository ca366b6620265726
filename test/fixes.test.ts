// Every quick-fix on every fixture: the result parses as well as the input, stays gofmt-clean,
// removes the finding that offered it without adding any, keeps comments; fix-all matches the
// reviewed .golden files and is idempotent. Regenerate goldens with `UPDATE_GOLDEN=1 npm test`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, compatibleFixes, RULES, type Finding, type FindingFix, type Rule } from '../server/src/engine';
import { analyzePaths, goFilesIn, goParser, TESTDATA } from './harness';

const GOFMT = spawnSync('gofmt', ['-h']).error ? undefined : 'gofmt';
const MAX_ROUNDS = 10;

/** A fixture package copied to a scratch directory, so fixes can be applied and re-analysed. */
class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'waitguard-fix-'));
  constructor(pkg: string) {
    cpSync(pkg, this.dir, { recursive: true, filter: (src) => !src.endsWith('.golden') });
  }
  path(file: string): string {
    return join(this.dir, basename(file));
  }
  read(file: string): string {
    return readFileSync(this.path(file), 'utf8');
  }
  /** Applies a fix's edits (they may span files of the package; all must lie in the scratch copy). */
  apply(fix: FindingFix): void {
    const byPath = new Map<string, typeof fix.edits>();
    for (const e of fix.edits) {
      assert.ok(e.path.startsWith(`${this.dir}/`), `edit outside the scratch copy: ${e.path}`);
      byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
    }
    for (const [path, edits] of byPath) writeFileSync(path, applyEdits(readFileSync(path, 'utf8'), edits));
  }
  async analyze(rules: readonly Rule[]) {
    return analyzePaths(goFilesIn(this.dir), rules);
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function brokenNodes(text: string): Promise<number> {
  const tree = (await goParser()).parse(text);
  const count = tree.rootNode.hasError ? tree.rootNode.descendantsOfType(['ERROR']).length + (tree.rootNode.toString().match(/MISSING/g)?.length ?? 0) : 0;
  // Removing an ignore directive is the point of that fix; every other comment must survive.
  const comments = tree.rootNode.descendantsOfType('comment').filter((c) => !c?.text.includes('waitguard:ignore')).length;
  tree.delete();
  return count * 1_000_000 + comments;
}

function gofmtClean(path: string): boolean {
  const r = spawnSync(GOFMT!, ['-l', path], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === '';
}

/** Findings as comparable keys: rule and message, with line numbers (which fixes shift) masked. */
function keys(findings: Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.rule}: ${f.message.replace(/\d+/g, 'N')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function packagesOf(rule: Rule): string[] {
  const dir = join(TESTDATA, rule.id);
  if (!existsSync(dir)) return [];
  return [dir, ...readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name))];
}

describe('quick-fixes', () => {
  it('has gofmt to check fix outputs (CI installs golang-go)', (t) => {
    if (!GOFMT && !process.env.CI) t.skip('gofmt not installed: fix outputs are not format-checked on this machine');
    else assert.ok(GOFMT, 'gofmt is required in CI');
  });

  for (const rule of RULES) {
    it(`${rule.id}: every fix is safe, fix-all matches the goldens`, async (t) => {
      const rules = 'checkFile' in rule ? RULES : [rule];
      let fixesChecked = 0;
      for (const pkg of packagesOf(rule)) {
        for (const result of await analyzePaths(goFilesIn(pkg), rules)) {
          const offered = result.findings.filter((f) => f.rule === rule.id && f.fixes.length > 0);
          const golden = `${result.path}.golden`;
          if (offered.length === 0) {
            assert.ok(!existsSync(golden), `${golden} exists but no fix is offered`);
            continue;
          }
          const before = await brokenNodes(result.text!);
          for (const finding of offered) {
            for (let variant = 0; variant < finding.fixes.length; variant++) {
              const fix = finding.fixes[variant];
              fixesChecked++;
              const scratch = new Scratch(pkg);
              try {
                // The same finding, analysed in the scratch copy, so its edits name the copy's files.
                const all = await scratch.analyze(RULES);
                const same = all.flatMap((r) => r.findings).find((f) => f.rule === finding.rule && f.start === finding.start && f.message === finding.message);
                assert.ok(same, `${finding.message} is not reported in a copy of its package`);
                scratch.apply(same.fixes[variant]);
                const text = scratch.read(result.path);
                const where = `${basename(result.path)}: "${fix.title}" for "${finding.message}"`;
                const after = await brokenNodes(text);
                assert.ok(Math.floor(after / 1e6) <= Math.floor(before / 1e6), `${where} breaks the syntax:\n${text}`);
                assert.ok(after % 1e6 >= before % 1e6, `${where} loses comments`);
                if (GOFMT && gofmtClean(result.path)) assert.ok(gofmtClean(scratch.path(result.path)), `${where} is not gofmt-clean:\n${text}`);
                const old = keys(all.flatMap((r) => r.findings));
                const now = keys((await scratch.analyze(RULES)).flatMap((r) => r.findings));
                const fixedKey = [...keys([finding]).keys()][0];
                assert.ok((now.get(fixedKey) ?? 0) < (old.get(fixedKey) ?? 0), `${where} leaves its finding`);
                for (const [key, n] of now) assert.ok(n <= (old.get(key) ?? 0), `${where} adds a finding: ${key}`);
              } finally {
                scratch.dispose();
              }
            }
          }
          // Fix-all with the preferred fixes, round after round, as --fix and source.fixAll do.
          const scratch = new Scratch(pkg);
          try {
            for (let round = 0; round < MAX_ROUNDS; round++) {
              const [current] = (await scratch.analyze(rules)).filter((r) => r.path === scratch.path(result.path));
              const fixes = compatibleFixes(current.findings.filter((f) => f.rule === rule.id), current.path);
              if (fixes.length === 0) break;
              // One round applies all chosen fixes at once: their offsets refer to the same text.
              scratch.apply({ title: 'fix-all', preferred: true, edits: fixes.flatMap((f) => f.edits) });
              assert.ok(round < MAX_ROUNDS - 1, 'fix-all does not settle');
            }
            const fixed = scratch.read(result.path);
            if (process.env.UPDATE_GOLDEN) writeFileSync(golden, fixed);
            assert.ok(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npm test and review it`);
            assert.equal(fixed, readFileSync(golden, 'utf8'), `fix-all of ${basename(result.path)} differs from its golden`);
            if (GOFMT) assert.ok(gofmtClean(scratch.path(result.path)) || !gofmtClean(result.path), `${golden} is not gofmt-clean`);
          } finally {
            scratch.dispose();
          }
        }
      }
      t.diagnostic(`${fixesChecked} fixes checked`);
    });
  }
});
