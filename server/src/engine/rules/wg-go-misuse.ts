import { deleteStatement } from '../go/edits';
import { atLeast } from '../go/packageIndex';
import { firstLine, quote } from '../go/text';
import { bodyDones } from '../go/waitgroups';
import type { Rule, RuleFinding } from './rule';

export const wgGoMisuse: Rule = {
  id: 'wg-go-misuse',
  severity: 'error',
  title: 'WaitGroup.Go misused: Done inside it, or Go before Go 1.25',
  triggers: /\.Go\s*\(/,
  docs: {
    what: '`X.Done()` (deferred or not, or `X.Add(-1)`) inside the function passed to `X.Go(...)`; or `X.Go` used in a module whose nearest `go.mod` says a Go version below 1.25.',
    why: '`X.Go(f)` calls `X.Add(1)` before starting f and `X.Done()` when f returns, so a Done inside f completes the count twice: "panic: sync: negative WaitGroup counter". Before Go 1.25 `sync.WaitGroup` has no `Go` method and the package does not build.',
    fix: 'Remove the Done from the function passed to `X.Go`. Below Go 1.25, raise the `go` directive of go.mod, or write `X.Add(1)` before `go func() { defer X.Done(); ... }()`. The quick fix removes the Done statement (deferred or not; an `if` left empty goes too); it is not offered when the function is a named one (other callers may need its Done), when the Done is part of a larger statement or shares its line with other code, nor for the Go version.',
    bad: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Go(func() {
			defer wg.Done()
			handle(item)
		})
	}
	wg.Wait()
}
`,
    good: `package p

import "sync"

func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Go(func() {
			handle(item)
		})
	}
	wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    const version = ctx.index.goVersion;
    for (const g of ctx.goroutines()) {
      if (!g.counter) continue;
      const go = `${quote(g.counter.receiver)}.Go`;
      if (version && !atLeast(version, 1, 25)) {
        findings.push({
          span: firstLine(g.counter.call),
          message: `${go} needs Go 1.25, but the nearest go.mod says go ${version.major}.${version.minor}: sync.WaitGroup has no Go method there and the package does not build`,
        });
      }
      if (g.body.source.path !== ctx.path) continue; // a body in another file is reported there
      for (const done of bodyDones(g, g.counter.key, true)) {
        const stmt = done.sync.call.parent;
        const removal = g.fn.type === 'func_literal' && stmt && (stmt.type === 'expression_statement' || stmt.type === 'defer_statement') ? deleteStatement(stmt) : undefined;
        findings.push({
          span: firstLine(done.sync.call),
          message: `${quote(done.sync.call)} inside ${go}(...): Go calls Done itself when the function returns, so the counter goes negative ("sync: negative WaitGroup counter")`,
          related: [{ span: firstLine(g.counter.call), message: 'Go counts the function here and calls Done when it returns' }],
          fixes: removal ? [{ title: `Remove ${quote(stmt!)} (${go} already calls Done when the function returns)`, preferred: true, edits: [removal] }] : [],
        });
      }
    }
    return findings;
  },
};
