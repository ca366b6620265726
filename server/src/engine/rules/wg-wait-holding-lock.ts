import { enclosingFunction, ownDescendants } from '../go/functions';
import type { Goroutine } from '../go/goroutines';
import { rootIdentifier } from '../go/goroutines';
import { keyOf, Resolver, type SyncCall } from '../go/resolve';
import { firstLine, quote } from '../go/text';
import { bodyDones, bodySyncCalls, countedOn } from '../go/waitgroups';
import type { GoNode } from '../syntax/node';
import type { Rule, RuleContext, RuleFinding } from './rule';

const LOCKS = ['Lock', 'RLock'];
const UNLOCKS = ['Unlock', 'RUnlock'];

/** A lock a goroutine takes: in its body, or in a method of the package it calls. */
interface TakenLock {
  key: string;
  method: string;
  /** The Lock call, or the body's call of the method that locks. */
  at: GoNode;
}

export const wgWaitHoldingLock: Rule = {
  id: 'wg-wait-holding-lock',
  severity: 'error',
  title: 'WaitGroup.Wait while holding a mutex the goroutines need',
  triggers: /\.Wait\s*\(/,
  docs: {
    what: '`X.Wait()` runs while the function holds a mutex (locked earlier and not unlocked before the Wait; a deferred Unlock still holds it), and a goroutine counted on X locks the same mutex before it reaches its Done — in its body or in a method of the package it calls.',
    why: 'The goroutines block on the lock, Wait blocks on the goroutines, and the lock is released only after Wait returns: a deadlock ("fatal error: all goroutines are asleep - deadlock!" when nothing else runs).',
    fix: 'Unlock before `X.Wait()` (or collect results through channels and lock only after Wait returns).',
    bad: `package p

import "sync"

type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

func (c *Cache) Refresh(keys []string, load func(string) string) {
	var wg sync.WaitGroup
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			v := load(k)
			c.mu.Lock()
			c.items[k] = v
			c.mu.Unlock()
		}(k)
	}
	wg.Wait()
}
`,
    good: `package p

import "sync"

type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

func (c *Cache) Refresh(keys []string, load func(string) string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			v := load(k)
			c.mu.Lock()
			c.items[k] = v
			c.mu.Unlock()
		}(k)
	}
	wg.Wait()
}
`,
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const call of ctx.unit.descendantsOfType('call_expression')) {
      const wait = ctx.resolver.syncCall(call);
      // Only Waits climb to their function: every call doing so is quadratic in nested call arguments.
      const fn = wait?.kind === 'WaitGroup' && wait.method === 'Wait' ? enclosingFunction(call) : undefined;
      if (!wait || !fn) continue;
      const counted = ctx.goroutines().filter((g) => enclosingFunction(g.launch) === fn && countedOn(g, ctx.resolver)?.key === wait.key);
      if (counted.length === 0) continue;
      for (const held of heldLocks(ctx, fn, call)) {
        const blocked = counted.flatMap((g) => locksBeforeDone(ctx, g, wait.key)).find((l) => l.key === held.key && !(l.method === 'RLock' && held.method === 'RLock'));
        if (!blocked) continue;
        findings.push({
          span: firstLine(call),
          message: `${quote(call)} runs while ${quote(held.receiver)} is locked, and the goroutines it waits for lock ${quote(held.receiver)} before their Done: neither can go on ("fatal error: all goroutines are asleep - deadlock!")`,
          related: [
            { span: firstLine(held.call), message: `${quote(held.receiver)} is locked here and still held at the Wait` },
            { span: firstLine(blocked.at), message: `a counted goroutine blocks on ${quote(held.receiver)} here` },
          ],
        });
        break;
      }
    }
    return findings;
  },
};

/** Locks of `fn` taken before `wait` in a block around it and still held when the Wait runs. */
function heldLocks(ctx: RuleContext, fn: GoNode, wait: GoNode): SyncCall[] {
  const calls = ownDescendants(fn.child('body') ?? fn, 'call_expression')
    .map((c) => ctx.resolver.syncCall(c))
    .filter((s): s is SyncCall => s?.kind === 'Mutex' || s?.kind === 'RWMutex');
  const deferredWait = wait.parent?.type === 'defer_statement';
  return calls.filter((lock) => {
    if (!LOCKS.includes(lock.method) || lock.call.start >= wait.start) return false;
    const block = lock.call.parent?.parent;
    if (block?.type !== 'statement_list' || !block.isAncestorOf(wait)) return false;
    return !calls.some((u) => {
      if (u.key !== lock.key || !UNLOCKS.includes(u.method) || u.call.start < lock.call.start) return false;
      const deferred = u.call.parent?.type === 'defer_statement';
      // A deferred Wait runs at return: after explicit Unlocks, and after deferred ones registered later.
      if (deferredWait) return !deferred || u.call.start > wait.start;
      return !deferred && u.call.start < wait.start;
    });
  });
}

/** Locks a counted goroutine takes before it can call Done on `key`. */
function locksBeforeDone(ctx: RuleContext, g: Goroutine, key: string): TakenLock[] {
  const explicit = g.counter ? [] : bodyDones(g, key, true).filter((d) => d.sync.call.parent?.type === 'expression_statement');
  const deferredDone = g.counter || bodyDones(g, key, true).some((d) => d.sync.call.parent?.type === 'defer_statement');
  const before = (node: GoNode) => deferredDone || explicit.some((d) => node.start < d.sync.call.start);
  const taken: TakenLock[] = bodySyncCalls(g, true)
    .filter((c) => LOCKS.includes(c.sync.method) && c.sync.kind !== 'WaitGroup')
    .map((c) => ({ key: c.key, method: c.sync.method, at: c.sync.call }));
  for (const call of ownDescendants(g.body, 'call_expression')) taken.push(...locksInMethod(ctx, g, call));
  return taken.filter((l) => before(l.at));
}

/** Locks taken by a same-package method the body calls on an object the launcher can name (`c.put(k)`). */
function locksInMethod(ctx: RuleContext, g: Goroutine, call: GoNode): TakenLock[] {
  const callee = call.child('function');
  const operand = callee?.type === 'selector_expression' ? callee.child('operand') : undefined;
  const type = operand && g.resolver.typeOf(operand);
  const base = operand && g.toLauncher(operand);
  if (type?.kind !== 'named' || !base) return [];
  const decl = ctx.index.method(type.name, callee?.child('field')?.text ?? '');
  const method = decl && ctx.index.declaration(decl);
  const receiver = method?.child('receiver')?.named[0]?.child('name')?.text;
  const facts = decl && ctx.index.facts(decl.path);
  const body = method?.child('body');
  if (!body || !receiver || !facts) return [];
  const resolver = new Resolver(facts.imports, ctx.index);
  return ownDescendants(body, 'call_expression').flatMap((c) => {
    const sync = resolver.syncCall(c);
    const root = sync && rootIdentifier(sync.receiver);
    if (!sync || sync.kind === 'WaitGroup' || !LOCKS.includes(sync.method) || root?.text !== receiver) return [];
    return [{ key: base + sync.key.slice(keyOf(root).length), method: sync.method, at: call }];
  });
}
