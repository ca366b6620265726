import { countAlongPaths } from '../go/paths';
import { firstLine, quote } from '../go/text';
import { bodyDones, bodyWaitGroupCalls, handsOff, isDone, isDoneStatement, statementExit } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleFinding } from './rule';

export const wgDoneNotDeferred: Rule = {
  id: 'wg-done-not-deferred',
  severity: 'warning',
  title: 'WaitGroup.Done not deferred, and skipped on some path',
  triggers: /\bgo\s/,
  docs: {
    what: "A goroutine calls `X.Done()` without `defer`, and some path through its body ends without reaching it: an earlier `return`, `panic(...)`, `runtime.Goexit()`, `t.Fatal`/`t.FailNow`/`t.Skip` (and testify's `require.*`, which call `FailNow`), or a Done that only runs in some branches.",
    why: 'On that path the counter never returns to zero and `X.Wait()` blocks forever ("fatal error: all goroutines are asleep - deadlock!" when nothing else runs).',
    fix: 'Replace the Done calls by one `defer X.Done()` at the top of the goroutine body.',
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
        findings.push({
          span: firstLine(done),
          message: `${quote(done)} is not deferred: ${skip ? `the ${exitName(skip.node)} above leaves the goroutine without it` : 'the goroutine can end without it'}, so ${quote(receiver)}.Wait() blocks forever`,
          related: [skip ? { span: firstLine(skip.node), message: `leaves the goroutine without calling ${quote(done)}` } : { span: { source: g.body.source, start: g.body.end - 1, end: g.body.end }, message: `the goroutine can end here without calling ${quote(done)}` }],
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
