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
