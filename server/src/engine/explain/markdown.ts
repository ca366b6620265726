import type { GoNode } from '../syntax/node';

/** Renders a line reference; drivers turn it into a link (`[line 12](file:///x.go#L12)`). */
export type LineLink = (line: number) => string;

/** What explanations need from the file: 1-based line numbers and links to them. */
export interface ExplainContext {
  lineOf(node: GoNode): number;
  link: LineLink;
}

export function code(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  const fence = oneLine.includes('`') ? '``' : '`';
  return `${fence}${oneLine}${fence}`;
}

/** A fenced Go block whose lines carry `// line N` comments aligned in one column. */
export function goBlock(rows: { code: string; comment: string }[]): string {
  const width = Math.max(...rows.map((r) => r.code.length));
  return ['```go', ...rows.map((r) => `${r.code.padEnd(width)}  // ${r.comment}`), '```'].join('\n');
}

/** English ordinals for run positions: 1st, 2nd, 3rd, 4th, 11th, 22nd. */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
