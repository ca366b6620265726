import { replaceNode } from '../go/edits';
import { FUNCTION_TYPES } from '../go/functions';
import type { SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import { bodyDones, doneOrPassedAfter, donesOutside, handsOff, launchesGoroutines, statementSyncCall } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleContext, RuleFinding } from './rule';

export const wgAddCountMismatch: Rule = {
  id: 'wg-add-count-mismatch',
  severity: 'warning',
  title: 'WaitGroup.Add(N) does not match the goroutines started',
  triggers: /\.Add\s*\(\s*\d+\s*\)/,
  docs: {
    what: '`X.Add(N)` with a constant N, followed in the same straight-line block by a different number of goroutine launches that call `X.Done()` before `X.Wait()`; or `X.Add(N)`, N ≠ 1, directly before a single such `go` statement outside any loop.',
    why: 'With fewer goroutines than counted, the counter never reaches zero and `X.Wait()` blocks forever ("fatal error: all goroutines are asleep - deadlock!"). With more, the extra Done calls drive the counter below zero ("panic: sync: negative WaitGroup counter"), or Wait returns before the last goroutines finish.',
    fix: 'Make N match the goroutines started, or call `X.Add(1)` directly before each `go` statement so the count cannot drift. The quick fix replaces N by the number of `go` statements counted (1 for a single `go` directly after the Add); it is always offered.',
    bad: `package p

import "sync"

func fetchBoth(a, b func()) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		a()
	}()
	go func() {
		defer wg.Done()
		b()
	}()
	wg.Wait()
}
`,
    good: `package p

import "sync"

func fetchBoth(a, b func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		a()
	}()
	go func() {
		defer wg.Done()
		b()
	}()
	wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const stmt of ctx.unit.descendantsOfType('expression_statement')) {
      const add = statementSyncCall(stmt, ctx.resolver);
      const count = add?.call.child('arguments')?.named[0]?.text ?? '';
      if (add?.method !== 'Add' || !/^\d+$/.test(count) || stmt.parent?.type !== 'statement_list') continue;
      const after = launchesAfter(ctx, stmt, add);
      if (!after || after.launches.length === 0) continue;
      const bodies = after.launches.map((l) => ctx.goroutines().find((g) => g.launch === l)!.body);
      if (donesOutside(enclosing(stmt), add.key, ctx.resolver, bodies).length > 0) continue; // callbacks or other goroutines complete counts too
      const n = Number(count);
      const m = after.launches.length;
      const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
      let message: string | undefined;
      let fixed = m;
      if (after.wait && m !== n) {
        const outcome = m < n ? 'Wait blocks forever ("fatal error: all goroutines are asleep - deadlock!")' : 'the extra Done calls drive the counter negative ("sync: negative WaitGroup counter")';
        message = `${quote(add.call)} counts ${plural(n, 'goroutine')}, but ${m} ${m === 1 ? 'is' : 'are'} started before ${quote(after.wait)}: ${outcome}`;
      } else if (!after.wait && n !== 1 && m === 1 && after.launches[0] === nextStatement(stmt) && !inLoop(stmt) && !doneOrPassedAfter(enclosing(stmt), stmt.parent!.end, add.key, ctx.resolver)) {
        fixed = 1;
        message = `${quote(add.call)} counts ${plural(n, 'goroutine')}, but only one go statement follows it: ${quote(add.receiver)}.Wait() blocks forever ("fatal error: all goroutines are asleep - deadlock!")`;
      }
      if (!message) continue;
      const arg = add.call.child('arguments')!.named[0];
      findings.push({
        span: firstLine(add.call),
        message,
        related: after.launches.map((l) => ({ span: firstLine(l), message: 'a counted goroutine is started here' })),
        fixes: [{ title: `Change ${quote(add.call)} to ${quote(add.receiver)}.Add(${fixed}), the number of goroutines started`, preferred: true, edits: [replaceNode(arg, String(fixed))] }],
      });
    }
    return findings;
  },
};

/**
 * The go statements after the Add in its block whose goroutines call Done on X once, up to
 * `X.Wait()`; undefined when anything else there may count or complete X (loops and branches
 * that launch, other uses of X, helpers it is passed to).
 */
function launchesAfter(ctx: RuleContext, addStmt: GoNode, add: SyncCall): { launches: GoNode[]; wait?: GoNode } | undefined {
  const siblings = addStmt.parent!.named;
  const byLaunch = new Map(ctx.goroutines().map((g) => [g.launch, g]));
  const root = add.key.split('.')[0];
  const launches: GoNode[] = [];
  for (const stmt of siblings.slice(siblings.indexOf(addStmt) + 1)) {
    const sync = statementSyncCall(stmt, ctx.resolver);
    if (sync?.key === add.key) return sync.method === 'Wait' && stmt.type === 'expression_statement' ? { launches, wait: sync.call } : undefined;
    if (stmt.type === 'go_statement') {
      const g = byLaunch.get(stmt);
      if (!g || g.counter) return undefined;
      const dones = bodyDones(g, add.key);
      if (dones.length > 1 || handsOff(g, add.key)) return undefined;
      if (dones.length === 1) launches.push(stmt);
      continue;
    }
    if (launchesGoroutines(stmt, ctx.resolver) || stmt.descendantsOfType('identifier').some((id) => id.text === root)) return undefined;
  }
  return { launches };
}

function nextStatement(stmt: GoNode): GoNode | undefined {
  const siblings = stmt.parent?.named ?? [];
  return siblings[siblings.indexOf(stmt) + 1];
}

function enclosing(stmt: GoNode): GoNode {
  return stmt.ancestor(...FUNCTION_TYPES) ?? stmt;
}

function inLoop(node: GoNode): boolean {
  for (let n = node.parent; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) if (n.type === 'for_statement') return true;
  return false;
}
