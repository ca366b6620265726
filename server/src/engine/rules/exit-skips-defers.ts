import { callsAtExit, deferredCall, defersOf, wrappedWriter } from '../go/defers';
import { FUNCTION_TYPES } from '../go/functions';
import { pathsAfter } from '../go/paths';
import type { Resolver } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import type { GoNode } from '../syntax/node';
import { DEFER_STATEMENT, type Rule, type RuleContext, type RuleFinding } from './rule';

const FATAL = /^Fatal(f|ln)?$/;
/** `recover()`, `handlePanic()`, `s.recoverPanic()`: deferred only for a panic, which an exit is not. */
const PANIC_HANDLER = /panic|recover/i;
/** Packages whose `Fatal*` functions and loggers' `Fatal*` methods call `os.Exit`. */
const EXITING_LOGGERS = ['log', 'github.com/sirupsen/logrus', 'github.com/golang/glog', 'k8s.io/klog', 'k8s.io/klog/v2'];
/** Of those, the ones whose `Fatal*` flushes their own buffered logs before exiting. */
const SELF_FLUSHING = ['github.com/golang/glog', 'k8s.io/klog', 'k8s.io/klog/v2'];

export const exitSkipsDefers: Rule = {
  id: 'exit-skips-defers',
  severity: 'warning',
  title: 'os.Exit or log.Fatal skips the deferred calls',
  triggers: DEFER_STATEMENT,
  docs: {
    what: '`os.Exit`, `syscall.Exit`, `log.Fatal*` or the `Fatal*` method of a `log.Logger` (or a logrus, glog or klog logger) called in a function after it registered a `defer` whose work outlives the process: flushing or closing a buffering writer, removing temporary files, stopping a profile, printing, unknown cleanup functions. Deferred unlocks, `wg.Done()`, context cancels, panic handlers, `close(ch)` and the `Close()` of files, connections and rows (which the operating system reclaims) do not matter once the process is gone and are not counted; nor does `glog.Flush()` (or klog\'s) when the exit is that logger\'s own `Fatal*`, which flushes it.',
    why: 'These calls end the process at once: deferred calls do not run. Files are not flushed or closed, temporary directories stay behind, locks and WaitGroups are never released, and buffered output is lost. (`t.Fatal` and `panic` do run deferred calls and are not reported.)',
    fix: 'Return an error (or an exit code) up to `main` and exit there, after the deferred work ran: move the body into `func run() error` and call `os.Exit(1)` in `main` when it fails. Or do the cleanup explicitly before exiting.',
    bad: `package main

import (
	"bufio"
	"log"
	"os"
)

func main() {
	f, err := os.Create("out.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	for _, arg := range os.Args[1:] {
		if _, err := w.WriteString(arg + "\\n"); err != nil {
			log.Fatal(err)
		}
	}
}
`,
    good: `package main

import (
	"bufio"
	"log"
	"os"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	f, err := os.Create("out.txt")
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, arg := range os.Args[1:] {
		if _, err := w.WriteString(arg + "\\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const fn of [ctx.unit, ...ctx.unit.descendantsOfType(FUNCTION_TYPES)].filter((n) => FUNCTION_TYPES.includes(n.type as never))) {
      const skipped = new Map<GoNode, GoNode[]>();
      for (const defer of defersOf(fn).filter((d) => mattersAtExit(d, ctx))) {
        const ends = pathsAfter(defer, (node) => (exitCallOf(node, ctx) ? 'stop' : undefined));
        for (const end of ends) if (end.kind === 'stop' && !flushedBy(exitCallOf(end.node, ctx)!, defer, ctx)) skipped.set(end.node, [...(skipped.get(end.node) ?? []), defer]);
      }
      for (const [stmt, defers] of skipped) {
        const call = exitCallOf(stmt, ctx)!;
        const quoted = defers.map((d) => quote(deferredCall(d) ?? d)).reverse();
        const what = defers.length === 1 ? `the deferred ${quoted[0]}` : `the ${defers.length} deferred calls registered before it (${quoted.join(', ')})`;
        findings.push({
          span: firstLine(call),
          message: `${quote(call)} exits the program without running ${what}`,
          related: defers.map((d) => ({ span: firstLine(d), message: `deferred here: never runs when ${quote(call.child('function')!)} exits` })),
        });
      }
    }
    return findings;
  },
};

/** The call of an expression statement that ends the process without running deferred calls. */
function exitCallOf(stmt: GoNode, ctx: RuleContext): GoNode | undefined {
  const call = stmt.type === 'expression_statement' ? stmt.named[0] : undefined;
  return call?.type === 'call_expression' && exits(call, ctx) ? call : undefined;
}

function exits(call: GoNode, ctx: RuleContext): boolean {
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression') return false;
  const operand = fn.child('operand');
  const name = fn.child('field')?.text ?? '';
  if (!operand) return false;
  const imported = operand.type === 'identifier' && !ctx.resolver.declarationOf(operand) ? ctx.imports.pathOf(operand.text) : undefined;
  if (imported) return imported === 'os' || imported === 'syscall' ? name === 'Exit' : FATAL.test(name) && EXITING_LOGGERS.includes(imported);
  return FATAL.test(name) && isExitingLogger(operand, ctx.resolver);
}

/** `defer glog.Flush()` before `glog.Fatal(...)`: the logger flushes itself on the way out. */
function flushedBy(exit: GoNode, defer: GoNode, ctx: RuleContext): boolean {
  const packageOf = (call: GoNode | undefined) => {
    const operand = call?.child('function')?.child('operand');
    return operand?.type === 'identifier' && !ctx.resolver.declarationOf(operand) ? ctx.imports.pathOf(operand.text) : undefined;
  };
  const deferred = deferredCall(defer);
  const logger = packageOf(exit);
  return !!logger && SELF_FLUSHING.includes(logger) && deferred?.child('function')?.child('field')?.text === 'Flush' && packageOf(deferred) === logger;
}

/**
 * A receiver declared as a logger of a package whose `Fatal*` exits (`*log.Logger`,
 * `log.New(...)`, `logrus.New()`). Other receivers may be `testing.T` (whose Fatal runs the
 * deferred calls) or a project's own type that panics: unknown, so silent.
 */
function isExitingLogger(receiver: GoNode, resolver: Resolver): boolean {
  if (receiver.type !== 'identifier') return false;
  const decl = resolver.declarationOf(receiver);
  const declared = decl ? `${decl.type?.text ?? ''} ${decl.value?.text ?? ''}` : (resolver.index.packageVar(receiver.text)?.fact.value?.text ?? '');
  return [...declared.matchAll(/\b(\w+)\./g)].some((m) => EXITING_LOGGERS.includes(resolver.imports.pathOf(m[1]) ?? ''));
}

/**
 * Whether skipping the deferred call loses something outside the process. Moot once the process
 * is gone: lock releases, `wg.Done()`, context cancels, panic handlers (`recover()`, `handlePanic()`), literals that only assign,
 * other exits, closing channels, and `Close()` of files, connections and rows (the OS reclaims them) — but not the
 * `Close`/`Flush` of a buffering writer, nor removing files, printing or unknown cleanup.
 */
function mattersAtExit(defer: GoNode, ctx: RuleContext): boolean {
  const calls = callsAtExit(defer);
  if (calls.some((c) => PANIC_HANDLER.test(c.child('function')?.text ?? ''))) return false;
  return calls.some((c) => {
    if (ctx.resolver.syncCall(c) || ctx.resolver.typeOf(c.child('function'))?.kind === 'CancelFunc' || exits(c, ctx) || closesChannel(c, ctx.resolver)) return false;
    const isClose = c.child('function')?.child('field')?.text === 'Close' && c.child('arguments')?.named.length === 0;
    return !isClose || !!wrappedWriter(c, ctx.resolver);
  });
}

/** The builtin `close(ch)`: a channel means nothing outside the process. */
function closesChannel(call: GoNode, resolver: Resolver): boolean {
  const fn = call.child('function');
  return fn?.type === 'identifier' && fn.text === 'close' && !resolver.declarationOf(fn);
}
