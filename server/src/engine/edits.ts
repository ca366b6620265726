import type { Finding, FindingFix } from './analyzer';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** Applies edits that do not overlap (given in any order) to `text`. */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start < b.end && b.start < a.end || (a.start === b.start && a.end === b.end);
}

/**
 * The preferred fixes of `findings` whose edits stay inside `path` and do not overlap one another
 * (first come, first kept): one round of fix-all. Callers re-analyse and repeat until none is left.
 */
export function compatibleFixes(findings: readonly Finding[], path: string): FindingFix[] {
  const chosen: FindingFix[] = [];
  const taken: OffsetEdit[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.preferred);
    if (!fix || fix.edits.some((e) => e.path !== path)) continue;
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    chosen.push(fix);
    taken.push(...fix.edits);
  }
  return chosen;
}
