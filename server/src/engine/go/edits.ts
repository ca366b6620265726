import type { RuleEdit } from '../rules/rule';
import type { GoNode } from '../syntax/node';

/** The line ending the declaration uses (`\r\n` files stay `\r\n`). */
export function eolOf(node: GoNode): string {
  return node.source.text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * The line holding `node`'s start: its start, where its line break starts (`\r\n` or `\n`, each
 * line its own: files mix them), the offset after it, and its indentation.
 */
export function lineAround(node: GoNode): { start: number; breakStart: number; end: number; indent: string; text: string } {
  const text = node.source.text;
  const start = text.lastIndexOf('\n', node.start - 1) + 1;
  const newline = text.indexOf('\n', node.start);
  const end = newline < 0 ? text.length : newline + 1;
  const breakStart = newline < 0 ? end : newline > start && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
  return { start, breakStart, end, indent: /^[ \t]*/.exec(text.slice(start))![0], text: text.slice(start, end) };
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

/** Inserts `code` as a line of its own after the statement's last line (after its trailing comment). */
export function insertLineAfterLines(stmt: GoNode, code: string): RuleEdit {
  const text = stmt.source.text;
  const newline = text.indexOf('\n', stmt.end);
  if (newline < 0) return insertLineAfter(stmt, code);
  return { span: { source: stmt.source, start: newline + 1, end: newline + 1 }, newText: `${lineAround(stmt).indent}${code}${eolOf(stmt)}` };
}

/**
 * Inserts `code` as the first statement of a block whose `{` ends its line (a comment may follow
 * it) and whose `}` has its line to itself, one tab deeper than the `}`. Undefined for one-line blocks.
 */
export function insertFirstInBlock(block: GoNode, code: string): RuleEdit | undefined {
  const open = block.children[0];
  const close = block.children.at(-1);
  if (open?.type !== '{' || close?.type !== '}') return undefined;
  const text = block.source.text;
  const openLine = lineAround(open);
  const rest = text.slice(open.end, openLine.end).trim();
  if ((rest !== '' && !rest.startsWith('//')) || openLine.end > close.start) return undefined;
  const closeLine = lineAround(close);
  if (text.slice(closeLine.start, close.start).trim() !== '') return undefined;
  return { span: { source: block.source, start: openLine.end, end: openLine.end }, newText: `${closeLine.indent}\t${code}${eolOf(block)}` };
}

/**
 * Deletes a statement that owns its lines. A trailing comment stays, on a line of its own; an
 * `if` (no initialiser, no else, no comments, a condition without calls or receives) left empty
 * by the deletion goes with it. Undefined when the statement shares its lines.
 */
export function deleteStatement(stmt: GoNode): RuleEdit | undefined {
  if (!ownsItsLines(stmt)) return undefined;
  const list = stmt.parent;
  const ifStmt = list?.parent?.field === 'consequence' ? list.parent.parent : undefined;
  if (
    list?.type === 'statement_list' &&
    list.children.length === 1 &&
    ifStmt?.type === 'if_statement' &&
    !ifStmt.child('initializer') &&
    !ifStmt.child('alternative') &&
    ifStmt.descendantsOfType('comment').length === 0 &&
    ifStmt.child('condition')?.descendantsOfType(['call_expression', '<-']).length === 0 &&
    ifStmt.parent?.type === 'statement_list' &&
    ownsItsLines(ifStmt) &&
    trailingComment(ifStmt) === ''
  ) {
    return deleteLines(ifStmt);
  }
  const comment = trailingComment(stmt);
  if (!comment) return deleteLines(stmt);
  const text = stmt.source.text;
  return { span: { source: stmt.source, start: stmt.start, end: text.indexOf(comment, stmt.end) }, newText: '' };
}
