import type { GoNode } from '../syntax/node';

export const FUNCTION_TYPES = ['func_literal', 'function_declaration', 'method_declaration'] as const;
const LOOP_EXITS = ['return_statement', 'goto_statement'];

/** The function (declaration or literal) a node belongs to. */
export function enclosingFunction(node: GoNode): GoNode | undefined {
  return node.ancestor(...FUNCTION_TYPES);
}

/** Skips nested function literals when walking a body: their statements run elsewhere, later. */
export const skipFuncLiterals = (n: GoNode): boolean => n.type === 'func_literal';

/** Nodes of the given types inside `root` that belong to `root`'s own function, not a nested literal. */
export function ownDescendants(root: GoNode, types: string | readonly string[]): GoNode[] {
  return root.descendantsOfType(types, skipFuncLiterals);
}

/** The loop a `break` or `continue` leaves or restarts: its label's loop, or the nearest enclosing one. */
export function branchTarget(branch: GoNode): GoNode | undefined {
  const label = branch.named.find((c) => c.type === 'label_name')?.text;
  const stops = branch.type === 'break_statement' ? ['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'] : ['for_statement'];
  for (let n = branch.parent; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) {
    if (label) {
      if (n.type === 'labeled_statement' && n.named.find((c) => c.type === 'label_name')?.text === label) return n.named.find((c) => c.type !== 'label_name');
    } else if (stops.includes(n.type)) {
      return n;
    }
  }
  return undefined;
}

/** `for { ... }`: no clause and no condition. */
export function isUnconditionalLoop(loop: GoNode): boolean {
  return loop.type === 'for_statement' && loop.named.every((c) => c.field === 'body');
}

/**
 * Whether control can leave the unconditional loop `loop` other than by panicking: a `return`,
 * a `goto`, or a `break` that targets this loop (not one inside an inner select, switch or loop).
 */
export function loopCanExit(loop: GoNode): boolean {
  for (const n of loop.descendants((x) => x.type === 'func_literal')) {
    if (LOOP_EXITS.includes(n.type)) return true;
    if (n.type === 'break_statement' && branchTarget(n) === loop) return true;
    if (n.type === 'call_expression' && isExitCall(n)) return true;
  }
  return false;
}

/** `panic(...)`, `os.Exit`, `runtime.Goexit()`, `log.Fatal...`: calls after which the goroutine does not continue. */
export function isExitCall(call: GoNode): boolean {
  const fn = call.child('function')?.text ?? '';
  return fn === 'panic' || fn === 'os.Exit' || fn === 'runtime.Goexit' || /^log\.(Fatal|Panic)/.test(fn);
}
