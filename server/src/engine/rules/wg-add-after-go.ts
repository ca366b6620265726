import { skipFuncLiterals } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { firstLine, quote } from '../go/text';
import { addsBefore, bodyDones, doneOrPassedAfter, isDone, statementSyncCall } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleFinding } from './rule';

export const wgAddAfterGo: Rule = {
  id: 'wg-add-after-go',
  severity: 'warning',
  title: 'WaitGroup.Add called after the goroutine it counts was started',
  triggers: /\bgo\s/,
  docs: {
    what: '`X.Add(n)` comes after, in the same block, a `go` statement whose goroutine calls `X.Done()`, and nothing launched after the Add needs it: the Add counts a goroutine that is already running.',
    why: 'The goroutine can call `X.Done()` before the Add runs: the counter goes below zero ("panic: sync: negative WaitGroup counter"), or `X.Wait()` sees zero and returns while work is still running.',
    fix: 'Move `X.Add(n)` before the `go` statement (inside the loop when the `go` is in a loop).',
    bad: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		go func(item string) {
			defer wg.Done()
			handle(item)
		}(item)
		wg.Add(1)
	}
	wg.Wait()
}
`,
    good: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			defer wg.Done()
			handle(item)
		}(item)
	}
	wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    const byLaunch = new Map(ctx.goroutines().map((g) => [g.launch, g]));
    for (const stmt of ctx.unit.descendantsOfType('expression_statement')) {
      const add = statementSyncCall(stmt, ctx.resolver);
      const block = stmt.parent;
      if (add?.method !== 'Add' || isDone(add) || block?.type !== 'statement_list') continue;
      const earlier = block.named.slice(0, block.named.indexOf(stmt));
      const uncounted = earlier
        .flatMap(launchesIn)
        .map((launch) => byLaunch.get(launch))
        .find((g): g is Goroutine => !!g && bodyDones(g, add.key).length > 0 && addsBefore(g.launch, add.key, ctx.resolver).length === 0);
      if (!uncounted) continue;
      const launcher = uncounted.launcher;
      if (doneOrPassedAfter(launcher, stmt.end, add.key, ctx.resolver)) continue; // the Add is for later work
      findings.push({
        span: firstLine(add.call),
        message: `${quote(add.call)} runs after the go statement whose goroutine calls ${quote(add.receiver)}.Done(): the Done can come first ("sync: negative WaitGroup counter"), or ${quote(add.receiver)}.Wait() can return early`,
        related: [{ span: firstLine(uncounted.launch), message: 'the goroutine is started here, before the Add' }],
      });
    }
    return findings;
  },
};

/** `go` statements a statement makes in its own function. */
function launchesIn(stmt: GoNode): GoNode[] {
  return stmt.type === 'go_statement' ? [stmt] : stmt.descendantsOfType('go_statement', skipFuncLiterals);
}
