import { insertFirstInBlock } from '../go/edits';
import { FUNCTION_TYPES } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { keyOf, type SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import { typeFromNode } from '../go/types';
import { bodyDones, countingAdd, doneOrPassedAfter, donesOutside, handsOff, nameableAtTop } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import { type Fix, GO_STATEMENT, type Rule, type RuleContext, type RuleFinding } from './rule';

export const wgDoneMissing: Rule = {
  id: 'wg-done-missing',
  severity: 'warning',
  title: 'Counted goroutine never calls WaitGroup.Done',
  triggers: GO_STATEMENT,
  docs: {
    what: "A goroutine counted by `X.Add(n)` directly before its `go` statement whose body never calls `X.Done()` (directly, deferred, or in a nested literal), and never passes X on to anything that could (an argument, an assignment, a closure, a method of the object holding X); nor does the launching function hand `X.Done` on as a value (a callback that will call it).",
    why: 'The counter never returns to zero, so `X.Wait()` blocks forever: the caller hangs, or the program dies with "fatal error: all goroutines are asleep - deadlock!".',
    fix: 'Start the goroutine body with `defer X.Done()`, or on Go 1.25 and later launch it with `X.Go(func() { ... })`, which counts and completes it itself. The quick fix inserts `defer X.Done()` (X as the Add writes it) as the first statement of a function literal launched with `go`, when the Add counts exactly this goroutine: `X.Add(1)`, or an Add before the loop the launch is in. It is not offered for named functions (other callers would change too), for one-line bodies, for literals that take a WaitGroup parameter (which one was meant is unclear), or when a parameter or a declaration in between hides X.',
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
      if (doneHandedOn(g.launcher, add.key)) continue;
      const done = `${quote(add.receiver)}.Done()`;
      findings.push({
        span: firstLine(g.launch),
        message: `the goroutine counted by ${quote(add.call)} never calls ${done}: ${quote(add.receiver)}.Wait() blocks forever`,
        related: [{ span: firstLine(add.call), message: `counted here; nothing calls ${done} for it` }],
        fixes: deferDone(ctx, g, add) ?? [],
      });
    }
    return findings;
  },
};

/** `X.Done` as a value (`srv := &server{onStarted: wg.Done}`): whoever is given it calls Done. */
function doneHandedOn(fn: GoNode, key: string): boolean {
  return fn.descendantsOfType('selector_expression').some((sel) => {
    const operand = sel.child('operand');
    const called = sel.parent?.type === 'call_expression' && sel.field === 'function';
    return sel.child('field')?.text === 'Done' && !called && !!operand && keyOf(operand) === key;
  });
}

/** Inserts `defer X.Done()` at the top of the literal, when the Add counts this one goroutine (per iteration). */
function deferDone(ctx: RuleContext, g: Goroutine, add: SyncCall): Fix[] | undefined {
  if (g.fn.type !== 'func_literal' || g.launch.type !== 'go_statement' || !nameableAtTop(add.receiver, g.fn, g.launch)) return undefined;
  const takesWaitGroup = (g.fn.child('parameters')?.named ?? []).some((p) => {
    const type = typeFromNode(p.child('type'), ctx.imports);
    return type?.kind === 'WaitGroup' || (type?.kind === 'named' && !!ctx.index.embeddedSync(type.name, 'Done'));
  });
  const count = add.call.child('arguments')?.named ?? [];
  const oncePerLaunch = count.length === 1 && (count[0].text === '1' || (!/^\d+$/.test(count[0].text) && loopBetween(add.call, g.launch)));
  if (takesWaitGroup || !oncePerLaunch) return undefined;
  const code = `defer ${add.receiver.text}.Done()`;
  const edit = insertFirstInBlock(g.body, code);
  return edit && [{ title: `Insert ${code} at the top of the goroutine`, preferred: true, edits: [edit] }];
}

/** Whether a loop encloses `launch` but not `add` (the Add counted every iteration's goroutine). */
function loopBetween(add: GoNode, launch: GoNode): boolean {
  for (let n = launch.parent; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) {
    if (n.isAncestorOf(add)) return false;
    if (n.type === 'for_statement') return true;
  }
  return false;
}
