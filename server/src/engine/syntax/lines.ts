import { flatText, type FileText } from './fileText';

/** More inserted lines than this are indexed by a rescan (a spread of so many arguments could overflow the stack). */
const MAX_SPLICED_LINES = 10_000;

/** Converts UTF-16 offsets to zero-based line/character positions and back. */
export class LineIndex {
  private lineStarts: number[];

  constructor(private text: FileText) {
    this.lineStarts = [0].concat(lineStartsIn(text, 0, text.length));
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /**
   * Follows an edit that replaced [start, end) of the text with `inserted`; `text` is the result.
   * Only the edited lines are re-read (a keystroke in a large file costs no rescan), unless the
   * edit may join or split a \r\n pair: after a \r, or inserting a \r before a \n.
   */
  edit(start: number, end: number, inserted: string, text: FileText): void {
    const old = this.text;
    this.text = text;
    const added = lineStartsIn(text, start, start + inserted.length);
    const pairAtEnd = inserted.charCodeAt(inserted.length - 1) === 13 && old.charCodeAt(end) === 10;
    if (old.charCodeAt(start - 1) === 13 || pairAtEnd || added.length > MAX_SPLICED_LINES) {
      // A rare full rescan reads one string: character by character, chunks cost a lookup each.
      const whole = flatText(text);
      this.lineStarts = [0].concat(lineStartsIn(whole, 0, whole.length));
      return;
    }
    // Line starts up to `start` stay; those inside the replaced text go; those after it shift.
    const first = this.firstStartAfter(start);
    const last = this.firstStartAfter(end);
    const delta = inserted.length - (end - start);
    this.lineStarts.splice(first, last - first, ...added);
    for (let i = first + added.length; i < this.lineStarts.length; i++) this.lineStarts[i] += delta;
  }

  position(offset: number): { line: number; character: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.firstStartAfter(clamped) - 1;
    return { line, character: clamped - this.lineStarts[line] };
  }

  /** A character past the end of its line stops before the line break (as in LSP's TextDocument). */
  offset(position: { line: number; character: number }): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, position.line)];
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    let offset = Math.min(start + Math.max(0, position.character), next);
    while (offset > start && isLineBreak(this.text.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Index of the first line start greater than `offset` (the line count when none is). */
  private firstStartAfter(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Offsets just after each line break in text[from, to). LSP lines end at \r\n, \n or a lone \r.
 * A character loop: a regex would allocate a match per line.
 */
function lineStartsIn(text: FileText, from: number, to: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}
