// Shared test helpers: the engine as the CLI runs it, and the `// want "regexp"` convention.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoParser, LineIndex, type Finding, type Rule } from '../server/src/engine';
import { analyzeFiles, type FileResult } from '../server/src/project/batch';

export const ROOT = __REPO_ROOT__;
export const DIST = __DIST_DIR__;
export const TESTDATA = join(ROOT, 'test', 'testdata');

/** A small deterministic PRNG (numbers in [0, 1)) so that failures reproduce. */
export function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) | 0;
    return ((s >>> 0) % 1_000_000) / 1_000_000;
  };
}

let parser: Promise<GoParser> | undefined;
/** One parser per test process; the bundled tests sit next to the wasm files. */
export function goParser(): Promise<GoParser> {
  parser ??= GoParser.create(__dirname);
  return parser;
}

export async function analyzePaths(files: string[], rules?: readonly Rule[]): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for await (const r of analyzeFiles(files, await goParser(), { rules, onRuleError: (rule, path, error) => { throw new Error(`rule ${rule.id} failed on ${path}: ${String(error)}`); } })) results.push(r);
  return results;
}

export function goFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.go'))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

interface Want {
  line: number;
  pattern: RegExp;
}

/** `// want "re" "re2"` comments: each pattern must match one finding on that line. */
export function parseWants(text: string): Want[] {
  const wants: Want[] = [];
  text.split(/\r?\n/).forEach((lineText, i) => {
    const m = /\/\/\s*want\s+(.*)$/.exec(lineText);
    if (!m) return;
    for (const q of m[1].matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`/g)) wants.push({ line: i + 1, pattern: new RegExp(q[2] ?? JSON.parse(`"${q[1]}"`)) });
  });
  return wants;
}

/**
 * Compares findings with the wants of a file: returns "missing" and "noisy" lines like
 * analysistest does, empty when they agree.
 */
export function compareWithWants(path: string, text: string, findings: Finding[]): string[] {
  const lines = new LineIndex(text);
  const wants = parseWants(text);
  const problems: string[] = [];
  const unmatched = findings.map((f) => ({ f, line: lines.position(f.start).line + 1 }));
  for (const want of wants) {
    const i = unmatched.findIndex((u) => u.line === want.line && want.pattern.test(u.f.message));
    if (i >= 0) unmatched.splice(i, 1);
    else problems.push(`${path}:${want.line}: missing: no finding matching ${want.pattern}`);
  }
  for (const u of unmatched) problems.push(`${path}:${u.line}: noisy: unexpected ${u.f.rule} finding: ${u.f.message}`);
  return problems;
}

/** Analyses Go sources written to a fresh temporary package directory (with a go.mod when a version is given). */
export async function analyzeSources(sources: Record<string, string>, options: { goVersion?: string; rules?: readonly Rule[] } = {}): Promise<FileResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'waitguard-'));
  try {
    if (options.goVersion) writeFileSync(join(dir, 'go.mod'), `module example.com/m\n\ngo ${options.goVersion}\n`);
    for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, name), text);
    return await analyzePaths(Object.keys(sources).map((name) => join(dir, name)), options.rules);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
