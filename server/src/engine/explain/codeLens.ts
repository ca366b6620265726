import { uniqueBy } from '../util';
import type { Finding } from '../analyzer';
import type { Goroutine } from '../go/goroutines';
import { bodyDones } from '../go/waitgroups';
import { ruleById } from '../rules/registry';
import type { RuleContext } from '../rules/rule';
import type { GoNode } from '../syntax/node';
import { countedBy, formatCount, isOne, sum, timesAround } from './counts';
import { placesText, type ExplainContext } from './markdown';

/** A place a code lens points at, in file offsets (a goroutine body may live in another file). */
export interface LensLocation {
  path: string;
  start: number;
  end: number;
}

/** A code lens above a function: its title and the lines a click reveals. */
export interface CodeLensInfo {
  /** The function's name (or `func` keyword of a literal), in file offsets. */
  start: number;
  end: number;
  title: string;
  locations: LensLocation[];
}

const LAUNCHES = /\bgo\s|\.Go\s*\(/;

/**
 * One lens per WaitGroup above each function of the unit that starts goroutines counted on it:
 * `3 goroutines counted by wg · Wait at line 48 · all Done deferred`; when a rule fired in that
 * function (`findings`, settings applied), the rule's title instead, revealing the finding's lines.
 */
export function codeLensesIn(ctx: RuleContext, explain: ExplainContext, findings: readonly Finding[]): CodeLensInfo[] {
  if (!LAUNCHES.test(ctx.unit.source.text)) return [];
  const byLauncher = new Map<GoNode, Map<string, Goroutine[]>>();
  for (const g of ctx.goroutines()) {
    const key = countedBy(g, ctx.resolver)?.key;
    if (!key) continue;
    let keys = byLauncher.get(g.launcher);
    if (!keys) byLauncher.set(g.launcher, (keys = new Map()));
    keys.set(key, [...(keys.get(key) ?? []), g]);
  }
  const lenses: CodeLensInfo[] = [];
  const base = ctx.unit.source.base;
  const at = (n: GoNode): LensLocation => ({ path: n.source.path, start: n.source.base + n.start, end: n.source.base + n.end });
  for (const [fn, keys] of byLauncher) {
    const head = fn.child('name') ?? fn.children[0];
    const range = { start: base + head.start, end: base + head.end };
    const fired = findings.filter((f) => f.path === ctx.path && f.start >= base + fn.start && f.end <= base + fn.end);
    if (fired.length > 0) {
      const titles = [...new Set(fired.map((f) => ruleById(f.rule)?.title ?? f.rule))];
      const more = fired.length - 1;
      const locations = fired.flatMap((f) => [{ path: f.path, start: f.start, end: f.end }, ...f.related.map((r) => ({ path: r.path, start: r.start, end: r.end }))]);
      lenses.push({ ...range, title: `${titles[0]}${more > 0 ? ` (+${more} more)` : ''}`, locations });
      continue;
    }
    for (const [key, counted] of keys) lenses.push({ ...range, ...summary(fn, key, counted, ctx, explain, at) });
  }
  return lenses;
}

function summary(fn: GoNode, key: string, counted: Goroutine[], ctx: RuleContext, explain: ExplainContext, at: (n: GoNode) => LensLocation): { title: string; locations: LensLocation[] } {
  const locations: LensLocation[] = [];
  const count = sum(counted.map((g) => timesAround(g.launch, fn, ctx.resolver)));
  const parts = [
    count
      ? `${formatCount(count)} goroutine${isOne(count) ? '' : 's'} counted by ${key}`
      : `goroutines started on ${placesText(counted.map((g) => g.launch), explain)} counted by ${key}`,
  ];
  const adds = new Set<GoNode>();
  for (const g of counted) {
    locations.push(at(g.launch.type === 'go_statement' ? g.launch.children[0] : g.launch));
    const add = countedBy(g, ctx.resolver)?.add;
    if (add && !adds.has(add.call)) {
      adds.add(add.call);
      locations.push(at(add.call));
    }
  }
  const waits = fn.descendantsOfType('call_expression').filter((c) => {
    const s = ctx.resolver.syncCall(c);
    return s?.kind === 'WaitGroup' && s.method === 'Wait' && s.key === key;
  });
  parts.push(waits.length === 0 ? `no ${key}.Wait()` : `Wait at ${placesText(waits, explain)}`);
  const missing: GoNode[] = [];
  const notDeferred: GoNode[] = [];
  let byGo = 0;
  for (const g of counted) {
    if (g.counter) {
      byGo++;
      continue;
    }
    const dones = bodyDones(g, key);
    if (dones.length === 0) missing.push(g.launch);
    for (const d of dones) {
      locations.push(at(d.sync.call));
      if (d.sync.call.ancestor('defer_statement', 'func_literal')?.type !== 'defer_statement') notDeferred.push(d.sync.call);
    }
  }
  if (missing.length > 0) parts.push(`no Done in the goroutine${missing.length === 1 ? '' : 's'} of ${placesText(missing, explain)}`);
  else if (notDeferred.length > 0) parts.push(`Done not deferred at ${placesText(notDeferred, explain)}`);
  else parts.push(byGo === counted.length ? `Done by ${key}.Go` : 'all Done deferred');
  locations.push(...waits.map(at));
  return { title: parts.join(' · '), locations: dedupe(locations) };
}

function dedupe(locations: LensLocation[]): LensLocation[] {
  return uniqueBy(locations, (l) => `${l.path}:${l.start}:${l.end}`).sort((a, b) => (a.path === b.path ? a.start - b.start : a.path.localeCompare(b.path)));
}
