import { endlessLoopAround, deferredCall } from '../go/defers';
import { enclosingFunction } from '../go/functions';
import { firstLine, functionName, quote } from '../go/text';
import { DEFER_STATEMENT, type Rule, type RuleFinding } from './rule';

export const deferInInfiniteLoop: Rule = {
  id: 'defer-in-infinite-loop',
  severity: 'warning',
  title: 'defer inside a loop that never exits never runs',
  triggers: DEFER_STATEMENT,
  docs: {
    what: 'A `defer` statement inside a `for { ... }` loop without a condition that nothing leaves: no `return`, no `break` that targets the loop (a `break` inside an inner `select`, `switch` or loop only leaves that), no `goto` out of it, no `panic`.',
    why: 'Deferred calls run when the function returns, and this function never returns from the loop: the deferred call never runs. Every iteration adds one more pending call, so connections, files and locks are never released and memory grows until the process dies; a deferred `Unlock` means the next `Lock` deadlocks.',
    fix: 'Release the resource at the end of each iteration: move the iteration into a function of its own (or a `func() { ... }()` literal) so its `defer` runs every time, or call `Close`/`Unlock` explicitly.',
    bad: `package p

import "net"

func serve(l net.Listener, handle func(net.Conn)) {
	for {
		conn, err := l.Accept()
		if err != nil {
			continue
		}
		defer conn.Close()
		handle(conn)
	}
}
`,
    good: `package p

import "net"

func serve(l net.Listener, handle func(net.Conn)) {
	for {
		conn, err := l.Accept()
		if err != nil {
			continue
		}
		func() {
			defer conn.Close()
			handle(conn)
		}()
	}
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const defer of ctx.unit.descendantsOfType('defer_statement')) {
      const loop = endlessLoopAround(defer);
      if (!loop) continue;
      const fn = enclosingFunction(defer);
      findings.push({
        span: firstLine(defer),
        message: `${quote(deferredCall(defer) ?? defer)} is deferred inside a loop that never exits: it never runs, because ${fn ? functionName(fn) : 'the function'} never returns from the loop, and every iteration adds another pending call`,
        related: [{ span: firstLine(loop), message: 'this loop has no return, break or goto that leaves it' }],
      });
    }
    return findings;
  },
};
