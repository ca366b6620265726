import { deleteLines, insertLineBefore, ownsItsLines, trailingComment } from '../go/edits';
import { ownDescendants } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import type { SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import { type Fix, GO_STATEMENT, type Rule, type RuleContext, type RuleFinding } from './rule';

export const wgAddInGoroutine: Rule = {
  id: 'wg-add-in-goroutine',
  severity: 'warning',
  title: 'WaitGroup.Add called inside the goroutine it counts',
  // The launcher is checked: it holds the go statement, the Add may be in a named function.
  triggers: GO_STATEMENT,
  docs: {
    what: "`X.Add(n)` on a WaitGroup runs inside a goroutine's body — a function literal or a same-package function started with `go` — before that body starts goroutines of its own, and the code that launched the goroutine did not `Add` to X before the `go` statement. An Add that is the statement right before a nested `go` counts that goroutine and is not reported.",
    why: '`go` only schedules the goroutine. `X.Wait()` in the launcher can run before the goroutine has executed its `Add`, see a zero counter and return while the work is still running; the late `Add` may also race with `Wait` ("sync: WaitGroup misuse: Add called concurrently with Wait").',
    fix: 'Call `X.Add(1)` in the launching code directly before the `go` statement (inside the loop when the `go` is in a loop), and keep only `defer X.Done()` inside the goroutine. The quick fix moves the Add when its count is a constant and it always runs at the top of a function literal.',
    bad: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		go func(item string) {
			wg.Add(1)
			defer wg.Done()
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
      if (g.counter) continue; // X.Go counts its goroutine itself
      if (g.fn.type !== 'func_literal' && !ctx.index.onlyLaunched(g.fn.child('name')?.text ?? '')) continue;
      if (g.body.source.path !== ctx.path) continue; // its own file reports it
      for (const add of addsBeforeFirstGo(g)) {
        const launcherKey = g.toLauncher(add.receiver);
        if (!launcherKey || addedBefore(ctx, g, launcherKey)) continue;
        const fix = moveBeforeLaunch(g, add, launcherKey);
        findings.push({
          span: firstLine(add.call),
          message: `${quote(add.call)} runs inside the goroutine it counts: ${quote(add.receiver)}.Wait() can return before this Add runs, while the goroutine is still working`,
          related: [{ span: firstLine(g.launch), message: `the goroutine is started here without an Add on ${launcherKey} before it` }],
          fixes: fix ? [fix] : [],
        });
      }
    }
    return findings;
  },
};

/**
 * Moves `X.Add(n)` from the goroutine's body to the line before its `go` statement. Offered when
 * the move cannot change what is counted: a function literal started at one place, an Add that
 * is a statement of the body's top level (it always runs) with a constant count.
 */
function moveBeforeLaunch(g: Goroutine, add: SyncCall, launcherKey: string): Fix | undefined {
  const stmt = add.call.parent;
  const count = add.call.child('arguments')?.named;
  if (g.fn.type !== 'func_literal' || g.launch.type !== 'go_statement' || stmt?.type !== 'expression_statement') return undefined;
  if (stmt.parent?.parent !== g.body || count?.length !== 1 || count[0].type !== 'int_literal') return undefined;
  if (!ownsItsLines(stmt) || !ownsItsLines(g.launch)) return undefined;
  const comment = trailingComment(stmt);
  const moved = `${launcherKey}.Add(${count[0].text})${comment ? ` ${comment}` : ''}`;
  return {
    title: `Move ${quote(add.call)} before the go statement (the goroutine no longer races Wait)`,
    preferred: true,
    edits: [insertLineBefore(g.launch, moved), deleteLines(stmt)],
  };
}

/** Positive Adds in the goroutine's own body before it starts goroutines of its own. */
function addsBeforeFirstGo(g: Goroutine): SyncCall[] {
  const firstGo = g.body.descendantsOfType('go_statement')[0];
  return ownDescendants(g.body, 'call_expression')
    .filter((call) => (!firstGo || call.start < firstGo.start) && !countsNextGo(call))
    .map((call) => g.resolver.syncCall(call))
    .filter((c): c is SyncCall => c?.kind === 'WaitGroup' && c.method === 'Add' && !/^\s*-/.test(c.call.child('arguments')?.named[0]?.text ?? ''));
}

/** `X.Add(1)` as the statement right before a nested `go`: it counts that goroutine, not this one. */
function countsNextGo(call: GoNode): boolean {
  const stmt = call.parent;
  const list = stmt?.parent;
  if (stmt?.type !== 'expression_statement' || list?.type !== 'statement_list') return false;
  return list.named[list.named.indexOf(stmt) + 1]?.type === 'go_statement';
}

/** Whether the launching function calls `key.Add` before the launch, outside nested literals. */
function addedBefore(ctx: RuleContext, g: Goroutine, key: string): boolean {
  return ownDescendants(g.launcher.child('body') ?? g.launcher, 'call_expression').some((call) => {
    if (call.start >= g.launch.start) return false;
    const c = ctx.resolver.syncCall(call);
    return c?.kind === 'WaitGroup' && c.method === 'Add' && c.key === key;
  });
}
