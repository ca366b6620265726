import { deleteLines, insertLineBefore, ownsItsLines, trailingComment } from '../go/edits';
import { skipFuncLiterals } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { firstLine, quote } from '../go/text';
import { addsBefore, bodyDones, doneOrPassedAfter, isDone, statementSyncCall } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { SyncCall } from '../go/resolve';
import { type Fix, GO_STATEMENT, type Rule, type RuleContext, type RuleFinding } from './rule';

export const wgAddAfterGo: Rule = {
  id: 'wg-add-after-go',
  severity: 'warning',
  title: 'WaitGroup.Add called after the goroutine it counts was started',
  triggers: GO_STATEMENT,
  docs: {
    what: '`X.Add(n)` comes after, in the same block, a `go` statement whose goroutine calls `X.Done()`, and nothing launched after the Add needs it: the Add counts a goroutine that is already running.',
    why: 'The goroutine can call `X.Done()` before the Add runs: the counter goes below zero ("panic: sync: negative WaitGroup counter"), or `X.Wait()` sees zero and returns while work is still running.',
    fix: 'Move `X.Add(n)` before the `go` statement (inside the loop when the `go` is in a loop). The quick fix moves the Add to the line before the statement of its block that starts the goroutine: directly before the `go` statement, or before the loop or `if` that contains it (an `Add(n)` after a loop of n launches then counts them before the first one starts). It is not offered when a statement in between calls `X.Wait()`, declares or assigns a variable the Add uses, or when the Add or that statement shares its line with other code.',
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
        fixes: moveBefore(ctx, stmt, add, uncounted.launch) ?? [],
      });
    }
    return findings;
  },
};

/** `go` statements a statement makes in its own function. */
function launchesIn(stmt: GoNode): GoNode[] {
  return stmt.type === 'go_statement' ? [stmt] : stmt.descendantsOfType('go_statement', skipFuncLiterals);
}

/**
 * Moves the Add to the line before the statement of its block that contains the launch. Not
 * offered when a statement in between waits on X, or may declare or change a name the Add's
 * count uses.
 */
function moveBefore(ctx: RuleContext, stmt: GoNode, add: SyncCall, launch: GoNode): Fix[] | undefined {
  const siblings = stmt.parent!.named;
  const target = siblings.find((s) => s === launch || s.isAncestorOf(launch));
  if (!target || !ownsItsLines(stmt) || !ownsItsLines(target)) return undefined;
  const names = new Set((add.call.child('arguments')?.descendantsOfType('identifier') ?? []).map((id) => id.text));
  for (const s of siblings.slice(siblings.indexOf(target), siblings.indexOf(stmt))) {
    if (changed(s).some((id) => names.has(id.text))) return undefined;
    const waits = s.descendantsOfType('call_expression').some((c) => {
      const sync = ctx.resolver.syncCall(c);
      return sync?.kind === 'WaitGroup' && sync.key === add.key && sync.method === 'Wait';
    });
    if (waits) return undefined;
  }
  const comment = trailingComment(stmt);
  const where = target === launch ? 'the go statement' : `the ${target.type === 'for_statement' ? 'loop' : 'statement'} that starts the goroutine`;
  return [
    {
      title: `Move ${quote(add.call)} before ${where} (its Done can no longer come first)`,
      preferred: true,
      edits: [insertLineBefore(target, `${add.call.text}${comment ? ` ${comment}` : ''}`), deleteLines(stmt)],
    },
  ];
}

/** Identifiers a statement may declare or change: left sides, ++/--, declarations, range variables, `&x`. */
function changed(stmt: GoNode): GoNode[] {
  const found: GoNode[] = [];
  for (const n of [stmt, ...stmt.descendants()]) {
    if (n.type === 'assignment_statement' || n.type === 'short_var_declaration' || n.type === 'range_clause') found.push(...(n.child('left')?.descendantsOfType('identifier') ?? []));
    else if (n.type === 'inc_statement' || n.type === 'dec_statement') found.push(...n.descendantsOfType('identifier'));
    else if (n.type === 'var_spec' || n.type === 'parameter_declaration') found.push(...n.childrenOf('name'));
    else if (n.type === 'unary_expression' && n.children[0]?.type === '&') found.push(...n.descendantsOfType('identifier'));
  }
  return found;
}
