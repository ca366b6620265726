import { defersOf, deferredLockCalls, releaseOf } from '../go/defers';
import { deleteStatement, insertLineAfterLines, insertLineBefore, ownsItsLines } from '../go/edits';
import { enclosingFunction, ownDescendants, skipFuncLiterals } from '../go/functions';
import { pathsAfter, type PathEnd, type Verdict } from '../go/paths';
import { keyOf, unwrap, type Resolver, type SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import type { GoNode, Span } from '../syntax/node';
import type { Fix, Rule, RuleFinding } from './rule';

/** Calls that may release the lock for us (`s.unlockAndWake()`, `release(mu)`): paths through them are not judged. */
const RELEASING_NAME = /unlock|release/i;

export const unlockSkipped: Rule = {
  id: 'unlock-skipped',
  severity: 'warning',
  title: 'a path leaves the function with a mutex still locked',
  triggers: /\bR?Lock\s*\(/,
  docs: {
    what: '`mu.Lock()` (or `mu.RLock()`) followed by a path that leaves — `return`, `break`/`continue` out of the loop holding the lock, `goto` — before the matching `Unlock`/`RUnlock`, with no deferred unlock, when another path from that Lock releases it. Not reported: a function that never releases the lock it took (an acquire helper), a `return` that hands the lock on with its owner (`return l, nil` where `l.Unlock` releases it, or `return c.loadLocked(key)`, a method that takes the lock over), and a `panic` (an assertion crashing the program).',
    why: 'The mutex stays locked after the function returns: the next `Lock` of it — in any goroutine — blocks forever. A `continue` that skips the Unlock deadlocks at the `Lock` of the next iteration.',
    fix: 'Unlock before leaving on that path, or lock with `mu.Lock(); defer mu.Unlock()` so every path (panics included) releases it. Where the Lock opens the function body and an Unlock closes it, the quick fix writes `defer mu.Unlock()` right after the Lock and removes the explicit Unlocks (only when each is the last statement or directly followed by a `return` that calls nothing, and the function has no other defer or call on mu). Otherwise it inserts `mu.Unlock()` before the leaving statement, only when every path to it holds the lock (it follows the Lock in the same block, no loop or other `goto` between, nothing between calls on mu or is named for a release) and what the statement evaluates reads only locals and calls only package functions; it is not offered for the end of the function or a statement sharing its line.',
    bad: `package p

import (
	"errors"
	"sync"
)

type cache struct {
	mu    sync.Mutex
	items map[string]int
}

func (c *cache) get(key string) (int, error) {
	c.mu.Lock()
	v, ok := c.items[key]
	if !ok {
		return 0, errors.New("missing")
	}
	c.mu.Unlock()
	return v, nil
}
`,
    good: `package p

import (
	"errors"
	"sync"
)

type cache struct {
	mu    sync.Mutex
	items map[string]int
}

func (c *cache) get(key string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	if !ok {
		return 0, errors.New("missing")
	}
	return v, nil
}
`,
  },
  check(ctx) {
    const findings = new Map<number, RuleFinding>();
    for (const stmt of ctx.unit.descendantsOfType('expression_statement')) {
      const lock = stmt.parent?.type === 'statement_list' ? ctx.resolver.syncCall(stmt.named[0]) : undefined;
      const release = lock && (lock.kind === 'Mutex' || lock.kind === 'RWMutex') ? releaseOf(lock.method) : undefined;
      const fn = enclosingFunction(stmt);
      if (!lock || !release || !fn || !unlocksElsewhere(fn, stmt, lock.key, release, ctx.resolver)) continue;
      const ends = pathsAfter(stmt, (node) => lockVisit(node, lock, release, ctx.resolver));
      // No path from this Lock releases it: a helper that takes or lets go of the lock as told.
      if (!ends.some((end) => end.done)) continue;
      const deferred = deferFix(fn, stmt, lock, release, ctx.resolver);
      for (const end of ends) {
        // A panic is an assertion crashing the program here: the lock no longer matters.
        if (!end.pending || end.kind === 'exit' || end.kind === 'panic' || !(end.via || (!end.done && end.kind !== 'stop'))) continue;
        const at = leavingSpan(end);
        if (findings.has(at.start)) continue;
        const held = lock.method === 'RLock' ? 'read-locked' : 'locked';
        const receiver = quote(lock.receiver);
        findings.set(at.start, {
          span: at,
          message: `${leaving(end)} leaves with ${lock.key} ${held}: ${receiver}.${release}() is skipped on this path, so the next ${receiver}.Lock() deadlocks`,
          related: [{ span: firstLine(lock.call), message: `${lock.key} is ${held} here` }],
          fixes: deferred ? [deferred] : [insertFix(fn, stmt, end.via ?? end.node, lock, release, ctx.resolver)].filter((f): f is Fix => !!f),
        });
      }
    }
    return [...findings.values()];
  },
};

/**
 * Where the Lock opens the function body and an Unlock closes it (last, or just before a final
 * `return`): `defer X.Unlock()` right after the Lock, the explicit Unlocks removed. Only when each
 * of them is the function's last statement or directly followed by a `return` without calls (so
 * nothing more runs unlocked before), no other call on X and no other defer exist.
 */
function deferFix(fn: GoNode, stmt: GoNode, lock: SyncCall, release: string, resolver: Resolver): Fix | undefined {
  const list = fn.child('body')?.named.find((c) => c.type === 'statement_list');
  const stmts = list?.named ?? [];
  if (stmts[0] !== stmt || defersOf(fn).length > 0) return undefined;
  const calls = syncCallsOf(fn.child('body')!.descendantsOfType('call_expression'), resolver).filter((s) => s.key === lock.key && s.call !== lock.call);
  const releases = calls.map((c) => c.call.parent!);
  if (calls.some((c) => c.method !== release) || releases.some((r) => r.type !== 'expression_statement' || r.parent?.type !== 'statement_list' || r.ancestor('for_statement', 'func_literal') && fn.isAncestorOf(r.ancestor('for_statement', 'func_literal')!))) return undefined;
  const last = stmts.at(-1);
  const closing = last && releases.includes(last) ? last : last?.type === 'return_statement' ? stmts.at(-2) : undefined;
  if (!closing || !releases.includes(closing)) return undefined;
  for (const r of releases) {
    const siblings = r.parent!.named;
    const next = siblings[siblings.indexOf(r) + 1];
    if (r === last) continue;
    if (next?.type !== 'return_statement' || next.descendantsOfType(['call_expression', 'unary_expression']).length > 0) return undefined;
  }
  const deletions = releases.map(deleteStatement);
  if (deletions.some((d) => !d) || !ownsItsLines(stmt)) return undefined;
  const code = `defer ${quote(lock.receiver)}.${release}()`;
  return { title: `Write ${code} right after ${quote(lock.call)} and remove the explicit ${release} calls`, preferred: true, edits: [insertLineAfterLines(stmt, code), ...deletions.map((d) => d!)] };
}

/**
 * `X.Unlock()` on the line before the leaving statement. Only when every path to it holds the
 * lock: it lies in the Lock's block after the Lock (no loop between them, no other goto), no call
 * on X and nothing named for a release stands between them, and what it evaluates after the
 * Unlock reads only locals and calls only package functions (so nothing shared is read unlocked).
 */
function insertFix(fn: GoNode, stmt: GoNode, at: GoNode, lock: SyncCall, release: string, resolver: Resolver): Fix | undefined {
  const leaves = ['return_statement', 'break_statement', 'continue_statement', 'goto_statement'].includes(at.type);
  if (!leaves || at.parent?.type !== 'statement_list' || !ownsItsLines(at)) return undefined;
  if (fn.descendantsOfType('goto_statement').some((g) => g !== at)) return undefined;
  let n = at;
  while (n.parent && n.parent !== stmt.parent) {
    if (n.parent.type === 'for_statement' || n.parent === fn) return undefined;
    n = n.parent;
  }
  if (n.parent !== stmt.parent || n.start <= stmt.start) return undefined;
  if (RELEASING_NAME.test(stmt.source.text.slice(stmt.end, at.start))) return undefined;
  const between = syncCallsOf(fn.descendantsOfType('call_expression'), resolver).filter((s) => s.key === lock.key && s.call.start > stmt.end && s.call.start < at.start);
  if (between.length > 0 || !at.named.every((e) => readsOnlyLocals(e, fn, resolver))) return undefined;
  const code = `${quote(lock.receiver)}.${release}()`;
  return { title: `Insert ${code} before ${quote(at)}`, preferred: true, edits: [insertLineBefore(at, code)] };
}

function readsOnlyLocals(expr: GoNode, fn: GoNode, resolver: Resolver): boolean {
  const isImport = (n: GoNode | undefined) => n?.type === 'identifier' && !!resolver.imports.pathOf(n.text) && !resolver.declarationOf(n);
  for (const n of [expr, ...expr.descendants()]) {
    if (n.type === 'selector_expression' && !isImport(n.child('operand'))) return false;
    if (n.type === 'call_expression' && n.child('function')?.type !== 'selector_expression') return false;
    if (n.type === 'index_expression' || n.type === 'slice_expression' || (n.type === 'unary_expression' && ['*', '<-'].includes(n.children[0]?.type ?? ''))) return false;
    if (n.type === 'identifier' && !isImport(n)) {
      const decl = resolver.declarationOf(n);
      if (!decl || !fn.isAncestorOf(decl.name)) return false;
    }
  }
  return true;
}

/**
 * The function releases the lock on some path (so it is not an acquire helper), no deferred
 * release is registered before the Lock, and its first operation on the lock is not a release
 * (then the caller holds it, and a later Lock re-acquires it for the caller to release).
 */
function unlocksElsewhere(fn: GoNode, lockStmt: GoNode, key: string, release: string, resolver: Resolver): boolean {
  const defers = defersOf(fn);
  if (defers.some((d) => d.start < lockStmt.start && deferredLockCalls(d, resolver).some((s) => s.key === key && s.method === release))) return false;
  const own = syncCallsOf(ownDescendants(fn.child('body') ?? fn, 'call_expression'), resolver).filter((s) => s.key === key);
  if (own[0]?.method === release) return false;
  return [...own, ...defers.flatMap((d) => deferredLockCalls(d, resolver))].some((s) => s.key === key && s.method === release);
}

function lockVisit(node: GoNode, lock: SyncCall, release: string, resolver: Resolver): Verdict {
  if (node.type === 'defer_statement' && deferredLockCalls(node, resolver).some((s) => s.key === lock.key && s.method === release)) return 'done';
  if (node.type === 'return_statement' && handsOn(node, lock)) return 'unknown';
  // A closure that releases the lock (returned, stored, handed to a callback) takes the release elsewhere.
  if (node.descendantsOfType('func_literal').some((literal) => releases(literal, lock.key, release, resolver))) return 'unknown';
  // So may a helper named for it, called or passed as a value (`unlockAndWake()`, `tx.closemuRUnlockRelease`).
  if ([node, ...node.descendants(skipFuncLiterals)].some((n) => (n.type === 'identifier' || n.type === 'field_identifier') && RELEASING_NAME.test(n.text) && !isLockMethodField(n))) return 'unknown';
  const calls = node.type === 'call_expression' ? [node] : [];
  calls.push(...node.descendantsOfType('call_expression', skipFuncLiterals));
  let verdict: Verdict;
  for (const call of calls) {
    const sync = resolver.syncCall(call);
    if (sync?.key === lock.key) {
      if (sync.method === release) return 'done';
      if (sync.method === lock.method) verdict ??= 'stop';
      else if (sync.method !== 'TryLock' && sync.method !== 'TryRLock') return 'unknown';
      continue;
    }
    if ((call.child('arguments')?.named ?? []).some((arg) => keyOf(arg) === lock.key)) return 'unknown'; // the mutex is handed on
  }
  return verdict;
}

/**
 * Whether a return hands the lock on with the mutex's owner: returns it (`return l, nil`, whose
 * Unlock method releases it) or returns through a call given it (`return c.loadLocked(key)`).
 */
function handsOn(ret: GoNode, lock: SyncCall): boolean {
  const receiver = unwrap(lock.receiver);
  const owner = keyOf(receiver.type === 'selector_expression' ? receiver.child('operand')! : receiver);
  const results = ret.named.flatMap((n) => (n.type === 'expression_list' ? n.named : [n]));
  if (results.some((r) => keyOf(r) === owner)) return true;
  return ret.descendantsOfType('call_expression', skipFuncLiterals).some((call) => {
    const fn = call.child('function');
    const receiverOfCall = fn?.type === 'selector_expression' ? fn.child('operand') : undefined;
    return (receiverOfCall && keyOf(receiverOfCall) === owner) || (call.child('arguments')?.named ?? []).some((arg) => keyOf(arg) === owner);
  });
}

function releases(literal: GoNode, key: string, release: string, resolver: Resolver): boolean {
  return syncCallsOf(literal.descendantsOfType('call_expression'), resolver).some((s) => s.key === key && s.method === release);
}

function syncCallsOf(calls: GoNode[], resolver: Resolver): SyncCall[] {
  return calls.map((call) => resolver.syncCall(call)).filter((s): s is SyncCall => !!s);
}

/** The `Unlock` of `x.Unlock()` itself: judged through the resolved sync call instead. */
function isLockMethodField(n: GoNode): boolean {
  return n.type === 'field_identifier' && /^R?Unlock$/.test(n.text) && n.parent?.parent?.type === 'call_expression' && n.parent.field === 'function';
}

/** Where the path leaves: the jump out of the locked region, the return, or the function's closing brace. */
function leavingSpan(end: PathEnd): Span {
  const at = end.via ?? end.node;
  if (!end.via && end.kind === 'end') return { source: at.source, start: at.end - 1, end: at.end };
  return firstLine(at);
}

function leaving(end: PathEnd): string {
  if (end.via) return quote(end.via);
  return end.kind === 'end' ? 'the end of the function' : quote(end.node);
}
