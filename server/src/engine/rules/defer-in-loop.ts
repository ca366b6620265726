import { endlessLoopAround } from '../go/defers';
import { eolOf, indentInside, insertLineBefore, lineAround, ownsItsLines, replaceNode } from '../go/edits';
import { branchTarget, enclosingFunction, FUNCTION_TYPES, isExitCall, ownDescendants, skipFuncLiterals } from '../go/functions';
import { firstLine, functionName, quote } from '../go/text';
import type { Resolver } from '../go/resolve';
import type { GoNode } from '../syntax/node';
import { DEFER_STATEMENT, type Fix, type Rule, type RuleFinding } from './rule';

export const deferInLoop: Rule = {
  id: 'defer-in-loop',
  severity: 'warning',
  title: 'defer inside a loop runs only when the function returns',
  triggers: DEFER_STATEMENT,
  docs: {
    what: 'A `defer` statement directly inside a `for` loop body (not inside a function literal called in the loop). Not reported where the code means the deferred work to wait for the return: the loop stores what is released in a variable declared outside it (`readers = append(readers, f)`: used after the loop), the deferred call reads a named result (`defer func() { if err != nil { undo() } }()`), or the defer is guarded by a variable its own branch sets (`if dir == "" { dir = mkTemp(); defer os.RemoveAll(dir) }`: once).',
    why: 'Deferred calls run when the surrounding *function* returns, not at the end of each iteration. Every iteration adds one more pending call, so files, locks, rows and connections stay held until the loop and the function finish — or exhaust their limit first.',
    fix: 'Move the loop body into a function of its own (or a `func() { ... }()` literal called once per iteration) so each defer runs at the end of its iteration, or close the resource explicitly. The quick fix wraps the body in `func() { ... }()` and turns `continue` into `return`; it is not offered when the body breaks out of the loop, returns or jumps. A defer that is always followed by a `return` out of the loop runs once and is not reported.',
    bad: `package p

import "os"

func sizes(paths []string) (int64, error) {
	var total int64
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return 0, err
		}
		total += info.Size()
	}
	return total, nil
}
`,
    good: `package p

import "os"

func sizes(paths []string) (int64, error) {
	var total int64
	for _, path := range paths {
		size, err := func() (int64, error) {
			f, err := os.Open(path)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil {
				return 0, err
			}
			return info.Size(), nil
		}()
		if err != nil {
			return 0, err
		}
		total += size
	}
	return total, nil
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const defer of ctx.unit.descendantsOfType('defer_statement')) {
      const loop = nearestLoop(defer);
      if (!loop) continue;
      if (endlessLoopAround(defer)) continue; // defer-in-infinite-loop reports it
      if (leavesLoopAfter(defer, loop)) continue;
      const fn = enclosingFunction(defer);
      if (meantForTheReturn(defer, loop, fn, ctx.resolver)) continue;
      const call = defer.named.find((c) => c.type === 'call_expression') ?? defer;
      const fix = perIterationScope(loop);
      findings.push({
        span: firstLine(defer),
        message: `${quote(call)} is deferred inside a loop: it runs when ${fn ? functionName(fn) : 'the function'} returns, not after each iteration, so the deferred calls pile up until then`,
        related: [{ span: firstLine(loop), message: 'the loop' }],
        fixes: fix ? [fix] : [],
      });
    }
    return findings;
  },
};

/**
 * Wraps the loop body in `func() { ... }()` so its defers run at the end of each iteration;
 * a `continue` of this loop becomes `return`. Not offered when the body leaves the loop or the
 * function (break, return, goto, a branch to an outer loop): the literal would change where it goes.
 */
function perIterationScope(loop: GoNode): Fix | undefined {
  const body = loop.child('body');
  const open = body?.children[0];
  const close = body?.children.at(-1);
  if (!body || open?.type !== '{' || close?.type !== '}' || !ownsItsLines(close)) return undefined;
  const continues: GoNode[] = [];
  for (const n of body.descendants(skipFuncLiterals)) {
    if (n.type === 'return_statement' || n.type === 'goto_statement') return undefined;
    if (n.type !== 'break_statement' && n.type !== 'continue_statement') continue;
    const target = branchTarget(n);
    if (n.type === 'continue_statement' && target === loop) continues.push(n);
    else if (!target || !body.isAncestorOf(target)) return undefined;
  }
  const indented = indentInside(body);
  if (!indented) return undefined;
  const eol = eolOf(loop);
  const indent = lineAround(loop).indent;
  const openLineEnd = lineAround(open).breakStart;
  return {
    title: 'Run each iteration in its own function literal (its defers then run at the end of the iteration)',
    preferred: true,
    edits: [
      { span: { source: body.source, start: openLineEnd, end: openLineEnd }, newText: `${eol}${indent}\tfunc() {` },
      ...indented,
      insertLineBefore(close, '\t}()'),
      ...continues.map((c) => replaceNode(c, 'return')),
    ],
  };
}

/** The innermost `for` whose body holds `node` within the same function. */
function nearestLoop(node: GoNode): GoNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.includes(n.type as never)) return undefined;
    if (n.type === 'for_statement') return n;
  }
  return undefined;
}

/**
 * Deferred work the code means to wait for the function's return: what it releases is kept
 * after the loop (stored in a variable declared outside it), an undo that reads the function's
 * named results (`if err != nil`), or a defer guarded by a variable its own branch sets (once).
 */
function meantForTheReturn(defer: GoNode, loop: GoNode, fn: GoNode | undefined, resolver: Resolver): boolean {
  const declaredIn = (ident: GoNode, scope: GoNode) => {
    const decl = resolver.declarationOf(ident);
    return !!decl && scope.isAncestorOf(decl.name);
  };
  const identifiers = (node: GoNode) => [node, ...node.descendants()].filter((n) => n.type === 'identifier');
  const body = loop.child('body');
  const released = new Set(body ? identifiers(defer).filter((id) => declaredIn(id, body)).map((id) => id.text) : []);
  for (const stmt of body ? ownDescendants(body, 'assignment_statement') : []) {
    const kept = stmt.child('left')?.named.some((target) => {
      const root = rootIdentifier(target);
      return !root || (root.text !== '_' && !declaredIn(root, loop));
    });
    const right = stmt.child('right');
    if (kept && right && identifiers(right).some((id) => released.has(id.text) && storedAsIs(id, right))) return true;
  }
  const results = fn?.child('result');
  if (results?.type === 'parameter_list' && fn) {
    const named = results.named.flatMap((p) => p.childrenOf('name'));
    if (identifiers(defer).some((id) => named.some((n) => resolver.declarationOf(id)?.name === n))) return true;
  }
  for (let n = defer.parent; n && n !== loop; n = n.parent) {
    if (n.type !== 'if_statement') continue;
    const guards = identifiers(n.child('condition') ?? n).filter((id) => !declaredIn(id, loop));
    const sets = ownDescendants(n.child('consequence') ?? n, 'assignment_statement').flatMap((a) => a.child('left')?.named ?? []);
    if (guards.some((g) => sets.some((target) => target.type === 'identifier' && target.text === g.text))) return true;
  }
  return false;
}

/**
 * Whether the right side of an assignment stores `id` itself — as the value, appended, or in a
 * composite literal (`pipes[i].r = r`, `append(readers, f)`) — not something computed from it
 * (`f.Name()`, `mediaType(resp)`).
 */
function storedAsIs(id: GoNode, right: GoNode): boolean {
  const isAppend = (call: GoNode | undefined) => call?.type === 'call_expression' && call.child('function')?.text === 'append';
  for (let n = id; n !== right; n = n.parent!) {
    const p = n.parent!;
    const through =
      ['expression_list', 'parenthesized_expression', 'literal_value', 'literal_element', 'keyed_element', 'composite_literal'].includes(p.type) ||
      (p.type === 'unary_expression' && p.children[0]?.type === '&') ||
      (p.type === 'argument_list' && isAppend(p.parent ?? undefined)) ||
      isAppend(p);
    if (!through) return false;
  }
  return true;
}

/** `x` of `x`, `x.f`, `x[i]`, `*x`; undefined for anything else (a call's result). */
function rootIdentifier(expr: GoNode): GoNode | undefined {
  let e: GoNode | undefined = expr;
  while (e && e.type !== 'identifier') {
    e = e.type === 'selector_expression' ? e.child('operand') : e.type === 'index_expression' ? e.child('operand') : e.type === 'unary_expression' || e.type === 'parenthesized_expression' ? e.named[0] : undefined;
  }
  return e;
}

/**
 * True when every path after the defer leaves the loop (or the function) without starting
 * another iteration: the defer is then registered at most once.
 */
function leavesLoopAfter(defer: GoNode, loop: GoNode): boolean {
  const list = defer.parent;
  if (!list) return false;
  const rest = list.named.filter((s) => s.start > defer.start);
  const continues = rest.flatMap((s) => (s.type === 'continue_statement' ? [s] : ownDescendants(s, 'continue_statement')));
  if (continues.some((c) => reachesLoop(branchTarget(c), loop))) return false;
  const last = rest.at(-1);
  if (!last) return false;
  if (last.type === 'return_statement' || last.type === 'goto_statement') return true;
  if (last.type === 'break_statement') {
    return reachesLoop(branchTarget(last), loop);
  }
  const call = last.type === 'expression_statement' ? last.named[0] : undefined;
  return call?.type === 'call_expression' && isExitCall(call);
}

/** Whether a branch to `target` affects `loop`: the loop itself or one enclosing it. */
function reachesLoop(target: GoNode | undefined, loop: GoNode): boolean {
  return !!target && (target === loop || target.isAncestorOf(loop));
}
