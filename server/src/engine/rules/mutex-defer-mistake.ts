import { deferredCall, releaseOf } from '../go/defers';
import { ownsItsLines, replaceNode } from '../go/edits';
import { FUNCTION_TYPES } from '../go/functions';
import type { SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import type { Fix, Rule, RuleContext, RuleFinding } from './rule';

export const mutexDeferMistake: Rule = {
  id: 'mutex-defer-mistake',
  severity: 'warning',
  title: 'Lock followed by the wrong release',
  triggers: /\bR?Lock\s*\(/,
  docs: {
    what: 'A mutex acquire directly followed by the wrong statement: `mu.Lock(); defer mu.Lock()` (meant Unlock); `mu.Lock(); defer mu.RUnlock()` or `mu.RLock(); defer mu.Unlock()` (mismatched pair); `mu.Lock(); mu.Unlock()` with nothing between at the top of a function that goes on (an empty critical section: meant `defer`?). An empty section elsewhere is taken as a deliberate barrier ("wait until the current holder is done") and not reported.',
    why: '`defer mu.Lock()` locks the mutex a second time when the function returns: that call deadlocks, and the mutex is never released. Releasing a write lock with `RUnlock`, or a read lock with `Unlock`, is a fatal run-time error ("sync: RUnlock of unlocked RWMutex"). An empty critical section protects nothing: the code meant to run under the lock runs without it.',
    fix: 'Write the matching release, deferred: `mu.Lock(); defer mu.Unlock()` or `mu.RLock(); defer mu.RUnlock()`. The quick fix corrects the method name: `defer mu.Lock()` becomes `defer mu.Unlock()` (`defer mu.RLock()` becomes `defer mu.RUnlock()`), `Lock` with `defer RUnlock` gets `defer mu.Unlock()`, and `RLock` with `defer Unlock` becomes `mu.Lock()` (the write lock, since the function may write); for an empty critical section it offers, not preferred, to turn the Unlock into a `defer` (the rest of the function then runs locked). It is not offered when the function makes any other call on the mutex (a release could then run twice or not at all).',
    bad: `package p

import "sync"

type store struct {
	mu   sync.RWMutex
	data map[string]string
}

func (s *store) get(k string) string {
	s.mu.Lock()
	defer s.mu.RUnlock()
	return s.data[k]
}
`,
    good: `package p

import "sync"

type store struct {
	mu   sync.RWMutex
	data map[string]string
}

func (s *store) get(k string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data[k]
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const list of ctx.unit.descendantsOfType('statement_list')) {
      const stmts = list.named;
      for (let i = 0; i + 1 < stmts.length; i++) {
        const acquire = stmts[i].type === 'expression_statement' ? lockCall(stmts[i], ctx) : undefined;
        const release = acquire && releaseOf(acquire.method);
        const second = stmts[i + 1];
        const next = release ? lockCall(second, ctx) : undefined;
        if (!acquire || !release || !next || next.key !== acquire.key) continue;
        // An empty section elsewhere is usually a barrier ("wait until the holder is done"); at the
        // top of a function with work after it, it is a forgotten defer.
        const meantDefer = second.type === 'defer_statement' || (i === 0 && isFunctionBody(list) && stmts.length > 2);
        const message = meantDefer ? mistake(acquire, next, release, second.type === 'defer_statement') : undefined;
        const fix = message ? correction(acquire, next, release, second, list, ctx) : undefined;
        if (message) findings.push({ span: firstLine(next.call), message, related: [{ span: firstLine(acquire.call), message: `${quote(acquire.call)} is here` }], fixes: fix ? [fix] : [] });
      }
    }
    return findings;
  },
};

/**
 * `defer X.Lock()` → `defer X.Unlock()`; `X.Lock(); defer X.RUnlock()` → `defer X.Unlock()`;
 * `X.RLock(); defer X.Unlock()` → `X.Lock()` (the write lock: the function may write); an empty
 * section → `defer X.Unlock()` (not preferred: the rest then runs locked). Only when the function
 * makes no other call on X, so no release runs twice or is missing.
 */
function correction(acquire: SyncCall, next: SyncCall, release: string, second: GoNode, list: GoNode, ctx: RuleContext): Fix | undefined {
  const fn = list.ancestor(...FUNCTION_TYPES);
  const calls = (fn?.child('body')?.descendantsOfType('call_expression') ?? []).filter((c) => ctx.resolver.syncCall(c)?.key === acquire.key);
  if (calls.length !== 2 || !calls.includes(acquire.call) || !calls.includes(next.call)) return undefined;
  const field = (call: GoNode) => call.child('function')?.child('field');
  if (second.type === 'defer_statement' && next.method === acquire.method) {
    const name = field(next.call);
    return name && { title: `Change defer ${quote(next.call)} to defer ${quote(next.receiver)}.${release}()`, preferred: true, edits: [replaceNode(name, release)] };
  }
  if (second.type === 'defer_statement' && acquire.method === 'Lock') {
    const name = field(next.call);
    return name && { title: `Change defer ${quote(next.call)} to defer ${quote(next.receiver)}.Unlock(), matching ${quote(acquire.call)}`, preferred: true, edits: [replaceNode(name, 'Unlock')] };
  }
  if (second.type === 'defer_statement') {
    const name = field(acquire.call);
    return name && { title: `Change ${quote(acquire.call)} to ${quote(acquire.receiver)}.Lock(), matching defer ${quote(next.call)} (the function then holds the write lock)`, preferred: true, edits: [replaceNode(name, 'Lock')] };
  }
  if (!ownsItsLines(second)) return undefined;
  return { title: `Turn ${quote(next.call)} into defer ${quote(next.call)} (the rest of the function then runs with ${acquire.key} locked)`, edits: [{ span: { source: second.source, start: second.start, end: second.start }, newText: 'defer ' }] };
}

function isFunctionBody(list: GoNode): boolean {
  return list.parent?.type === 'block' && FUNCTION_TYPES.includes(list.parent.parent?.type as never);
}

/** The mutex call an expression statement or a `defer` statement consists of. */
function lockCall(stmt: GoNode, ctx: RuleContext): SyncCall | undefined {
  const call = stmt.type === 'expression_statement' ? stmt.named[0] : stmt.type === 'defer_statement' ? deferredCall(stmt) : undefined;
  const sync = call && ctx.resolver.syncCall(call);
  return sync?.kind === 'Mutex' || sync?.kind === 'RWMutex' ? sync : undefined;
}

function mistake(acquire: SyncCall, next: SyncCall, release: string, deferred: boolean): string | undefined {
  const first = quote(acquire.call);
  const second = quote(next.call);
  if (deferred && next.method === acquire.method) {
    return `defer ${second} locks ${acquire.key} again when the function returns instead of unlocking it: it deadlocks there and ${acquire.key} is never released (meant defer ${quote(acquire.receiver)}.${release}()?)`;
  }
  const mismatched = (acquire.method === 'Lock' && next.method === 'RUnlock') || (acquire.method === 'RLock' && next.method === 'Unlock');
  if (deferred && mismatched) {
    return `defer ${second} does not match ${first}: ${next.method} of a ${acquire.method === 'Lock' ? 'write-locked' : 'read-locked'} RWMutex is a fatal error ("sync: ${next.method} of unlocked RWMutex"), and the ${acquire.method} is never released`;
  }
  if (!deferred && next.method === release) {
    return `${second} right after ${first} leaves an empty critical section: the code after it runs without the lock (meant defer ${second}?)`;
  }
  return undefined;
}
