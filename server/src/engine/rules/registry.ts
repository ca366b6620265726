import { deferInLoop } from './defer-in-loop';
import { ignoreDirective } from './ignore-directive';
import type { Rule } from './rule';
import { wgAddInGoroutine } from './wg-add-in-goroutine';

/** Every rule WaitGuard runs, in documentation order. */
export const RULES: readonly Rule[] = [
  // sync.WaitGroup hazards
  wgAddInGoroutine,
  // defer, LIFO order, context cancel and lock release
  deferInLoop,
  // suppression accounting: runs after the others
  ignoreDirective,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
