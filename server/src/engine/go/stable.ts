import type { RuleEdit } from '../rules/rule';
import type { GoNode } from '../syntax/node';
import { replaceNode } from './edits';
import type { PackageIndex } from './packageIndex';
import type { Declaration, Resolver } from './resolve';

/**
 * Whether an expression may be evaluated later (at function exit, inside a deferred literal)
 * instead of now with the same result: it is built from literals, operators that cannot panic,
 * package-qualified names, package functions, and local variables of `fn` that nothing changes
 * after `after` (no assignment, `++`, `&x`, or method call on them, and none in a nested literal).
 * `allowCall` admits calls (with their arguments still checked); by default none is admitted.
 */
export function sameLater(
  expr: GoNode,
  fn: GoNode,
  after: number,
  resolver: Resolver,
  index: PackageIndex,
  allowCall: (call: GoNode) => boolean = () => false,
  /** Method calls on a variable do not count as changing it (it is only used as a pointer receiver). */
  receiverOnly = false,
): boolean {
  for (const n of [expr, ...expr.descendants()]) {
    switch (n.type) {
      case 'call_expression':
        if (!allowCall(n)) return false;
        break;
      case 'identifier':
        if (!stableName(n, fn, after, resolver, index, receiverOnly)) return false;
        break;
      case 'unary_expression':
        if (['<-', '*'].includes(n.children[0]?.type ?? '')) return false;
        break;
      case 'binary_expression':
        if (['/', '%'].includes(n.child('operator')?.type ?? n.children[1]?.type ?? '')) return false;
        break;
      case 'selector_expression':
      case 'field_identifier':
      case 'parenthesized_expression':
      case 'argument_list':
      case 'int_literal':
      case 'float_literal':
      case 'imaginary_literal':
      case 'rune_literal':
      case 'interpreted_string_literal':
      case 'interpreted_string_literal_content':
      case 'escape_sequence':
      case 'raw_string_literal':
      case 'raw_string_literal_content':
      case 'true':
      case 'false':
      case 'nil':
      case 'iota':
        break;
      default:
        if (n.isNamed) return false;
    }
  }
  return true;
}

function stableName(id: GoNode, fn: GoNode, after: number, resolver: Resolver, index: PackageIndex, receiverOnly: boolean): boolean {
  const decl = resolver.declarationOf(id);
  if (!decl) {
    const selector = id.parent?.type === 'selector_expression' && id.field === 'operand' ? id.parent : undefined;
    if (selector && resolver.imports.pathOf(id.text)) return true; // pkg.Name
    const called = id.parent?.type === 'call_expression' && id.field === 'function';
    return called && (!!index.func(id.text) || BUILTINS.includes(id.text));
  }
  if (!fn.isAncestorOf(decl.name)) return false; // captured from an outer function, which may change it
  return changesOf(decl, fn, resolver, receiverOnly).every((c) => c.start < after && !insideLiteral(c, fn));
}

const BUILTINS = ['close', 'len', 'cap', 'panic', 'print', 'println', 'recover', 'min', 'max'];

function insideLiteral(node: GoNode, fn: GoNode): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) if (n.type === 'func_literal') return true;
  return false;
}

/**
 * The uses of the variable `decl` declares, in `fn` (nested literals included), that may change
 * it: assigned (also through a field or element), `++`/`--`, address taken (`&x`, and a method
 * call, which may take it implicitly).
 */
export function changesOf(decl: Declaration, fn: GoNode, resolver: Resolver, ignoreMethodCalls = false): GoNode[] {
  return fn.descendantsOfType('identifier').filter((id) => id !== decl.name && id.text === decl.name.text && resolver.declarationOf(id)?.name === decl.name && changes(id, ignoreMethodCalls));
}

function changes(id: GoNode, ignoreMethodCalls: boolean): boolean {
  let n = id;
  let direct = true;
  while (n.parent && ((n.parent.type === 'selector_expression' || n.parent.type === 'index_expression') && n.field === 'operand') || n.parent?.type === 'parenthesized_expression') {
    if (n.parent.type === 'selector_expression' && n.parent.parent?.type === 'call_expression' && n.parent.field === 'function') return !ignoreMethodCalls; // x.M(): may take &x
    if (n.parent.type !== 'parenthesized_expression') direct = false;
    n = n.parent;
  }
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'unary_expression' && p.children[0]?.type === '&') return true;
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return true;
  if (p.type === 'expression_list' && p.field === 'left') {
    const stmt = p.parent;
    return stmt?.type === 'assignment_statement' || stmt?.type === 'short_var_declaration' || stmt?.type === 'range_clause' || stmt?.type === 'receive_statement' || !direct;
  }
  return false;
}

/** Whether `node` is inside a loop, or a function with `goto`, of its own function `fn`: it may run more than once. */
export function mayRepeat(node: GoNode, fn: GoNode): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) if (n.type === 'for_statement' || n.type === 'func_literal') return n.type === 'for_statement';
  return fn.descendantsOfType('goto_statement').length > 0;
}

/**
 * `defer call(args)` → `defer func() { call(args) }()`: the call, its function and its arguments
 * are then evaluated at exit. Undefined unless the call fits on its line and the defer runs once.
 */
export function wrapDeferredCall(defer: GoNode, call: GoNode, fn: GoNode): RuleEdit | undefined {
  if (call.text.includes('\n') || call.descendantsOfType('comment').length > 0 || mayRepeat(defer, fn)) return undefined;
  return replaceNode(call, `func() { ${call.text} }()`);
}
