import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { applyEdits, compatibleFixes, type GoParser } from '../engine';
import { analyzeFiles, type AnalyzeOptions } from './batch';
import type { WalkProblem } from './files';

/** Fix-all rounds at most: each round re-analyses, since one fix can make another possible. */
const MAX_ROUNDS = 10;

export interface FixReport {
  fixed: { path: string; applied: number }[];
  problems: WalkProblem[];
}

/**
 * Applies the preferred fix of every finding to the files on disk, round after round until
 * none applies. A file is written only when the result parses as well as the original, and only
 * if it did not change on disk since it was read; writes are atomic and keep the file mode.
 */
export async function fixFiles(files: readonly string[], parser: GoParser, options: AnalyzeOptions): Promise<FixReport> {
  const applied = new Map<string, number>();
  const problems: WalkProblem[] = [];
  const refused = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for await (const result of analyzeFiles(files, parser, options)) {
      if (result.text === undefined || refused.has(result.path)) continue;
      const fixes = compatibleFixes(result.findings, result.path);
      if (fixes.length === 0) continue;
      const next = applyEdits(result.text, fixes.flatMap((f) => f.edits));
      if (errorCount(parser, next) > errorCount(parser, result.text)) {
        problems.push({ path: result.path, message: 'a fix would break the syntax; file left unchanged' });
        refused.add(result.path);
        continue;
      }
      try {
        await writeIfUnchanged(result.path, result.text, next);
      } catch (error) {
        problems.push({ path: result.path, message: (error as Error).message });
        refused.add(result.path);
        continue;
      }
      applied.set(result.path, (applied.get(result.path) ?? 0) + fixes.length);
      changed = true;
    }
    if (!changed) break;
  }
  return { fixed: [...applied].map(([path, n]) => ({ path, applied: n })), problems };
}

function errorCount(parser: GoParser, text: string): number {
  const tree = parser.parse(text);
  try {
    return tree.rootNode.hasError ? tree.rootNode.descendantsOfType(['ERROR']).length + countMissing(tree.rootNode) : 0;
  } finally {
    tree.delete();
  }
}

function countMissing(node: { isMissing: boolean; children: readonly ({ isMissing: boolean; children: readonly unknown[] } | null)[] }): number {
  let count = 0;
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.isMissing) count++;
    for (const c of n.children) if (c) stack.push(c as typeof node);
  }
  return count;
}

/** Replaces the file atomically (temporary file, then rename), unless its content changed since `expected` was read. */
export async function writeIfUnchanged(path: string, expected: string, next: string): Promise<void> {
  const current = await fs.readFile(path, 'utf8');
  if (current !== expected) throw new Error('changed on disk since it was read; not written');
  const { mode } = await fs.stat(path);
  const temp = join(dirname(path), `.${basename(path)}.waitguard-${process.pid}.tmp`);
  try {
    await fs.writeFile(temp, next, { mode });
    await fs.chmod(temp, mode);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
