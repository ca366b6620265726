import { enclosingFunction, FUNCTION_TYPES } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { launcherKey } from '../go/waitgroups';
import type { RuleContext } from '../rules/rule';
import type { GoNode } from '../syntax/node';
import { explainDefers } from './deferOrder';
import type { ExplainContext } from './markdown';
import { explainGoroutine, explainWaitGroup, type WaitGroupContext } from './waitGroups';

export interface HoverResult {
  markdown: string;
  /** The hovered node, in file offsets. */
  start: number;
  end: number;
}

const WAITGROUP_METHODS = ['Add', 'Done', 'Wait', 'Go'];

/** The deepest node of `unit` that contains `offset` (relative to the unit's text). */
function nodeAt(unit: GoNode, offset: number): GoNode {
  let found = unit;
  for (;;) {
    const child = found.children.find((c) => c.start <= offset && offset < c.end);
    if (!child) return found;
    found = child;
  }
}

/** Explains what is under the cursor: defer order, WaitGroup accounting, or a goroutine. */
export function explainAt(ctx: RuleContext, offset: number, explain: ExplainContext): HoverResult | undefined {
  const node = nodeAt(ctx.unit, offset - ctx.unit.source.base);
  const at = (n: GoNode, markdown: string | undefined): HoverResult | undefined =>
    markdown ? { markdown, start: n.source.base + n.start, end: n.source.base + n.end } : undefined;
  const wg: WaitGroupContext = { ...explain, resolver: ctx.resolver, goroutines: ctx.goroutines(), goVersion: ctx.index.goVersion };

  // X.Add / X.Done / X.Wait / X.Go, on the method or on X: the WaitGroup's accounting, from the launching function's side.
  const selector = waitGroupMethodSelector(node);
  const call = selector?.parent;
  const sync = call ? ctx.resolver.syncCall(call) : undefined;
  if (sync?.kind === 'WaitGroup' && call) {
    const side = launcherSide(call, sync.key, wg.goroutines, (g) => launcherKey(g, sync));
    if (side.fn) return at(node, explainWaitGroup(side.fn, side.key, wg));
  }
  // `defer` keyword or the deferred call's own name (not code inside a deferred literal).
  const defer = node.type === 'defer' ? node.parent : node.ancestor('defer_statement', ...FUNCTION_TYPES);
  if (defer?.type === 'defer_statement' && (node.type === 'defer' || isCalleePart(node, defer))) {
    const fn = enclosingFunction(defer);
    return fn && at(node, explainDefers(fn, explain, defer));
  }
  // A function's name or its `func` keyword.
  if ((node.type === 'func' && FUNCTION_TYPES.includes(node.parent?.type as never)) || (node.field === 'name' && FUNCTION_TYPES.includes(node.parent?.type as never))) {
    return at(node, explainDefers(node.parent!, explain));
  }
  // `go` keyword: the goroutine's side.
  if (node.type === 'go' && node.parent?.type === 'go_statement') {
    const g = wg.goroutines.find((x) => x.launch === node.parent);
    return g && at(node, explainGoroutine(g, wg));
  }
  return undefined;
}

/** The `X.Add` of a call `X.Add(…)` (or Done, Wait, Go) whose method name or receiver `X` holds `node`. */
function waitGroupMethodSelector(node: GoNode): GoNode | undefined {
  let inner = node;
  for (let up = node.parent; up?.type === 'selector_expression'; inner = up, up = up.parent) {
    const method = up.child('field');
    const isCallee = up.field === 'function' && up.parent?.type === 'call_expression';
    if (isCallee && method && WAITGROUP_METHODS.includes(method.text) && (inner === method || inner.field === 'operand')) return up;
  }
  return undefined;
}

/** Whether `node` is part of the deferred call's callee (`f.Close` in `defer f.Close()`). */
function isCalleePart(node: GoNode, defer: GoNode): boolean {
  const callee = defer.named.find((c) => c.type === 'call_expression')?.child('function');
  return !!callee && callee.type !== 'func_literal' && (callee === node || callee.isAncestorOf(node));
}

/** For a call inside a goroutine literal, the function that launched it and the key it knows the WaitGroup by. */
function launcherSide(call: GoNode, key: string, goroutines: Goroutine[], keyInLauncher: (g: Goroutine) => string | undefined): { fn: GoNode | undefined; key: string } {
  const fn = enclosingFunction(call);
  const g = goroutines.find((x) => x.fn === fn);
  const mapped = g && keyInLauncher(g);
  return g && mapped ? { fn: g.launcher, key: mapped } : { fn, key };
}
