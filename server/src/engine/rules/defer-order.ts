import { callsAtExit, deferredCall, defersOf, wrappedWriter } from '../go/defers';
import { FUNCTION_TYPES, skipFuncLiterals } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { keyOf, type Resolver, type SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import { countedOn, launcherKey } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleContext, RuleFinding } from './rule';

/** What an earlier-registered deferred call releases, and how a goroutine depends on it. */
interface Release {
  /** Whether a goroutine's body waits for this release. */
  awaitedBy(g: Goroutine): boolean;
  /** What Wait running first does, given the WaitGroup as written. */
  consequence(counter: string): string;
}

export const deferOrder: Rule = {
  id: 'defer-order',
  severity: 'warning',
  title: 'deferred calls run in the wrong order (last in, first out)',
  triggers: /\bdefer\b/,
  docs: {
    what: 'Two `defer`s of one function whose last-in-first-out order is wrong: `defer X.Wait()` registered after `defer cancel()` or `defer close(ch)` that the goroutines counted by X wait for (`ctx.Done()`, receiving from or ranging over `ch`); `defer X.Wait()` registered after `defer mu.Unlock()` where those goroutines lock `mu`; `defer f.Close()` registered after the `Close`/`Flush` of a writer wrapping `f` (`bufio`, `gzip`, `zlib`, `flate`, `csv`, `tar`, `zip`).',
    why: 'Deferred calls run in reverse order of registration. `Wait` then runs before the cancel, close or unlock the goroutines need to finish: the function never returns (deadlock). A file closed before its wrapping writer is flushed loses the buffered data, and the flush error is usually ignored.',
    fix: 'Swap the two `defer` statements, so the call that must run last is registered first (`defer wg.Wait()` before `defer cancel()`; `defer f.Close()` before `defer w.Flush()`), or do both in one deferred function literal in the right order.',
    bad: `package p

import (
	"context"
	"sync"
)

func fanOut(parent context.Context, jobs []func(context.Context)) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, job := range jobs {
		wg.Add(1)
		go func(job func(context.Context)) {
			defer wg.Done()
			job(ctx)
			<-ctx.Done()
		}(job)
	}
}
`,
    good: `package p

import (
	"context"
	"sync"
)

func fanOut(parent context.Context, jobs []func(context.Context)) {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	for _, job := range jobs {
		wg.Add(1)
		go func(job func(context.Context)) {
			defer wg.Done()
			job(ctx)
			<-ctx.Done()
		}(job)
	}
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const fn of [ctx.unit, ...ctx.unit.descendantsOfType(FUNCTION_TYPES)].filter((n) => FUNCTION_TYPES.includes(n.type as never))) {
      const defers = defersOf(fn);
      const goroutines = ctx.goroutines().filter((g) => g.launcher === fn);
      defers.forEach((later, j) => {
        for (const earlier of defers.slice(0, j)) {
          const message = waitBeforeRelease(earlier, later, goroutines, ctx) ?? closeBeforeFlush(earlier, later, ctx);
          if (message) findings.push({ span: firstLine(later), message, related: [{ span: firstLine(earlier), message: 'registered earlier here, so it runs later' }] });
        }
      });
    }
    return findings;
  },
};

/** (a), (b): `defer X.Wait()` registered after a release the goroutines counted by X need. */
function waitBeforeRelease(earlier: GoNode, later: GoNode, goroutines: Goroutine[], ctx: RuleContext): string | undefined {
  for (const wait of callsAtExit(later)) {
    const sync = ctx.resolver.syncCall(wait);
    if (sync?.kind !== 'WaitGroup' || sync.method !== 'Wait') continue;
    const counted = goroutines.filter((g) => countedOn(g, ctx.resolver)?.key === sync.key);
    for (const call of callsAtExit(earlier)) {
      const release = releaseBy(call, ctx.resolver);
      if (release && counted.some((g) => release.awaitedBy(g))) {
        return `defer ${quote(wait)} is registered after defer ${quote(call)}, so it runs first (deferred calls run last in, first out)${release.consequence(quote(sync.receiver))}: deadlock`;
      }
    }
  }
  return undefined;
}

/** What a deferred `cancel()`, `close(ch)` or `mu.Unlock()` releases. */
function releaseBy(call: GoNode, resolver: Resolver): Release | undefined {
  const fn = call.child('function');
  if (fn?.type === 'identifier' && fn.text === 'close' && !resolver.declarationOf(fn)) {
    const ch = call.child('arguments')?.named[0];
    const key = ch && keyOf(ch);
    return key ? { awaitedBy: (g) => receivesFrom(g, key), consequence: (counter) => `: the goroutines counted by ${counter} receive from ${key}, which ${quote(call)} only closes afterwards` } : undefined;
  }
  if (fn?.type === 'identifier' && resolver.typeOf(fn)?.kind === 'CancelFunc') {
    const context = contextOf(fn, resolver);
    return context ? { awaitedBy: (g) => waitsForDone(g, context), consequence: (counter) => `: the goroutines counted by ${counter} wait for ${context}.Done(), which ${quote(call)} only closes afterwards` } : undefined;
  }
  const unlock = resolver.syncCall(call);
  if ((unlock?.kind === 'Mutex' || unlock?.kind === 'RWMutex') && (unlock.method === 'Unlock' || unlock.method === 'RUnlock')) {
    return {
      awaitedBy: (g) => locks(g, unlock),
      consequence: (counter) => `, with ${unlock.key} still locked: the goroutines counted by ${counter} lock ${unlock.key} and block`,
    };
  }
  return undefined;
}

/** The context variable a cancel function belongs to: `ctx` of `ctx, cancel := context.WithCancel(...)`. */
function contextOf(cancel: GoNode, resolver: Resolver): string | undefined {
  const decl = resolver.declarationOf(cancel);
  const stmt = decl?.valueIndex === 1 ? decl.value?.parent?.parent : undefined;
  const ctx = stmt?.child('left')?.named[0];
  return ctx?.type === 'identifier' ? ctx.text : undefined;
}

function ownCalls(body: GoNode): GoNode[] {
  return body.descendantsOfType('call_expression', skipFuncLiterals);
}

/** Whether the goroutine's body takes a lock that `unlock` still holds (a read lock waits only for a writer). */
function locks(g: Goroutine, unlock: SyncCall): boolean {
  return ownCalls(g.body).some((c) => {
    const sync = g.resolver.syncCall(c);
    const blocked = sync?.method === 'Lock' || (sync?.method === 'RLock' && unlock.method === 'Unlock');
    return !!sync && blocked && launcherKey(g, sync) === unlock.key;
  });
}

function waitsForDone(g: Goroutine, context: string): boolean {
  return ownCalls(g.body).some((c) => {
    const fn = c.child('function');
    const operand = fn?.type === 'selector_expression' && fn.child('field')?.text === 'Done' ? fn.child('operand') : undefined;
    return !!operand && g.toLauncher(operand) === context;
  });
}

function receivesFrom(g: Goroutine, channel: string): boolean {
  for (const n of g.body.descendants(skipFuncLiterals)) {
    const source = n.type === 'unary_expression' && n.children[0]?.type === '<-' ? n.child('operand') : n.type === 'range_clause' ? n.child('right') : undefined;
    if (source && g.toLauncher(source) === channel) return true;
  }
  return false;
}

/** (c): `defer f.Close()` registered after the `Close`/`Flush` of a writer wrapping `f`. */
function closeBeforeFlush(earlier: GoNode, later: GoNode, ctx: RuleContext): string | undefined {
  for (const flush of callsAtExit(earlier)) {
    const wrapped = wrappedWriter(flush, ctx.resolver);
    if (!wrapped) continue;
    const close = callsAtExit(later).find((c) => {
      const fn = c.child('function');
      return fn?.type === 'selector_expression' && fn.child('field')?.text === 'Close' && keyOf(fn.child('operand')!) === wrapped;
    });
    if (close) return `defer ${quote(close)} is registered after defer ${quote(deferredCall(earlier) ?? earlier)}, so it runs first: ${quote(flush)} then writes into the closed ${wrapped} and the buffered data is lost`;
  }
  return undefined;
}
