// `npm run bench`: figures, not a timed test. Prints keystroke latency over stdio, scan
// throughput against a parse-only pass with the same workers, peak memory, and gofmt for scale.
//   npm run bench -- [--corpus DIR] [--lines N] [--edits N] [--calls N] [--file-lines N] [--jobs N] [--runs N] [--no-stdlib]
// WAITGUARD_PROFILE_DIR=DIR writes a CPU profile of the server under test there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoParser } from '../../server/src/engine';
import { collectGoFiles } from '../../server/src/project/files';
import { scanFiles } from '../../server/src/project/scan';
import { DIST, ROOT } from '../harness';
import { ExecuteCommandRequest, type Range } from 'vscode-languageserver-protocol/node';
import { startMeasuredServer } from '../lspClient';
import { largeFile, writeCorpus } from './corpus';

const STDLIB = '/usr/lib/go-1.19/src';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

type Change = { range: Range; text: string };

/** One-character edits in the first word of statements: a letter typed, then deleted. */
function wordEdits(lines: string[], count: number): Change[] {
  const statements = lines.flatMap((l, i) => (/^\t\t?[a-z]\w* /.test(l) ? [i] : []));
  return Array.from({ length: count }, (_, e) => {
    const line = statements[(Math.floor(e / 2) * 37) % statements.length];
    const at = { line, character: lines[line].search(/\w/) + 1 };
    return e % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line, character: at.character + 1 } }, text: '' };
  });
}

/** A call typed key by key on a new line after statements, then deleted with backspace: its parenthesis is open while the arguments are typed. */
function typedCalls(lines: string[], count: number): Change[] {
  const statements = lines.flatMap((l, i) => (/^\t\t[a-z]\w* .*[^{]$/.test(l) ? [i] : []));
  const call = '\n\t\tfmt.Println("checked", len(keys))';
  const changes: Change[] = [];
  for (let n = 0; n < count; n++) {
    const line = statements[(n * 53) % statements.length];
    // The cursor after the i-th typed character.
    const cursor = (i: number) => (i === 0 ? { line, character: lines[line].length } : { line: line + 1, character: i - 1 });
    for (let i = 0; i < call.length; i++) changes.push({ range: { start: cursor(i), end: cursor(i) }, text: call[i] });
    for (let i = call.length; i > 0; i--) changes.push({ range: { start: cursor(i - 1), end: cursor(i) }, text: '' });
  }
  return changes;
}

/**
 * Keystroke to diagnostics over stdio: `changes` to a large file, each sent once the previous
 * one's diagnostics arrived. With `scanning`, while the server scans those files ("WaitGuard:
 * Scan Workspace"); only edits made before the scan finished are counted.
 */
async function keystrokes(text: string, changes: Change[], scanning?: string[]): Promise<{ openMs: number; times: number[]; memory?: string }> {
  // The server reports its memory after a full GC (a test-only preload): what it holds, not what V8 has yet to collect.
  const memoryDir = mkdtempSync(join(tmpdir(), 'waitguard-bench-'));
  const { client, memoryAfterGc } = startMeasuredServer(memoryDir, { keepPublished: false });
  await client.initialize();
  const uri = 'file:///bench/big.go';
  let published = client.diagnostics(uri, 1, 60_000);
  const opened = performance.now();
  await client.open(uri, text);
  await published;
  const openMs = performance.now() - opened;
  let scanEnded = Infinity;
  const before = scanning ? await memoryAfterGc() : undefined;
  const scan = scanning && client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'waitguard.server.scanWorkspace', arguments: [{ files: scanning }] }).then(() => (scanEnded = performance.now()));
  if (scan) await new Promise((r) => setTimeout(r, 300)); // the workers are up and busy
  const times: number[] = [];
  for (const [e, change] of changes.entries()) {
    published = client.diagnostics(uri, e + 2, 60_000);
    const sent = performance.now();
    await client.change(uri, e + 2, [change]);
    await published;
    if (sent < scanEnded) times.push(performance.now() - sent);
  }
  await scan;
  const after = scanning ? await memoryAfterGc() : undefined;
  await client.shutdown();
  rmSync(memoryDir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const held = (m: NodeJS.MemoryUsage) => `${((m.heapUsed + m.external) / 2 ** 20).toFixed(0)} MB held (RSS ${(m.rss / 2 ** 20).toFixed(0)} MB)`;
  return { openMs, times, memory: before && after && `${held(before)} before the scan, ${held(after)} after it` };
}

function latencies(times: number[]): string {
  return times.length === 0 ? 'none' : `p50 ${percentile(times, 50).toFixed(2)} ms · p95 ${percentile(times, 95).toFixed(2)} ms · max ${times.at(-1)!.toFixed(2)} ms`;
}

async function keystrokeFigures(fileLines: number, edits: number, calls: number, corpus: string): Promise<void> {
  const text = largeFile(fileLines);
  const lines = text.split('\n');
  const words = wordEdits(lines, edits);
  const alone = await keystrokes(text, words);
  console.log(`\n1. Keystroke to diagnostics: a ${lines.length}-line file over stdio, ${edits} one-character edits`);
  console.log(`   open (full parse and analysis): ${alone.openMs.toFixed(0)} ms`);
  console.log(`   ${latencies(alone.times)}   (target p95 <= 10 ms)`);
  const typed = typedCalls(lines, calls);
  console.log(`   typing ${calls} calls key by key on new lines and deleting them again (${typed.length} keystrokes): ${latencies((await keystrokes(text, typed)).times)}`);
  const files = await collectGoFiles(corpus, []);
  const scanning = await keystrokes(text, words, files);
  console.log(`   while a workspace scan of ${files.length} files runs: ${scanning.times.length} of ${edits} edits made before it finished`);
  console.log(`   server memory after a full GC: ${scanning.memory} (its findings stay for the Problems panel)`);
  console.log(`   ${latencies(scanning.times)}   (target p95 <= 10 ms)`);
}

/** Runs one scan in a child process, so that its peak memory is its own. */
function childScan(dir: string, jobs: number, parseOnly: boolean): { files: number; lines: number; ms: number; rssMB: number } {
  const args = [process.argv[1], '--child-scan', dir, '--jobs', String(jobs), ...(parseOnly ? ['--parse-only'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`scan of ${dir} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

async function runChildScan(): Promise<void> {
  const dir = option('child-scan', '.');
  const files = await collectGoFiles(dir, []);
  const summary = await scanFiles(files, () => GoParser.create(DIST), {
    jobs: Number(option('jobs', '2')),
    workerScript: join(DIST, 'worker.js'),
    mode: process.argv.includes('--parse-only') ? 'parse' : 'analyze',
  });
  console.log(JSON.stringify({ files: summary.files, lines: summary.lines, ms: summary.milliseconds, rssMB: process.resourceUsage().maxRSS / 1024 }));
}

/** The median and the range of some timings, in seconds. */
function spread(ms: number[]): { median: number; text: string } {
  const sorted = [...ms].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const range = sorted.length > 1 ? ` (median of ${sorted.length}: ${(sorted[0] / 1000).toFixed(2)}–${(sorted.at(-1)! / 1000).toFixed(2)})` : '';
  return { median, text: `${(median / 1000).toFixed(2)} s${range}` };
}

/**
 * Scan, parse-only and gofmt passes, alternated `runs` times: on a shared 2-core machine the
 * same pass varies by 20 % or more from one minute to the next, so one run of each would compare
 * the machine's moods, not the passes.
 */
function scanFigures(title: string, dir: string, jobs: number, runs: number): void {
  const realDir = realpathSync(dir); // gofmt does not descend into a symlinked root (the Go source tree is one on Debian)
  const hasGofmt = !spawnSync('gofmt', ['-h']).error;
  const scans: ReturnType<typeof childScan>[] = [];
  const parses: ReturnType<typeof childScan>[] = [];
  const gofmts: number[] = [];
  for (let run = 0; run < runs; run++) {
    scans.push(childScan(dir, jobs, false));
    parses.push(childScan(dir, jobs, true));
    if (hasGofmt) {
      const started = performance.now();
      spawnSync('gofmt', ['-l', realDir], { maxBuffer: 1 << 26 });
      gofmts.push(performance.now() - started);
    }
  }
  const { files, lines } = scans[0];
  const scan = spread(scans.map((r) => r.ms));
  const parse = spread(parses.map((r) => r.ms));
  const peak = (results: { rssMB: number }[]) => Math.max(...results.map((r) => r.rssMB)).toFixed(0);
  console.log(`\n${title}: ${files} files, ${lines} lines, ${jobs} workers`);
  console.log(`   scan ${scan.text} · ${Math.round(lines / (scan.median / 1000))} lines/s · peak RSS ${peak(scans)} MB   (targets >= 110,000 lines/s, <= 400 MB)`);
  console.log(`   parse-only ${parse.text} (peak RSS ${peak(parses)} MB) · scan / parse-only = ${(scan.median / parse.median).toFixed(2)}   (target <= 1.5)`);
  if (hasGofmt) {
    const gofmt = spread(gofmts);
    console.log(`   gofmt -l ${gofmt.text} · scan / gofmt = ${(scan.median / gofmt.median).toFixed(2)}   (target <= 2)`);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--child-scan')) return runChildScan();
  const jobs = Number(option('jobs', String(Math.min(2, availableParallelism()))));
  console.log(`WaitGuard benchmark · Node ${process.version} · ${availableParallelism()} cores`);
  let corpus = option('corpus', '');
  if (!corpus) {
    const lines = Number(option('lines', '300000'));
    corpus = join(ROOT, '.bench', `corpus-${lines}`);
    if (!existsSync(corpus)) {
      rmSync(corpus, { recursive: true, force: true });
      mkdirSync(corpus, { recursive: true });
      writeCorpus(corpus, lines);
    }
  }
  await keystrokeFigures(Number(option('file-lines', '7000')), Number(option('edits', '500')), Number(option('calls', '10')), corpus);
  const runs = Number(option('runs', '3'));
  scanFigures(`2. Scan throughput (${corpus})`, corpus, jobs, runs);
  if (!process.argv.includes('--no-stdlib') && existsSync(STDLIB)) scanFigures(`3. The Go standard library (${STDLIB})`, STDLIB, jobs, runs);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
