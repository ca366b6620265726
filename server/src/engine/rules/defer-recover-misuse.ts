import { deferredCall } from '../go/defers';
import { mentions } from '../go/facts';
import { enclosingFunction } from '../go/functions';
import type { PackageIndex } from '../go/packageIndex';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import { flatText } from '../syntax/fileText';
import { replaceNode } from '../go/edits';
import { sameLater, wrapDeferredCall } from '../go/stable';
import type { Fix, Rule, RuleContext, RuleFinding } from './rule';

const STOPS_NOTHING = 'recover only stops a panic when called directly by a deferred function, so here it returns nil and the panic goes on';

export const deferRecoverMisuse: Rule = {
  id: 'defer-recover-misuse',
  severity: 'warning',
  title: 'recover() called where it cannot stop a panic',
  triggers: /\brecover\s*\(/,
  docs: {
    what: '`recover()` where it never stops a panic: `defer recover()` (recover is the deferred function rather than called by one); `recover()` in the arguments of a deferred call (`defer log.Println(recover())`); `recover()` in a function that is never deferred — a helper called by the deferred function, a goroutine body, a function literal called in place.',
    why: '`recover` returns the panic value only when it is called directly by a deferred function while the goroutine panics. Everywhere else it returns nil: the panic is not stopped and crashes the program, although the code looks protected.',
    fix: 'Call recover inside a deferred function literal: `defer func() { if r := recover(); r != nil { ... } }()`, or defer the named handler itself (`defer handlePanic()`) instead of calling it from a deferred literal. The quick fix rewrites `defer recover()` to `defer func() { _ = recover() }()` and `defer f(recover())` to `defer func() { f(recover()) }()` (either way the panic is then stopped). It is not offered for the second form when recover is nested in another argument expression, when the rest of the call would evaluate differently at exit (a call, a receive, a variable changed after the defer), in a loop, or when the call spans lines; nor for recover in a function that is never deferred.',
    bad: `package p

import "log"

func logPanic() {
	if r := recover(); r != nil {
		log.Println("recovered:", r)
	}
}

func run(work func()) {
	defer func() {
		logPanic()
	}()
	work()
}
`,
    good: `package p

import "log"

func logPanic() {
	if r := recover(); r != nil {
		log.Println("recovered:", r)
	}
}

func run(work func()) {
	defer logPanic()
	work()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const call of ctx.unit.descendantsOfType('call_expression')) {
      const fn = call.child('function');
      if (fn?.type !== 'identifier' || fn.text !== 'recover' || ctx.resolver.declarationOf(fn) || ctx.index.func('recover')) continue;
      const message = misuse(call, ctx);
      const fix = message ? deferredRecoverFix(call, ctx) : undefined;
      if (message) findings.push({ span: firstLine(call), message, fixes: fix ? [fix] : [] });
    }
    return findings;
  },
};

/**
 * `defer recover()` → `defer func() { _ = recover() }()`; `defer f(recover())` → `defer func() {
 * f(recover()) }()` when the rest of the call evaluates the same at exit (see `sameLater`) and
 * recover is a direct argument. Either way the panic is then stopped, which the title says.
 */
function deferredRecoverFix(recover: GoNode, ctx: RuleContext): Fix | undefined {
  const defer = recover.parent;
  if (defer?.type === 'defer_statement') {
    return { title: 'Replace defer recover() by defer func() { _ = recover() }() (the panic is then stopped and discarded)', preferred: true, edits: [replaceNode(recover, 'func() { _ = recover() }()')] };
  }
  const call = recover.parent?.parent;
  const fn = enclosingFunction(recover);
  if (recover.parent?.type !== 'argument_list' || call?.type !== 'call_expression' || call.parent?.type !== 'defer_statement' || !fn) return undefined;
  const stable = (expr: GoNode) => sameLater(expr, fn, call.parent!.end, ctx.resolver, ctx.index, (c) => c === recover);
  if (!stable(call.child('function')!) || !(call.child('arguments')?.named ?? []).every(stable)) return undefined;
  const edit = wrapDeferredCall(call.parent, call, fn);
  return edit && { title: `Defer a function literal calling ${quote(call)} (recover then stops the panic)`, preferred: true, edits: [edit] };
}

function misuse(recover: GoNode, ctx: RuleContext): string | undefined {
  if (recover.parent?.type === 'defer_statement') return `${quote(recover)} is deferred itself: it is not called by a deferred function, so it stops nothing and the panic goes on`;
  for (let n = recover.parent; n && n.type !== 'func_literal'; n = n.parent) {
    const deferred = n.type === 'defer_statement' ? deferredCall(n) : undefined;
    if (deferred?.child('arguments')?.isAncestorOf(recover)) {
      const callee = deferred.child('function');
      const what = callee?.type === 'func_literal' ? 'the deferred call' : `the deferred ${quote(callee!)}`;
      return `${quote(recover)} in the arguments of ${what} is evaluated when the defer statement runs, before any panic: it returns nil and the panic is not stopped`;
    }
  }
  const fn = enclosingFunction(recover);
  if (fn?.type === 'func_literal') {
    const call = fn.parent?.type === 'call_expression' && fn.field === 'function' ? fn.parent : undefined;
    if (!call || call.parent?.type === 'defer_statement') return undefined; // deferred, or a value deferred elsewhere
    return `${quote(recover)} is called in a function literal that is not deferred: ${STOPS_NOTHING}`;
  }
  const name = fn?.child('name')?.text;
  if (!name || /^[A-Z]/.test(name) || !onlyCalledUndeferred(ctx.index, name)) return undefined;
  return `${quote(recover)} is called in ${name}, which is never deferred: ${STOPS_NOTHING}`;
}

/**
 * Whether every mention of `name` in the package is its declaration or a call that is not
 * deferred: used as a value, it may be deferred through a variable; exported, by other packages.
 */
function onlyCalledUndeferred(index: PackageIndex, name: string): boolean {
  const deferred = new RegExp(`\\bdefer\\s+(?:[\\w.]+\\.)?${name}\\s*\\(`);
  const calledOrDeclared = new RegExp(`\\b${name}\\s*\\(`, 'g');
  for (const path of index.paths) {
    const facts = index.facts(path);
    if (!facts) return false;
    const text = flatText(facts.text);
    if (deferred.test(text)) return false;
    if ((text.match(calledOrDeclared)?.length ?? 0) !== mentions(facts, name)) return false;
  }
  return true;
}
