import { deferInLoop } from './defer-in-loop';
import { ignoreDirective } from './ignore-directive';
import type { Rule } from './rule';
import { wgAddAfterGo } from './wg-add-after-go';
import { wgAddCountMismatch } from './wg-add-count-mismatch';
import { wgAddInGoroutine } from './wg-add-in-goroutine';
import { wgCopied } from './wg-copied';
import { wgDoneMissing } from './wg-done-missing';
import { wgDoneNotDeferred } from './wg-done-not-deferred';
import { wgDoneTwice } from './wg-done-twice';
import { wgDoneUnreachable } from './wg-done-unreachable';
import { wgGoAvailable } from './wg-go-available';
import { wgGoMisuse } from './wg-go-misuse';
import { wgWaitHoldingLock } from './wg-wait-holding-lock';
import { wgWaitInGoroutine } from './wg-wait-in-goroutine';
import { wgWaitInLoop } from './wg-wait-in-loop';
import { wgWaitMissing } from './wg-wait-missing';

/** Every rule WaitGuard runs, in documentation order. */
export const RULES: readonly Rule[] = [
  // sync.WaitGroup hazards
  wgAddInGoroutine,
  wgAddAfterGo,
  wgDoneMissing,
  wgDoneNotDeferred,
  wgDoneTwice,
  wgCopied,
  wgWaitMissing,
  wgWaitInGoroutine,
  wgWaitInLoop,
  wgWaitHoldingLock,
  wgAddCountMismatch,
  wgDoneUnreachable,
  wgGoAvailable,
  wgGoMisuse,
  // defer, LIFO order, context cancel and lock release
  deferInLoop,
  // suppression accounting: runs after the others
  ignoreDirective,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
