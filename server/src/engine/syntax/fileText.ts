/**
 * A file's text as the engine reads it: a string (the CLI, the workspace scan), or a document
 * being edited, kept in chunks. Both answer `length`, `slice` and `charCodeAt` alike.
 */
export type FileText = string | ChunkedText;

/** The text as one string; a ChunkedText joins its chunks once. For whole-file regular expressions, off the keystroke path. */
export function flatText(text: FileText): string {
  return typeof text === 'string' ? text : text.toString();
}

/** Whether `pattern` occurs in `text`. A ChunkedText is tested chunk by chunk: the pattern must not match past a line feed. */
export function occursIn(pattern: RegExp, text: FileText): boolean {
  return typeof text === 'string' ? pattern.test(text) : text.someLine(pattern);
}

/** Chunks are cut after a line break near this size... */
const CHUNK_CHARS = 16 * 1024;
/**
 * ...and never exceed this one unless a single line does. V8 allocates a string of more than
 * 128 KB (64 K two-byte characters) as a large object: each one costs a fresh memory mapping,
 * about 0.8 ms for a 250 KB document here, where a 30 KB string costs 10 µs.
 */
const MAX_CHUNK_CHARS = 32 * 1024;

/**
 * The text of a document being edited, as immutable chunks that each end with a line break
 * (but the last). An edit copies the chunk it touches and no more: a whole-document string
 * per keystroke would be a large-object allocation every time.
 */
export class ChunkedText {
  readonly length: number;
  private joined: string | undefined;
  /** The chunk of the last read: reads come in runs within one chunk. */
  private lastRead = 0;

  private constructor(
    private readonly chunks: readonly string[],
    /** Offset of each chunk's first character. */
    private readonly starts: readonly number[],
    /** Line feeds in each chunk: tree-sitter's rows. */
    private readonly feeds: readonly number[],
  ) {
    this.length = chunks.length === 0 ? 0 : starts[starts.length - 1] + chunks[chunks.length - 1].length;
  }

  static of(text: string): ChunkedText {
    return ChunkedText.from(cut(text));
  }

  private static from(chunks: string[]): ChunkedText {
    const starts: number[] = [];
    const feeds: number[] = [];
    let at = 0;
    for (const chunk of chunks) {
      starts.push(at);
      feeds.push(lineFeeds(chunk, 0, chunk.length));
      at += chunk.length;
    }
    return new ChunkedText(chunks, starts, feeds);
  }

  /** The text with [start, end) replaced by `inserted`. */
  edit(start: number, end: number, inserted: string): ChunkedText {
    if (this.chunks.length === 0) return ChunkedText.of(inserted);
    const first = this.chunkAt(start);
    const last = this.chunkAt(end);
    // The chunk holding `end` ends with a line break past it (or ends the text), and `first` starts
    // a line: the replacement keeps every chunk ending with a line break.
    const replaced = this.chunks[first].slice(0, start - this.starts[first]) + inserted + this.chunks[last].slice(end - this.starts[last]);
    const pieces = replaced.length > MAX_CHUNK_CHARS ? cut(replaced) : replaced.length > 0 ? [replaced] : [];
    const chunks = [...this.chunks.slice(0, first), ...pieces, ...this.chunks.slice(last + 1)];
    // Keep the count of chunks in step with the length: a small piece joins its predecessor.
    if (pieces.length === 1 && first > 0 && replaced.length < CHUNK_CHARS / 4 && chunks[first - 1].length + replaced.length <= MAX_CHUNK_CHARS) {
      chunks.splice(first - 1, 2, chunks[first - 1] + replaced);
    }
    const starts: number[] = [];
    const feeds: number[] = [];
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      starts.push(at);
      at += chunks[i].length;
      // Untouched chunks keep their count; they are the same strings.
      const old = i < first - 1 ? i : i >= chunks.length - (this.chunks.length - last - 1) ? i - chunks.length + this.chunks.length : -1;
      feeds.push(old >= 0 ? this.feeds[old] : lineFeeds(chunks[i], 0, chunks[i].length));
    }
    return new ChunkedText(chunks, starts, feeds);
  }

  slice(start = 0, end = this.length): string {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    if (start === end) return '';
    let i = this.chunkAt(start);
    const from = start - this.starts[i];
    if (end <= this.starts[i] + this.chunks[i].length) return this.chunks[i].slice(from, end - this.starts[i]);
    let result = this.chunks[i].slice(from);
    while (this.starts[++i] + this.chunks[i].length < end) result += this.chunks[i];
    return result + this.chunks[i].slice(0, end - this.starts[i]);
  }

  charCodeAt(index: number): number {
    if (!(index >= 0 && index < this.length)) return NaN;
    const i = this.chunkAt(index);
    return this.chunks[i].charCodeAt(index - this.starts[i]);
  }

  /** The text from `index` to the end of its chunk ('' at the end): tree-sitter's input callback. */
  chunkFrom(index: number): string {
    if (index >= this.length) return '';
    const i = this.chunkAt(index);
    return this.chunks[i].slice(index - this.starts[i]);
  }

  /** Tree-sitter's point of an offset: rows count line feeds only, columns are UTF-16 code units. */
  point(offset: number): { row: number; column: number } {
    offset = Math.max(0, Math.min(offset, this.length));
    const i = this.chunks.length === 0 ? 0 : this.chunkAt(offset);
    let row = 0;
    for (let k = 0; k < i; k++) row += this.feeds[k];
    const chunk = this.chunks[i] ?? '';
    const within = offset - (this.starts[i] ?? 0);
    row += lineFeeds(chunk, 0, within);
    const lineStart = chunk.lastIndexOf('\n', within - 1);
    // Chunks start lines, so a line never begins in an earlier chunk.
    return { row, column: lineStart < 0 || within === 0 ? within : within - lineStart - 1 };
  }

  /** Whether `pattern` matches within one chunk; chunks end after a line feed. */
  someLine(pattern: RegExp): boolean {
    return this.chunks.some((chunk) => pattern.test(chunk));
  }

  toString(): string {
    return (this.joined ??= this.chunks.join(''));
  }

  /** The chunk holding `offset`; the last chunk for the end of the text. */
  private chunkAt(offset: number): number {
    const last = this.lastRead;
    if (offset >= this.starts[last] && offset < this.starts[last] + this.chunks[last].length) return last;
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastRead = lo);
  }
}

/** `text` in chunks of whole lines, each of about CHUNK_CHARS (longer only for a longer line). */
function cut(text: string): string[] {
  const chunks: string[] = [];
  let from = 0;
  while (text.length - from > MAX_CHUNK_CHARS) {
    let to = text.lastIndexOf('\n', from + CHUNK_CHARS - 1) + 1;
    if (to <= from) to = text.indexOf('\n', from + CHUNK_CHARS) + 1 || text.length;
    chunks.push(text.slice(from, to));
    from = to;
  }
  if (from < text.length) chunks.push(from === 0 ? text : text.slice(from));
  return chunks;
}

function lineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
