import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { indexFile, PackageIndex, type GoParser } from '../engine';
import { readGoSource } from '../project/batch';
import { goVersionFor, isGoFile } from '../project/files';

/**
 * Package indexes of the directories that hold open documents. A directory is read from disk
 * once (its closed files as saved); open documents then replace their file's facts as they change.
 */
export class Packages {
  private readonly indexes = new Map<string, Promise<PackageIndex>>();

  constructor(private readonly parser: GoParser) {}

  /** The index of `path`'s package directory (loaded on first use). */
  forFile(path: string): Promise<PackageIndex> {
    const dir = dirname(path);
    let index = this.indexes.get(dir);
    if (!index) {
      index = this.load(dir);
      this.indexes.set(dir, index);
    }
    return index;
  }

  /** Forget every index (go.mod or files changed behind our back): they reload on next use. */
  clear(): void {
    this.indexes.clear();
  }

  /**
   * A document closed: its package sees the file as saved on disk again (or not at all), and
   * an index left with no files is dropped.
   */
  async documentClosed(path: string): Promise<void> {
    const dir = dirname(path);
    const loading = this.indexes.get(dir);
    if (!loading) return;
    const index = await loading;
    index.removeFile(path);
    await this.indexFromDisk(index, path);
    if (index.paths.length === 0 && this.indexes.get(dir) === loading) this.indexes.delete(dir);
  }

  private async indexFromDisk(index: PackageIndex, path: string): Promise<void> {
    try {
      const text = await readGoSource(path);
      const tree = this.parser.parse(text);
      indexFile(index, path, text, tree);
      tree.delete();
    } catch {
      // Unreadable, binary or pathological siblings only make rules know less.
    }
  }

  private async load(dir: string): Promise<PackageIndex> {
    const index = new PackageIndex(dir, await goVersionFor(dir), (text) => this.parser.parse(text));
    let names: string[] = [];
    try {
      names = (await fs.readdir(dir)).filter(isGoFile);
    } catch {
      // An unsaved or virtual document: its own facts are all there is.
    }
    for (const name of names) await this.indexFromDisk(index, join(dir, name));
    return index;
  }
}
