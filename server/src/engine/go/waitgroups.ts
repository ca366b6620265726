import type { GoNode } from '../syntax/node';
import { FUNCTION_TYPES, ownDescendants } from './functions';
import type { Goroutine } from './goroutines';
import { keyOf, type Resolver, type SyncCall } from './resolve';

/** A WaitGroup method call in a goroutine body, with the key the launcher knows the WaitGroup by. */
export interface BodyCall {
  sync: SyncCall;
  key: string;
}

/** WaitGroup calls in the goroutine's body; with `own`, not those in nested function literals. */
export function bodyWaitGroupCalls(g: Goroutine, own = false): BodyCall[] {
  return bodySyncCalls(g, own).filter((c) => c.sync.kind === 'WaitGroup');
}

/** WaitGroup and mutex calls in the goroutine's body on objects the launcher can name. */
export function bodySyncCalls(g: Goroutine, own = false): BodyCall[] {
  const calls = own ? ownDescendants(g.body, 'call_expression') : g.body.descendantsOfType('call_expression');
  const found: BodyCall[] = [];
  for (const call of calls) {
    const sync = g.resolver.syncCall(call);
    const key = sync && launcherKey(g, sync);
    if (sync && key) found.push({ sync, key });
  }
  return found;
}

/** The launcher-side key of the object a body's sync call works on (embedded paths kept). */
export function launcherKey(g: Goroutine, sync: SyncCall): string | undefined {
  const base = g.toLauncher(sync.receiver);
  return base && base + sync.key.slice(keyOf(sync.receiver).length);
}

/** `X.Done()`, or `X.Add(-n)`, which is the same. */
export function isDone(sync: SyncCall): boolean {
  return sync.method === 'Done' || (sync.method === 'Add' && /^\s*-/.test(sync.call.child('arguments')?.named[0]?.text ?? ''));
}

/** The Done calls on `key` anywhere in the goroutine's body, nested literals included. */
export function bodyDones(g: Goroutine, key: string, own = false): BodyCall[] {
  return bodyWaitGroupCalls(g, own).filter((c) => c.key === key && isDone(c.sync));
}

/** The WaitGroup call an expression statement or `defer` statement consists of. */
export function statementSyncCall(stmt: GoNode, resolver: Resolver): SyncCall | undefined {
  if (stmt.type !== 'expression_statement' && stmt.type !== 'defer_statement') return undefined;
  const call = stmt.named[0];
  const sync = call && resolver.syncCall(call);
  return sync?.kind === 'WaitGroup' ? sync : undefined;
}

/**
 * Statements that run before `node` in its function, nearest first: earlier statements of its
 * block, then of each enclosing block (a loop or `if` around `node` is crossed to the statements
 * before it).
 */
function statementsBefore(node: GoNode): GoNode[] {
  const found: GoNode[] = [];
  for (let n: GoNode | null = node; n && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) {
    const list = n.parent;
    if (list?.type !== 'statement_list') continue;
    const siblings = list.named;
    for (let i = siblings.indexOf(n) - 1; i >= 0; i--) found.push(siblings[i]);
  }
  return found;
}

/** Whether a statement starts goroutines of its own (outside nested literals): `go`, `X.Go(...)`. */
export function launchesGoroutines(stmt: GoNode, resolver: Resolver): boolean {
  if (stmt.type === 'go_statement' || stmt.descendantsOfType('go_statement', (n) => n.type === 'func_literal').length > 0) return true;
  return [stmt, ...stmt.descendantsOfType('call_expression', (n) => n.type === 'func_literal')].some((c) => {
    const sync = c.type === 'call_expression' ? resolver.syncCall(c) : undefined;
    return sync?.kind === 'WaitGroup' && sync.method === 'Go';
  });
}

/**
 * The `X.Add` that counts a `go` statement: the nearest earlier statement of the launcher that is
 * `X.Add(...)`, with no other launch between them (an Add before an earlier launch counts that one).
 */
export function countingAdd(launch: GoNode, resolver: Resolver): SyncCall | undefined {
  const waited = new Set<string>();
  for (const stmt of statementsBefore(launch)) {
    const sync = statementSyncCall(stmt, resolver);
    if (stmt.type === 'expression_statement' && sync?.method === 'Add' && !isDone(sync)) return waited.has(sync.key) ? undefined : sync;
    if (launchesGoroutines(stmt, resolver)) return undefined;
    // A Wait between them means that Add's count was already used up.
    for (const call of [stmt, ...ownDescendants(stmt, 'call_expression')]) {
      const wait = call.type === 'call_expression' ? resolver.syncCall(call) : undefined;
      if (wait?.kind === 'WaitGroup' && wait.method === 'Wait') waited.add(wait.key);
    }
  }
  return undefined;
}

/** Done calls on `key` anywhere in `fn` (nested literals included) outside the given goroutine bodies. */
export function donesOutside(fn: GoNode, key: string, resolver: Resolver, bodies: GoNode[]): GoNode[] {
  return fn.descendantsOfType('call_expression').filter((call) => {
    const sync = resolver.syncCall(call);
    return sync?.kind === 'WaitGroup' && sync.key === key && isDone(sync) && !bodies.some((b) => b.isAncestorOf(call));
  });
}

/** Every positive `X.Add` statement on `key` before `launch` in the launcher (the "counted" definition). */
export function addsBefore(launch: GoNode, key: string, resolver: Resolver): SyncCall[] {
  return statementsBefore(launch)
    .map((stmt) => (stmt.type === 'expression_statement' ? statementSyncCall(stmt, resolver) : undefined))
    .filter((s): s is SyncCall => s?.method === 'Add' && s.key === key && !isDone(s));
}

/**
 * The key of the WaitGroup a goroutine is counted on: `X` of `X.Go(...)`, or of an `X.Add` before
 * the `go` statement whose X the body calls Done on.
 */
export function countedOn(g: Goroutine, resolver: Resolver): { key: string; add?: SyncCall } | undefined {
  if (g.counter) return { key: g.counter.key };
  const dones = new Set(bodyWaitGroupCalls(g).filter((c) => isDone(c.sync)).map((c) => c.key));
  for (const key of dones) {
    const add = addsBefore(g.launch, key, resolver)[0];
    if (add) return { key, add };
  }
  return undefined;
}

/**
 * Whether the body may pass the WaitGroup `key` on (so something else may call Done on it): it
 * names X or an object holding it other than to call X's own methods (argument, assignment,
 * closure), calls a method on such an object, or calls a closure or package function that may
 * reach it.
 */
export function handsOff(g: Goroutine, key: string): boolean {
  const declaredAt = g.fn.type === 'func_literal' ? localDeclarationStart(g.launcher, key, g.resolver) : undefined;
  const mayCapture = (decl: GoNode) => !g.body.isAncestorOf(decl) && !(declaredAt !== undefined && decl.source === g.launcher.source && decl.start < declaredAt);
  return passesOn(g.body.descendantsOfType('identifier'), { mayCapture, resolver: g.resolver, toKey: (e) => g.toLauncher(e) }, key, () => true);
}

/** Whether the launcher may call Done on `key`, or pass it on, after `offset` (a later goroutine may Done for this one). */
export function doneOrPassedAfter(launcher: GoNode, offset: number, key: string, resolver: Resolver): boolean {
  const later = launcher.descendantsOfType('identifier').filter((id) => id.start >= offset);
  const declaredAt = localDeclarationStart(launcher, key, resolver) ?? -1;
  const mayCapture = (decl: GoNode) => decl.source === launcher.source && decl.start >= declaredAt && decl.start < offset;
  return passesOn(later, { mayCapture, resolver, toKey: keyOf }, key, (sync) => !isDone(sync));
}

/** Where the launcher declares the root variable of `key` (`wg` of `wg`, `s` of `s.wg`), if it is one of its locals. */
function localDeclarationStart(launcher: GoNode, key: string, resolver: Resolver): number | undefined {
  const root = key.split('.')[0];
  for (const id of launcher.descendantsOfType('identifier')) {
    if (id.text !== root) continue;
    const decl = resolver.declarationOf(id);
    if (decl && launcher.isAncestorOf(decl.name)) return decl.name.start;
  }
  return undefined;
}

interface Scope {
  /** Whether a function value declared at this name may have captured X (closures in the scanned code are scanned themselves). */
  mayCapture: (name: GoNode) => boolean;
  resolver: Resolver;
  toKey: (expr: GoNode) => string | undefined;
}

/** Whether any of `ids` lets X be reached other than through its own method calls that `allowed` accepts. */
function passesOn(ids: GoNode[], scope: Scope, key: string, allowed: (sync: SyncCall) => boolean): boolean {
  const isPackageLevel = !!scope.resolver.index.packageVar(key.split('.')[0]);
  for (const id of ids) {
    if (id.field === 'function' && id.parent?.type === 'call_expression') {
      if (mayReach(scope, id, isPackageLevel)) return true;
      continue;
    }
    let expr = id;
    let mapped = scope.toKey(id);
    if (!mapped || !isPrefix(mapped, key)) continue;
    // Climb `s` → `s.inner` → `s.inner.wg` while the selectors lead to X.
    while (mapped !== key && expr.parent?.type === 'selector_expression' && expr.field === 'operand') {
      const up = scope.toKey(expr.parent);
      if (!up || !isPrefix(up, key)) break;
      expr = expr.parent;
      mapped = up;
    }
    const selected = expr.parent?.type === 'selector_expression' && expr.field === 'operand' ? expr.parent : undefined;
    if (!selected) return true; // X, or an object holding it, used as a value
    const call = selected.parent?.type === 'call_expression' && selected.field === 'function' ? selected.parent : undefined;
    const sync = call && scope.resolver.syncCall(call);
    if (sync?.kind === 'WaitGroup') {
      if (allowed(sync)) continue;
      return true;
    }
    if (call || mapped === key) return true; // a method of the holder, or a method value of X
  }
  return false;
}

/** A called identifier that may reach X: a function value that may have captured it, or a package function when X is package-level. */
function mayReach(scope: Scope, callee: GoNode, isPackageLevel: boolean): boolean {
  const decl = scope.resolver.declarationOf(callee);
  if (decl) return scope.mayCapture(decl.name);
  return isPackageLevel && !!scope.resolver.index.func(callee.text);
}

/** `s` and `s.inner` are prefixes of `s.inner.wg`. */
function isPrefix(prefix: string, key: string): boolean {
  return key === prefix || key.startsWith(`${prefix}.`);
}

/**
 * Whether a call ends the goroutine while the program goes on, skipping what is not deferred:
 * always (`panic`, `runtime.Goexit`, `t.Fatal`) or when a check fails (testify's `require.*`).
 */
export function goroutineExit(call: GoNode, resolver: Resolver): 'always' | 'sometimes' | undefined {
  const fn = call.child('function');
  if (fn?.type === 'identifier') return fn.text === 'panic' && !resolver.declarationOf(fn) ? 'always' : undefined;
  if (fn?.type !== 'selector_expression') return undefined;
  if (resolver.imports.isPackageFunc(fn, 'runtime', 'Goexit')) return 'always';
  const operand = fn.child('operand');
  if (operand?.type !== 'identifier') return undefined;
  const declaration = resolver.declarationOf(operand);
  if (!declaration) return resolver.imports.pathOf(operand.text) === 'github.com/stretchr/testify/require' ? 'sometimes' : undefined;
  const testing = /^\*?(\w+)\.(T|B|F|TB)$/.exec(declaration.type?.text.replace(/\s+/g, '') ?? '');
  const stops = !!testing && resolver.imports.pathOf(testing[1]) === 'testing' && /^(Fatal|Fatalf|FailNow|Skip|Skipf|SkipNow)$/.test(fn.child('field')?.text ?? '');
  return stops ? 'always' : undefined;
}

/** How an expression statement's call ends the goroutine, if it does. */
export function statementExit(stmt: GoNode, resolver: Resolver): 'always' | 'sometimes' | undefined {
  const call = stmt.type === 'expression_statement' ? stmt.named[0] : undefined;
  return call?.type === 'call_expression' ? goroutineExit(call, resolver) : undefined;
}

/** `X.Done()` (or `X.Add(-n)`) on `key` as a statement of the body; `defer X.Done()` too when `deferred` allows it. */
export function isDoneStatement(stmt: GoNode, g: Goroutine, key: string, deferred: boolean): boolean {
  if (stmt.type === 'defer_statement' && !deferred) return false;
  const sync = statementSyncCall(stmt, g.resolver);
  return !!sync && isDone(sync) && launcherKey(g, sync) === key;
}

/**
 * Whether `expr`, written in the launcher before `launch`, names the same object at the top of the
 * function literal `fn` launched there: no parameter or result of the literal, and no declaration
 * between `expr` and the launch, reuses its root name.
 */
export function nameableAtTop(expr: GoNode, fn: GoNode, launch: GoNode): boolean {
  const root = rootName(expr);
  if (!root || fn.type !== 'func_literal') return false;
  for (const field of ['parameters', 'result']) {
    for (const p of fn.child(field)?.named ?? []) if (p.childrenOf('name').some((n) => n.text === root)) return false;
  }
  const launcher = fn.ancestor(...FUNCTION_TYPES);
  const declarations = launcher ? ownDescendants(launcher, ['short_var_declaration', 'var_spec', 'range_clause', 'receive_statement']) : [];
  return !declarations.some((d) => {
    if (d.start < expr.end || d.start > launch.start) return false;
    const names = d.type === 'var_spec' ? d.childrenOf('name') : (d.child('left')?.named ?? []);
    return names.some((n) => n.text === root);
  });
}

function rootName(expr: GoNode): string | undefined {
  let e = expr;
  for (;;) {
    if (e.type === 'identifier') return e.text;
    const inner = e.type === 'selector_expression' ? e.child('operand') : e.type === 'parenthesized_expression' || e.type === 'unary_expression' ? e.named[0] : undefined;
    if (!inner) return undefined;
    e = inner;
  }
}
