import { insertLineAfterLines, ownsItsLines } from '../go/edits';
import { enclosingFunction, FUNCTION_TYPES } from '../go/functions';
import { firstLine } from '../go/text';
import { typeFromNode } from '../go/types';
import type { GoNode } from '../syntax/node';
import { countedOn } from '../go/waitgroups';
import type { Fix, Rule, RuleContext, RuleFinding } from './rule';

const COUNTING = ['Add', 'Done', 'Go'];

export const wgWaitMissing: Rule = {
  id: 'wg-wait-missing',
  severity: 'warning',
  title: 'WaitGroup counts goroutines but is never waited on',
  triggers: /\.(Add|Go)\s*\(/,
  docs: {
    what: 'A WaitGroup declared in a function counts goroutines (`Add` before `go`, or `Go`), never leaves the function (not returned, stored, passed on or captured as a method value), and nothing calls `Wait` on it.',
    why: 'The WaitGroup does nothing: the function returns while its goroutines may still be running, so their results, errors and side effects race with whatever the caller does next.',
    fix: 'Call `wg.Wait()` where the function needs the goroutines to have finished (usually before returning), or remove the WaitGroup if nothing needs to wait. The quick fix inserts `wg.Wait()` after the last statement, in the block declaring wg, that counts or starts its goroutines. It makes the function block until they finish, so it is not the preferred fix, and it is not offered when a counted goroutine uses channels, `select` or a mutex (waiting for it there could deadlock) or is a named function, or when the counting happens in a nested function literal.',
    bad: `package p

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
    for (const name of localWaitGroups(ctx)) {
      const fn = enclosingFunction(name);
      if (!fn) continue;
      const methods: { method: string; call: GoNode }[] = [];
      let escapes = false;
      for (const id of fn.descendantsOfType('identifier')) {
        if (id === name || id.text !== name.text || ctx.resolver.declarationOf(id)?.name !== name) continue;
        const selector = id.parent?.type === 'selector_expression' && id.field === 'operand' ? id.parent : undefined;
        const call = selector?.parent?.type === 'call_expression' && selector.field === 'function' ? selector.parent : undefined;
        const method = selector?.child('field')?.text ?? '';
        if (!call || !(COUNTING.includes(method) || method === 'Wait')) escapes = true;
        else methods.push({ method, call });
      }
      if (escapes || methods.some((m) => m.method === 'Wait')) continue;
      const counts = methods.find((m) => m.method === 'Go') ?? (fn.descendantsOfType('go_statement').length > 0 ? methods.find((m) => m.method === 'Add') : undefined);
      if (!counts) continue;
      findings.push({
        span: firstLine(name),
        message: `${name.text} counts goroutines but nothing calls ${name.text}.Wait(): the function returns while they may still run, and nothing ever waits for them`,
        related: [{ span: firstLine(counts.call), message: 'goroutines are counted here' }],
        fixes: insertWait(ctx, name, fn, methods.filter((m) => m.method !== 'Done').map((m) => m.call)),
      });
    }
    return findings;
  },
};

/** Names of the WaitGroups (values or pointers) the unit's functions declare as locals. */
function localWaitGroups(ctx: RuleContext): GoNode[] {
  const names: GoNode[] = [];
  for (const spec of ctx.unit.descendantsOfType('var_spec')) {
    if (!enclosingFunction(spec)) continue;
    const declared = typeFromNode(spec.child('type'), ctx.imports);
    const values = spec.child('value')?.named ?? [];
    spec.childrenOf('name').forEach((name, i) => {
      if ((declared ?? ctx.resolver.typeOf(values[i]))?.kind === 'WaitGroup') names.push(name);
    });
  }
  for (const decl of ctx.unit.descendantsOfType('short_var_declaration')) {
    const left = decl.child('left')?.named ?? [];
    const right = decl.child('right')?.named ?? [];
    if (left.length !== right.length) continue;
    left.forEach((name, i) => {
      if (ctx.resolver.typeOf(right[i])?.kind === 'WaitGroup' && right[i].type !== 'identifier' && right[i].type !== 'selector_expression') names.push(name);
    });
  }
  return names;
}

/**
 * Inserts `wg.Wait()` after the last statement of the declaring block that counts or starts a
 * goroutine of wg, when waiting there cannot block on the function itself: every counted
 * goroutine is a literal of this function that neither uses channels nor takes locks.
 */
function insertWait(ctx: RuleContext, name: GoNode, fn: GoNode, counting: GoNode[]): Fix[] {
  const declaration = name.ancestor('var_declaration', 'short_var_declaration');
  const list = declaration?.parent;
  if (!declaration || list?.type !== 'statement_list') return [];
  const goroutines = ctx.goroutines().filter((g) => countedOn(g, ctx.resolver)?.key === name.text);
  const sites = [...counting, ...goroutines.map((g) => g.launch)];
  for (const g of goroutines) {
    if (g.fn.type !== 'func_literal' || g.fn.descendantsOfType(['send_statement', '<-', 'select_statement']).length > 0) return [];
    if (g.body.descendantsOfType('call_expression').some((c) => ['Mutex', 'RWMutex'].includes(g.resolver.syncCall(c)?.kind ?? ''))) return [];
  }
  const stmts = list.named;
  let last: GoNode | undefined;
  for (const site of sites) {
    if (site.ancestor(...FUNCTION_TYPES) !== fn) return [];
    const stmt = stmts.find((s) => s === site || s.isAncestorOf(site));
    if (!stmt || stmt.start < declaration.end) return [];
    if (!last || stmt.start > last.start) last = stmt;
  }
  if (!last || last.type === 'return_statement' || !ownsItsLines(last)) return [];
  return [
    {
      title: `Insert ${name.text}.Wait() after the statement that starts its last goroutine (the function then waits for them)`,
      preferred: false,
      edits: [insertLineAfterLines(last, `${name.text}.Wait()`)],
    },
  ];
}
