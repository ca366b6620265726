/**
 * How many versions a declaration that left the file is remembered (its facts, lowered tree and
 * findings): an unclosed parenthesis can hide the rest of a file from the parser for a few
 * keystrokes, and closing it must not cost analysing all of that again.
 */
export const FORGET_AFTER_VERSIONS = 32;

/** The first of each group of items with the same key, in their original order. */
export function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A copy of `text` that does not keep alive the string it was sliced from. V8 represents a slice
 * as a view of its parent: a declaration's text remembered across edits would hold the whole
 * document of that version. Concatenation then slicing makes V8 copy the characters once.
 */
export function detached(text: string): string {
  return (' ' + text).slice(1);
}
