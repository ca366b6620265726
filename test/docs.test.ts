// RULES.md is generated from the rules' own metadata; this fails when it is stale.
// Regenerate with `UPDATE_DOCS=1 npm test`.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { RULES, rulesMarkdown } from '../server/src/engine';
import { ROOT } from './harness';

it('RULES.md is up to date with the rule registry', () => {
  const path = join(ROOT, 'RULES.md');
  const expected = rulesMarkdown();
  if (process.env.UPDATE_DOCS) writeFileSync(path, expected);
  assert.equal(readFileSync(path, 'utf8'), expected, 'RULES.md is stale: run UPDATE_DOCS=1 npm test');
  for (const rule of RULES) assert.ok(expected.includes(`\n## ${rule.id}\n`), `${rule.id} has no section`);
});
