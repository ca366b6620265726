import { branchTarget, enclosingFunction, FUNCTION_TYPES } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import type { Resolver, SyncCall } from '../go/resolve';
import { countedOn, countingAdd, launcherKey } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';

/**
 * How many goroutines something stands for, as the code reads: a constant plus symbolic terms
 * (`len(urls)` → 1, `len(a)*len(b)` → 2), or undefined when it cannot be read.
 */
export interface Count {
  constant: number;
  terms: Map<string, number>;
}

/** The WaitGroup a goroutine is counted on, and the Add that counts it (none for `X.Go`). */
export function countedBy(g: Goroutine, resolver: Resolver): { key: string; add?: SyncCall } | undefined {
  const counted = countedOn(g, resolver);
  if (counted) return counted;
  const add = countingAdd(g.launch, resolver);
  return add && { key: add.key, add };
}

const BRANCHES = ['if_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'];
const INT_TYPE = /^u?int(8|16|32|64)?$/;

/**
 * How many times `launch` runs each time `anchor` runs: the product of the loops around the
 * launch that are not around the anchor. Undefined when a branch around the launch, a loop that
 * may skip or leave iterations, or a loop whose count is not written in the code stands between.
 */
export function timesAround(launch: GoNode, anchor: GoNode, resolver: Resolver): Count | undefined {
  let coefficient = 1;
  const factors: string[] = [];
  for (let n = launch.parent; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) {
    if (n.isAncestorOf(anchor)) break;
    if (BRANCHES.includes(n.type)) return undefined;
    if (n.type !== 'for_statement') continue;
    const factor = loopFactor(n, resolver);
    if (factor === undefined || skipsIterations(n)) return undefined;
    if (typeof factor === 'number') coefficient *= factor;
    else factors.push(factor);
  }
  return coefficient === 0 ? { constant: 0, terms: new Map() } : factors.length === 0 ? { constant: coefficient, terms: new Map() } : { constant: 0, terms: new Map([[factors.reverse().join('*'), coefficient]]) };
}

export function sum(counts: (Count | undefined)[]): Count | undefined {
  const total: Count = { constant: 0, terms: new Map() };
  for (const c of counts) {
    if (!c) return undefined;
    total.constant += c.constant;
    for (const [term, k] of c.terms) total.terms.set(term, (total.terms.get(term) ?? 0) + k);
  }
  return total;
}

/** `3`, `len(urls)`, `2*len(urls) + 1`. */
export function formatCount(c: Count): string {
  const parts = [...c.terms].map(([term, k]) => (k === 1 ? term : `${k}*${term}`));
  if (c.constant !== 0 || parts.length === 0) parts.push(String(c.constant));
  return parts.join(' + ');
}

/** Whether a count is exactly one (for "goroutine" versus "goroutines"). */
export function isOne(c: Count): boolean {
  return c.constant === 1 && c.terms.size === 0;
}

/** The iterations of a loop as Go text: `len(xs)` over a slice, array or map, `n` of `for range n` or `for i := 0; i < n; i++`. */
function loopFactor(loop: GoNode, resolver: Resolver): number | string | undefined {
  const range = loop.named.find((c) => c.type === 'range_clause');
  if (range) {
    const over = range.child('right');
    if (!over) return undefined;
    if (over.type === 'int_literal') return intValue(over.text);
    const type = resolver.typeOf(over);
    if (type?.kind === 'slice' || type?.kind === 'array' || type?.kind === 'map') return `len(${oneLine(over.text)})`;
    return !type && isIntExpression(over, resolver) ? oneLine(over.text) : undefined;
  }
  const clause = loop.named.find((c) => c.type === 'for_clause');
  const init = clause?.child('initializer');
  const condition = clause?.child('condition');
  const update = clause?.child('update');
  const variable = init?.type === 'short_var_declaration' ? init.child('left')?.named : undefined;
  const from = init?.child('right')?.named;
  if (variable?.length !== 1 || from?.length !== 1 || from[0].text !== '0') return undefined;
  const name = variable[0].text;
  if (condition?.type !== 'binary_expression' || condition.child('left')?.text !== name || condition.child('operator')?.text !== '<') return undefined;
  if (update?.type !== 'inc_statement' || update.named[0]?.text !== name) return undefined;
  const bound = condition.child('right')!;
  return bound.type === 'int_literal' ? intValue(bound.text) : oneLine(bound.text);
}

/** An integer-valued expression: `len(...)`, or a name declared with an integer type or value. */
function isIntExpression(expr: GoNode, resolver: Resolver): boolean {
  if (expr.type === 'call_expression') return expr.child('function')?.text === 'len';
  if (expr.type !== 'identifier') return false;
  const decl = resolver.declarationOf(expr);
  if (!decl || decl.kind === 'range') return false;
  if (decl.type) return INT_TYPE.test(decl.type.text);
  return !!decl.value && decl.valueIndex === undefined && (decl.value.type === 'int_literal' || isIntExpression(decl.value, resolver));
}

/** Whether an iteration may end before reaching the statements after a `continue`, or the loop stop early. */
function skipsIterations(loop: GoNode): boolean {
  for (const n of loop.descendants((x) => x.type === 'func_literal')) {
    if (n.type === 'return_statement' || n.type === 'goto_statement') return true;
    if ((n.type === 'break_statement' || n.type === 'continue_statement') && (branchTarget(n) === loop || n.named.length > 0)) return true;
  }
  return false;
}

function intValue(text: string): number | undefined {
  const n = Number(text.replace(/_/g, ''));
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export function oneLine(text: string, max = 40): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * For a WaitGroup call inside a goroutine literal that the launcher counts on the same object,
 * the launching function, the key it knows the WaitGroup by and the launch (`go func() { wg.Wait(); close(ch) }()`);
 * otherwise the call's own function.
 */
export function launcherSide(call: GoNode, sync: SyncCall, goroutines: Goroutine[]): { fn: GoNode | undefined; key: string; anchor: GoNode } {
  const fn = enclosingFunction(call);
  const g = goroutines.find((x) => x.fn === fn);
  const mapped = g && launcherKey(g, sync);
  return g && mapped ? { fn: g.launcher, key: mapped, anchor: g.launch } : { fn, key: sync.key, anchor: call };
}
