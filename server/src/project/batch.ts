import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { declarationSkeleton, FileAnalyzer, FileSkipped, GoParser, indexFile, mayHaveFindings, PackageIndex, RULES, type Finding, type Rule, type RuleErrorHandler, type Tree } from '../engine';
import { describeError, goVersionFor, isGoFile } from './files';
import { isGenerated } from './report';

/** UTF-16 units of source whose trees a package keeps between indexing and analysis. */
const KEPT_TREES_TEXT = 2_000_000;

export interface FileResult {
  path: string;
  text?: string;
  findings: Finding[];
  /** Why the file was not analysed (unreadable, binary, generated, too slow to parse). */
  skipped?: string;
  /** Left out because it is generated (`// Code generated ... DO NOT EDIT.`): not an error. */
  generated?: boolean;
  /** The text of any file of the package, for positions of related locations and fix edits. */
  textOf(path: string): string | undefined;
}

export interface AnalyzeOptions {
  rules?: readonly Rule[];
  /** Texts that stand for files on disk: documents open in the editor, edited but maybe not saved. */
  unsaved?: Readonly<Record<string, string>>;
  onRuleError?: RuleErrorHandler;
  /** Analyse generated files too (they are always indexed: siblings may use their types). */
  includeGenerated?: boolean;
}

/** Reads a source file, refusing binary content: a `.go` file with NUL bytes is not Go. */
export async function readGoSource(path: string): Promise<string> {
  // A named pipe or device called x.go would block the read forever.
  if (!(await fs.stat(path)).isFile()) throw new Error('not a regular file');
  const bytes = await fs.readFile(path);
  if (bytes.includes(0)) throw new Error('binary file (contains NUL bytes)');
  return bytes.toString('utf8');
}

/**
 * Reads files all at once, in order (reads one after another leave the thread idle between
 * them); a file that cannot be read maps to why.
 */
export async function readGoSources(paths: Iterable<string>): Promise<Map<string, string | Error>> {
  const unique = [...new Set(paths)];
  const texts = await Promise.all(unique.map((path) => readGoSource(path).catch((error: Error) => error)));
  return new Map(unique.map((path, i) => [path, texts[i]]));
}

/**
 * Analyses `files` package by package: every `.go` file of a package directory is indexed
 * first (struct fields and functions declared in siblings resolve), then the requested ones
 * are checked. Yields one result per requested file, in order.
 */
export async function* analyzeFiles(
  files: readonly string[],
  parser: GoParser,
  options: AnalyzeOptions = {},
): AsyncGenerator<FileResult> {
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const dir = dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  const rules = options.rules ?? RULES;
  const analysed = (text: string) => options.includeGenerated || !isGenerated(text);
  for (const [dir, requested] of byDir) {
    const index = new PackageIndex(dir, await goVersionFor(dir), (text) => parser.parse(text));
    const unsaved = Object.entries(options.unsaved ?? {}).filter(([path]) => dirname(path) === dir);
    const texts = await readGoSources([...requested, ...(await siblings(dir))].filter((path) => options.unsaved?.[path] === undefined));
    for (const [path, text] of unsaved) texts.set(path, text);
    const wanted = new Set(requested);
    const trees = new Map<string, Tree | undefined>();
    const parseErrors = new Map<string, string>();
    let kept = 0;
    for (const [path, text] of texts) {
      if (text instanceof Error) continue;
      try {
        // Only a requested file that may have findings is parsed in full: the index reads its
        // declaration skeleton, which parses in under a third of the time (half of the standard
        // library's source names no trigger of any rule). Trees live in WebAssembly memory, which
        // never shrinks: a large package keeps only some, and parses the others when their turn comes.
        const keep = wanted.has(path) && analysed(text) && mayHaveFindings(text, rules) && kept + text.length <= KEPT_TREES_TEXT;
        const tree = parser.parse(keep ? text : declarationSkeleton(text));
        indexFile(index, path, text, tree);
        if (keep) {
          kept += text.length;
          trees.set(path, tree);
        } else {
          tree.delete();
          trees.set(path, undefined);
        }
      } catch (error) {
        parseErrors.set(path, skipReason(error));
      }
    }
    const textOf = (path: string) => {
      const text = texts.get(path);
      return typeof text === 'string' ? text : undefined;
    };
    for (const path of requested) {
      const text = texts.get(path);
      if (text instanceof Error || text === undefined) yield { path, findings: [], skipped: describeError(text), textOf };
      else if (!analysed(text)) yield { path, text, findings: [], skipped: 'generated', generated: true, textOf };
      else if (!trees.has(path)) yield { path, text, findings: [], skipped: parseErrors.get(path) ?? 'not parsed', textOf };
      else if (!trees.get(path) && !mayHaveFindings(text, rules, index)) yield { path, text, findings: [], textOf };
      else {
        let findings: Finding[] | undefined;
        let skipped: string | undefined;
        const tree = trees.get(path);
        trees.set(path, undefined);
        try {
          const parsed = tree ?? parser.parse(text);
          try {
            findings = new FileAnalyzer(path, options.onRuleError, false).analyze(parsed, text, index, rules);
          } finally {
            parsed.delete();
          }
        } catch (error) {
          skipped = skipReason(error);
        }
        yield findings ? { path, text, findings, textOf } : { path, text, findings: [], skipped, textOf };
      }
    }
    for (const tree of trees.values()) tree?.delete();
  }
}

/** Why a file could not be parsed or analysed, as reported to the user. */
function skipReason(error: unknown): string {
  return error instanceof FileSkipped ? `skipped: ${error.message}` : describeError(error);
}

async function siblings(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    // Siblings only inform the index: symbolic links (maybe out of the tree) and pipes are left out.
    return entries.filter((e) => e.isFile() && isGoFile(e.name)).map((e) => `${dir}/${e.name}`);
  } catch {
    return [];
  }
}
