import type { GoNode } from '../syntax/node';
import { FUNCTION_TYPES, isUnconditionalLoop, loopCanExit, ownDescendants } from './functions';
import { keyOf, type Resolver, type SyncCall } from './resolve';

/** The call a `defer` (or `go`) statement registers. */
export function deferredCall(stmt: GoNode): GoNode | undefined {
  return stmt.named.find((c) => c.type === 'call_expression');
}

/** The function literal a `defer` or `go` statement calls, when it calls one. */
export function deferredLiteral(stmt: GoNode): GoNode | undefined {
  const fn = deferredCall(stmt)?.child('function');
  return fn?.type === 'func_literal' ? fn : undefined;
}

/**
 * The calls that run at exit because of a `defer`: the deferred call itself, or for a deferred
 * function literal the calls its body makes (outside further literals).
 */
export function callsAtExit(defer: GoNode): GoNode[] {
  const literal = deferredLiteral(defer);
  if (literal) return ownDescendants(literal.child('body') ?? literal, 'call_expression');
  const call = deferredCall(defer);
  return call ? [call] : [];
}

/** The `defer` statements a function registers itself (not those of nested literals), in source order. */
export function defersOf(fn: GoNode): GoNode[] {
  const body = fn.child('body');
  return body ? ownDescendants(body, 'defer_statement') : [];
}

/** Mutex and RWMutex calls a `defer` makes at exit (`defer mu.Unlock()`, `defer func() { mu.Unlock() }()`). */
export function deferredLockCalls(defer: GoNode, resolver: Resolver): SyncCall[] {
  return callsAtExit(defer)
    .map((call) => resolver.syncCall(call))
    .filter((s): s is SyncCall => s?.kind === 'Mutex' || s?.kind === 'RWMutex');
}

/** The release that matches an acquire: Lock → Unlock, RLock → RUnlock. */
export function releaseOf(acquire: string): string | undefined {
  return acquire === 'Lock' ? 'Unlock' : acquire === 'RLock' ? 'RUnlock' : undefined;
}

/**
 * The outermost `for { ... }` around `node` in its own function that nothing leaves (no return,
 * no break to it, no goto, no terminating call): a `defer` inside it never runs.
 */
export function endlessLoopAround(node: GoNode): GoNode | undefined {
  let found: GoNode | undefined;
  for (let n = node.parent; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) {
    if (n.type === 'for_statement' && isUnconditionalLoop(n) && !loopCanExit(n)) found = n;
  }
  return found;
}

/** Writers that buffer into the writer they wrap, by import path. */
const WRAPPING_WRITERS: Record<string, string[]> = {
  bufio: ['NewWriter', 'NewWriterSize'],
  'compress/gzip': ['NewWriter', 'NewWriterLevel'],
  'compress/zlib': ['NewWriter', 'NewWriterLevel'],
  'compress/flate': ['NewWriter'],
  'encoding/csv': ['NewWriter'],
  'archive/tar': ['NewWriter'],
  'archive/zip': ['NewWriter'],
};

/** For `w.Flush()`/`w.Close()` where `w := bufio.NewWriter(f)` (or another wrapping writer): the key of `f`. */
export function wrappedWriter(call: GoNode, resolver: Resolver): string | undefined {
  const fn = call.child('function');
  const method = fn?.child('field')?.text;
  const writer = fn?.type === 'selector_expression' ? fn.child('operand') : undefined;
  if ((method !== 'Flush' && method !== 'Close') || writer?.type !== 'identifier') return undefined;
  const value = resolver.declarationOf(writer)?.value;
  const constructor = value?.type === 'call_expression' ? value.child('function') : undefined;
  const wraps = Object.entries(WRAPPING_WRITERS).some(([path, names]) => resolver.imports.isPackageFunc(constructor, path, names));
  const target = wraps ? value?.child('arguments')?.named[0] : undefined;
  return target && keyOf(target);
}
