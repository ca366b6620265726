import { isUnconditionalLoop, loopCanExit, ownDescendants } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { Resolver } from '../go/resolve';
import { statementsOf } from '../go/paths';
import { firstLine, quote } from '../go/text';
import { countedOn, goroutineExit, isDoneStatement } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import { GOROUTINE_START, type Rule, type RuleContext, type RuleFinding } from './rule';

export const wgDoneUnreachable: Rule = {
  id: 'wg-done-unreachable',
  severity: 'warning',
  title: 'Deferred WaitGroup.Done never runs: the goroutine never returns',
  triggers: GOROUTINE_START,
  docs: {
    what: 'A counted goroutine with `defer X.Done()` (or run by `X.Go`) whose body can never return: it reaches a `for { ... }` with no `return`, no `break` that leaves it (a `break` inside an inner `select` or `switch` does not), no `goto` out and no panic, or a bare `select {}` — while `X.Wait()` is called somewhere.',
    why: 'Deferred calls run only when the function returns. The Done never runs, so `X.Wait()` blocks forever: shutdown hangs ("fatal error: all goroutines are asleep - deadlock!" when nothing else runs).',
    fix: 'Give the loop a way out — usually a `case <-ctx.Done(): return` or `case <-quit: return` in its select — or do not count a goroutine that is meant to run forever.',
    bad: `package p

import "sync"

type Server struct {
	wg   sync.WaitGroup
	reqs chan string
	quit chan struct{}
}

func (s *Server) Start(handle func(string)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			select {
			case r := <-s.reqs:
				handle(r)
			case <-s.quit:
				break
			}
		}
	}()
}

func (s *Server) Close() {
	close(s.quit)
	s.wg.Wait()
}
`,
    good: `package p

import "sync"

type Server struct {
	wg   sync.WaitGroup
	reqs chan string
	quit chan struct{}
}

func (s *Server) Start(handle func(string)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			select {
			case r := <-s.reqs:
				handle(r)
			case <-s.quit:
				return
			}
		}
	}()
}

func (s *Server) Close() {
	close(s.quit)
	s.wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const g of ctx.goroutines()) {
      if (g.body.source.path !== ctx.path) continue; // a body in another file is reported there
      const counted = countedOn(g, ctx.resolver);
      if (!counted) continue;
      const stmts = statementsOf(g.body);
      const deferred = g.counter ? -1 : stmts.findIndex((s) => isDoneStatement(s, g, counted.key, true) && s.type === 'defer_statement');
      if (deferred < -1 || (deferred === -1 && !g.counter)) continue;
      const blockIndex = stmts.findIndex((s, i) => i > deferred && neverEnds(s, g));
      if (blockIndex < 0 || stmts.slice(0, blockIndex).some((s) => mayLeave(s, g))) continue;
      const wait = waitOn(ctx, g, counted.key);
      if (!wait) continue;
      const block = stmts[blockIndex];
      const done = g.counter ? `the Done that ${quote(g.counter.receiver)}.Go calls` : `the deferred ${quote(stmts[deferred].named[0])}`;
      findings.push({
        span: firstLine(block),
        message: `${block.type === 'select_statement' ? 'select {} blocks forever' : 'this loop never ends'}, so ${done} never runs and ${counted.key}.Wait() blocks forever`,
        related: [{ span: firstLine(wait), message: 'waits for this goroutine' }],
      });
    }
    return findings;
  },
};

/** `select {}`, or `for { ... }` with no return, goto, break out of it, panic or goroutine exit. */
function neverEnds(stmt: GoNode, g: Goroutine): boolean {
  if (stmt.type === 'select_statement') return !stmt.named.some((c) => c.type.endsWith('_case'));
  if (stmt.type !== 'for_statement' || !isUnconditionalLoop(stmt) || loopCanExit(stmt)) return false;
  return !ownDescendants(stmt, 'call_expression').some((c) => goroutineExit(c, g.resolver));
}

/** A statement before the endless one through which the goroutine may return. */
function mayLeave(stmt: GoNode, g: Goroutine): boolean {
  if (['return_statement', 'goto_statement'].includes(stmt.type)) return true;
  if (ownDescendants(stmt, ['return_statement', 'goto_statement']).length > 0) return true;
  return ownDescendants(stmt, 'call_expression').some((c) => goroutineExit(c, g.resolver));
}

/** A `Wait` on the WaitGroup: in the launching function, or in any method of the type whose field it is. */
function waitOn(ctx: RuleContext, g: Goroutine, key: string): GoNode | undefined {
  const isWait = (call: GoNode, resolver: Resolver, k: string) => {
    const sync = resolver.syncCall(call);
    return sync?.kind === 'WaitGroup' && sync.method === 'Wait' && sync.key === k;
  };
  const local = g.launcher.descendantsOfType('call_expression').find((c) => isWait(c, ctx.resolver, key));
  if (local) return local;
  const [root, ...path] = key.split('.');
  const rootId = g.launcher.child('body')?.descendantsOfType('identifier').find((id) => id.text === root);
  const type = rootId && ctx.resolver.typeOf(rootId);
  if (type?.kind !== 'named' || path.length === 0) return undefined;
  for (const file of ctx.index.paths) {
    const facts = ctx.index.facts(file);
    for (const decl of facts?.funcs ?? []) {
      if (decl.receiverType !== type.name) continue;
      const method = ctx.index.declaration(decl);
      const receiver = method?.child('receiver')?.named[0]?.child('name')?.text;
      if (!method || !receiver || !facts) continue;
      const resolver = new Resolver(facts.imports, ctx.index);
      const wait = method.descendantsOfType('call_expression').find((c) => isWait(c, resolver, [receiver, ...path].join('.')));
      if (wait) return wait;
    }
  }
  return undefined;
}
