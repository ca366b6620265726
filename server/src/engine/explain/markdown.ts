import type { GoNode } from '../syntax/node';

/** Where a node is, as the driver knows the files: its 1-based line and a URI to link to. */
export interface Place {
  line: number;
  /** The file's base name, when it is not the file explained. */
  file?: string;
  uri: string;
}

/** What explanations need from the files: where nodes are. */
export interface ExplainContext {
  place(node: GoNode): Place;
}

/** `line 12`, or `worker.go:6` in another file. */
export function placeLabel(place: Place): string {
  return place.file ? `${place.file}:${place.line}` : `line ${place.line}`;
}

/** A Markdown link to the node's line: `[line 12](file:///x.go#L12)`. */
export function linkTo(node: GoNode, ctx: ExplainContext): string {
  const place = ctx.place(node);
  return `[${placeLabel(place)}](${place.uri}#L${place.line})`;
}

/** The distinct places of nodes, in order: `line 12`, `lines 12, 14`, `lines 12, 14 and worker.go:6`. */
export function placesText(nodes: readonly GoNode[], ctx: ExplainContext): string {
  const lines = new Set<number>();
  const elsewhere = new Set<string>();
  for (const node of nodes) {
    const place = ctx.place(node);
    if (place.file) elsewhere.add(placeLabel(place));
    else lines.add(place.line);
  }
  const parts = [lines.size === 0 ? '' : `line${lines.size === 1 ? '' : 's'} ${[...lines].join(', ')}`, [...elsewhere].join(', ')];
  return parts.filter((p) => p !== '').join(' and ');
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
