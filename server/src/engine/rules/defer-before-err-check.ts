import { deferredCall } from '../go/defers';
import { rootIdentifier } from '../go/goroutines';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleFinding } from './rule';

/** `err`, `errClose`, `createErr`: the names error results get. */
const ERROR_NAME = /^err$|^err[A-Z0-9_]|Err$/;

export const deferBeforeErrCheck: Rule = {
  id: 'defer-before-err-check',
  severity: 'warning',
  title: 'defer on a result registered before its error is checked',
  triggers: /\bdefer\b/,
  docs: {
    what: '`x, err := f(...)` (or `=`) immediately followed by `defer x.Method(...)` — or a method of a field of `x`, such as `defer resp.Body.Close()` — before `err` is checked.',
    why: 'When `f` fails, `x` is usually nil or unusable. The deferred call still runs when the function returns: `resp.Body.Close()` on a nil response, `rows.Close()` on nil rows or `tx.Rollback()` on a nil transaction panics with a nil-pointer dereference, turning an ordinary error into a crash.',
    fix: 'Move the `defer` below the `if err != nil { ... }` check, so it is only registered once `x` is valid.',
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
      findings.push({
        span: firstLine(defer),
        message: `defer ${quote(deferredCall(defer)!)} is registered before ${result.err.text} is checked: when ${quote(result.call)} fails ${value.text} may be nil, and the deferred call still runs on it (typically a nil-pointer panic)`,
        related: [{ span: firstLine(assignment), message: `${result.err.text} is returned here and checked only after the defer` }],
      });
    }
    return findings;
  },
};

/** `a, b, err := f(...)` or `a, err = f(...)`: the values, the error variable and the call. */
function uncheckedResult(stmt: GoNode): { values: GoNode[]; err: GoNode; call: GoNode } | undefined {
  if (stmt.type !== 'short_var_declaration' && !(stmt.type === 'assignment_statement' && stmt.child('operator')?.text === '=')) return undefined;
  const left = stmt.child('left')?.named ?? [];
  const right = stmt.child('right')?.named ?? [];
  const err = left.at(-1);
  if (left.length < 2 || right.length !== 1 || right[0].type !== 'call_expression' || err?.type !== 'identifier' || !ERROR_NAME.test(err.text)) return undefined;
  return { values: left.slice(0, -1).filter((v) => v.type === 'identifier' && v.text !== '_'), err, call: right[0] };
}
