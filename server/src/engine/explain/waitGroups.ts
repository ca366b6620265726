import { isUnconditionalLoop, loopCanExit, ownDescendants } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { atLeast, type GoVersion } from '../go/packageIndex';
import type { Resolver, SyncCall } from '../go/resolve';
import { functionName } from '../go/text';
import { bodyDones, countedOn, isDone } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import { code, linkTo, type ExplainContext } from './markdown';

export interface WaitGroupContext extends ExplainContext {
  resolver: Resolver;
  goroutines: Goroutine[];
  goVersion: GoVersion | undefined;
}

const RUNTIME_MESSAGES = [
  '`panic: sync: negative WaitGroup counter` — more Done than Add (a Done twice, or an Add after the goroutine finished).',
  '`sync: WaitGroup is reused before previous Wait has returned` — Add for new work while a Wait is still returning.',
  '`sync: WaitGroup misuse: Add called concurrently with Wait` — an Add inside a goroutine racing the Wait.',
  '`fatal error: all goroutines are asleep - deadlock!` — Wait for a Done that never comes.',
];

/** How the goroutine reports back to `key`: deferred Done, explicit Done, or nothing visible. */
function doneSummary(g: Goroutine, key: string, ctx: ExplainContext): string {
  if (g.counter) return `counted by ${code(`${key}.Go`)}: Add and Done are done for it`;
  const dones = bodyDones(g, key);
  if (dones.length === 0) return 'no Done on it found in the body';
  return dones
    .map((d) => {
      const deferred = d.sync.call.ancestor('defer_statement', 'func_literal')?.type === 'defer_statement';
      return `Done ${deferred ? 'deferred' : 'not deferred'} at ${linkTo(d.sync.call, ctx)}`;
    })
    .join(', ');
}

/** Whether a goroutine's body can return: a bare `select {}` or an endless loop at its top level cannot. */
function canExit(g: Goroutine): boolean {
  for (const stmt of g.body.firstOfType('statement_list')?.named ?? []) {
    if (stmt.type === 'select_statement' && !stmt.named.some((c) => c.type === 'communication_case' || c.type === 'default_case')) return false;
    if (stmt.type === 'for_statement' && isUnconditionalLoop(stmt) && !loopCanExit(stmt)) return false;
  }
  return true;
}

/** The accounting of WaitGroup `key` in function `fn`: Adds, counted goroutines and their Done, Waits. */
export function explainWaitGroup(fn: GoNode, key: string, ctx: WaitGroupContext): string {
  const calls = ownDescendants(fn.child('body') ?? fn, 'call_expression')
    .map((c) => ctx.resolver.syncCall(c))
    .filter((s): s is SyncCall => s?.kind === 'WaitGroup' && s.key === key);
  const adds = calls.filter((c) => c.method === 'Add' && !isDone(c));
  const waits = calls.filter((c) => c.method === 'Wait');
  const counted = ctx.goroutines.filter((g) => g.launcher === fn && countedOn(g, ctx.resolver)?.key === key);
  const name = functionName(fn);
  const lines = [`**WaitGroup ${code(key)} in \`${name}\`**`, ''];
  lines.push(adds.length > 0 ? `- Add: ${adds.map((a) => `${code(a.call.text)} at ${linkTo(a.call, ctx)}`).join('; ')}` : '- Add: none in this function');
  if (counted.length === 0) lines.push('- Counts no goroutine started in this function');
  else {
    lines.push(`- Counts ${counted.length} goroutine${counted.length === 1 ? '' : 's'}:`);
    for (const g of counted) lines.push(`  - started at ${linkTo(g.launch, ctx)}: ${doneSummary(g, key, ctx)}${canExit(g) ? '' : '; **its body never returns**'}`);
  }
  lines.push(waits.length > 0 ? `- Wait: ${waits.map((w) => linkTo(w.call, ctx)).join(', ')}` : '- Wait: none in this function');
  if (atLeast(ctx.goVersion, 1, 25)) lines.push('', `Go 1.25+: ${code(`${key}.Go(func() { … })`)} does the Add and the Done for you.`);
  lines.push('', 'When the count goes wrong, the runtime says:', ...RUNTIME_MESSAGES.map((m) => `- ${m}`));
  return lines.join('\n');
}

/** The goroutine started by a `go` statement (or `X.Go` call): what counts it and whether it can end. */
export function explainGoroutine(g: Goroutine, ctx: WaitGroupContext): string {
  const counter = countedOn(g, ctx.resolver);
  const body = g.fn.type === 'func_literal' ? 'a function literal' : `${code(functionName(g.fn))}`;
  const lines = [`**Goroutine started at ${linkTo(g.launch, ctx)} in \`${functionName(g.launcher)}\`** — runs ${body}`, ''];
  if (counter) {
    lines.push(`- Counted by WaitGroup ${code(counter.key)}${counter.add ? ` (${code(counter.add.call.text)} at ${linkTo(counter.add.call, ctx)})` : ''}`);
    lines.push(`- ${doneSummary(g, counter.key, ctx)}`);
  } else {
    lines.push('- Not counted by a WaitGroup in this function: nothing here waits for it');
  }
  lines.push(canExit(g) ? '- Can return: its body has no endless loop or bare `select {}` at its top level' : '- **Never returns**: its body ends in an endless loop or a bare `select {}`');
  return lines.join('\n');
}
