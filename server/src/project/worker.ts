// A scan worker: analyses one package directory per message with its own parser.
import { parentPort } from 'node:worker_threads';
import { GoParser } from '../engine';
import { analyzePackage, type PackageTask } from './scan';

let parser: Promise<GoParser> | undefined;

parentPort!.on('message', async (task: PackageTask & { id: number }) => {
  try {
    parser ??= GoParser.create(__dirname);
    parentPort!.postMessage({ id: task.id, reports: await analyzePackage(await parser, task) });
  } catch (error) {
    parentPort!.postMessage({ id: task.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
