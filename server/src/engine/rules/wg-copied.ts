import { replaceNode } from '../go/edits';
import { mentions } from '../go/facts';
import { FUNCTION_TYPES } from '../go/functions';
import type { PackageIndex } from '../go/packageIndex';
import { unwrap } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import { typeFromNode, type GoType } from '../go/types';
import type { GoNode } from '../syntax/node';
import type { Fix, Rule, RuleContext, RuleEdit, RuleFinding } from './rule';

const MAX_NESTING = 4;
/** Memo key of the trigger pattern in the package index. */
const wgCopiedTriggers = {};
const CONSEQUENCE = 'Done on the copy never reaches the original, so its Wait blocks forever or returns early';

export const wgCopied: Rule = {
  id: 'wg-copied',
  severity: 'error',
  title: 'sync.WaitGroup copied by value',
  // Only code that names a WaitGroup, a struct holding one, or a package variable holding one can copy it.
  triggers: (index) => index.memo(wgCopiedTriggers, () => {
    const names = ['WaitGroup'];
    for (const d of index.declaredNames()) if (d.type && holdsWaitGroup({ ...d.type, pointer: false }, index)) names.push(d.name);
    return new RegExp(`\\b(?:${names.join('|')})\\b`);
  }),
  docs: {
    what: 'A `sync.WaitGroup`, or a struct of this package that holds one by value, is copied: a value parameter or receiver, a value passed as an argument, assigned or `:=` from an existing variable, stored in a composite literal, returned, used as a range value variable, or sent on a channel.',
    why: 'A WaitGroup is a counter in memory. `Done` on a copy decrements the copy: the original never reaches zero and `Wait` blocks forever ("fatal error: all goroutines are asleep - deadlock!"), or Adds on the copy are never waited for.',
    fix: 'Pass and store `*sync.WaitGroup` (or a pointer to the struct holding it): `&wg`, pointer parameters and pointer receivers. For a value parameter or receiver the quick fix makes it a pointer (`*sync.WaitGroup`, `*T`) and, for a parameter, passes `&x` at every call site in the package (edits in several files). It is offered only when the body uses the parameter just to call its methods or read its fields (no assignment to a field, no `&`, no use as a value), and every mention of the function in the package is a direct call whose argument is a variable, a field, `*p` or a composite literal (for a method: a call on a variable or field, so Go takes the address itself).',
    bad: `package p

import "sync"

func worker(wg sync.WaitGroup, job func()) {
	defer wg.Done()
	job()
}

func run(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go worker(wg, job)
	}
	wg.Wait()
}
`,
    good: `package p

import "sync"

func worker(wg *sync.WaitGroup, job func()) {
	defer wg.Done()
	job()
}

func run(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go worker(&wg, job)
	}
	wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    const report = (at: GoNode, type: GoType, message: (what: string) => string, fixes: Fix[] = []) =>
      findings.push({ span: firstLine(at), message: `${message(describe(type))}: ${CONSEQUENCE}`, fixes });
    const copied = (expr: GoNode | undefined) => (expr ? copiedValue(ctx, expr) : undefined);

    for (const node of [ctx.unit, ...ctx.unit.descendants()]) {
      if (FUNCTION_TYPES.includes(node.type as never)) {
        for (const [field, role] of [['receiver', 'receiver'], ['parameters', 'parameter']] as const) {
          for (const param of node.child(field)?.named ?? []) {
            const name = param.child('name');
            const type = param.type === 'parameter_declaration' ? typeFromNode(param.child('type'), ctx.imports) : undefined;
            if (name && name.text !== '_' && type && holdsWaitGroup(type, ctx.index)) report(param, type, (what) => `${role} ${name.text} receives a copy of ${what}`, pointerFix(ctx, node, param, role));
          }
        }
        continue;
      }
      if (node.type === 'range_clause') {
        const value = rangeValue(ctx, node);
        if (value) report(value.name, value.type, (what) => `the range variable ${value.name.text} copies each ${what.replace(/^the /, '')}`);
        continue;
      }
      const sources = copySources(node);
      for (const expr of sources?.values ?? []) {
        const type = copied(expr);
        if (type) report(expr, type, (what) => `${sources!.verb} ${quote(expr)}${sources!.verb === 'storing' ? ' in a composite literal' : ''} copies ${what}`);
      }
    }
    return findings;
  },
};

/** The expressions a node copies into somewhere else, with the verb for messages. */
function copySources(node: GoNode): { verb: string; values: GoNode[] } | undefined {
  switch (node.type) {
    case 'argument_list':
      return node.parent?.type === 'call_expression' && !isBuiltinWithType(node.parent) ? { verb: 'passing', values: node.named } : undefined;
    case 'short_var_declaration':
    case 'assignment_statement': {
      const left = node.child('left')?.named ?? [];
      const right = node.child('right')?.named ?? [];
      if (left.length !== right.length || !node.children.some((c) => c.type === '=' || c.type === ':=')) return undefined;
      return { verb: 'assigning', values: right.filter((_, i) => left[i].text !== '_') };
    }
    case 'var_spec': {
      const names = node.childrenOf('name');
      const values = node.child('value')?.named ?? [];
      return names.length === values.length ? { verb: 'assigning', values: values.filter((_, i) => names[i].text !== '_') } : undefined;
    }
    case 'literal_element':
      return node.field !== 'key' && node.named[0] ? { verb: 'storing', values: [node.named[0]] } : undefined;
    case 'return_statement':
      return { verb: 'returning', values: node.named[0]?.type === 'expression_list' ? node.named[0].named : node.named };
    case 'send_statement':
      return { verb: 'sending', values: [node.child('value')].filter((v): v is GoNode => !!v) };
    default:
      return undefined;
  }
}

/** `new(T)` and `make(T, ...)` take a type, not a value. */
function isBuiltinWithType(call: GoNode): boolean {
  return ['new', 'make'].includes(call.child('function')?.text ?? '');
}

/** The type copied when `expr` is read: an existing variable, field, element or dereference holding a WaitGroup by value. */
function copiedValue(ctx: RuleContext, expr: GoNode): GoType | undefined {
  let e = expr;
  while (e.type === 'parenthesized_expression' && e.named[0]) e = e.named[0];
  const isVariable = ['identifier', 'selector_expression', 'index_expression'].includes(e.type) || (e.type === 'unary_expression' && e.children[0]?.type === '*');
  if (!isVariable || (e.type !== 'unary_expression' && unwrap(e) !== e)) return undefined;
  const type = ctx.resolver.typeOf(e);
  return type && holdsWaitGroup(type, ctx.index) ? type : undefined;
}

/** `for _, v := range xs` where each element holds a WaitGroup by value. */
function rangeValue(ctx: RuleContext, clause: GoNode): { name: GoNode; type: GoType } | undefined {
  const container = ctx.resolver.typeOf(clause.child('right'));
  if (!container || !('elem' in container) || container.pointer || !container.elem) return undefined;
  const name = clause.child('left')?.named[container.kind === 'chan' ? 0 : 1];
  if (!name || name.type !== 'identifier' || name.text === '_') return undefined;
  return holdsWaitGroup(container.elem, ctx.index) ? { name, type: container.elem } : undefined;
}

/** A WaitGroup value, or a value of a package struct (or array) containing one without a pointer in between. */
function holdsWaitGroup(type: GoType, index: PackageIndex): boolean {
  // One question per struct type: what reads a struct that holds a WaitGroup stays valid while it still holds one.
  return type.kind === 'named' && !type.pointer ? index.ask(`holdsWaitGroup ${type.name}`, () => containsWaitGroup(type, index, 0)) : containsWaitGroup(type, index, 0);
}

function containsWaitGroup(type: GoType, index: PackageIndex, depth: number): boolean {
  if (type.pointer || depth > MAX_NESTING) return false;
  if (type.kind === 'WaitGroup') return true;
  if (type.kind === 'array') return !!type.elem && containsWaitGroup(type.elem, index, depth + 1);
  if (type.kind !== 'named') return false;
  return (index.struct(type.name) ?? []).some((f) => !!f.type && containsWaitGroup(f.type, index, depth + 1));
}

function describe(type: GoType): string {
  return type.kind === 'WaitGroup' ? 'the WaitGroup' : `${type.kind === 'named' ? type.name : 'an array'} with its sync.WaitGroup`;
}

/**
 * Makes a value parameter or receiver a pointer; for a parameter, `&x` at every call site of the
 * function in the package. Offered when nothing changes but which object the body works on.
 */
function pointerFix(ctx: RuleContext, fn: GoNode, param: GoNode, role: 'receiver' | 'parameter'): Fix[] {
  const type = param.child('type');
  const name = param.child('name');
  const fnName = fn.child('name')?.text;
  if (!type || !name || param.childrenOf('name').length !== 1 || !fnName || fn.type === 'func_literal') return [];
  if (role === 'parameter' && fn.type !== 'function_declaration') return [];
  if (type.type !== 'qualified_type' && type.type !== 'type_identifier') return [];
  if (!onlyMethodsAndReads(ctx, fn, name)) return [];
  const position = role === 'parameter' ? (fn.child('parameters')?.named ?? []).indexOf(param) : -1;
  if (role === 'parameter' && (fn.child('parameters')?.named ?? []).some((p, i) => i < position && p.childrenOf('name').length !== 1)) return [];
  const sites = callSites(ctx, fnName, fn, role === 'receiver');
  if (!sites) return [];
  const edits: RuleEdit[] = [replaceNode(type, `*${type.text}`)];
  for (const call of sites) {
    if (role === 'receiver') continue;
    const arg = call.child('arguments')?.named[position];
    if (!arg || call.child('arguments')!.named.length !== (fn.child('parameters')?.named.length ?? -1)) return [];
    if (arg.type === 'unary_expression' && arg.children[0]?.type === '*' && arg.child('operand')) edits.push(replaceNode(arg, arg.child('operand')!.text));
    else if (['identifier', 'selector_expression', 'composite_literal'].includes(arg.type)) edits.push(replaceNode(arg, `&${arg.text}`));
    else return [];
  }
  const callers = role === 'parameter' && sites.length > 0 ? ` and pass a pointer at ${sites.length === 1 ? 'its call site' : `its ${sites.length} call sites`}` : '';
  return [{ title: `Make ${role} ${name.text} a pointer: *${type.text}${callers}`, preferred: true, edits }];
}

/** The body names the parameter only to call methods on it or read (not assign) its fields. */
function onlyMethodsAndReads(ctx: RuleContext, fn: GoNode, name: GoNode): boolean {
  const body = fn.child('body');
  if (!body) return false;
  for (const id of body.descendantsOfType('identifier')) {
    if (id.text !== name.text || ctx.resolver.declarationOf(id)?.name !== name) continue;
    let e = id.parent?.type === 'selector_expression' && id.field === 'operand' ? id.parent : undefined;
    if (!e) return false;
    while (e.parent?.type === 'selector_expression' && e.field === 'operand') e = e.parent;
    const called = e.parent?.type === 'call_expression' && e.field === 'function';
    if (!called && ctx.resolver.typeOf(id)?.kind === 'WaitGroup') return false; // a method value of the WaitGroup
    for (let n: GoNode | null = e; n && n !== body; n = n.parent) {
      const p = n.parent;
      if (!p) break;
      if ((p.type === 'assignment_statement' || p.type === 'short_var_declaration') && n.field === 'left') return false;
      if (p.type === 'inc_statement' || p.type === 'dec_statement') return false;
      if (p.type === 'unary_expression' && p.children[0]?.type === '&') return false;
      if (p.type !== 'selector_expression' && p.type !== 'index_expression' && p.type !== 'expression_list') break;
    }
  }
  return true;
}

/**
 * Every call of the function (or method) named `name` in the package, when each mention is a
 * direct call (for methods: on a variable or field, which Go can take the address of) or the
 * declaration itself; undefined otherwise.
 */
function callSites(ctx: RuleContext, name: string, fn: GoNode, method: boolean): GoNode[] | undefined {
  const calls: GoNode[] = [];
  let total = 0;
  let found = 0;
  for (const path of ctx.index.paths) {
    const facts = ctx.index.facts(path);
    if (!facts) return undefined;
    const n = mentions(facts, name);
    total += n;
    if (n === 0) continue;
    for (const decl of facts.funcs) {
      if (!new RegExp(`\\b${name}\\b`).test(facts.text.slice(decl.start, decl.end))) continue;
      const lowered = path === ctx.path && decl.start === ctx.unit.source.base ? { node: ctx.unit, resolver: ctx.resolver } : ctx.declaration(decl);
      if (!lowered) return undefined;
      for (const id of lowered.node.descendantsOfType(['identifier', 'field_identifier'])) {
        if (id.text !== name) continue;
        found++;
        if (id === fn.child('name')) continue;
        if (method) {
          const selector = id.parent;
          const operand = selector?.child('operand');
          if (selector?.type !== 'selector_expression' || selector.parent?.type !== 'call_expression' || selector.field !== 'function') return undefined;
          if (!operand || !['identifier', 'selector_expression'].includes(operand.type)) return undefined;
        } else {
          if (id.type !== 'identifier' || id.field !== 'function' || id.parent?.type !== 'call_expression' || lowered.resolver.declarationOf(id)) return undefined;
          calls.push(id.parent);
        }
      }
    }
  }
  return found === total ? calls : undefined;
}
