import { enclosingFunction } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import type { SyncCall } from '../go/resolve';
import { isDone } from '../go/waitgroups';
import type { RuleContext } from '../rules/rule';
import type { GoNode } from '../syntax/node';
import { countedBy, formatCount, isOne, launcherSide, oneLine, sum, timesAround } from './counts';
import { deferEntries, explainDefers, type DeferEntry } from './deferOrder';
import { ordinal, placesText, type ExplainContext } from './markdown';
import { explainWaitGroup } from './waitGroups';

/** An inlay hint in file offsets: shown after the code it describes. */
export interface InlayHintInfo {
  kind: 'deferOrder' | 'waitGroup';
  offset: number;
  label: string;
  /** Markdown: the hover's explanation of the same code. */
  tooltip: string;
}

export interface InlayHintOptions {
  deferOrder: boolean;
  waitGroup: boolean;
}

/** The hints of one unit whose position lies in [start, end] (file offsets). */
export function inlayHintsIn(ctx: RuleContext, start: number, end: number, explain: ExplainContext, options: InlayHintOptions): InlayHintInfo[] {
  const base = ctx.unit.source.base;
  const from = start - base;
  const to = end - base;
  const hints: InlayHintInfo[] = [];
  // Only the subtrees that reach into the range are walked.
  const inRange: GoNode[] = [];
  for (const n of ctx.unit.descendants((x) => x.end < from || x.start > to)) {
    if (n.end >= from && n.end <= to && (n.type === 'defer_statement' || n.type === 'call_expression')) inRange.push(n);
  }
  if (options.deferOrder) {
    const byFunction = new Map<GoNode, DeferEntry[]>();
    for (const defer of inRange.filter((n) => n.type === 'defer_statement')) {
      const fn = enclosingFunction(defer);
      if (!fn) continue;
      let entries = byFunction.get(fn);
      if (!entries) byFunction.set(fn, (entries = deferEntries(fn)));
      const entry = entries.find((e) => e.defer === defer);
      if (!entry || entries.length < 2) continue;
      const position = entries.length - entries.indexOf(entry);
      const label = `${entry.inLoop ? 'runs at return, once per iteration, last iteration first' : position === 1 ? 'runs 1st at return' : `runs ${ordinal(position)}`}${entry.conditional ? ', if registered' : ''}`;
      hints.push({ kind: 'deferOrder', offset: base + defer.end, label, tooltip: explainDefers(fn, explain, defer) ?? '' });
    }
  }
  if (options.waitGroup) {
    let goroutines: Goroutine[] | undefined;
    const counted = new Map<Goroutine, ReturnType<typeof countedBy>>();
    const counterOf = (g: Goroutine) => {
      if (!counted.has(g)) counted.set(g, countedBy(g, ctx.resolver));
      return counted.get(g);
    };
    for (const call of inRange) {
      if (call.type !== 'call_expression' || !/\.\s*(Add|Wait)$/.test(call.child('function')?.text ?? '')) continue;
      const sync = ctx.resolver.syncCall(call);
      if (sync?.kind !== 'WaitGroup' || (sync.method !== 'Add' && sync.method !== 'Wait') || isDone(sync)) continue;
      goroutines ??= ctx.goroutines();
      const hint = sync.method === 'Add' ? addHint(sync, goroutines, counterOf, ctx, explain) : waitHint(sync, goroutines, counterOf, ctx, explain);
      if (hint) hints.push({ kind: 'waitGroup', offset: base + call.end, ...hint });
    }
  }
  return hints.sort((a, b) => a.offset - b.offset);
}

type CounterOf = (g: Goroutine) => ReturnType<typeof countedBy>;

/** `+1 → counts 1 goroutine`, `+len(urls) → counts len(urls) goroutines`. */
function addHint(add: SyncCall, goroutines: Goroutine[], counterOf: CounterOf, ctx: RuleContext, explain: ExplainContext): { label: string; tooltip: string } | undefined {
  const counted = goroutines.filter((g) => counterOf(g)?.add?.call === add.call);
  const fn = enclosingFunction(add.call);
  if (counted.length === 0 || !fn) return undefined;
  const arg = add.call.child('arguments')?.named[0];
  const count = sum(counted.map((g) => timesAround(g.launch, add.call, ctx.resolver)));
  const what = count ? `${formatCount(count)} goroutine${isOne(count) ? '' : 's'}` : started(counted, explain);
  return { label: `+${oneLine(arg?.text ?? '?')} → counts ${what}`, tooltip: waitGroupTooltip(fn, add.key, goroutines, ctx, explain) };
}

/** `waits for 3`, `waits for len(urls)`, or `waits for the goroutines started on lines 12, 15`. */
function waitHint(wait: SyncCall, goroutines: Goroutine[], counterOf: CounterOf, ctx: RuleContext, explain: ExplainContext): { label: string; tooltip: string } | undefined {
  const side = launcherSide(wait.call, wait, goroutines);
  if (!side.fn) return undefined;
  const sameKey = (g: Goroutine) => g.launcher === side.fn && counterOf(g)?.key === side.key;
  // A Wait earlier in the function used up the goroutines started before it.
  const earlier = side.fn.descendantsOfType('call_expression').filter((c) => {
    if (c.end > side.anchor.start) return false;
    const s = ctx.resolver.syncCall(c);
    return s?.kind === 'WaitGroup' && s.method === 'Wait' && launcherSide(c, s, goroutines).key === side.key;
  });
  const after = Math.max(-1, ...earlier.map((c) => c.end));
  const counted = goroutines.filter((g) => sameKey(g) && g.launch.start > after && g.launch.start < side.anchor.start);
  if (counted.length === 0) return undefined;
  const count = sum(counted.map((g) => timesAround(g.launch, side.anchor, ctx.resolver)));
  return { label: `waits for ${count ? formatCount(count) : started(counted, explain)}`, tooltip: waitGroupTooltip(side.fn, side.key, goroutines, ctx, explain) };
}

function started(counted: Goroutine[], explain: ExplainContext): string {
  return `the goroutine${counted.length === 1 ? '' : 's'} started on ${placesText(counted.map((g) => g.launch), explain)}`;
}

function waitGroupTooltip(fn: GoNode, key: string, goroutines: Goroutine[], ctx: RuleContext, explain: ExplainContext): string {
  return explainWaitGroup(fn, key, { ...explain, resolver: ctx.resolver, goroutines, goVersion: ctx.index.goVersion });
}
