// A scan worker: analyses one package directory per message with its own parser.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { GoParser } from '../engine';
import type { WorkerData } from './pool';
import { analyzePackage, type PackageTask } from './scan';

const { pauseUntil } = workerData as WorkerData;

/** Waits, between files, while the pool says the editor is being typed in. */
async function whileTyping(): Promise<void> {
  for (let wait = pauseUntil[0] - Date.now(); wait > 0; wait = pauseUntil[0] - Date.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 100)));
  }
}

let parser: Promise<GoParser> | undefined;

/** This thread's JS heap and WebAssembly memory: the pool replaces a worker that holds too much. */
function memoryBytes(): number {
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.external_memory;
}

parentPort!.on('message', async (task: PackageTask & { id: number }) => {
  try {
    parser ??= GoParser.create(__dirname);
    const reports = await analyzePackage(await parser, task, whileTyping);
    parentPort!.postMessage({ id: task.id, reports, memoryBytes: memoryBytes() });
  } catch (error) {
    parentPort!.postMessage({ id: task.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error), memoryBytes: memoryBytes() });
  }
});
