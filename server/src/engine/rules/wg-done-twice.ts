import { deleteStatement } from '../go/edits';
import { countAlongPaths } from '../go/paths';
import { firstLine, quote } from '../go/text';
import { bodyWaitGroupCalls, countingAdd, isDone, isDoneStatement, statementExit } from '../go/waitgroups';
import { GOROUTINE_START, type Rule, type RuleFinding } from './rule';

const NEGATIVE = '"sync: negative WaitGroup counter"';

export const wgDoneTwice: Rule = {
  id: 'wg-done-twice',
  severity: 'error',
  title: 'WaitGroup.Done called twice for one count',
  triggers: GOROUTINE_START,
  docs: {
    what: 'A goroutine counted once (`X.Add(1)` before its `go` statement) calls `X.Done()` twice on one path: `defer X.Done()` plus an explicit `X.Done()`, or two explicit calls. (A Done inside an `X.Go(func() { ... })` body is reported by `wg-go-misuse`.)',
    why: 'The second Done takes the counter below zero: the program panics with "sync: negative WaitGroup counter", or — when other goroutines are still counted — `X.Wait()` returns while one of them is still running.',
    fix: 'Keep exactly one Done per count: a single `defer X.Done()` at the top of the body. The quick fix removes the second Done (every path reaching it has already called Done, so each path keeps exactly one; an `if` left empty goes too). It is not offered when that Done shares its line with other code.',
    bad: `package p

import "sync"

func process(items []string, handle func(string) error) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			defer wg.Done()
			if err := handle(item); err != nil {
				wg.Done()
				return
			}
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
      if (g.body.source.path !== ctx.path) continue; // a body in another file is reported there
      if (g.counter) continue; // a Done inside X.Go is wg-go-misuse's
      const add = countingAdd(g.launch, ctx.resolver);
      if (add?.call.child('arguments')?.named[0]?.text !== '1') continue; // counted more than once, or unknown
      const calls = bodyWaitGroupCalls(g).filter((c) => c.key === add.key);
      const own = bodyWaitGroupCalls(g, true).filter((c) => c.key === add.key);
      if (calls.length !== own.length || own.some((c) => c.sync.method === 'Add' && !isDone(c.sync))) continue; // nested or re-counted work
      const paths = countAlongPaths(g.body, {
        isEvent: (stmt) => isDoneStatement(stmt, g, add.key, true),
        exits: (stmt) => statementExit(stmt, g.resolver),
      });
      for (const event of paths?.events ?? []) {
        if (event.before.size === 0 || event.before.has(0)) continue; // not every path here has already called Done
        const second = event.node.named[0];
        const first = paths!.events.find((e) => e.node.start < event.node.start);
        const removal = deleteStatement(event.node);
        findings.push({
          span: firstLine(second),
          message: `${quote(second)} is called a second time on this path: the counter goes negative (${NEGATIVE}), or ${quote(add.receiver)}.Wait() returns while other goroutines still run`,
          related: first ? [{ span: firstLine(first.node), message: 'the first Done on this path' }] : [],
          fixes: removal ? [{ title: `Remove the second ${quote(second)}`, preferred: true, edits: [removal] }] : [],
        });
      }
    }
    return findings;
  },
};
