import { callsAtExit, deferredCall, deferredLiteral, defersOf, wrappedWriter } from '../go/defers';
import { deleteStatement, ownsItsLines, replaceNode } from '../go/edits';
import { FUNCTION_TYPES, isExitCall, ownDescendants, skipFuncLiterals } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { keyOf, type Resolver, type SyncCall } from '../go/resolve';
import { mayRepeat, sameLater } from '../go/stable';
import { firstLine, quote } from '../go/text';
import { countedOn, launcherKey } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import { DEFER_STATEMENT, type Fix, type Rule, type RuleContext, type RuleFinding } from './rule';

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
  triggers: DEFER_STATEMENT,
  docs: {
    what: 'Two `defer`s of one function whose last-in-first-out order is wrong: `defer X.Wait()` registered after `defer cancel()` or `defer close(ch)` that the goroutines counted by X wait for (`ctx.Done()`, receiving from or ranging over `ch`); `defer X.Wait()` registered after `defer mu.Unlock()` where those goroutines lock `mu`; `defer f.Close()` registered after the `Close`/`Flush` of a writer wrapping `f` (`bufio`, `gzip`, `zlib`, `flate`, `csv`, `tar`, `zip`).',
    why: 'Deferred calls run in reverse order of registration. `Wait` then runs before the cancel, close or unlock the goroutines need to finish: the function never returns (deadlock). A file closed before its wrapping writer is flushed loses the buffered data, and the flush error is usually ignored.',
    fix: 'Swap the two `defer` statements, so the call that must run last is registered first (`defer wg.Wait()` before `defer cancel()`; `defer f.Close()` before `defer w.Flush()`), or do both in one deferred function literal in the right order. The quick fix replaces the pair by one `defer func() { cancel(); wg.Wait() }()` (release first) and deletes the other defer: at the later defer when only declarations without calls stand between them, otherwise at the earlier one when the later call\'s variables are declared by then and nothing between returns or jumps (not preferred, and said in its title, when something between calls a function: a panic there then also runs the later call). It is not offered when either defer is a function literal, spans lines, runs in a loop, or would evaluate its function or arguments differently at exit.',
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
          const fix = message ? combine(earlier, later, fn, ctx) : undefined;
          if (message) findings.push({ span: firstLine(later), message, related: [{ span: firstLine(earlier), message: 'registered earlier here, so it runs later' }], fixes: fix ? [fix] : [] });
        }
      });
    }
    return findings;
  },
};

/**
 * Replaces the pair by one `defer func() { release(); wait() }()` and deletes the other defer, so
 * each call runs once, in the right order. Both must be plain one-line deferred calls in one block,
 * run once, whose function and arguments evaluate the same at exit (see `sameLater`). The literal
 * takes the later defer's place when only declarations without calls stand between the two (no
 * path changes); else the earlier one's, when the later call's variables are declared by then and
 * nothing between can return or jump (not preferred when something between calls a function: a
 * panic there now also runs the later call).
 */
function combine(earlier: GoNode, later: GoNode, fn: GoNode, ctx: RuleContext): Fix | undefined {
  const first = deferredCall(earlier);
  const second = deferredCall(later);
  const list = later.parent;
  if (!first || !second || deferredLiteral(earlier) || deferredLiteral(later) || earlier.parent !== list || list?.type !== 'statement_list') return undefined;
  if (mayRepeat(later, fn) || [earlier, later].some((d) => d.text.includes('\n') || !ownsItsLines(d) || d.descendantsOfType('comment').length > 0)) return undefined;
  const same = (call: GoNode, defer: GoNode) => [call.child('function')!, ...(call.child('arguments')?.named ?? [])].every((e) => sameLater(e, fn, defer.end, ctx.resolver, ctx.index, undefined, true));
  if (!same(first, earlier) || !same(second, later)) return undefined;
  const stmts = list.named;
  const between = stmts.slice(stmts.indexOf(earlier) + 1, stmts.indexOf(later));
  const literal = `func() { ${first.text}; ${second.text} }()`;
  const title = `Replace defer ${quote(first)} and defer ${quote(second)} by defer ${literal}, so ${quote(first)} runs first`;
  const inert = between.every((s) => (s.type === 'var_declaration' || s.type === 'const_declaration') && s.descendantsOfType(['call_expression', 'index_expression', 'unary_expression', 'binary_expression', 'selector_expression', 'func_literal']).length === 0);
  const laterDelete = deleteStatement(later);
  const earlierDelete = deleteStatement(earlier);
  if (inert) return earlierDelete && { title, preferred: true, edits: [earlierDelete, replaceNode(second, literal)] };
  const declaredBefore = second.descendantsOfType('identifier').every((id) => {
    const decl = ctx.resolver.declarationOf(id);
    return !decl || decl.name.start < earlier.start;
  });
  const leaves = between.some((s) => ownDescendants(s, ['return_statement', 'goto_statement', 'break_statement', 'continue_statement', 'labeled_statement']).length > 0 || s.descendantsOfType('call_expression', skipFuncLiterals).some(isExitCall));
  if (!declaredBefore || leaves || !laterDelete) return undefined;
  const calls = between.some((s) => s.descendantsOfType(['call_expression', 'go_statement', 'send_statement', 'unary_expression'], skipFuncLiterals).length > 0);
  return {
    title: calls ? `${title} (${quote(second)} then also runs if the function panics before the old defer ${quote(second)})` : title,
    preferred: !calls,
    edits: [replaceNode(first, literal), laterDelete],
  };
}

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
