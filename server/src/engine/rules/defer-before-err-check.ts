import { deferredCall } from '../go/defers';
import { deleteLines, insertLineAfterLines, lineAround, ownsItsLines } from '../go/edits';
import { rootIdentifier } from '../go/goroutines';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import { DEFER_STATEMENT, type Fix, type Rule, type RuleContext, type RuleFinding } from './rule';

/** `err`, `errClose`, `createErr`: the names error results get. */
const ERROR_NAME = /^err$|^err[A-Z0-9_]|Err$/;

export const deferBeforeErrCheck: Rule = {
  id: 'defer-before-err-check',
  severity: 'warning',
  title: 'defer on a result registered before its error is checked',
  triggers: DEFER_STATEMENT,
  docs: {
    what: '`x, err := f(...)` (or `=`) immediately followed by `defer x.Method(...)` — or a method of a field of `x`, such as `defer resp.Body.Close()` — before `err` is checked. Not reported for a method of the `*os.File` that `os.Open`, `os.Create` and the like return: it tolerates a nil file (it returns `ErrInvalid`).',
    why: 'When `f` fails, `x` is usually nil or unusable. The deferred call still runs when the function returns: `resp.Body.Close()` on a nil response, `rows.Close()` on nil rows or `tx.Rollback()` on a nil transaction panics with a nil-pointer dereference, turning an ordinary error into a crash.',
    fix: 'Move the `defer` below the `if err != nil { ... }` check, so it is only registered once `x` is valid. The quick fix does that (its trailing comment moves with it) when the statement right after the defer is `if err != nil { ... }` without initialiser or `else` whose block ends in `return` or `panic(...)`; it is not offered otherwise (no check there, a check that does not leave, or a defer sharing its line or spanning lines).',
    bad: `package p

import "net/http"

func status(url string) (int, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close()
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
`,
    good: `package p

import "net/http"

func status(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const defer of ctx.unit.descendantsOfType('defer_statement')) {
      const siblings = defer.parent?.type === 'statement_list' ? defer.parent.named : [];
      const assignment = siblings[siblings.indexOf(defer) - 1];
      const result = assignment && uncheckedResult(assignment);
      const receiver = deferredCall(defer)?.child('function');
      if (!result || receiver?.type !== 'selector_expression') continue;
      const root = rootIdentifier(receiver.child('operand') ?? receiver);
      const value = result.values.find((v) => v.text === root?.text);
      if (!value) continue;
      // `defer f.Close()` on the *os.File of a failed os.Open: its methods return ErrInvalid for nil.
      if (receiver.child('operand')?.text === value.text && opensFile(result.call, ctx)) continue;
      const fix = moveBelowCheck(defer, siblings[siblings.indexOf(defer) + 1], result.err);
      findings.push({
        fixes: fix ? [fix] : [],
        span: firstLine(defer),
        message: `defer ${quote(deferredCall(defer)!)} is registered before ${result.err.text} is checked: when ${quote(result.call)} fails ${value.text} may be nil, and the deferred call still runs on it (typically a nil-pointer panic)`,
        related: [{ span: firstLine(assignment), message: `${result.err.text} is returned here and checked only after the defer` }],
      });
    }
    return findings;
  },
};

/**
 * Moves the defer (with its trailing comment) below the `if err != nil { ... }` right after it,
 * when that block always leaves (ends in `return` or `panic(...)`) and has no `else`: the defer
 * is then registered exactly on the paths where err is nil.
 */
function moveBelowCheck(defer: GoNode, next: GoNode | undefined, err: GoNode): Fix | undefined {
  const cond = next?.type === 'if_statement' && !next.child('initializer') && !next.child('alternative') ? next.child('condition') : undefined;
  if (cond?.type !== 'binary_expression' || cond.text.replace(/\s+/g, ' ') !== `${err.text} != nil`) return undefined;
  const last = next!.child('consequence')?.named.find((c) => c.type === 'statement_list')?.named.at(-1);
  const leaves = last?.type === 'return_statement' || (last?.type === 'expression_statement' && last.named[0]?.type === 'call_expression' && last.named[0].child('function')?.text === 'panic');
  if (!leaves || !ownsItsLines(defer) || !ownsItsLines(next!) || defer.text.includes('\n')) return undefined;
  const line = lineAround(defer);
  const moved = line.text.slice(defer.start - line.start).replace(/\r?\n$/, '');
  return {
    title: `Move defer ${quote(deferredCall(defer)!)} below the if ${err.text} != nil check (it then no longer runs when ${err.text} != nil)`,
    preferred: true,
    edits: [deleteLines(defer), insertLineAfterLines(next!, moved)],
  };
}

/** `a, b, err := f(...)` or `a, err = f(...)`: the values, the error variable and the call. */
/** Functions returning an `*os.File`, whose methods check for a nil receiver. */
const FILE_OPENERS: Record<string, string[]> = { os: ['Open', 'Create', 'OpenFile', 'CreateTemp', 'NewFile'], 'io/ioutil': ['TempFile'] };

function opensFile(call: GoNode, ctx: RuleContext): boolean {
  const fn = call.child('function');
  const operand = fn?.type === 'selector_expression' ? fn.child('operand') : undefined;
  if (operand?.type !== 'identifier' || ctx.resolver.declarationOf(operand)) return false;
  return (FILE_OPENERS[ctx.imports.pathOf(operand.text) ?? ''] ?? []).includes(fn?.child('field')?.text ?? '');
}

function uncheckedResult(stmt: GoNode): { values: GoNode[]; err: GoNode; call: GoNode } | undefined {
  if (stmt.type !== 'short_var_declaration' && !(stmt.type === 'assignment_statement' && stmt.child('operator')?.text === '=')) return undefined;
  const left = stmt.child('left')?.named ?? [];
  const right = stmt.child('right')?.named ?? [];
  const err = left.at(-1);
  if (left.length < 2 || right.length !== 1 || right[0].type !== 'call_expression' || err?.type !== 'identifier' || !ERROR_NAME.test(err.text)) return undefined;
  return { values: left.slice(0, -1).filter((v) => v.type === 'identifier' && v.text !== '_'), err, call: right[0] };
}
