import { firstLine, quote } from '../go/text';
import { bodyDones, countingAdd, doneOrPassedAfter, donesOutside, handsOff } from '../go/waitgroups';
import type { Rule, RuleFinding } from './rule';

export const wgDoneMissing: Rule = {
  id: 'wg-done-missing',
  severity: 'warning',
  title: 'Counted goroutine never calls WaitGroup.Done',
  triggers: /\bgo\s/,
  docs: {
    what: "A goroutine counted by `X.Add(n)` directly before its `go` statement whose body never calls `X.Done()` (directly, deferred, or in a nested literal), and never passes X on to anything that could (an argument, an assignment, a closure, a method of the object holding X).",
    why: 'The counter never returns to zero, so `X.Wait()` blocks forever: the caller hangs, or the program dies with "fatal error: all goroutines are asleep - deadlock!".',
    fix: 'Start the goroutine body with `defer X.Done()`, or on Go 1.25 and later launch it with `X.Go(func() { ... })`, which counts and completes it itself.',
    bad: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			handle(item)
		}(item)
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
    for (const g of ctx.goroutines()) {
      if (g.counter) continue; // X.Go completes its goroutine itself
      const add = countingAdd(g.launch, ctx.resolver);
      if (!add || bodyDones(g, add.key).length > 0 || handsOff(g, add.key)) continue;
      if (doneOrPassedAfter(g.launcher, g.launch.end, add.key, ctx.resolver)) continue;
      if (donesOutside(g.launcher, add.key, ctx.resolver, [g.body]).length > 0) continue; // a callback may Done for it
      const done = `${quote(add.receiver)}.Done()`;
      findings.push({
        span: firstLine(g.launch),
        message: `the goroutine counted by ${quote(add.call)} never calls ${done}: ${quote(add.receiver)}.Wait() blocks forever`,
        related: [{ span: firstLine(add.call), message: `counted here; nothing calls ${done} for it` }],
      });
    }
    return findings;
  },
};
