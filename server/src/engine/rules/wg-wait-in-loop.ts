import { deleteLines, insertLineAfterLines, ownsItsLines, trailingComment } from '../go/edits';
import { branchTarget, enclosingFunction, FUNCTION_TYPES, ownDescendants } from '../go/functions';
import { rootIdentifier, type Goroutine } from '../go/goroutines';
import { statementsOf } from '../go/paths';
import type { SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import { bodyDones, countingAdd, isDone, statementSyncCall } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { Fix, Rule, RuleContext, RuleFinding } from './rule';

const DEADLOCK = '"fatal error: all goroutines are asleep - deadlock!"';

export const wgWaitInLoop: Rule = {
  id: 'wg-wait-in-loop',
  severity: 'error',
  title: 'WaitGroup.Wait inside the loop that starts the goroutines',
  triggers: /\.Wait\s*\(/,
  docs: {
    what: '`X.Wait()` inside the body of a loop that starts goroutines counted on X. When the Add is before the loop (`X.Add(len(xs))`), this is an error; when each iteration Adds for its own goroutine, it is reported as a hint.',
    why: 'With the Add before the loop, the first Wait waits for goroutines that later iterations were going to start: it blocks forever ("fatal error: all goroutines are asleep - deadlock!"). With the Add in the iteration, each Wait waits for the goroutine just started, so the goroutines run one at a time and the concurrency is lost.',
    fix: 'Move `X.Wait()` after the loop. The quick fix does that when the Wait is the last statement of the loop body, the body has no `return`, `goto` or branch to an outer loop, and X is not declared inside the loop; for the hint (one goroutine at a time) it is not the preferred fix, since running the goroutines concurrently is a change of behaviour.',
    bad: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, item := range items {
		go func(item string) {
			defer wg.Done()
			handle(item)
		}(item)
		wg.Wait()
	}
}
`,
    good: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, item := range items {
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
    for (const call of ctx.unit.descendantsOfType('call_expression')) {
      const wait = ctx.resolver.syncCall(call);
      if (wait?.kind !== 'WaitGroup' || wait.method !== 'Wait' || call.parent?.type !== 'expression_statement') continue;
      const loop = nearestLoop(call);
      if (!loop) continue;
      const launches = ctx.goroutines().filter((g) => loop.isAncestorOf(g.launch) && enclosingFunction(g.launch) === enclosingFunction(loop));
      const addsInLoop = ownDescendants(loop, 'call_expression')
        .map((c) => ctx.resolver.syncCall(c))
        .filter((s) => s?.kind === 'WaitGroup' && s.method === 'Add' && s.key === wait.key && !isDone(s));
      const counted = launches.flatMap((g) => {
        const add = countedBy(ctx, g, wait.key);
        return add ? [{ g, add }] : [];
      });
      const before = counted.find((c): c is { g: Goroutine; add: SyncCall } => c.add !== 'Go' && c.add.call.start < loop.start);
      if (before && addsInLoop.length === 0) {
        findings.push({
          span: firstLine(call),
          message: `${quote(call)} inside the loop blocks in the first iteration: ${quote(before.add.call)} before the loop counted goroutines that later iterations never start (${DEADLOCK})`,
          related: [
            { span: firstLine(before.add.call), message: 'all goroutines are counted here, before the loop' },
            { span: firstLine(before.g.launch), message: 'one goroutine per iteration is started here' },
          ],
          fixes: moveAfterLoop(ctx, wait, loop, true),
        });
        continue;
      }
      const serial = counted.find((c) => (c.add === 'Go' || loop.isAncestorOf(c.add.call)) && nearestLoop(c.g.launch) === loop && c.g.launch.start < call.start);
      if (!serial || !waitsRightAfterLaunching(ctx, call, loop, serial.g.launch) || declaredIn(ctx, wait, loop)) continue;
      findings.push({
        span: firstLine(call),
        severity: 'hint',
        message: `${quote(call)} inside the loop waits for the goroutine started in the same iteration: the goroutines run one at a time, not concurrently`,
        related: [{ span: firstLine(serial.g.launch), message: 'the goroutine started in this iteration' }],
        fixes: moveAfterLoop(ctx, wait, loop, false),
      });
    }
    return findings;
  },
};

/** The Add (or `Go`) that counts a goroutine on `key`, when its body does call Done on it. */
function countedBy(ctx: RuleContext, g: Goroutine, key: string): SyncCall | 'Go' | undefined {
  if (g.counter) return g.counter.key === key ? 'Go' : undefined;
  const add = countingAdd(g.launch, ctx.resolver);
  return add?.key === key && bodyDones(g, key).length > 0 ? add : undefined;
}

/**
 * The Wait is a statement of the loop body itself and only Adds and launches separate it from
 * the launch: nothing else in the iteration runs alongside the goroutine, on purpose or not.
 */
function waitsRightAfterLaunching(ctx: RuleContext, wait: GoNode, loop: GoNode, launch: GoNode): boolean {
  const stmts = statementsOf(loop.child('body'));
  const waitAt = stmts.indexOf(wait.parent!);
  const launchAt = stmts.findIndex((s) => s === launch || s.isAncestorOf(launch));
  if (waitAt < 0 || launchAt < 0) return false;
  return stmts.slice(launchAt, waitAt).every((s) => s.type === 'go_statement' || statementSyncCall(s, ctx.resolver)?.method === 'Add' || statementSyncCall(s, ctx.resolver)?.method === 'Go');
}

/** A WaitGroup declared inside the loop is a fresh one per iteration: waiting on it each time is the point. */
function declaredIn(ctx: RuleContext, wait: SyncCall, loop: GoNode): boolean {
  const root = rootIdentifier(wait.receiver);
  const decl = root && ctx.resolver.declarationOf(root);
  return !!decl && loop.isAncestorOf(decl.name);
}

/** The innermost loop around `node` in its own function. */
function nearestLoop(node: GoNode): GoNode | undefined {
  for (let n = node.parent; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) if (n.type === 'for_statement') return n;
  return undefined;
}

/** Moves the Wait, the last statement of the loop body, to the line after the loop. */
function moveAfterLoop(ctx: RuleContext, wait: SyncCall, loop: GoNode, deadlocks: boolean): Fix[] {
  const stmt = wait.call.parent!;
  const stmts = statementsOf(loop.child('body'));
  const outer = loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
  if (stmts.at(-1) !== stmt || outer.parent?.type !== 'statement_list' || !ownsItsLines(stmt) || trailingComment(outer) === undefined) return [];
  if (declaredIn(ctx, wait, loop)) return [];
  for (const n of ownDescendants(loop.child('body')!, ['return_statement', 'goto_statement', 'break_statement', 'continue_statement'])) {
    if (n.type === 'return_statement' || n.type === 'goto_statement') return [];
    const target = branchTarget(n);
    if (!target || !(target === loop || loop.isAncestorOf(target))) return [];
  }
  const comment = trailingComment(stmt);
  return [
    {
      title: `Move ${quote(wait.call)} after the loop${deadlocks ? '' : ' (the goroutines then run concurrently)'}`,
      preferred: deadlocks,
      edits: [deleteLines(stmt), insertLineAfterLines(outer, `${wait.call.text}${comment ? ` ${comment}` : ''}`)],
    },
  ];
}
