import { fileUri } from './uris';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import { LineIndex, type Finding, type PackageIndex, type Severity } from '../engine';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'waitguard';

/** Line indexes of files a finding may point into (the analysed file and its package siblings). */
export type LinesOf = (path: string) => LineIndex | undefined;

export function toRange(lines: LineIndex, start: number, end: number) {
  return { start: lines.position(start), end: lines.position(end) };
}

export function toDiagnostic(finding: Finding, lines: LineIndex, linesOf: LinesOf, docsUri: (ruleId: string) => string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related) {
    const relatedLines = r.path === finding.path ? lines : linesOf(r.path);
    if (relatedLines) related.push({ location: { uri: fileUri(r.path), range: toRange(relatedLines, r.start, r.end) }, message: r.message });
  }
  return {
    range: toRange(lines, finding.start, finding.end),
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: docsUri(finding.rule) },
    source: SOURCE,
    message: finding.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/** The lines of a package file that findings point into: an open document's, else those of its indexed text. */
export function fileLines(path: string, openDocument: (path: string) => { lines: LineIndex } | undefined, index: PackageIndex): LineIndex | undefined {
  const open = openDocument(path);
  if (open) return open.lines;
  const text = index.facts(path)?.text;
  return text === undefined ? undefined : new LineIndex(text);
}

/** The URI of a package file that findings and explanations point into: its open document's, else the file's. */
export function packageFileUri(path: string, openDocument: (path: string) => { uri: string } | undefined): string {
  return openDocument(path)?.uri ?? fileUri(path);
}
