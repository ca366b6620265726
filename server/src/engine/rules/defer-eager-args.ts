import { deferredCall } from '../go/defers';
import { enclosingFunction, ownDescendants, skipFuncLiterals } from '../go/functions';
import type { Declaration, Resolver } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import { sameLater, wrapDeferredCall } from '../go/stable';
import { DEFER_STATEMENT, type Fix, type Rule, type RuleContext, type RuleFinding } from './rule';

/** Initial values that only stand in until the real one is assigned. */
const PLACEHOLDERS = ['int_literal', 'float_literal', 'rune_literal', 'interpreted_string_literal', 'raw_string_literal', 'true', 'false', 'nil'];

export const deferEagerArgs: Rule = {
  id: 'defer-eager-args',
  severity: 'warning',
  title: "a deferred call's arguments are evaluated at the defer, not at exit",
  triggers: DEFER_STATEMENT,
  docs: {
    what: 'A deferred call (not a function literal) whose argument is meant for exit time: it contains `time.Since(...)`, or it is a local variable still holding its initial placeholder (`var status string`, `done := false`, a named result) that the function assigns again after the `defer`.',
    why: 'Go evaluates the arguments of a deferred call when the `defer` statement runs. `defer log.Printf("took %v", time.Since(start))` always logs a duration of about zero, and `defer finish(err)` passes the `nil` that `err` held at that moment, whatever the function later fails with.',
    fix: 'Defer a function literal, which reads the variables when it runs: `defer func() { log.Printf("took %v", time.Since(start)) }()`. `defer trace(time.Now())` is fine: the start time is meant to be taken at once. The quick fix wraps the call that way. It is not offered when anything else would then be evaluated differently at exit: the function called is not a package function or an unchanged local, another argument calls a function, receives, divides, or reads a variable that is assigned, has its address taken or a method called after the defer (or a package variable); nor when the defer is in a loop or a function with `goto`, or the call spans lines.',
    bad: `package p

import (
	"log"
	"time"
)

func handle(work func() error) (err error) {
	start := time.Now()
	defer log.Printf("handled in %v, err=%v", time.Since(start), err)
	return work()
}
`,
    good: `package p

import (
	"log"
	"time"
)

func handle(work func() error) (err error) {
	start := time.Now()
	defer func() {
		log.Printf("handled in %v, err=%v", time.Since(start), err)
	}()
	return work()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const defer of ctx.unit.descendantsOfType('defer_statement')) {
      const call = deferredCall(defer);
      const fn = enclosingFunction(defer);
      if (!call || !fn || call.child('function')?.type === 'func_literal') continue;
      const found: RuleFinding[] = [];
      const late: GoNode[] = [];
      for (const arg of call.child('arguments')?.named ?? []) {
        if (callsTimeSince(arg, ctx.resolver)) {
          late.push(arg);
          found.push({
            span: firstLine(arg),
            message: `${quote(arg)} is evaluated when the defer statement runs, so the deferred ${quote(call.child('function')!)} gets an elapsed time of about zero instead of the time until the function returns`,
          });
          continue;
        }
        const later = arg.type === 'identifier' ? laterAssignment(arg, defer, fn, ctx.resolver) : undefined;
        if (!later) continue;
        late.push(arg);
        found.push({
          span: firstLine(arg),
          message: `${arg.text} is evaluated when the defer statement runs: ${quote(call)} sees its value from here, not the value the function assigns later`,
          related: [{ span: firstLine(later), message: later.type === 'return_statement' ? `this return sets ${arg.text} after the defer` : `${arg.text} is assigned again here` }],
        });
      }
      const fix = found.length > 0 ? wrapFix(defer, call, fn, late, ctx) : undefined;
      for (const f of found) findings.push({ ...f, fixes: fix ? [fix] : [] });
    }
    return findings;
  },
};

/**
 * Defers a literal making the call, so the flagged arguments are read at exit. Offered when
 * nothing else changes: the function called and the other arguments evaluate the same at exit
 * (see `sameLater`), `time.Since(...)` arguments call nothing else, and the defer runs once.
 */
function wrapFix(defer: GoNode, call: GoNode, fn: GoNode, late: GoNode[], ctx: RuleContext): Fix | undefined {
  const callee = call.child('function');
  const args = call.child('arguments')?.named ?? [];
  const stable = (expr: GoNode, allowCall?: (c: GoNode) => boolean) => sameLater(expr, fn, defer.end, ctx.resolver, ctx.index, allowCall);
  if (!callee || !stable(callee)) return undefined;
  for (const arg of args) {
    if (late.includes(arg) && arg.type === 'identifier') continue;
    const sinceOrMethod = (c: GoNode) => ctx.resolver.imports.isPackageFunc(c.child('function'), 'time', 'Since') || (c.child('function')?.type === 'selector_expression' && c.child('function')?.child('operand')?.type === 'call_expression');
    if (!stable(arg, late.includes(arg) ? sinceOrMethod : undefined)) return undefined;
  }
  const edit = wrapDeferredCall(defer, call, fn);
  if (!edit) return undefined;
  return { title: `Defer a function literal calling ${quote(call)}, so its arguments are evaluated when the function returns`, preferred: true, edits: [edit] };
}

function callsTimeSince(expr: GoNode, resolver: Resolver): boolean {
  const calls = [expr, ...expr.descendantsOfType('call_expression', skipFuncLiterals)].filter((c) => c.type === 'call_expression');
  return calls.some((c) => resolver.imports.isPackageFunc(c.child('function'), 'time', 'Since'));
}

/**
 * The first assignment after `defer` to the local variable `ident`, when the variable still holds
 * its placeholder at the defer (declared without a real value, not assigned in between).
 */
function laterAssignment(ident: GoNode, defer: GoNode, fn: GoNode, resolver: Resolver): GoNode | undefined {
  const decl = resolver.declarationOf(ident);
  if (!decl || !fn.isAncestorOf(decl.name) || !holdsPlaceholder(decl) || addressTaken(decl, fn, resolver)) return undefined;
  const assignments = assignmentsOf(decl, fn, resolver);
  if (assignments.some((a) => a.start < defer.start)) return undefined;
  return assignments.find((a) => a.start > defer.end);
}

/** `&x` anywhere in the function: x may be set through the pointer (`f(&result)`) before the defer. */
function addressTaken(decl: Declaration, fn: GoNode, resolver: Resolver): boolean {
  return fn.descendantsOfType('unary_expression').some((u) => {
    const operand = u.children[0]?.type === '&' ? u.child('operand') : undefined;
    return operand?.type === 'identifier' && operand.text === decl.name.text && resolver.declarationOf(operand)?.name === decl.name;
  });
}

function holdsPlaceholder(decl: Declaration): boolean {
  if (decl.kind === 'result') return true;
  if (decl.kind === 'var' && !decl.value) return true;
  return (decl.kind === 'var' || decl.kind === 'short') && decl.valueIndex === undefined && !!decl.value && PLACEHOLDERS.includes(decl.value.type);
}

/** Statements of `fn` (nested literals included) that assign the variable `decl` declares, in source order. */
function assignmentsOf(decl: Declaration, fn: GoNode, resolver: Resolver): GoNode[] {
  const name = decl.name.text;
  const sameVariable = (id: GoNode) => id.type === 'identifier' && id.text === name && resolver.declarationOf(id)?.name === decl.name;
  // `a, err := f()` assigns an existing err only when it is declared in the same block.
  const scope = decl.kind === 'result' || decl.kind === 'param' ? fn.child('body')?.named.find((c) => c.type === 'statement_list') : decl.name.ancestor('statement_list');
  const found: GoNode[] = [];
  for (const stmt of fn.descendantsOfType(['assignment_statement', 'short_var_declaration', 'inc_statement', 'dec_statement', 'receive_statement'])) {
    if (stmt.type === 'inc_statement' || stmt.type === 'dec_statement') {
      if (sameVariable(stmt.named[0])) found.push(stmt);
      continue;
    }
    if (stmt.type === 'short_var_declaration' && stmt.parent !== scope) continue;
    if (stmt.type === 'receive_statement' && !stmt.children.some((c) => c.type === '=')) continue;
    if ((stmt.child('left')?.named ?? []).some(sameVariable)) found.push(stmt);
  }
  if (decl.kind === 'result') found.push(...ownDescendants(fn.child('body') ?? fn, 'return_statement').filter((r) => r.named.length > 0));
  return found.sort((a, b) => a.start - b.start);
}
