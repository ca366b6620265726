import { endlessLoopAround } from '../go/defers';
import { eolOf, indentInside, insertLineBefore, lineAround, ownsItsLines, replaceNode } from '../go/edits';
import { branchTarget, enclosingFunction, FUNCTION_TYPES, isExitCall, ownDescendants, skipFuncLiterals } from '../go/functions';
import { firstLine, functionName, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import { DEFER_STATEMENT, type Fix, type Rule, type RuleFinding } from './rule';

export const deferInLoop: Rule = {
  id: 'defer-in-loop',
  severity: 'warning',
  title: 'defer inside a loop runs only when the function returns',
  triggers: DEFER_STATEMENT,
  docs: {
    what: 'A `defer` statement directly inside a `for` loop body (not inside a function literal called in the loop).',
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
