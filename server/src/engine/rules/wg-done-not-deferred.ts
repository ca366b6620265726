import { deleteStatement, insertFirstInBlock } from '../go/edits';
import { ownDescendants } from '../go/functions';
import { rootIdentifier, type Goroutine } from '../go/goroutines';
import { countAlongPaths, type CountedPaths } from '../go/paths';
import { firstLine, quote } from '../go/text';
import { bodyDones, bodyWaitGroupCalls, handsOff, isDone, isDoneStatement, statementExit } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import { type Fix, GO_STATEMENT, type Rule, type RuleFinding } from './rule';

export const wgDoneNotDeferred: Rule = {
  id: 'wg-done-not-deferred',
  severity: 'warning',
  title: 'WaitGroup.Done not deferred, and skipped on some path',
  triggers: GO_STATEMENT,
  docs: {
    what: "A goroutine calls `X.Done()` without `defer`, and some path through its body ends without reaching it: an earlier `return`, `panic(...)`, `runtime.Goexit()`, `t.Fatal`/`t.FailNow`/`t.Skip` (and testify's `require.*`, which call `FailNow`), or a Done that only runs in some branches.",
    why: 'On that path the counter never returns to zero and `X.Wait()` blocks forever ("fatal error: all goroutines are asleep - deadlock!" when nothing else runs).',
    fix: 'Replace the Done calls by one `defer X.Done()` at the top of the goroutine body. The quick fix does that (Done then also runs on the path that skipped it; an `if` left empty goes too) when every Done is `X.Done()` at the end of its path (only a bare `return` may follow it), no path calls it twice, X is a parameter, receiver or captured variable the body does not assign, and the body has no other `defer` (Done would then run after it). It is not offered otherwise.',
    bad: `package p

import "sync"

func process(items []string, handle func(string) error) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			if err := handle(item); err != nil {
				return
			}
			wg.Done()
		}(item)
	}
	wg.Wait()
}
`,
    good: `package p

import "sync"

func process(items []string, handle func(string) error) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			defer wg.Done()
			if err := handle(item); err != nil {
				return
			}
		}(item)
	}
	wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const g of ctx.goroutines()) {
      if (g.counter || g.body.source.path !== ctx.path) continue; // X.Go Dones itself; a body in another file is reported there
      const keys = new Set(bodyWaitGroupCalls(g, true).filter((c) => isDone(c.sync)).map((c) => c.key));
      for (const key of keys) {
        const dones = bodyDones(g, key);
        const explicit = dones.filter((d) => d.sync.call.parent?.type === 'expression_statement');
        if (explicit.length !== dones.length || handsOff(g, key)) continue; // deferred, nested or passed on: other rules' business
        const paths = countAlongPaths(g.body, {
          isEvent: (stmt) => isDoneStatement(stmt, g, key, false),
          exits: (stmt) => statementExit(stmt, g.resolver),
        });
        if (!paths || paths.events.length === 0) continue;
        const skip = paths.exits.find((e) => e.counts.has(0));
        if (!skip && !paths.end.has(0)) continue;
        const done = paths.events[0].node.named[0];
        const receiver = explicit[0].sync.receiver;
        const fix = bodyDones(g, key, true).length === dones.length ? deferAtTop(g, paths) : undefined;
        findings.push({
          span: firstLine(done),
          message: `${quote(done)} is not deferred: ${skip ? `the ${exitName(skip.node)} above leaves the goroutine without it` : 'the goroutine can end without it'}, so ${quote(receiver)}.Wait() blocks forever`,
          related: [skip ? { span: firstLine(skip.node), message: `leaves the goroutine without calling ${quote(done)}` } : { span: { source: g.body.source, start: g.body.end - 1, end: g.body.end }, message: `the goroutine can end here without calling ${quote(done)}` }],
          fixes: fix ? [fix] : [],
        });
      }
    }
    return findings;
  },
};

/** `return`, or the called function of an exit statement (`panic`, `t.Fatal`). */
function exitName(exit: GoNode): string {
  return exit.type === 'return_statement' ? 'return' : (exit.named[0]?.child('function')?.text ?? 'call');
}

/**
 * Replaces the explicit Done statements by `defer X.Done()` at the top of the body. Offered when
 * deferring moves no Done past other work: each is a plain `X.Done()` ending its path, no path
 * calls it twice, X means the same at the top, and no other defer would run before it.
 */
function deferAtTop(g: Goroutine, paths: CountedPaths): Fix | undefined {
  const stmts = paths.events.map((e) => e.node);
  if (paths.events.some((e) => e.before.has(1) || e.before.has(2))) return undefined;
  const calls = stmts.map((s) => s.named[0]);
  const receivers = calls.map((c) => c.child('function')?.child('operand'));
  const first = receivers[0];
  if (!first || receivers.some((r) => r?.text !== first.text) || calls.some((c) => c.child('function')?.child('field')?.text !== 'Done')) return undefined;
  if (ownDescendants(g.body, 'defer_statement').length > 0 || !stmts.every((s) => endsItsPath(s, g.body))) return undefined;
  const root = rootIdentifier(first);
  const decl = root && g.resolver.declarationOf(root);
  if (!root || (decl && g.body.isAncestorOf(decl.name))) return undefined;
  const assigned = ownDescendants(g.body, ['assignment_statement', 'inc_statement', 'dec_statement']).some((a) => (a.child('left') ?? a).descendantsOfType('identifier').some((id) => id.text === root.text));
  if (assigned) return undefined;
  const code = `defer ${first.text}.Done()`;
  const insert = insertFirstInBlock(g.body, code);
  const deletions = stmts.map(deleteStatement);
  if (!insert || deletions.some((d) => !d)) return undefined;
  return {
    title: `Replace ${quote(calls[0])} by ${code} at the top of the goroutine (Done then also runs on the path that skipped it)`,
    preferred: true,
    edits: [insert, ...deletions.map((d) => d!)],
  };
}

/** Whether nothing runs after `stmt` in the body but a bare `return`: it is last in each enclosing list up to the body, outside loops. */
function endsItsPath(stmt: GoNode, body: GoNode): boolean {
  for (let n: GoNode = stmt; n !== body; n = n.parent!) {
    if (!n.parent || n.type === 'for_statement') return false;
    if (n.parent.type !== 'statement_list') continue;
    const siblings = n.parent.named;
    const rest = siblings.slice(siblings.indexOf(n) + 1);
    if (rest.length > 1 || (rest.length === 1 && !(rest[0].type === 'return_statement' && rest[0].named.length === 0))) return false;
  }
  return true;
}
