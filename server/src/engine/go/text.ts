import type { GoNode, Span } from '../syntax/node';

const MAX_QUOTE = 60;

/** Code as written, on one line and shortened, for messages and fix titles. */
export function quote(node: GoNode): string {
  let oneLine = onOneLine(node.text);
  // A function literal too long to quote reads as its signature: `func(v int) { … }(it)`.
  const literal = node.type === 'func_literal' ? node : node.type === 'call_expression' ? node.child('function') : undefined;
  const body = literal?.type === 'func_literal' ? literal.child('body') : undefined;
  if (oneLine.length > MAX_QUOTE && body) oneLine = onOneLine(`${node.text.slice(0, body.start - node.start)}{ … }${node.text.slice(body.end - node.start)}`);
  return oneLine.length > MAX_QUOTE ? `${oneLine.slice(0, MAX_QUOTE - 1)}…` : oneLine;
}

function onOneLine(code: string): string {
  return code.replace(/\s*\n\s*/g, ' ');
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
