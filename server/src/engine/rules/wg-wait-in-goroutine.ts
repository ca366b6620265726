import { firstLine, quote } from '../go/text';
import { bodyDones, bodyWaitGroupCalls, countedOn } from '../go/waitgroups';
import { GOROUTINE_START, type Rule, type RuleFinding } from './rule';

export const wgWaitInGoroutine: Rule = {
  id: 'wg-wait-in-goroutine',
  severity: 'error',
  title: 'WaitGroup.Wait inside a goroutine it counts',
  triggers: GOROUTINE_START,
  docs: {
    what: '`X.Wait()` inside a goroutine that X counts (`X.Add` before its `go` statement and a Done on X in its body, or `X.Go`), before that goroutine has called its own Done.',
    why: 'Wait returns only when the counter reaches zero, and the counter includes the waiting goroutine itself, whose Done can only run after Wait returns: the goroutine blocks forever, and so does every other Wait on X ("fatal error: all goroutines are asleep - deadlock!").',
    fix: 'Wait outside the counted goroutines (in the launcher, or in a separate uncounted goroutine that closes a channel), or use a second WaitGroup for the nested work.',
    bad: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			defer wg.Done()
			handle(item)
			wg.Wait()
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
      if (g.body.source.path !== ctx.path) continue; // a body in another file is reported there
      const counted = countedOn(g, ctx.resolver);
      if (!counted) continue;
      const explicitDones = g.counter ? [] : bodyDones(g, counted.key, true).filter((d) => d.sync.call.parent?.type === 'expression_statement');
      for (const wait of bodyWaitGroupCalls(g, true)) {
        if (wait.key !== counted.key || wait.sync.method !== 'Wait') continue;
        if (explicitDones.some((d) => d.sync.call.start < wait.sync.call.start)) continue; // its own count is released first
        findings.push({
          span: firstLine(wait.sync.call),
          message: `${quote(wait.sync.call)} inside a goroutine counted on ${counted.key} waits for itself: its own Done cannot run until Wait returns ("fatal error: all goroutines are asleep - deadlock!")`,
          related: [{ span: firstLine(counted.add?.call ?? g.launch), message: 'the goroutine is counted here' }],
        });
      }
    }
    return findings;
  },
};
