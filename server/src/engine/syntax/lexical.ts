// Go's lexical skeleton, for passes over source text that run instead of a parse.
import type { FileText } from './fileText';

/**
 * Where the string, rune or raw-string literal or the comment starting at `i` ends: the offset
 * of its last character, or -1 when none starts at `i`. Unterminated ones end with the text
 * (raw strings, block comments) or their line (the others).
 */
function literalOrCommentEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22 /* " */ || c === 0x27 /* ' */) return quotedEnd(text, i, c);
  if (c === 0x60 /* ` */) return endOf(text, '`', i + 1);
  if (c === 0x2f /* / */) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x2f) {
      const newline = text.indexOf('\n', i + 2);
      return newline < 0 ? text.length - 1 : newline - 1;
    }
    if (next === 0x2a) return endOf(text, '*/', i + 2);
  }
  return -1;
}

/** The first offset at or after `i` that is code: outside literals and comments (the text's length when none is). */
function codeAt(text: string, i: number): number {
  for (let end = literalOrCommentEnd(text, i); end >= 0; end = literalOrCommentEnd(text, i)) i = end + 1;
  return i;
}

/** The offset of the last character of the next `close` at or after `from` (the text's last offset when there is none). */
function endOf(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from);
  return at < 0 ? text.length - 1 : at + close.length - 1;
}

function quotedEnd(text: string, open: number, quote: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === quote) return i;
    else if (c === 0x0a) return i - 1;
  }
  return text.length - 1;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c >= 0x80;
}

/** Whether the `{` at `brace` opens a struct or interface type rather than a block. */
function opensTypeBody(text: string, brace: number): boolean {
  return /\b(?:struct|interface)\s*$/.test(text.slice(Math.max(0, brace - 16), brace));
}

/** What declarationSkeleton stops at: a literal or comment start, a bracket, a line end, a keyword starting a line. */
const SKELETON_TOKENS = /["'`/()[\]{}\n]|(?<![^\n])(?:func|const|var|type|import)(?![\w\x80-\uffff])/g;
/** What matchingBrace stops at. */
const BRACE_TOKENS = /["'`/{}]/g;
/**
 * Literals longer than this (tables, embedded data) are blanked too: the package index keeps no
 * initialiser this long (MAX_INITIALISER in go/facts.ts), and they are most of what is left to parse.
 */
const LONG_LITERAL = 400;

/**
 * `text` with what the package index does not read blanked (spaces; line breaks kept): the
 * bodies of top-level functions, string literals of constant declarations (embedded data), and
 * string and composite literals over LONG_LITERAL characters. Offsets, lines and the structure
 * of declarations are unchanged, and tree-sitter parses the rest in under a third of the time.
 * Jumps from token to token with a regular expression: a scan runs it over half of a workspace.
 */
export function declarationSkeleton(text: string): string {
  const pieces: string[] = [];
  let copied = 0;
  /** Blanks the text strictly between `open` and `close`. */
  const blank = (open: number, close: number) => {
    pieces.push(text.slice(copied, open + 1), text.slice(open + 1, close).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)));
    copied = close;
    tokens.lastIndex = close + 1;
  };
  let depth = 0;
  /** A top-level `func` was seen on this line and its body has not opened yet. */
  let inSignature = false;
  /** Within a top-level `const` declaration (the index reads none). */
  let inConst = false;
  const tokens = SKELETON_TOKENS;
  tokens.lastIndex = 0;
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    const end = literalOrCommentEnd(text, i);
    if (end >= 0) {
      const terminatedString = (c === 0x22 || c === 0x60) && end > i && text.charCodeAt(end) === c;
      if (terminatedString && (inConst || end - i > LONG_LITERAL)) blank(i, end);
      else tokens.lastIndex = end + 1;
    } else if (c === 0x7b /* { */ && !opensTypeBody(text, i)) {
      const body = inSignature && depth === 0;
      const close = matchingBrace(text, i);
      if (close < 0) break; // unterminated: leave the rest as it is
      if (body || close - i > LONG_LITERAL) {
        blank(i, close);
        if (body) inSignature = false;
      } else depth++;
    } else if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x29 || c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
    else if (c === 0x0a) {
      if (depth === 0) inSignature = false;
    } else if (m[0].length > 1 && depth === 0) {
      inSignature = m[0] === 'func';
      inConst = m[0] === 'const';
    }
  }
  if (copied === 0) return text;
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** The offset of the `}` closing the `{` at `open`, or -1. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  const tokens = BRACE_TOKENS;
  tokens.lastIndex = open;
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    const i = m.index;
    const end = literalOrCommentEnd(text, i);
    if (end >= 0) tokens.lastIndex = end + 1;
    else if (text.charCodeAt(i) === 0x7b) depth++;
    else if (text.charCodeAt(i) === 0x7d && --depth === 0) return i;
  }
  return -1;
}

/**
 * How deep function bodies nest in Go source, from tokens alone (one pass, no parse): a `{` is a
 * body when `func` came before it at the same bracket level with no statement end between, and it
 * opens no struct or interface type. A composite literal of funcs (`[]func(){...}`) counts as one
 * more level.
 */
export function functionNesting(text: string): number {
  const opened: boolean[] = []; // per open bracket: whether it is a function body
  const funcPending: boolean[] = [false]; // per bracket level: `func` seen, its body not yet opened
  let depth = 0;
  let deepest = 0;
  for (let i = codeAt(text, 0); i < text.length; i = codeAt(text, i + 1)) {
    const c = text.charCodeAt(i);
    const level = opened.length;
    switch (c) {
      case 0x0a /* newline */:
      case 0x3b /* ; */:
        funcPending[level] = false;
        break;
      case 0x28 /* ( */:
      case 0x5b /* [ */:
      case 0x7b /* { */: {
        // `func() struct{ x int } {`: the result type's brace leaves the body to come.
        const body = c === 0x7b && funcPending[level] && !opensTypeBody(text, i);
        if (body) funcPending[level] = false;
        funcPending[level + 1] = false;
        opened.push(body);
        if (body) deepest = Math.max(deepest, ++depth);
        break;
      }
      case 0x29 /* ) */:
      case 0x5d /* ] */:
      case 0x7d /* } */:
        if (opened.pop()) depth--;
        break;
      case 0x66 /* f */:
        if (text.startsWith('func', i) && !isIdentifierChar(text.charCodeAt(i - 1)) && !isIdentifierChar(text.charCodeAt(i + 4))) funcPending[level] = true;
        break;
    }
  }
  return deepest;
}

const CLOSER: Record<number, number> = { 0x28: 0x29, 0x5b: 0x5d, 0x7b: 0x7d };

/**
 * Whether every bracket of `text` outside literals and comments is closed by its own kind, in
 * order, and no raw string or block comment is left open: text that tree-sitter parses without
 * its error spilling past the end. Tokens alone, no parse.
 */
export function bracketsBalanced(text: string): boolean {
  const expected: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const end = literalOrCommentEnd(text, i);
    if (end >= 0) {
      if (leftOpen(text, i, end)) return false;
      i = end;
      continue;
    }
    const c = text.charCodeAt(i);
    if (CLOSER[c] !== undefined) expected.push(CLOSER[c]);
    else if ((c === 0x29 || c === 0x5d || c === 0x7d) && expected.pop() !== c) return false;
  }
  return expected.length === 0;
}

/** Whether the raw string or block comment from `start` to `end` (see literalOrCommentEnd) runs on to the end of the text unclosed. */
function leftOpen(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(start) === 0x60) return end === start || text.charCodeAt(end) !== 0x60;
  return text.charCodeAt(start) === 0x2f && text.charCodeAt(start + 1) === 0x2a && (end < start + 3 || !text.startsWith('*/', end - 1));
}

/** What multiLineLiterals stops at: where a literal or comment may start. */
const LITERAL_OPENERS = /["'`/]/g;

/**
 * The raw strings and block comments that run over a line break, as Go's lexer reads them:
 * [start, end) spans, in order. Tree-sitter may recover from a stray "`" or "/*" by skipping it
 * and parse the lines after it as code, where Go reads them as part of the literal or comment.
 * A document's text is read chunk by chunk, never joined: chunks end with line breaks, so only
 * raw strings and block comments run from one chunk into the next.
 */
export function multiLineLiterals(text: FileText): [number, number][] {
  const spans: [number, number][] = [];
  const chunkFrom = (at: number) => (typeof text === 'string' ? (at === 0 ? text : '') : text.chunkFrom(at));
  let base = 0;
  let chunk = chunkFrom(0);
  LITERAL_OPENERS.lastIndex = 0;
  while (chunk.length > 0) {
    const m = LITERAL_OPENERS.exec(chunk);
    if (!m) {
      base += chunk.length;
      chunk = chunkFrom(base);
      LITERAL_OPENERS.lastIndex = 0;
      continue;
    }
    const start = m.index;
    const end = literalOrCommentEnd(chunk, start);
    if (end < 0) continue; // a division
    const next = base + chunk.length;
    if (leftOpen(chunk, start, end) && next < text.length) {
      // It goes on into the next chunks: its closer is in one of them, or it runs to the end of the text.
      const closer = chunk.charCodeAt(start) === 0x60 ? '`' : '*/';
      const opened = base + start;
      base = next;
      chunk = chunkFrom(base);
      for (let at = chunk.indexOf(closer); at < 0 && chunk.length > 0; at = chunk.indexOf(closer)) {
        base += chunk.length;
        chunk = chunkFrom(base);
      }
      LITERAL_OPENERS.lastIndex = chunk.length > 0 ? chunk.indexOf(closer) + closer.length : 0;
      spans.push([opened, chunk.length > 0 ? base + LITERAL_OPENERS.lastIndex : text.length]);
      continue;
    }
    const newline = chunk.indexOf('\n', start);
    if (newline >= 0 && newline < end) spans.push([base + start, base + end + 1]);
    LITERAL_OPENERS.lastIndex = end + 1;
  }
  return spans;
}
