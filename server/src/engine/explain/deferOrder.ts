import { defersOf } from '../go/defers';
import { FUNCTION_TYPES } from '../go/functions';
import { functionName } from '../go/text';
import type { GoNode } from '../syntax/node';
import { code, goBlock, linkTo, ordinal, placeLabel, type ExplainContext } from './markdown';

/** One `defer` of a function, with what a reader needs to know about when and how it runs. */
export interface DeferEntry {
  defer: GoNode;
  /** What runs at exit, as written: the call, or `func() { ... }()`. */
  call: GoNode | undefined;
  /** Registered once per iteration of an enclosing loop. */
  inLoop: boolean;
  /** Registered only when an enclosing `if`, `switch` or `select` branch runs. */
  conditional: boolean;
  /** A deferred function literal: it reads variables when it runs, at exit. */
  literal: boolean;
  /** Expressions evaluated when the `defer` statement runs (receiver and arguments). */
  frozen: GoNode[];
  /** `defer recover()`: recover is not called by a deferred function, so it stops nothing. */
  bareRecover: boolean;
}

const BRANCHES = ['if_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'];
const CONSTANTS = ['int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'interpreted_string_literal', 'raw_string_literal', 'true', 'false', 'nil', 'iota'];

/** The defers a function registers, in registration (source) order. */
export function deferEntries(fn: GoNode): DeferEntry[] {
  return defersOf(fn).map((defer) => {
    let inLoop = false;
    let conditional = false;
    for (let n = defer.parent; n && n !== fn && !FUNCTION_TYPES.includes(n.type as never); n = n.parent) {
      if (n.type === 'for_statement') inLoop = true;
      if (BRANCHES.includes(n.type)) conditional = true;
    }
    const call = defer.named.find((c) => c.type === 'call_expression');
    const callee = call?.child('function');
    const literal = callee?.type === 'func_literal';
    const frozen: GoNode[] = [];
    if (call && !literal) {
      if (callee?.type === 'selector_expression' && callee.child('operand')) frozen.push(callee.child('operand')!);
      for (const arg of call.child('arguments')?.named ?? []) if (!CONSTANTS.includes(arg.type)) frozen.push(arg);
    }
    const bareRecover = callee?.type === 'identifier' && callee.text === 'recover';
    return { defer, call, inLoop, conditional, literal, frozen, bareRecover };
  });
}

/** Calls after which deferred calls do not run. */
const EXITS = /^(os\.Exit|syscall\.Exit|log\.Fatal(f|ln)?)$/;

/**
 * The exit sequence of `fn` in run order (last registered runs first), with `highlight` marked,
 * and the notes that apply to it.
 */
export function explainDefers(fn: GoNode, ctx: ExplainContext, highlight?: GoNode): string | undefined {
  const entries = deferEntries(fn);
  if (entries.length === 0) return undefined;
  const name = fn.type === 'func_literal' ? 'the function literal' : `\`${functionName(fn)}\``;
  const runOrder = [...entries].reverse();
  const target = entries.find((e) => e.defer === highlight);
  const lines: string[] = [];
  if (target) {
    const k = entries.indexOf(target) + 1;
    const position = runOrder.indexOf(target) + 1;
    lines.push(`**Deferred call ${k} of ${entries.length} in ${name}** — runs ${ordinal(position)} when ${name} returns`);
  } else {
    lines.push(`**${name} registers ${entries.length} deferred call${entries.length === 1 ? '' : 's'}** — they run in reverse order when it returns`);
  }
  lines.push('', `Exit sequence of ${name} (last registered runs first):`, '');
  lines.push(
    goBlock(
      runOrder.map((e, i) => ({
        code: `${ordinal(i + 1)}: ${e.call ? (e.literal ? 'func() { … }()' : e.call.text.replace(/\s*\n\s*/g, ' ')) : e.defer.text}`,
        comment: `${placeLabel(ctx.place(e.defer))}${e.inLoop ? ', once per iteration' : ''}${e.conditional ? ', if registered' : ''}${e === target ? '  ← this defer' : ''}`,
      })),
    ),
  );
  const notes = target ? notesFor(target, name, ctx) : [];
  notes.push(`Runs during a panic as well: deferred calls run while the panic unwinds ${name}.`);
  const exit = fn.descendantsOfType('call_expression', (n) => n.type === 'func_literal').find((c) => EXITS.test(c.child('function')?.text ?? ''));
  if (exit) notes.push(`Does not run when ${code(exit.child('function')!.text)} (${linkTo(exit, ctx)}) ends the program: exits skip deferred calls.`);
  lines.push('', ...notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

function notesFor(e: DeferEntry, name: string, ctx: ExplainContext): string[] {
  const notes: string[] = [];
  if (e.inLoop) notes.push(`Registered once per loop iteration; all of them run when ${name} returns, not at the end of each iteration — the last iteration's first.`);
  if (e.conditional) notes.push(`Registered only when its branch runs (${linkTo(e.defer, ctx)}); otherwise it is not in the sequence.`);
  if (e.frozen.length > 0) notes.push(`Evaluated when the \`defer\` statement ran: ${e.frozen.map((f) => code(f.text)).join(', ')} — their values are frozen; later assignments are not seen at exit.`);
  if (e.literal) notes.push('A deferred function literal reads variables when it runs, at exit: it sees their final values.');
  if (e.bareRecover) notes.push('`defer recover()` does nothing: recover stops a panic only when called *by* a deferred function, e.g. `defer func() { recover() }()`.');
  return notes;
}
