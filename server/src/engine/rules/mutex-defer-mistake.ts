import { deferredCall, releaseOf } from '../go/defers';
import { FUNCTION_TYPES } from '../go/functions';
import type { SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleContext, RuleFinding } from './rule';

export const mutexDeferMistake: Rule = {
  id: 'mutex-defer-mistake',
  severity: 'warning',
  title: 'Lock followed by the wrong release',
  triggers: /\bR?Lock\s*\(/,
  docs: {
    what: 'A mutex acquire directly followed by the wrong statement: `mu.Lock(); defer mu.Lock()` (meant Unlock); `mu.Lock(); defer mu.RUnlock()` or `mu.RLock(); defer mu.Unlock()` (mismatched pair); `mu.Lock(); mu.Unlock()` with nothing between at the top of a function that goes on (an empty critical section: meant `defer`?). An empty section elsewhere is taken as a deliberate barrier ("wait until the current holder is done") and not reported.',
    why: '`defer mu.Lock()` locks the mutex a second time when the function returns: that call deadlocks, and the mutex is never released. Releasing a write lock with `RUnlock`, or a read lock with `Unlock`, is a fatal run-time error ("sync: RUnlock of unlocked RWMutex"). An empty critical section protects nothing: the code meant to run under the lock runs without it.',
    fix: 'Write the matching release, deferred: `mu.Lock(); defer mu.Unlock()` or `mu.RLock(); defer mu.RUnlock()`.',
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
        if (message) findings.push({ span: firstLine(next.call), message, related: [{ span: firstLine(acquire.call), message: `${quote(acquire.call)} is here` }] });
      }
    }
    return findings;
  },
};

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
