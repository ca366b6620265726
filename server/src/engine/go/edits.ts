import type { RuleEdit } from '../rules/rule';
import type { GoNode } from '../syntax/node';

/** The line ending the declaration uses (`\r\n` files stay `\r\n`). */
export function eolOf(node: GoNode): string {
  return node.source.text.includes('\r\n') ? '\r\n' : '\n';
}

/** The line holding `node`'s start: its start, the offset after its line break, and its indentation. */
export function lineAround(node: GoNode): { start: number; end: number; indent: string; text: string } {
  const text = node.source.text;
  const start = text.lastIndexOf('\n', node.start - 1) + 1;
  const newline = text.indexOf('\n', node.start);
  const end = newline < 0 ? text.length : newline + 1;
  return { start, end, indent: /^[ \t]*/.exec(text.slice(start))![0], text: text.slice(start, end) };
}

/** What follows the statement on its last line: nothing, or a `//` comment that belongs to it. */
export function trailingComment(stmt: GoNode): string | undefined {
  const text = stmt.source.text;
  const newline = text.indexOf('\n', stmt.end);
  const rest = text.slice(stmt.end, newline < 0 ? text.length : newline).trim();
  return rest === '' || rest.startsWith('//') ? rest : undefined;
}

/** Whether the statement has its lines to itself (only indentation before it, at most a comment after it). */
export function ownsItsLines(stmt: GoNode): boolean {
  const line = lineAround(stmt);
  return stmt.source.text.slice(line.start, stmt.start).trim() === '' && trailingComment(stmt) !== undefined;
}

/** Deletes a statement that owns its lines, its trailing comment and line break included. */
export function deleteLines(stmt: GoNode): RuleEdit {
  const first = lineAround(stmt);
  const newline = stmt.source.text.indexOf('\n', stmt.end);
  return { span: { source: stmt.source, start: first.start, end: newline < 0 ? stmt.source.text.length : newline + 1 }, newText: '' };
}

/** Inserts `code` as a line of its own before the line of `node`, at `node`'s indentation. */
export function insertLineBefore(node: GoNode, code: string): RuleEdit {
  const line = lineAround(node);
  return { span: { source: node.source, start: line.start, end: line.start }, newText: `${line.indent}${code}${eolOf(node)}` };
}

/** Inserts `code` as a line of its own after the statement, at its indentation. */
export function insertLineAfter(stmt: GoNode, code: string): RuleEdit {
  const line = lineAround(stmt);
  return { span: { source: stmt.source, start: stmt.end, end: stmt.end }, newText: `${eolOf(stmt)}${line.indent}${code}` };
}

/** Replaces a node's text. */
export function replaceNode(node: GoNode, newText: string): RuleEdit {
  return { span: { source: node.source, start: node.start, end: node.end }, newText };
}

/**
 * Edits that indent every non-empty line strictly inside `block` by one tab. Undefined when a
 * raw string literal spans lines there: indenting it would change the string.
 */
export function indentInside(block: GoNode): RuleEdit[] | undefined {
  if (block.descendantsOfType('raw_string_literal').some((s) => s.text.includes('\n'))) return undefined;
  const text = block.source.text;
  const edits: RuleEdit[] = [];
  for (let i = text.indexOf('\n', block.start); i >= 0 && i < block.end; i = text.indexOf('\n', i + 1)) {
    const lineStart = i + 1;
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
    if (lineStart >= block.end - 1 || line.trim() === '') continue;
    if (text.slice(lineStart, block.end).trim() === '}') continue; // the block's closing brace
    edits.push({ span: { source: block.source, start: lineStart, end: lineStart }, newText: '\t' });
  }
  return edits;
}
