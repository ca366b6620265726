import { deleteLines, insertLineAfterLines, lineAround, ownsItsLines, replaceNode } from '../go/edits';
import { enclosingFunction, FUNCTION_TYPES } from '../go/functions';
import { pathsAfter, type PathEnd } from '../go/paths';
import type { Resolver } from '../go/resolve';
import { mayRepeat } from '../go/stable';
import { firstLine, quote } from '../go/text';
import type { GoNode, Span } from '../syntax/node';
import { occursIn } from '../syntax/fileText';
import type { Fix, Rule, RuleContext, RuleFinding } from './rule';

const CONSTRUCTORS = ['WithCancel', 'WithTimeout', 'WithDeadline', 'WithCancelCause', 'WithTimeoutCause', 'WithDeadlineCause'];
const LEAK = 'the context and its resources (a timer, a goroutine propagating cancellation) stay alive until the parent is canceled';

export const lostCancel: Rule = {
  id: 'lost-cancel',
  severity: 'warning',
  title: 'the cancel function of a derived context is lost',
  triggers: /\bWith(Cancel|Timeout|Deadline)/,
  docs: {
    what: '`ctx, cancel := context.WithCancel/WithTimeout/WithDeadline(...)` (and the `...Cause` variants) where `cancel` is assigned to `_`, or some path from the assignment to a `return` (or the end of the function, or the next assignment of `cancel`) never calls, defers, returns, stores or passes `cancel`. `main.main` is exempt, as in `go vet`.',
    why: 'Until `cancel` is called, the derived context stays registered with its parent and keeps its timer: every call leaks memory and, for long-lived parents, goroutines, until the parent itself is canceled.',
    fix: 'Call `defer cancel()` right after the assignment, or make sure every path calls, returns or stores `cancel`. The quick fix inserts `defer cancel()` (`defer cancel(nil)` for `WithCancelCause`) on the line after the assignment, naming a discarded `_` with a free name first, or moves a later `defer cancel()` of the same block up there. It is not offered when cancel is used otherwise (an explicit call would then run twice; a returned or stored cancel belongs to someone else), when the context leaves the function (returned, stored, captured by a function literal, passed in a go statement: canceling it at return would cut it short), for `_` in an `=` assignment, or when the assignment is in a loop.',
    bad: `package p

import (
	"context"
	"time"
)

func fetch(parent context.Context, get func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if err := get(ctx); err != nil {
		return err
	}
	cancel()
	return nil
}
`,
    good: `package p

import (
	"context"
	"time"
)

func fetch(parent context.Context, get func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return get(ctx)
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const stmt of ctx.unit.descendantsOfType(['short_var_declaration', 'assignment_statement', 'var_spec'])) {
      const derived = derivation(stmt, ctx);
      if (!derived || isMainMain(stmt, ctx)) continue;
      const { cancel, constructor } = derived;
      if (cancel.text === '_') {
        const fix = deferCancel(stmt, cancel, constructor, undefined, ctx);
        findings.push({ span: firstLine(stmt), message: `the cancel function returned by ${quote(constructor)} is discarded: ${LEAK}`, fixes: fix ? [fix] : [] });
        continue;
      }
      const start = stmt.type === 'var_spec' ? stmt.ancestor('var_declaration') : stmt;
      if (cancel.type !== 'identifier' || start?.parent?.type !== 'statement_list') continue; // stored in a field or element
      const variable = declaringName(cancel, stmt, ctx.resolver);
      const returnsNamed = ctx.resolver.declarationOf(variable)?.kind === 'result' || ctx.resolver.declarationOf(cancel)?.kind === 'result';
      const lost = pathsAfter(start, (node) => (returnsNamed && node.type === 'return_statement' && node.named.length === 0 ? 'done' : cancelUse(node, variable, ctx.resolver))).filter((end) => end.pending && end.kind !== 'panic' && end.kind !== 'exit');
      if (lost.length === 0) continue;
      const fix = deferCancel(stmt, cancel, constructor, variable, ctx);
      findings.push({
        fixes: fix ? [fix] : [],
        span: firstLine(stmt),
        message: `${cancel.text} from ${quote(constructor)} is not called on every path: ${describe(lost[0], cancel.text, 'a')}, so ${LEAK}`,
        related: lost.map((end) => ({ span: endSpan(end), message: describe(end, cancel.text, 'this') })),
      });
    }
    return findings;
  },
};

/**
 * `defer cancel()` on the line after the assignment: inserted, or moved up when the only later
 * use of cancel is a `defer cancel()` in the same block (a discarded `_` gets a free name first).
 * Not offered when cancel is used otherwise (an explicit call would then run twice; a returned or
 * stored cancel belongs to someone else), when the context leaves the function (returned,
 * stored, captured by a literal, passed to a go statement: canceling it at return would cut it
 * short), or when the assignment is in a loop, in a function with goto, or shares its lines.
 */
function deferCancel(stmt: GoNode, cancel: GoNode, constructor: GoNode, variable: GoNode | undefined, ctx: RuleContext): Fix | undefined {
  const start = stmt.type === 'var_spec' ? stmt.parent : stmt;
  const fn = enclosingFunction(stmt);
  if (!start || start.parent?.type !== 'statement_list' || !fn || mayRepeat(start, fn) || !ownsItsLines(start)) return undefined;
  if (start.type === 'var_declaration' && start.named.length !== 1) return undefined;
  const left = stmt.type === 'var_spec' ? stmt.childrenOf('name') : (stmt.child('left')?.named ?? []);
  const context = left[0];
  const contextDecl = context?.type === 'identifier' && context.text !== '_' ? (ctx.resolver.declarationOf(context)?.name ?? context) : undefined;
  if (context?.type !== 'identifier' || (contextDecl && usesAfter(contextDecl, stmt, fn, ctx.resolver).some((id) => !staysHere(id, fn)))) return undefined;
  const args = constructor.child('field')?.text === 'WithCancelCause' || constructor.text.endsWith('WithCancelCause') ? 'nil' : '';
  const what = quote(constructor);
  if (!variable) {
    if (stmt.type === 'assignment_statement') return undefined; // `=` cannot declare the new name
    const name = ['cancel', 'cancelCtx', 'cancelFunc', 'cancel2', 'cancel3'].find((n) => !occursIn(new RegExp(`\\b${n}\\b`), ctx.text) && !ctx.index.func(n) && !ctx.index.packageVar(n));
    if (!name) return undefined;
    return { title: `Name the cancel function of ${what} ${name} and defer ${name}(${args}) right after it`, preferred: true, edits: [replaceNode(cancel, name), insertLineAfterLines(start, `defer ${name}(${args})`)] };
  }
  const uses = usesAfter(variable, stmt, fn, ctx.resolver).filter((id) => id !== variable);
  if (uses.length === 0) return { title: `Defer ${cancel.text}(${args}) right after ${what}`, preferred: true, edits: [insertLineAfterLines(start, `defer ${cancel.text}(${args})`)] };
  const defer = uses[0].parent?.parent;
  if (uses.length !== 1 || uses[0].field !== 'function' || defer?.type !== 'defer_statement' || defer.parent !== start.parent || !ownsItsLines(defer) || defer.text.includes('\n')) return undefined;
  const line = lineAround(defer);
  return { title: `Move defer ${quote(uses[0].parent!)} up to right after ${what}`, preferred: true, edits: [insertLineAfterLines(start, line.text.slice(defer.start - line.start).replace(/\r?\n$/, '')), deleteLines(defer)] };
}

/** Identifiers after `stmt` in `fn` that denote the variable declared at `name`. */
function usesAfter(name: GoNode, stmt: GoNode, fn: GoNode, resolver: Resolver): GoNode[] {
  return fn.descendantsOfType('identifier').filter((id) => id.start >= stmt.end && id.text === name.text && resolver.declarationOf(id)?.name === name);
}

/** A use of the context that keeps it in this function: a call's argument or receiver, outside literals and go statements. */
function staysHere(id: GoNode, fn: GoNode): boolean {
  for (let n = id.parent; n && n !== fn; n = n.parent) if (n.type === 'func_literal' || n.type === 'go_statement') return false;
  const call = id.parent?.type === 'argument_list' ? id.parent.parent : id.parent?.type === 'selector_expression' && id.field === 'operand' && id.parent.field === 'function' ? id.parent.parent : undefined;
  return call?.type === 'call_expression';
}

/** `ctx, cancel := context.WithX(...)` (or `=`, or `var`): the cancel expression and the constructor. */
function derivation(stmt: GoNode, ctx: RuleContext): { cancel: GoNode; constructor: GoNode } | undefined {
  if (stmt.type === 'assignment_statement' && stmt.child('operator')?.text !== '=') return undefined;
  const left = stmt.type === 'var_spec' ? stmt.childrenOf('name') : (stmt.child('left')?.named ?? []);
  const right = (stmt.type === 'var_spec' ? stmt.child('value') : stmt.child('right'))?.named ?? [];
  const fn = right.length === 1 && right[0].type === 'call_expression' ? right[0].child('function') : undefined;
  if (left.length !== 2 || !fn || !ctx.imports.isPackageFunc(fn, 'context', CONSTRUCTORS)) return undefined;
  return { cancel: left[1], constructor: fn };
}

function isMainMain(stmt: GoNode, ctx: RuleContext): boolean {
  const fn = enclosingFunction(stmt);
  return fn?.type === 'function_declaration' && fn.child('name')?.text === 'main' && ctx.index.facts(ctx.path)?.packageName === 'main';
}

/** The name node declaring the variable `cancel` denotes after `stmt` (a `:=` declares a new one unless it redeclares in the same block). */
function declaringName(cancel: GoNode, stmt: GoNode, resolver: Resolver): GoNode {
  const earlier = resolver.declarationOf(cancel);
  if (stmt.type !== 'short_var_declaration') return earlier?.name ?? cancel;
  const sameBlock = earlier && (earlier.kind === 'param' || earlier.kind === 'result' ? stmt.parent?.parent?.parent === enclosingFunction(stmt) : earlier.name.ancestor('statement_list') === stmt.parent);
  return sameBlock ? earlier.name : cancel;
}

/** `done` when the node uses the variable (call, defer, return, store, pass, capture); `stop` when it only assigns it anew. */
function cancelUse(node: GoNode, variable: GoNode, resolver: Resolver): 'done' | 'stop' | undefined {
  // A variable is its name in its block: `a, cancel := ...` twice in one block is one variable.
  const scope = scopeOf(variable);
  const refs = [node, ...node.descendants()].filter((n) => {
    if (n.type !== 'identifier' || n.text !== variable.text) return false;
    const decl = n === variable ? variable : resolver.declarationOf(n)?.name;
    return !!decl && scopeOf(decl) === scope;
  });
  if (refs.length === 0) return undefined;
  const assigned = (n: GoNode) => n.parent?.field === 'left' && (n.parent.parent?.type === 'assignment_statement' || n.parent.parent?.type === 'short_var_declaration');
  return refs.every(assigned) ? 'stop' : 'done';
}

function scopeOf(name: GoNode): GoNode | undefined {
  return name.ancestor('statement_list', 'if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', ...FUNCTION_TYPES);
}

function describe(end: PathEnd, name: string, article: 'a' | 'this'): string {
  if (end.kind === 'return') return `${article} return leaves without calling ${name}`;
  if (end.kind === 'end') return `the function can end without calling ${name}`;
  return `${name} is assigned again before the previous one was called`;
}

function endSpan(end: PathEnd): Span {
  if (end.kind === 'end') return { source: end.node.source, start: end.node.end - 1, end: end.node.end };
  return firstLine(end.kind === 'stop' && end.via ? end.via : end.node);
}
