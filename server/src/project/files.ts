import { promises as fs, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { parseGoVersion, type GoVersion } from '../engine';

/** Directories never analysed: dependencies, test inputs, VCS metadata. */
export function isSkippedDir(name: string): boolean {
  return name === 'vendor' || name === 'testdata' || name === 'node_modules' || name.startsWith('.') || name.startsWith('_');
}

export interface WalkProblem {
  path: string;
  message: string;
}

/**
 * The `.go` files under `root` (a file or directory), in a stable order. Symbolic links to
 * directories are not followed (no loops); links to files are followed only inside the tree, and
 * links out of it, broken links and loops are reported and skipped, as are unreadable entries.
 */
export async function collectGoFiles(root: string, problems: WalkProblem[]): Promise<string[]> {
  const files: string[] = [];
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (error) {
    problems.push({ path: root, message: describeError(error) });
    return files;
  }
  if (stat.isFile()) return [root];
  // Symbolic links are followed only to files inside the folder given (its real path).
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (error) {
    problems.push({ path: root, message: describeError(error) });
    return files;
  }
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir, message: describeError(error) });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDir(entry.name)) subdirs.push(path);
      } else if (await isReadableGoFile(path, entry, realRoot, problems)) {
        files.push(path);
      }
    }
    pending.push(...subdirs.reverse());
  }
  return files;
}

/**
 * Whether `path` (described by `kind`, its directory entry or lstat) is a `.go` file that may be
 * read: a regular file, or a symbolic link to one inside `realRoot`. Pipes and devices are never
 * read (a read would block); links out of the tree, broken links and loops go to `problems`.
 */
export async function isReadableGoFile(path: string, kind: Dirent | Stats, realRoot: string, problems: WalkProblem[]): Promise<boolean> {
  if (!kind.isSymbolicLink()) return kind.isFile() && path.endsWith('.go');
  const problem = await symlinkProblem(path, realRoot);
  if (problem) problems.push({ path, message: problem });
  return problem === undefined && path.endsWith('.go');
}

/**
 * Why a symbolic link is not followed: it leads out of `realRoot`, nowhere, or in a loop (a
 * message), or to a directory inside the tree (`''`: never followed, nothing to report);
 * undefined for a link to a regular file inside the tree.
 */
async function symlinkProblem(path: string, realRoot: string): Promise<string | undefined> {
  let target: string;
  let stat;
  try {
    target = await fs.realpath(path);
    stat = await fs.stat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (!path.endsWith('.go')) return '';
    return code === 'ELOOP' ? 'symbolic link loop; skipped' : code === 'ENOENT' ? 'broken symbolic link; skipped' : `${describeError(error)}; skipped`;
  }
  const inside = target === realRoot || target.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  if (!inside) return stat.isDirectory() || path.endsWith('.go') ? `symbolic link to ${target}, outside ${realRoot}; not followed` : '';
  if (!path.endsWith('.go') || stat.isDirectory()) return '';
  return stat.isFile() ? undefined : 'not a regular file; skipped';
}

export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a directory';
  return e?.message ?? String(error);
}

const goModCache = new Map<string, Promise<GoVersion | undefined>>();

/** The Go version of the nearest go.mod at or above `dir`. */
export function goVersionFor(dir: string): Promise<GoVersion | undefined> {
  const key = resolve(dir);
  let found = goModCache.get(key);
  if (!found) {
    found = readRegularFile(join(key, 'go.mod')).then(
      (text) => parseGoVersion(text),
      () => (dirname(key) === key ? undefined : goVersionFor(dirname(key))),
    );
    goModCache.set(key, found);
  }
  return found;
}

/** A file's text; a pipe or device is refused, as reading it would block. */
async function readRegularFile(path: string): Promise<string> {
  if (!(await fs.stat(path)).isFile()) throw new Error('not a regular file');
  return fs.readFile(path, 'utf8');
}

/** Forgets cached go.mod versions (after go.mod changed). */
export function forgetGoVersions(): void {
  goModCache.clear();
}

export function isGoFile(path: string): boolean {
  return basename(path).endsWith('.go');
}
