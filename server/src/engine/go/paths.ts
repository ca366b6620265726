import type { GoNode } from '../syntax/node';
import { branchTarget, enclosingFunction, FUNCTION_TYPES, isExitCall, isUnconditionalLoop, ownDescendants } from './functions';

/**
 * Forward path reasoning inside one function, over the statement tree itself (no graph is
 * built): from a statement, follow every way control can go — branches, switch and select cases,
 * loop back edges, `break`, `continue`, `goto`, `fallthrough` — until the function is left.
 * A rule's visitor sees each executed piece and says whether the event it waits for (an Unlock,
 * a use of `cancel`) happened. Each path is in one of two states, pending or done, and every
 * program point is walked at most once per state, so loops terminate.
 */

/** A visitor's answer for one executed node. */
export type Verdict =
  /** The awaited event happened: the path goes on as done. */
  | 'done'
  /** The rule cannot tell what happens here (a helper may do it): the path is dropped silently. */
  | 'unknown'
  /** The path ends at this node and the node is reported as a path end (e.g. a second Lock). */
  | 'stop'
  | undefined;

/**
 * Called for every simple statement executed while the path is pending, and for the header
 * parts of compound statements: if/switch initialisers and conditions, case values, select
 * communications, for and range clauses. Bodies are walked by `pathsAfter` itself.
 */
export type PathVisitor = (node: GoNode) => Verdict;

export interface PathEnd {
  /**
   * `return`: a return statement; `end`: falling off the end of the function body; `panic`:
   * `panic(...)`/`log.Panic*` (deferred calls run); `exit`: `os.Exit`, `log.Fatal*`,
   * `runtime.Goexit`; `stop`: a node the visitor stopped at.
   */
  kind: 'return' | 'end' | 'panic' | 'exit' | 'stop';
  /** The return statement, the terminating call's statement, the function body, or the stopped node. */
  node: GoNode;
  /**
   * On the first pending path: the last `goto`, or `break`/`continue` out of a statement enclosing
   * the start, that the path took (where it left the region the start is in).
   */
  via?: GoNode;
  /** Some path reaches this end while still pending. */
  pending: boolean;
  /** Some path reaches this end after the event. */
  done: boolean;
}

type State = 'pending' | 'done';
type Point = { node: GoNode; head: boolean } | { end: PathEnd['kind']; node: GoNode };

/**
 * The ends reachable once `stmt` (a statement of a statement list) has executed, each with the
 * states in which paths arrive there. Paths dropped by the visitor (`unknown`), blocked forever
 * (`select {}`, `for {}` with no way out) or leaving through a label that cannot be found are not
 * reported.
 */
export function pathsAfter(stmt: GoNode, visit: PathVisitor): PathEnd[] {
  const ends = new Map<GoNode, PathEnd>();
  const seen = new Set<string>();
  const ids = new Map<GoNode, number>();
  const work: { point: Point; state: State; via?: GoNode }[] = [];
  const push = (point: Point | undefined, state: State, via?: GoNode) => {
    if (point) work.push({ point, state, via });
  };
  push(after(stmt), 'pending');
  while (work.length > 0) {
    const { point, state, via } = work.pop()!;
    if ('end' in point) {
      const end = ends.get(point.node) ?? { kind: point.end, node: point.node, pending: false, done: false };
      if (state === 'pending' && !end.pending) end.via = via;
      end[state] = true;
      ends.set(point.node, end);
      continue;
    }
    let id = ids.get(point.node);
    if (id === undefined) ids.set(point.node, (id = ids.size));
    const key = `${id}:${point.head}:${state}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const step = execute(point.node, point.head, state, visit, stmt);
    for (const next of step.next) push(next.point, next.state ?? step.state, next.via ?? via);
  }
  return [...ends.values()];
}

interface Step {
  state: State;
  /** Where control goes next; `state` when this successor differs (a select case that did the event). */
  next: { point: Point | undefined; via?: GoNode; state?: State }[];
}

/** Executes one program point: the statement `node`, or the head of loop `node` reached by a back edge. */
function execute(node: GoNode, head: boolean, state: State, visit: PathVisitor, start: GoNode): Step {
  const dropped: Step = { state, next: [] };
  let current = state;
  const see = (...parts: (GoNode | undefined)[]): 'unknown' | 'stop' | undefined => {
    for (const part of parts) {
      if (!part || current === 'done') continue;
      const verdict = visit(part);
      if (verdict === 'done') current = 'done';
      else if (verdict) return verdict;
    }
    return undefined;
  };
  const go = (...points: (Point | undefined)[]): Step => ({ state: current, next: points.map((point) => ({ point })) });

  if (head) return go(enter(node.child('body')), isUnconditionalLoop(node) ? undefined : after(node));

  let header: (GoNode | undefined)[] = [];
  switch (node.type) {
    case 'if_statement':
      header = [node.child('initializer'), node.child('condition')];
      break;
    case 'expression_switch_statement':
    case 'type_switch_statement':
      header = [node.child('initializer'), node.child('value')];
      break;
    case 'for_statement':
      header = [node.named.find((c) => c.type === 'for_clause' || c.type === 'range_clause')];
      break;
    case 'labeled_statement':
    case 'block':
    case 'statement_list':
    case 'select_statement':
      break;
    default:
      header = [node];
  }
  const verdict = see(...header);
  if (verdict === 'unknown') return dropped;
  if (verdict === 'stop') return go({ end: 'stop', node: header.find((h) => h)! });

  switch (node.type) {
    case 'statement_list':
    case 'block':
      return go(enter(node));
    case 'labeled_statement': {
      const labelled = node.named.find((c) => c.type !== 'label_name');
      return go(labelled ? enter(labelled) : after(node)); // `out: }` labels an empty statement
    }
    case 'if_statement': {
      const alternative = node.child('alternative');
      return go(enter(node.child('consequence')), alternative ? enter(alternative) : after(node));
    }
    case 'for_statement':
      return go(enter(node.child('body')), isUnconditionalLoop(node) ? undefined : after(node));
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement': {
      const cases = node.named.filter((c) => c.type.endsWith('_case'));
      const next: Step['next'] = [];
      for (const c of cases) {
        const caseHead = c.type === 'communication_case' ? c.child('communication') : c.type === 'expression_case' ? c.child('value') : undefined;
        const caseVerdict = caseHead && current === 'pending' ? visit(caseHead) : undefined;
        if (caseVerdict === 'unknown') continue;
        if (caseVerdict === 'stop') {
          next.push({ point: { end: 'stop', node: caseHead! } });
          continue;
        }
        const body = c.named.find((s) => s.type === 'statement_list');
        next.push({ point: body ? enter(body) : after(node), state: caseVerdict === 'done' ? 'done' : undefined });
      }
      const exhaustive = node.type === 'select_statement' || cases.some((c) => c.type === 'default_case');
      if (!exhaustive) next.push({ point: after(node) });
      return { state: current, next };
    }
    case 'return_statement':
      return go({ end: 'return', node });
    case 'break_statement': {
      const target = branchTarget(node);
      return { state: current, next: target ? [{ point: after(target), via: target.isAncestorOf(start) ? node : undefined }] : [] };
    }
    case 'continue_statement': {
      const target = branchTarget(node);
      return { state: current, next: target ? [{ point: { node: target, head: true }, via: target.isAncestorOf(start) ? node : undefined }] : [] };
    }
    case 'goto_statement': {
      const label = labeledStatement(node);
      return { state: current, next: label ? [{ point: { node: label, head: false }, via: node }] : [] };
    }
    case 'fallthrough_statement': {
      const nextCase = nextSibling(node.ancestor('expression_case', 'default_case'));
      const body = nextCase?.named.find((s) => s.type === 'statement_list');
      return go(body ? enter(body) : nextCase && after(nextCase));
    }
    case 'expression_statement': {
      const call = node.named[0];
      if (call?.type === 'call_expression' && isExitCall(call)) return go({ end: /^(panic|log\.Panic)/.test(call.child('function')?.text ?? '') ? 'panic' : 'exit', node });
      return go(after(node));
    }
    default:
      return go(after(node));
  }
}

/** The first point inside a statement, block or statement list. */
function enter(node: GoNode | undefined): Point | undefined {
  if (!node) return undefined;
  if (node.type === 'block') {
    const list = node.named.find((c) => c.type === 'statement_list');
    return list ? enter(list) : after(node);
  }
  if (node.type === 'statement_list') {
    const first = node.named[0];
    return first ? { node: first, head: false } : after(node);
  }
  return { node, head: false };
}

/** The point control reaches when `node` completes normally. */
function after(node: GoNode): Point | undefined {
  // Climbs iteratively: 50,000 nested blocks must not overflow the stack.
  for (let n = node; ; ) {
    const parent = n.parent;
    if (!parent || FUNCTION_TYPES.includes(parent.type as never)) return { end: 'end', node: n };
    if (parent.type === 'statement_list') {
      const next = nextSibling(n);
      if (next) return { node: next, head: false };
    } else if (parent.type === 'for_statement') {
      return n.field === 'body' ? { node: parent, head: true } : undefined;
    }
    n = parent;
  }
}

function nextSibling(node: GoNode | undefined): GoNode | undefined {
  const siblings = node?.parent?.named ?? [];
  return siblings[siblings.indexOf(node!) + 1];
}

/** The statement labelled by a `goto`'s label in the same function. */
function labeledStatement(jump: GoNode): GoNode | undefined {
  const label = jump.named.find((c) => c.type === 'label_name')?.text;
  const fn = enclosingFunction(jump);
  const body = fn?.child('body');
  return body && ownDescendants(body, 'labeled_statement').find((l) => l.named.find((c) => c.type === 'label_name')?.text === label);
}

// Counting events along paths (WaitGroup rules: how many Done calls a path has made, not just whether).

/** How many events happened on the paths reaching a point: a set of counts, 2 meaning "two or more". */
export type Counts = ReadonlySet<number>;

export interface CountedPaths {
  /** Each event statement, with the counts of earlier events on the paths reaching it. */
  events: { node: GoNode; before: Counts }[];
  /** Statements that leave the body early (`return`, exit statements), with the counts reaching them. */
  exits: { node: GoNode; counts: Counts }[];
  /** Counts on the paths that run off the end of the body. */
  end: Counts;
}

export interface CountQuestion {
  /** A statement that counts as one event (`wg.Done()`, `defer wg.Done()`). */
  isEvent(stmt: GoNode): boolean;
  /** Whether an expression statement leaves the function: always (`panic(...)`) or sometimes (`require.NoError(t, err)`). */
  exits(stmt: GoNode): 'always' | 'sometimes' | undefined;
}

const MAX_COUNT = 2;
const NO_PATHS: Counts = new Set();
/** Statements nested deeper than this (generated or pathological code) are beyond the count model: no stack overflow. */
const MAX_NESTING = 500;

/**
 * Counts events along every path through a function body, from its first statement. Returns
 * undefined when the body is beyond this model (`goto`, `fallthrough`, an event inside a loop):
 * rules then stay silent.
 */
export function countAlongPaths(body: GoNode, question: CountQuestion): CountedPaths | undefined {
  const counted: CountedPaths = { events: [], exits: [], end: NO_PATHS };
  try {
    counted.end = new CountingWalker(question, counted).block(body, new Set([0]));
  } catch (error) {
    if (error instanceof BeyondCountModel) return undefined;
    throw error;
  }
  return counted;
}

/** The statements of a block, a case or a statement list. */
export function statementsOf(node: GoNode | undefined): GoNode[] {
  if (!node) return [];
  const list = node.type === 'statement_list' ? node : node.named.find((c) => c.type === 'statement_list');
  return list?.named ?? [];
}

class BeyondCountModel extends Error {}

class CountingWalker {
  /** Counts carried out of a switch, select or loop by the `break`s that leave it. */
  private readonly breaks = new Map<GoNode, Counts>();

  constructor(
    private readonly question: CountQuestion,
    private readonly counted: CountedPaths,
  ) {}

  block(node: GoNode | undefined, counts: Counts): Counts {
    let current = counts;
    for (const stmt of statementsOf(node)) {
      if (current.size === 0) break; // the rest is unreachable
      current = this.statement(stmt, current);
    }
    return current;
  }

  private depth = 0;

  private statement(stmt: GoNode, counts: Counts): Counts {
    if (this.depth >= MAX_NESTING) throw new BeyondCountModel();
    this.depth++;
    try {
      return this.nested(stmt, counts);
    } finally {
      this.depth--;
    }
  }

  private nested(stmt: GoNode, counts: Counts): Counts {
    if (this.question.isEvent(stmt)) {
      this.counted.events.push({ node: stmt, before: counts });
      return new Set([...counts].map((c) => Math.min(c + 1, MAX_COUNT)));
    }
    switch (stmt.type) {
      case 'return_statement':
        this.counted.exits.push({ node: stmt, counts });
        return NO_PATHS;
      case 'expression_statement': {
        const exits = this.question.exits(stmt);
        if (exits) this.counted.exits.push({ node: stmt, counts });
        return exits === 'always' ? NO_PATHS : counts;
      }
      case 'goto_statement':
      case 'fallthrough_statement':
        throw new BeyondCountModel();
      case 'break_statement': {
        const target = branchTarget(stmt);
        if (target) this.breaks.set(target, unionOf(this.breaks.get(target) ?? NO_PATHS, counts));
        return NO_PATHS;
      }
      case 'continue_statement':
        return NO_PATHS; // loops hold no events, so the next iteration starts with the same counts
      case 'block':
        return this.block(stmt, counts);
      case 'labeled_statement':
        return stmt.named[1] ? this.statement(stmt.named[1], counts) : counts;
      case 'if_statement': {
        const then = this.block(stmt.child('consequence'), counts);
        const alternative = stmt.child('alternative');
        return unionOf(then, alternative ? this.statement(alternative, counts) : counts);
      }
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement':
        return this.cases(stmt, counts);
      case 'for_statement':
        return this.loop(stmt, counts);
      default:
        return counts;
    }
  }

  /** Every case is a path; without a `default` a switch may run none of them (a select blocks). */
  private cases(stmt: GoNode, counts: Counts): Counts {
    const cases = stmt.named.filter((c) => c.type.endsWith('_case'));
    let out = NO_PATHS;
    for (const c of cases) out = unionOf(out, this.block(c, counts));
    out = unionOf(out, this.breaks.get(stmt) ?? NO_PATHS);
    const exhaustive = stmt.type === 'select_statement' || cases.some((c) => c.type === 'default_case');
    return exhaustive ? out : unionOf(out, counts);
  }

  private loop(loop: GoNode, counts: Counts): Counts {
    for (const n of loop.descendants((x) => x.type === 'func_literal')) if (this.question.isEvent(n)) throw new BeyondCountModel();
    this.block(loop.child('body'), counts);
    return isUnconditionalLoop(loop) ? (this.breaks.get(loop) ?? NO_PATHS) : counts;
  }
}

function unionOf(a: Counts, b: Counts): Counts {
  return new Set([...a, ...b]);
}
