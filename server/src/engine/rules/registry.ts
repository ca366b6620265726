import { deferBeforeErrCheck } from './defer-before-err-check';
import { deferEagerArgs } from './defer-eager-args';
import { deferInInfiniteLoop } from './defer-in-infinite-loop';
import { deferInLoop } from './defer-in-loop';
import { deferOrder } from './defer-order';
import { deferRecoverMisuse } from './defer-recover-misuse';
import { exitSkipsDefers } from './exit-skips-defers';
import { ignoreDirective } from './ignore-directive';
import { loopVarCaptured } from './loop-var-captured';
import { lostCancel } from './lost-cancel';
import { mutexDeferMistake } from './mutex-defer-mistake';
import type { Rule } from './rule';
import { unlockSkipped } from './unlock-skipped';
import { wgAddAfterGo } from './wg-add-after-go';
import { wgAddCountMismatch } from './wg-add-count-mismatch';
import { wgAddInGoroutine } from './wg-add-in-goroutine';
import { wgCopied } from './wg-copied';
import { wgDoneMissing } from './wg-done-missing';
import { wgDoneNotDeferred } from './wg-done-not-deferred';
import { wgDoneUnreachable } from './wg-done-unreachable';
import { wgDoneTwice } from './wg-done-twice';
import { wgGoAvailable } from './wg-go-available';
import { wgGoMisuse } from './wg-go-misuse';
import { wgWaitInGoroutine } from './wg-wait-in-goroutine';
import { wgWaitHoldingLock } from './wg-wait-holding-lock';
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
  deferInInfiniteLoop,
  deferEagerArgs,
  deferBeforeErrCheck,
  deferRecoverMisuse,
  deferOrder,
  exitSkipsDefers,
  lostCancel,
  unlockSkipped,
  mutexDeferMistake,
  loopVarCaptured,
  // suppression accounting: runs after the others
  ignoreDirective,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
