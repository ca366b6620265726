import { Worker } from 'node:worker_threads';
import type { FileReport } from './report';
import type { PackageTask } from './scan';

interface Pending {
  task: PackageTask & { id: number };
  resolve: (reports: FileReport[]) => void;
  reject: (error: Error) => void;
}

/**
 * A worker whose memory (JS heap and WebAssembly, which grows with the largest trees the worker
 * has held and never shrinks) passes this is replaced by a fresh one. A budget rather than a
 * fixed share of work: a fresh worker recompiles the grammar and warms up again, which costs a
 * scan of the Go standard library about 5 s when it happens every 200,000 lines.
 */
const MEMORY_PER_WORKER = 112 * 2 ** 20;

/** How often the pool tells busy workers whether the editor is being typed in (ms). */
const PAUSE_POLL_MS = 20;

/** What a worker is given when it starts. */
export interface WorkerData {
  /**
   * Until when (Date.now() milliseconds) the worker pauses between files, so that a package it
   * has started does not compete with the analysis of what is being typed.
   */
  pauseUntil: Float64Array;
}

/** A fixed pool of worker threads running scan tasks (one package directory each). */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private retiring = 0;
  private closed = false;

  private resumeTimer: NodeJS.Timeout | undefined;
  private readonly pauseUntil = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  private pauseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly script: string,
    readonly size: number,
    /** How long to hold back the next task (ms; 0: go on), asked before each dispatch. */
    private readonly holdBack: () => number = () => 0,
  ) {}

  run(task: PackageTask): Promise<FileReport[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { ...task, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  /** Drops queued tasks (their promises reject); running ones finish. */
  cancelQueued(): void {
    for (const p of this.queue.splice(0)) p.reject(new Error('cancelled'));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.resumeTimer);
    clearInterval(this.pauseTimer);
    this.cancelQueued();
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
    this.idle.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const wait = this.holdBack();
      if (wait > 0) {
        this.resumeTimer ??= setTimeout(() => {
          this.resumeTimer = undefined;
          this.dispatch();
        }, wait);
        return;
      }
      // A retiring worker still holds its memory until it has exited: it counts against the size.
      const worker = this.idle.pop() ?? (this.busy.size + this.retiring < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.task);
      this.pauseTimer ??= setInterval(() => this.tellPause(), PAUSE_POLL_MS).unref();
    }
  }

  /** Passes holdBack on to the workers while they are busy; nothing to tell once they are all idle. */
  private tellPause(): void {
    if (this.busy.size === 0) {
      clearInterval(this.pauseTimer);
      this.pauseTimer = undefined;
    }
    const wait = this.busy.size > 0 ? this.holdBack() : 0;
    this.pauseUntil[0] = wait > 0 ? Date.now() + wait : 0;
  }

  private spawn(): Worker {
    const worker = new Worker(this.script, { workerData: { pauseUntil: this.pauseUntil } satisfies WorkerData });
    worker.on('message', (message: { id: number; reports?: FileReport[]; error?: string; memoryBytes: number }) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      if (message.memoryBytes > MEMORY_PER_WORKER) this.retire(worker);
      else this.idle.push(worker);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.reports ?? []);
      this.dispatch();
    });
    worker.on('error', (error) => this.lose(worker, error));
    worker.on('exit', (code) => this.lose(worker, new Error(`scan worker exited with code ${code}`)));
    return worker;
  }

  /** Ends a worker that holds too much memory; the next dispatch spawns a fresh one. */
  private retire(worker: Worker): void {
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    this.retiring++;
    void worker.terminate().finally(() => {
      this.retiring--;
      this.dispatch();
    });
  }

  /** A worker died: fail its task, forget it; the next dispatch spawns a replacement. */
  private lose(worker: Worker, error: Error): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    const i = this.idle.indexOf(worker);
    if (i >= 0) this.idle.splice(i, 1);
    pending?.reject(error);
    this.dispatch();
  }
}
