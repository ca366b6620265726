import type { GoNode } from '../syntax/node';
import type { FileImports } from './imports';
import type { PackageIndex } from './packageIndex';
import { typeFromNode, withPointer, type GoType, type SyncKind } from './types';

/** Where a name is declared, as far as its type can be read from there. */
export interface Declaration {
  name: GoNode;
  /** Declared type expression (`var x T`, parameters). */
  type?: GoNode;
  /** Initialiser; with `valueIndex` when one call yields several values. */
  value?: GoNode;
  valueIndex?: number;
  /** `for k, v := range xs`: the ranged expression (with `valueIndex` 0 for k, 1 for v). */
  rangeOver?: GoNode;
  kind: 'param' | 'receiver' | 'result' | 'var' | 'short' | 'range' | 'other';
}

/** A call of a sync method on a WaitGroup or mutex: `s.wg.Add(1)`, `mu.Lock()`, `s.Lock()` (embedded). */
export interface SyncCall {
  call: GoNode;
  kind: SyncKind;
  method: string;
  /** The receiver expression as written (`s.wg`, `s`). */
  receiver: GoNode;
  /** Identity of the WaitGroup or mutex: receiver text without &, * and parentheses, plus embedded field path. */
  key: string;
}

const CONTEXT_CONSTRUCTORS = ['WithCancel', 'WithTimeout', 'WithDeadline', 'WithCancelCause', 'WithTimeoutCause', 'WithDeadlineCause'];
const MAX_DEPTH = 12;

/** Strips parentheses, `&` and `*` from an expression, which do not change which object it denotes. */
export function unwrap(expr: GoNode): GoNode {
  let e = expr;
  for (;;) {
    if (e.type === 'parenthesized_expression' && e.named[0]) e = e.named[0];
    else if (e.type === 'unary_expression' && (e.children[0]?.type === '&' || e.children[0]?.type === '*') && e.child('operand')) e = e.child('operand')!;
    else return e;
  }
}

/** The object identity of an expression: `(&s.wg)` and `(*s).wg` are both `s.wg`. */
export function keyOf(expr: GoNode): string {
  // Iterative over selector chains (`a.b.c...`), however long.
  const fields: string[] = [];
  let e = unwrap(expr);
  for (let operand = e.type === 'selector_expression' ? e.child('operand') : undefined; operand; operand = e.type === 'selector_expression' ? e.child('operand') : undefined) {
    fields.push(e.child('field')?.text ?? '');
    e = unwrap(operand);
  }
  return [e.text.replace(/\s+/g, ''), ...fields.reverse()].join('.');
}

/**
 * Answers "what type is this expression?" from syntax: scopes of the enclosing functions, the
 * file's imports and the package index. Unknown is always a valid answer; rules stay silent on it.
 */
/** Scope climbs longer than this remember their answers (see Resolver.declarationOfDeep). */
const SHALLOW_CLIMB = 64;

export class Resolver {
  private readonly types = new Map<GoNode, GoType | undefined>();
  /**
   * Per name, what it resolves to from each node of a deep climb (null: nothing declared around
   * it): identifiers nested under one another share their ancestors' answers, so resolving every
   * name of a deep expression is linear in its depth, not quadratic.
   */
  private readonly visible = new Map<string, Map<GoNode, Declaration | null>>();
  /** What each declaring node introduces, read once however many names are looked up in it. */
  private readonly declared = new Map<GoNode, Declaration[]>();
  /** Per block, its statements' declarations by name with where each statement starts, in order. */
  private readonly blocks = new Map<GoNode, Map<string, { at: number; declaration: Declaration }[]>>();

  constructor(
    readonly imports: FileImports,
    readonly index: PackageIndex,
  ) {}

  typeOf(expr: GoNode | undefined, depth = 0): GoType | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    if (this.types.has(expr)) return this.types.get(expr);
    this.types.set(expr, undefined);
    const type = this.computeType(expr, depth + 1);
    this.types.set(expr, type);
    return type;
  }

  /** Recognises `R.M(...)` where R is a WaitGroup or mutex, or a struct embedding one. */
  syncCall(call: GoNode): SyncCall | undefined {
    if (call.type !== 'call_expression') return undefined;
    const fn = call.child('function');
    if (fn?.type !== 'selector_expression') return undefined;
    const receiver = fn.child('operand');
    const method = fn.child('field')?.text;
    if (!receiver || !method) return undefined;
    const type = this.typeOf(receiver);
    if (type?.kind === 'WaitGroup' || type?.kind === 'Mutex' || type?.kind === 'RWMutex') {
      return { call, kind: type.kind, method, receiver, key: keyOf(receiver) };
    }
    if (type?.kind === 'named') {
      const embedded = this.index.embeddedSync(type.name, method);
      if (embedded) return { call, kind: embedded.kind, method, receiver, key: [keyOf(receiver), ...embedded.path].join('.') };
    }
    return undefined;
  }

  /** The declaration `ident` refers to, searching enclosing scopes outwards from its position. */
  declarationOf(ident: GoNode): Declaration | undefined {
    const name = ident.text;
    let levels = 0;
    for (let inner = ident; inner.parent; inner = inner.parent) {
      // Real code climbs a few levels: only deep nesting pays for remembering the climb.
      if (++levels > SHALLOW_CLIMB) return this.declarationOfDeep(ident, name);
      const declared = this.declaredIn(inner.parent, inner, name);
      if (declared) return declared;
    }
    return undefined;
  }

  /** declarationOf for deeply nested identifiers, remembering the answer at every node climbed through. */
  private declarationOfDeep(ident: GoNode, name: string): Declaration | undefined {
    let visible = this.visible.get(name);
    if (!visible) this.visible.set(name, (visible = new Map()));
    const climbed: GoNode[] = [];
    let found: Declaration | null = null;
    for (let inner = ident; inner.parent; inner = inner.parent) {
      const known = visible.get(inner);
      if (known !== undefined) {
        found = known;
        break;
      }
      climbed.push(inner);
      const declared = this.declaredIn(inner.parent, inner, name);
      if (declared) {
        found = declared;
        break;
      }
    }
    for (const node of climbed) visible.set(node, found);
    return found ?? undefined;
  }

  /** Declaration of `name` that `scope` makes visible at its child `inner`, if any. */
  private declaredIn(scope: GoNode, inner: GoNode, name: string): Declaration | undefined {
    switch (scope.type) {
      case 'block':
      case 'statement_list':
      case 'source_file':
        return this.declaredInBlock(scope, inner, name);
      case 'expression_case':
      case 'type_case':
      case 'default_case':
      case 'communication_case': {
        const comm = scope.child('communication');
        return comm && comm !== inner ? this.declaredBy(comm, name) : undefined;
      }
      case 'for_clause': {
        // The condition and the post statement see the initializer's variables.
        const init = scope.child('initializer');
        return init && init !== inner ? this.declaredBy(init, name) : undefined;
      }
      case 'for_statement': {
        const clause = scope.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
        if (!clause || clause === inner) return undefined;
        return this.declaredBy(clause.type === 'for_clause' ? clause.child('initializer') : clause, name);
      }
      case 'if_statement':
      case 'expression_switch_statement':
      case 'type_switch_statement': {
        const init = scope.child('initializer');
        const declared = init && init !== inner ? this.declaredBy(init, name) : undefined;
        if (declared) return declared;
        const alias = scope.child('alias');
        return alias && alias !== inner && alias.named.some((a) => a.hasText(name)) ? { name: alias, kind: 'other' } : undefined;
      }
      case 'func_literal':
      case 'function_declaration':
      case 'method_declaration':
        return inner === scope.child('body') ? this.declaredBy(scope, name) : undefined;
      default:
        return undefined;
    }
  }

  /** The first declaration of `name` by `node` (a statement, a range clause or a function). */
  private declaredBy(node: GoNode | undefined, name: string): Declaration | undefined {
    if (!node) return undefined;
    let declarations = this.declared.get(node);
    if (!declarations) this.declared.set(node, (declarations = declarationsBy(node)));
    for (const declaration of declarations) if (declaration.name.hasText(name)) return declaration;
    return undefined;
  }

  /** The declaration of `name` by the last statement of `block` before its child `inner` that declares it. */
  private declaredInBlock(block: GoNode, inner: GoNode, name: string): Declaration | undefined {
    let byName = this.blocks.get(block);
    if (!byName) {
      byName = new Map();
      for (const stmt of block.named) {
        for (const declaration of declarationsBy(stmt)) {
          const text = declaration.name.text;
          const list = byName.get(text);
          if (!list) byName.set(text, [{ at: stmt.start, declaration }]);
          // A statement's first declaration of a name is the one (`a, a := ...` does not compile).
          else if (list[list.length - 1].at !== stmt.start) list.push({ at: stmt.start, declaration });
        }
      }
      this.blocks.set(block, byName);
    }
    let found: Declaration | undefined;
    for (const { at, declaration } of byName.get(name) ?? []) {
      if (at >= inner.start) break;
      found = declaration;
    }
    return found;
  }

  private computeType(expr: GoNode, depth: number): GoType | undefined {
    switch (expr.type) {
      case 'parenthesized_expression':
        return this.typeOf(expr.named[0], depth);
      case 'identifier': {
        const decl = this.declarationOf(expr);
        if (decl) return this.typeOfDeclaration(decl, depth);
        const global = this.index.packageVar(expr.text);
        if (!global) return undefined;
        return global.fact.type ?? (global.fact.value && new Resolver(global.facts.imports, this.index).typeOf(global.fact.value, depth));
      }
      case 'selector_expression': {
        const operand = expr.child('operand');
        const field = expr.child('field')?.text ?? '';
        if (operand?.type === 'identifier' && this.imports.pathOf(operand.text) && !this.declarationOf(operand)) return undefined;
        const base = this.typeOf(operand, depth);
        return base?.kind === 'named' ? this.index.fieldType(base.name, field) : undefined;
      }
      case 'unary_expression': {
        const op = expr.children[0]?.type;
        const operand = this.typeOf(expr.child('operand'), depth);
        if (op === '&') return operand && !operand.pointer ? withPointer(operand, true) : undefined;
        if (op === '*') return operand?.pointer ? withPointer(operand, false) : undefined;
        if (op === '<-') return operand?.kind === 'chan' ? operand.elem : undefined;
        return undefined;
      }
      case 'composite_literal':
        return typeFromNode(expr.child('type'), this.imports);
      case 'index_expression': {
        const container = this.typeOf(expr.child('operand'), depth);
        return container && 'elem' in container && !container.pointer ? container.elem : undefined;
      }
      case 'call_expression':
        return this.resultOf(expr, 0, depth);
      default:
        return undefined;
    }
  }

  /** Type of the `index`-th result of a call. */
  private resultOf(call: GoNode, index: number, depth: number): GoType | undefined {
    const fn = call.child('function');
    if (fn?.type === 'identifier' && fn.text === 'new' && !this.declarationOf(fn)) {
      const arg = call.child('arguments')?.named[0];
      return index === 0 ? withPointer(typeFromNode(arg, this.imports), true) : undefined;
    }
    if (this.imports.isPackageFunc(fn, 'context', CONTEXT_CONSTRUCTORS)) {
      return index === 0 ? { kind: 'Context', pointer: false } : index === 1 ? { kind: 'CancelFunc', pointer: false } : undefined;
    }
    if (fn?.type === 'identifier' && !this.declarationOf(fn)) return this.index.func(fn.text)?.results[index];
    if (fn?.type === 'selector_expression') {
      const receiver = this.typeOf(fn.child('operand'), depth);
      if (receiver?.kind === 'named') return this.index.method(receiver.name, fn.child('field')?.text ?? '')?.results[index];
    }
    return undefined;
  }

  private typeOfDeclaration(decl: Declaration, depth: number): GoType | undefined {
    if (decl.type) return typeFromNode(decl.type, this.imports);
    if (decl.rangeOver) {
      const container = this.typeOf(decl.rangeOver, depth);
      if (!container || !('elem' in container) || container.pointer) return undefined;
      // Ranging over a channel yields its elements first; over anything else, indices or keys.
      return decl.valueIndex === (container.kind === 'chan' ? 0 : 1) ? container.elem : undefined;
    }
    if (!decl.value) return undefined;
    if (decl.valueIndex !== undefined && decl.value.type === 'call_expression') return this.resultOf(decl.value, decl.valueIndex, depth);
    return this.typeOf(decl.value, depth);
  }
}

/** Parameters, receiver and results, in the order a name is looked up among them. */
const SIGNATURE_FIELDS = [
  ['receiver', 'receiver'],
  ['parameters', 'param'],
  ['result', 'result'],
] as const;

/**
 * The names a declaring node introduces, in order: a `var`, `const`, `:=` or receive statement,
 * a range clause with `:=`, or a function's signature.
 */
function declarationsBy(node: GoNode): Declaration[] {
  switch (node.type) {
    case 'var_declaration':
    case 'const_declaration':
      return node.descendantsOfType(['var_spec', 'const_spec']).flatMap((spec) => {
        const names = spec.childrenOf('name');
        if (node.type === 'const_declaration') return names.map((name): Declaration => ({ name, kind: 'other' }));
        const values = spec.child('value')?.named ?? [];
        return names.map((name, i): Declaration => ({ name, type: spec.child('type'), ...valueAt(values, i, names.length), kind: 'var' }));
      });
    case 'short_var_declaration':
    case 'receive_statement': {
      if (!node.children.some((c) => c.type === ':=')) return [];
      const names = node.child('left')?.named ?? [];
      const values = node.child('right')?.named ?? [];
      return names.map((name, i): Declaration => ({ name, ...valueAt(values, i, names.length), kind: 'short' }));
    }
    case 'range_clause':
      if (!node.children.some((c) => c.type === ':=')) return [];
      return (node.child('left')?.named ?? []).map((name, i): Declaration => ({ name, rangeOver: node.child('right'), valueIndex: i, kind: 'range' }));
    case 'func_literal':
    case 'function_declaration':
    case 'method_declaration':
      return SIGNATURE_FIELDS.flatMap(([field, kind]) =>
        (node.child(field)?.named ?? []).flatMap((p) => p.childrenOf('name').map((name): Declaration => ({ name, type: p.child('type'), kind }))),
      );
    default:
      return [];
  }
}

function valueAt(values: GoNode[], i: number, names: number): Pick<Declaration, 'value' | 'valueIndex'> {
  if (values.length === names) return { value: values[i] };
  if (values.length === 1) return { value: values[0], valueIndex: i };
  return {};
}
