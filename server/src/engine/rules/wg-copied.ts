import { FUNCTION_TYPES } from '../go/functions';
import type { PackageIndex } from '../go/packageIndex';
import { unwrap } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import { typeFromNode, type GoType } from '../go/types';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleContext, RuleFinding } from './rule';

const MAX_NESTING = 4;
const CONSEQUENCE = 'Done on the copy never reaches the original, so its Wait blocks forever or returns early';

export const wgCopied: Rule = {
  id: 'wg-copied',
  severity: 'error',
  title: 'sync.WaitGroup copied by value',
  // A struct holding a WaitGroup can be copied anywhere, under any name.
  triggers: /\w/,
  docs: {
    what: 'A `sync.WaitGroup`, or a struct of this package that holds one by value, is copied: a value parameter or receiver, a value passed as an argument, assigned or `:=` from an existing variable, stored in a composite literal, returned, used as a range value variable, or sent on a channel.',
    why: 'A WaitGroup is a counter in memory. `Done` on a copy decrements the copy: the original never reaches zero and `Wait` blocks forever ("fatal error: all goroutines are asleep - deadlock!"), or Adds on the copy are never waited for.',
    fix: 'Pass and store `*sync.WaitGroup` (or a pointer to the struct holding it): `&wg`, pointer parameters and pointer receivers.',
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
    const report = (at: GoNode, type: GoType, message: (what: string) => string) =>
      findings.push({ span: firstLine(at), message: `${message(describe(type))}: ${CONSEQUENCE}` });
    const copied = (expr: GoNode | undefined) => (expr ? copiedValue(ctx, expr) : undefined);

    for (const node of [ctx.unit, ...ctx.unit.descendants()]) {
      if (FUNCTION_TYPES.includes(node.type as never)) {
        for (const [field, role] of [['receiver', 'receiver'], ['parameters', 'parameter']] as const) {
          for (const param of node.child(field)?.named ?? []) {
            const name = param.child('name');
            const type = param.type === 'parameter_declaration' ? typeFromNode(param.child('type'), ctx.imports) : undefined;
            if (name && name.text !== '_' && type && holdsWaitGroup(type, ctx.index)) report(param, type, (what) => `${role} ${name.text} receives a copy of ${what}`);
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
function holdsWaitGroup(type: GoType, index: PackageIndex, depth = 0): boolean {
  if (type.pointer || depth > MAX_NESTING) return false;
  if (type.kind === 'WaitGroup') return true;
  if (type.kind === 'array') return !!type.elem && holdsWaitGroup(type.elem, index, depth + 1);
  if (type.kind !== 'named') return false;
  return (index.struct(type.name) ?? []).some((f) => !!f.type && holdsWaitGroup(f.type, index, depth + 1));
}

function describe(type: GoType): string {
  return type.kind === 'WaitGroup' ? 'the WaitGroup' : `${type.kind === 'named' ? type.name : 'an array'} with its sync.WaitGroup`;
}
