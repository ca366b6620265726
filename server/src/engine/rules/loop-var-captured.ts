import { deferredLiteral } from '../go/defers';
import { insertFirstInBlock } from '../go/edits';
import { FUNCTION_TYPES } from '../go/functions';
import { atLeast } from '../go/packageIndex';
import type { Resolver } from '../go/resolve';
import { changesOf } from '../go/stable';
import { firstLine } from '../go/text';
import type { GoNode } from '../syntax/node';
import type { Fix, Rule, RuleFinding } from './rule';

export const loopVarCaptured: Rule = {
  id: 'loop-var-captured',
  severity: 'warning',
  title: 'goroutine or deferred literal captures a loop variable shared by all iterations',
  triggers: /\b(go|defer)\s+func\b/,
  docs: {
    what: 'Only where the nearest go.mod says a Go version below 1.22: a `go` or `defer` statement calling a function literal inside a loop, where the literal reads a variable the loop declares (`for _, v := range xs`, `for i := 0; ...`). Literals that take the variable as an argument or shadow it (`v := v`) are fine. A `go` statement is only reported when it is the last thing the iteration does (as in vet): code after it may wait for the goroutine.',
    why: 'Before Go 1.22 a loop declares its variables once and reassigns them every iteration. A goroutine may run after the loop moved on and see a later value (often the last one for all goroutines); a deferred literal always runs after the loop finished and sees the last value.',
    fix: 'Pass the variable as an argument (`go func(v T) { ... }(v)`), copy it inside the loop (`v := v`), or raise the `go` directive in go.mod to 1.22 or later, which gives each iteration its own variables. The quick fix inserts `v := v` as the first statement of the loop body; it is not offered in a `for i := 0; ...` loop whose body assigns i, increments it, takes its address or calls a method on it (the copy would stop those from advancing the loop), nor when the body opens and closes on one line.',
    goVersion: '1.21',
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
    const version = ctx.index.goVersion;
    if (!version || atLeast(version, 1, 22)) return [];
    const findings: RuleFinding[] = [];
    for (const stmt of ctx.unit.descendantsOfType(['go_statement', 'defer_statement'])) {
      const literal = deferredLiteral(stmt);
      if (!literal?.child('body')) continue;
      for (const loop of loopsAround(stmt)) {
        if (stmt.type === 'go_statement' && !endsIteration(stmt, loop)) continue;
        const captured = loopVariables(loop).flatMap((variable) => {
          const use = literal.child('body')?.descendantsOfType('identifier').find((id) => id.text === variable.text && !declares(id) && ctx.resolver.declarationOf(id)?.name === variable);
          return use ? [{ variable, use }] : [];
        });
        const fix = captured.length > 0 ? copyFix(loop, captured.map((c) => c.variable), ctx.resolver) : undefined;
        for (const { variable, use } of captured) {
          findings.push({
            fixes: fix ? [fix] : [],
            span: firstLine(use),
            message: `${variable.text} is the loop variable, shared by all iterations before Go 1.22 (go.mod says ${version.major}.${version.minor}): ${stmt.type === 'go_statement' ? "the goroutine may see a later iteration's value" : 'every deferred call sees the value of the last iteration'}`,
            related: [{ span: firstLine(variable), message: `${variable.text} is declared once for the whole loop here` }],
          });
        }
      }
    }
    return findings;
  },
};

/**
 * Inserts `v := v` (`k, v := k, v`) as the loop body's first statement. Not offered in a
 * three-clause loop whose body changes a variable (assigns it, `++`, `&i`, a method call): the
 * copy would stop that from advancing or stopping the loop. (In a range loop every later change
 * in the body applies to the copy, and the next iteration assigns the variable anyway.)
 */
function copyFix(loop: GoNode, variables: GoNode[], resolver: Resolver): Fix | undefined {
  const body = loop.child('body');
  if (!body) return undefined;
  if (loop.named.some((c) => c.type === 'for_clause') && variables.some((v) => changesOf(resolver.declarationOf(v) ?? { name: v, kind: 'other' }, body, resolver).length > 0)) return undefined;
  const names = variables.map((v) => v.text).join(', ');
  const code = `${names} := ${names}`;
  const edit = insertFirstInBlock(body, code);
  return edit && { title: `Copy ${names} for each iteration: insert ${code} at the top of the loop body`, preferred: true, edits: [edit] };
}

/** The `for` loops around `node` in its own function, innermost first. */
function loopsAround(node: GoNode): GoNode[] {
  const loops: GoNode[] = [];
  for (let n = node.parent; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) if (n.type === 'for_statement') loops.push(n);
  return loops;
}

/** The names a loop declares: `for k, v := range` or `for i := 0; ...`. */
function loopVariables(loop: GoNode): GoNode[] {
  const clause = loop.named.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
  if (clause?.type === 'range_clause') return clause.children.some((c) => c.type === ':=') ? (clause.child('left')?.named ?? []).filter((v) => v.type === 'identifier' && v.text !== '_') : [];
  const init = clause?.child('initializer');
  return init?.type === 'short_var_declaration' ? (init.child('left')?.named ?? []).filter((v) => v.text !== '_') : [];
}

/**
 * Whether nothing in the iteration runs after the `go` statement (as vet's loopclosure): it is the
 * last statement of the loop body, or of an if/switch/select branch that is. Code after it may
 * wait for the goroutine (a Wait, a receive, a pipe read) before the variable changes.
 */
function endsIteration(stmt: GoNode, loop: GoNode): boolean {
  for (let n: GoNode = stmt; n.parent && n !== loop; n = n.parent) {
    if (n.parent.type === 'statement_list' && n.parent.named.at(-1) !== n) return false;
    if (n.parent.type === 'for_statement' && n.parent !== loop) return false;
  }
  return true;
}

/** A name being declared (`i := 0`, `for _, s := range`), not a use. */
function declares(id: GoNode): boolean {
  const list = id.parent?.type === 'expression_list' && id.parent.field === 'left' ? id.parent.parent : undefined;
  return (list?.type === 'short_var_declaration' || list?.type === 'range_clause') && list.children.some((c) => c.type === ':=');
}
