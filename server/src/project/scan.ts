import { dirname } from 'node:path';
import { LineIndex, ruleById, type GoParser, type Rule } from '../engine';
import { analyzeFiles, readGoSources } from './batch';
import { WorkerPool } from './pool';
import { locate, type FileReport } from './report';

/** One unit of scan work: the requested files of one package directory. */
export interface PackageTask {
  files: string[];
  /** Rule ids to run; all when absent. */
  rules?: string[];
  includeGenerated?: boolean;
  /** `parse`: read and parse only, the baseline the benchmark compares analysis with. */
  mode?: 'analyze' | 'parse';
  /** Per-file parse budget; a file that takes longer is skipped and reported. */
  parseBudgetMs?: number;
  /** The package's documents open in the editor: their texts stand for the files on disk. */
  unsaved?: Record<string, string>;
}

export interface ScanOptions {
  /** Worker threads; 1 analyses in the calling thread unless `offThread`. */
  jobs: number;
  /** Analyse on worker threads even with one job (a language server's main thread must stay free for typing). */
  offThread?: boolean;
  /** The bundled worker script (dist/worker.js). */
  workerScript: string;
  rules?: string[];
  includeGenerated?: boolean;
  mode?: PackageTask['mode'];
  parseBudgetMs?: number;
  /** The texts of a package's open documents, which stand for their files on disk (an editor's scan). */
  unsaved?: (dir: string) => Record<string, string> | undefined;
  /** Checked between packages: a cancelled scan stops dispatching work. */
  isCancelled?: () => boolean;
  /** Asked between packages: how long to hold back the next one (ms), while the editor is being typed in. */
  holdBack?: () => number;
  onReport?: (report: FileReport) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface ScanSummary {
  reports: FileReport[];
  files: number;
  lines: number;
  cancelled: boolean;
  milliseconds: number;
}

/**
 * Analyses one package's requested files and resolves every position (runs in a worker or
 * inline); `betweenFiles` may hold the next file back (a worker pauses while the editor is typed in).
 */
export async function analyzePackage(parser: GoParser, task: PackageTask, betweenFiles?: () => Promise<void>): Promise<FileReport[]> {
  if (task.parseBudgetMs !== undefined) parser.budgetMs = task.parseBudgetMs;
  if (task.mode === 'parse') return parseOnly(parser, task.files);
  const rules = task.rules?.map((id) => ruleById(id)).filter((r): r is Rule => !!r);
  const reports: FileReport[] = [];
  const errors = new Map<string, string[]>();
  const lineIndexes = new Map<string, LineIndex>();
  for await (const result of analyzeFiles(task.files, parser, {
    rules,
    includeGenerated: task.includeGenerated,
    unsaved: task.unsaved,
    onRuleError: (rule, path, error) => errors.set(path, [...(errors.get(path) ?? []), `rule ${rule.id} failed: ${error instanceof Error ? error.message : String(error)}`]),
  })) {
    const linesOf = (path: string) => {
      let lines = lineIndexes.get(path);
      const text = lines ? undefined : result.textOf(path);
      if (!lines && text !== undefined) lineIndexes.set(path, (lines = new LineIndex(text)));
      return lines;
    };
    reports.push({
      path: result.path,
      findings: result.findings.map((f) => locate(f, linesOf)),
      lines: result.text === undefined ? 0 : (linesOf(result.path)?.lineCount ?? 0),
      skipped: result.skipped,
      generated: result.generated,
      errors: errors.get(result.path),
    });
    await betweenFiles?.(); // the next file is analysed when the loop asks for it
  }
  return reports;
}

async function parseOnly(parser: GoParser, files: string[]): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const [path, text] of await readGoSources(files)) {
    try {
      if (text instanceof Error) throw text;
      parser.parse(text).delete();
      reports.push({ path, findings: [], lines: new LineIndex(text).lineCount });
    } catch (error) {
      reports.push({ path, findings: [], lines: 0, skipped: String(error) });
    }
  }
  return reports;
}

/**
 * Scans files package by package on a pool of worker threads (or inline with one job),
 * reporting each file as its package completes.
 */
export async function scanFiles(files: readonly string[], parser: () => Promise<GoParser>, options: ScanOptions): Promise<ScanSummary> {
  const started = performance.now();
  const byDir = new Map<string, string[]>();
  for (const f of files) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
  // Largest packages first keeps both workers busy until the end.
  const tasks = [...byDir.values()]
    .sort((a, b) => b.length - a.length)
    .map((group) => ({
      files: group,
      rules: options.rules,
      includeGenerated: options.includeGenerated,
      mode: options.mode,
      parseBudgetMs: options.parseBudgetMs,
      unsaved: options.unsaved?.(dirname(group[0])),
    }));
  const reports: FileReport[] = [];
  let done = 0;
  const accept = (batch: FileReport[]) => {
    for (const r of batch) {
      reports.push(r);
      options.onReport?.(r);
    }
    done += batch.length;
    options.onProgress?.(done, files.length);
  };
  let cancelled = false;
  if (options.jobs <= 1 && !options.offThread) {
    const inline = await parser();
    for (const task of tasks) {
      if (options.isCancelled?.()) {
        cancelled = true;
        break;
      }
      accept(await analyzePackage(inline, task));
    }
  } else {
    const pool = new WorkerPool(options.workerScript, Math.max(1, options.jobs), options.holdBack);
    const watch = setInterval(() => {
      if (options.isCancelled?.()) {
        cancelled = true;
        pool.cancelQueued();
      }
    }, 50);
    try {
      await Promise.all(tasks.map((t) => pool.run(t).then(accept, (error: Error) => {
        if (error.message !== 'cancelled') accept(t.files.map((path) => ({ path, findings: [], lines: 0, skipped: `scan worker failed: ${error.message.split('\n')[0]}` })));
      })));
    } finally {
      clearInterval(watch);
      await pool.close();
    }
  }
  const ordered = reports.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { reports: ordered, files: done, lines: ordered.reduce((n, r) => n + r.lines, 0), cancelled, milliseconds: performance.now() - started };
}
