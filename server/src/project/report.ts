import { LineIndex, type Finding } from '../engine';

/** Zero-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A finding with positions resolved, so it can cross a thread or reach a client without the file text. */
export interface LocatedFinding extends Finding {
  range: Range;
  relatedRanges: (Range | undefined)[];
  /** Per fix, per edit: the edit's range in its file (undefined when that file's text was unknown). */
  editRanges: (Range | undefined)[][];
}

/** What analysing one file produced. */
export interface FileReport {
  path: string;
  findings: LocatedFinding[];
  lines: number;
  /** Why the file was not analysed (unreadable, binary, generated, too slow to parse). */
  skipped?: string;
  /** A generated file left out on purpose: not an error. */
  generated?: boolean;
  /** Rules that failed on this file (the others' findings are still there). */
  errors?: string[];
}

export function locate(finding: Finding, linesOf: (path: string) => LineIndex | undefined): LocatedFinding {
  const range = (path: string, start: number, end: number): Range | undefined => {
    const lines = linesOf(path);
    return lines && { start: lines.position(start), end: lines.position(end) };
  };
  return {
    ...finding,
    range: range(finding.path, finding.start, finding.end)!,
    relatedRanges: finding.related.map((r) => range(r.path, r.start, r.end)),
    editRanges: finding.fixes.map((fix) => fix.edits.map((e) => range(e.path, e.start, e.end))),
  };
}

/** `// Code generated ... DO NOT EDIT.` before the package clause marks a generated file (Go's convention). */
export function isGenerated(text: string): boolean {
  const head = text.slice(0, Math.max(0, text.search(/^package\s/m)));
  return /^\/\/ Code generated .* DO NOT EDIT\.$/m.test(head);
}

export { LineIndex };
