import type { GoNode, Span } from '../syntax/node';

const MAX_QUOTE = 60;

/** Code as written, on one line and shortened, for messages and fix titles. */
export function quote(node: GoNode): string {
  const oneLine = node.text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > MAX_QUOTE ? `${oneLine.slice(0, MAX_QUOTE - 1)}…` : oneLine;
}

/** A range over the node clipped to its first line: squiggles stay on the keyword or call. */
export function firstLine(node: GoNode): Span {
  const newline = node.source.text.indexOf('\n', node.start);
  return { source: node.source, start: node.start, end: newline >= 0 && newline < node.end ? newline : node.end };
}

/** The name a function is known by in messages: `main`, `(*Server).run`, or `the function literal`. */
export function functionName(fn: GoNode): string {
  const name = fn.child('name')?.text;
  if (!name) return 'the function literal';
  const receiver = fn.child('receiver')?.named[0]?.child('type')?.text;
  return receiver ? `(${receiver}).${name}` : name;
}
