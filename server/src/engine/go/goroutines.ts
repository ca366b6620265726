import type { GoNode } from '../syntax/node';
import { enclosingFunction } from './functions';
import type { FuncDecl } from './facts';
import { keyOf, unwrap, type Resolver, type SyncCall } from './resolve';

/** A goroutine started by `go f(...)` or counted by `X.Go(f)`. */
export interface Goroutine {
  /** The `go` statement, or the `X.Go(...)` call. */
  launch: GoNode;
  /** For `X.Go(...)`: the WaitGroup call that counts it. */
  counter?: SyncCall;
  /** The function whose body runs: a literal or a same-package function or method. */
  fn: GoNode;
  body: GoNode;
  /** The function containing the launch. */
  launcher: GoNode;
  /** Resolves names inside the body (a named function may live in another file). */
  resolver: Resolver;
  /**
   * The launcher-side key of an object named in the body: parameters become the arguments,
   * a method's receiver becomes the operand; undefined for the body's own locals.
   */
  toLauncher(expr: GoNode): string | undefined;
}

/** Everything a goroutine model needs from the analysis of the launching file. */
export interface GoroutineSource {
  resolver: Resolver;
  /** The lowered declaration of a package function, with the resolver for its file. */
  declaration(decl: FuncDecl): { node: GoNode; resolver: Resolver } | undefined;
}

/** Every goroutine launched in `unit`, at any depth, with its body when it can be found. */
export function goroutinesIn(unit: GoNode, source: GoroutineSource): Goroutine[] {
  const found: Goroutine[] = [];
  for (const node of unit.descendants()) {
    if (node.type === 'go_statement') {
      const call = node.named.find((c) => c.type === 'call_expression');
      const g = call && launchedBy(node, call.child('function'), call.child('arguments')?.named ?? [], source);
      if (g) found.push(g);
    } else if (node.type === 'call_expression') {
      const counter = source.resolver.syncCall(node);
      if (counter?.kind !== 'WaitGroup' || counter.method !== 'Go') continue;
      const g = launchedBy(node, node.child('arguments')?.named[0], [], source);
      if (g) found.push({ ...g, counter });
    }
  }
  return found;
}

function launchedBy(launch: GoNode, callee: GoNode | undefined, args: GoNode[], source: GoroutineSource): Goroutine | undefined {
  const launcher = enclosingFunction(launch);
  if (!callee || !launcher) return undefined;
  const target = unwrap(callee);
  if (target.type === 'func_literal') {
    const body = target.child('body');
    if (!body) return undefined;
    const params = parameterNames(target);
    const resolver = source.resolver;
    return {
      launch,
      fn: target,
      body,
      launcher,
      resolver,
      toLauncher: (expr) => {
        const root = rootIdentifier(expr);
        if (!root) return undefined;
        const decl = resolver.declarationOf(root);
        if (decl && decl.kind === 'param' && target.isAncestorOf(decl.name)) return rebase(expr, root, args[params.indexOf(root.text)]);
        if (decl && target.isAncestorOf(decl.name)) return undefined;
        return keyOf(expr);
      },
    };
  }
  const named = namedTarget(target, source);
  if (!named) return undefined;
  const body = named.node.child('body');
  if (!body) return undefined;
  const params = parameterNames(named.node);
  const receiverName = named.node.child('receiver')?.named[0]?.child('name')?.text;
  return {
    launch,
    fn: named.node,
    body,
    launcher,
    resolver: named.resolver,
    toLauncher: (expr) => {
      const root = rootIdentifier(expr);
      if (!root) return undefined;
      const decl = named.resolver.declarationOf(root);
      if (!decl) return named.resolver.index.packageVar(root.text) ? keyOf(expr) : undefined;
      if (decl.kind === 'receiver' && root.text === receiverName && named.operand) return rebase(expr, root, named.operand);
      if (decl.kind === 'param') return rebase(expr, root, args[params.indexOf(root.text)]);
      return undefined;
    },
  };
}

function namedTarget(callee: GoNode, source: GoroutineSource): { node: GoNode; resolver: Resolver; operand?: GoNode } | undefined {
  if (callee.type === 'identifier') {
    if (source.resolver.declarationOf(callee)) return undefined;
    const decl = source.resolver.index.func(callee.text);
    return decl && source.declaration(decl);
  }
  if (callee.type === 'selector_expression') {
    const operand = callee.child('operand');
    const type = source.resolver.typeOf(operand);
    if (type?.kind !== 'named' || !operand) return undefined;
    const decl = source.resolver.index.method(type.name, callee.child('field')?.text ?? '');
    const found = decl && source.declaration(decl);
    return found && { ...found, operand };
  }
  return undefined;
}

/** Parameter names in order; `_` and unnamed parameters keep their slot. */
function parameterNames(fn: GoNode): string[] {
  const names: string[] = [];
  for (const p of fn.child('parameters')?.named ?? []) {
    const ids = p.childrenOf('name');
    if (p.type === 'variadic_parameter_declaration') names.push('');
    else if (ids.length === 0) names.push('');
    else names.push(...ids.map((i) => i.text));
  }
  return names;
}

/** `s.wg` → `s`; `(*p).wg` → `p`; calls and index expressions have no stable root. */
export function rootIdentifier(expr: GoNode): GoNode | undefined {
  let e = unwrap(expr);
  while (e.type === 'selector_expression') e = unwrap(e.child('operand') ?? e);
  return e.type === 'identifier' ? e : undefined;
}

/** Replaces the root of `expr` by the launcher-side expression `replacement`. */
function rebase(expr: GoNode, root: GoNode, replacement: GoNode | undefined): string | undefined {
  if (!replacement) return undefined;
  const rest = keyOf(expr).slice(root.text.length);
  return keyOf(replacement) + rest;
}
