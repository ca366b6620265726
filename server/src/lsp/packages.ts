import { promises as fs, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { declarationSkeleton, indexFile, PackageIndex, type GoParser } from '../engine';
import { readGoSource } from '../project/batch';
import { goVersionFor, isGoFile, isReadableGoFile, type WalkProblem } from '../project/files';

/**
 * Package indexes of the directories that hold open documents. A directory is read from disk
 * once (its closed files as saved); open documents then replace their file's facts as they change.
 */
export class Packages {
  private readonly indexes = new Map<string, Promise<PackageIndex>>();
  /** The facts of files as saved (read from disk): any other facts in an index are an open document's. */
  private readonly savedFacts = new WeakSet<object>();

  constructor(
    private readonly parser: GoParser,
    /** Where skipped siblings (links out of the directory, loops, broken links) are reported. */
    private readonly log: (message: string) => void = () => {},
  ) {}

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

  /**
   * Files changed on disk (the editor's file watcher): each loaded index re-reads its changed
   * files only, and a go.mod change re-reads the Go version of the packages below it (the caller
   * has forgotten the cached versions). Files open in the editor are left alone: their
   * documents' facts stand for them (a save changes nothing). Returns the directories whose
   * index changed.
   */
  async filesChanged(changes: readonly { path: string; deleted: boolean }[], isOpen: (path: string) => boolean): Promise<Set<string>> {
    const changed = new Set<string>();
    const modules = changes.filter((c) => basename(c.path) === 'go.mod').map((c) => dirname(c.path));
    for (const [dir, loading] of this.indexes) {
      const index = await loading;
      if (this.indexes.get(dir) !== loading) continue; // dropped meanwhile
      if (modules.some((m) => dir === m || dir.startsWith(`${m}/`)) && index.setGoVersion(await goVersionFor(dir))) changed.add(dir);
      for (const { path, deleted } of changes) {
        if (dirname(path) !== dir || !isGoFile(path) || isOpen(path)) continue;
        if (deleted) index.removeFile(path);
        else await this.reread(index, path);
        changed.add(dir);
      }
    }
    return changed;
  }

  /**
   * A document closed: its package sees the file as saved on disk again (or not at all). An
   * index that no open document reads any more is dropped, or every package ever opened would
   * stay in memory; it is read again when one of its files opens.
   */
  async documentClosed(path: string): Promise<void> {
    const dir = dirname(path);
    const loading = this.indexes.get(dir);
    if (!loading) return;
    const index = await loading;
    index.removeFile(path);
    if (index.paths.every((p) => this.savedFacts.has(index.facts(p)!))) {
      if (this.indexes.get(dir) === loading) this.indexes.delete(dir);
      return;
    }
    await this.reread(index, path);
  }

  /** Indexes the file as saved when it is still a Go file the directory may read; else the package no longer has it. */
  private async reread(index: PackageIndex, path: string): Promise<void> {
    try {
      const saved = await fs.lstat(path);
      if (await isReadableGoFile(path, saved, await fs.realpath(dirname(path)), [])) return await this.indexFromDisk(index, path);
    } catch {
      // Never saved, or deleted.
    }
    index.removeFile(path);
  }

  private async indexFromDisk(index: PackageIndex, path: string): Promise<void> {
    try {
      const text = await readGoSource(path);
      // The index reads declarations only: the bodies and data of saved siblings are not parsed.
      const tree = this.parser.parse(declarationSkeleton(text));
      try {
        indexFile(index, path, text, tree);
      } finally {
        tree.delete();
      }
      this.savedFacts.add(index.facts(path)!);
    } catch {
      // Unreadable, binary or pathological siblings only make rules know less.
      index.removeFile(path);
    }
  }

  /**
   * Reads the directory's `.go` files as the scan would: symbolic links are followed only to
   * files inside the directory (never out of it, never in a loop), pipes are never read.
   */
  private async load(dir: string): Promise<PackageIndex> {
    const index = new PackageIndex(dir, await goVersionFor(dir), (text) => this.parser.parse(text));
    let realDir = dir;
    let entries: Dirent[] = [];
    try {
      realDir = await fs.realpath(dir);
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      // An unsaved or virtual document: its own facts are all there is.
    }
    const problems: WalkProblem[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (await isReadableGoFile(path, entry, realDir, problems)) await this.indexFromDisk(index, path);
    }
    for (const problem of problems) this.log(`${problem.path}: ${problem.message}; not read for its package`);
    return index;
  }
}
