import { deleteStatement, ownsItsLines, replaceNode } from '../go/edits';
import { ownDescendants } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { atLeast } from '../go/packageIndex';
import { statementsOf } from '../go/paths';
import { firstLine, quote } from '../go/text';
import { bodyDones, isDoneStatement, statementExit, statementSyncCall } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { SyncCall } from '../go/resolve';
import type { Fix, Rule, RuleEdit, RuleFinding } from './rule';

/** Builtins a deferred call may name: none of them can recover. */
const BUILTINS = ['close', 'delete', 'print', 'println'];

export const wgGoAvailable: Rule = {
  id: 'wg-go-available',
  severity: 'hint',
  title: 'WaitGroup.Add(1) + go func() { defer Done() } can be WaitGroup.Go',
  triggers: /\bgo\s+func\b/,
  docs: {
    what: 'On Go 1.25 and later (the nearest `go.mod`), `X.Add(1)` directly before `go func() { defer X.Done(); ... }()` (or with `X.Done()` as the last statement and no early exit), where the literal takes no parameters, returns nothing, has no other Done on X and no deferred call that could `recover`.',
    why: '`X.Go(func() { ... })` counts and completes the goroutine itself: nobody can later move the Add into the goroutine, forget the Done, or call it twice.',
    fix: 'Replace the Add and the `go` statement by `X.Go(func() { ... })` without the Done. The quick fix does exactly that, with X as the Add writes it and the body left as it is (it keeps its indentation); a one-line literal stays on one line. It is not offered when the Add shares its line with other code, or a one-line literal holds comments.',
    goVersion: '1.25',
    bad: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(item)
		}()
	}
	wg.Wait()
}
`,
    good: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Go(func() {
			handle(item)
		})
	}
	wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    if (!atLeast(ctx.index.goVersion, 1, 25)) return findings;
    for (const g of ctx.goroutines()) {
      if (g.counter || g.fn.type !== 'func_literal' || g.fn.child('result') || (g.fn.child('parameters')?.named.length ?? 0) > 0) continue;
      if ((g.launch.firstOfType('call_expression')?.child('arguments')?.named.length ?? 0) > 0) continue;
      const list = g.launch.parent;
      const previous = list?.type === 'statement_list' ? list.named[list.named.indexOf(g.launch) - 1] : undefined;
      const add = previous && statementSyncCall(previous, ctx.resolver);
      if (previous?.type !== 'expression_statement' || add?.method !== 'Add' || add.call.child('arguments')?.named[0]?.text !== '1') continue;
      if (bodyDones(g, add.key).length !== 1 || !completesOnce(g, add.key) || mayRecover(g)) continue;
      const receiver = quote(add.receiver);
      findings.push({
        span: firstLine(g.launch),
        message: `${quote(add.call)} and go func() with defer ${receiver}.Done() can be written ${receiver}.Go(func() { ... }) (Go 1.25): it counts and completes the goroutine itself, so the count cannot go wrong`,
        related: [{ span: firstLine(add.call), message: 'the Add that Go would make' }],
        fixes: rewriteToGo(g, add, previous) ?? [],
      });
    }
    return findings;
  },
};

/** The body's one Done is `defer X.Done()` first, or `X.Done()` last with no way out before it. */
function completesOnce(g: Goroutine, key: string): boolean {
  const stmts = statementsOf(g.body);
  if (stmts[0]?.type === 'defer_statement' && isDoneStatement(stmts[0], g, key, true)) return true;
  const last = stmts[stmts.length - 1];
  if (!last || !isDoneStatement(last, g, key, false)) return false;
  const exits = ownDescendants(g.body, ['return_statement', 'goto_statement', 'expression_statement']);
  return !exits.some((s) => s.type !== 'expression_statement' || statementExit(s, g.resolver));
}

/** A deferred call other than the Done that could recover a panic: a literal calling `recover()`, or any named function. */
function mayRecover(g: Goroutine): boolean {
  return ownDescendants(g.body, 'defer_statement').some((d) => {
    const call = d.named[0];
    const fn = call?.child('function');
    if (!call || !fn) return true;
    if (fn.type === 'func_literal') return fn.descendantsOfType('call_expression').some(isRecover);
    if (g.resolver.syncCall(call)) return false;
    return !(fn.type === 'identifier' && BUILTINS.includes(fn.text) && !g.resolver.declarationOf(fn));
  });
}

function isRecover(call: GoNode): boolean {
  return call.child('function')?.text === 'recover';
}

/** `X.Add(1)` + `go func() { defer X.Done(); ... }()` → `X.Go(func() { ... })`. */
function rewriteToGo(g: Goroutine, add: SyncCall, addStmt: GoNode): Fix[] | undefined {
  const call = g.launch.firstOfType('call_expression');
  const args = call?.child('arguments');
  const stmts = statementsOf(g.body);
  const done = stmts.find((s) => isDoneStatement(s, g, add.key, true));
  const dropAdd = deleteStatement(addStmt);
  if (!call || !args || !done || !dropAdd || call.child('function') !== g.fn) return undefined;
  let dropDone: RuleEdit | undefined;
  if (ownsItsLines(done)) dropDone = deleteStatement(done);
  else if (!g.body.text.includes('\n') && g.body.descendantsOfType('comment').length === 0) {
    const rest = stmts.filter((s) => s !== done).map((s) => s.text);
    dropDone = replaceNode(g.body, rest.length > 0 ? `{ ${rest.join('; ')} }` : '{}');
  }
  if (!dropDone) return undefined;
  const receiver = add.receiver.text;
  return [
    {
      title: `Rewrite as ${receiver}.Go(func() { ... })`,
      preferred: true,
      edits: [
        dropAdd,
        { span: { source: g.launch.source, start: g.launch.start, end: g.fn.start }, newText: `${receiver}.Go(` },
        dropDone,
        { span: { source: g.launch.source, start: g.fn.end, end: call.end }, newText: ')' },
      ],
    },
  ];
}
