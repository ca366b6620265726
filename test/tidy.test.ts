// Every rule describes itself completely, has fixtures, and its documented examples behave.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULES, SEVERITIES } from '../server/src/engine';
import { analyzeSources, TESTDATA } from './harness';

describe('rule registry', () => {
  it('has unique kebab-case ids and complete docs', () => {
    const ids = new Set<string>();
    for (const rule of RULES) {
      assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/, `${rule.id} is not kebab-case`);
      assert.ok(!ids.has(rule.id), `${rule.id} is registered twice`);
      ids.add(rule.id);
      assert.ok(SEVERITIES.includes(rule.severity), `${rule.id} has an unknown severity`);
      assert.ok(rule.title.length > 10 && !rule.title.endsWith('.'), `${rule.id} needs a one-line title without a full stop`);
      for (const field of ['what', 'why', 'fix', 'bad', 'good'] as const) assert.ok(rule.docs[field].trim().length > 20, `${rule.id} docs.${field} is empty`);
    }
  });

  it('has a testdata folder for every rule and a rule for every testdata folder', () => {
    const folders = readdirSync(TESTDATA, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const rule of RULES) assert.ok(existsSync(join(TESTDATA, rule.id)), `test/testdata/${rule.id}/ is missing`);
    const extra = folders.filter((f) => !RULES.some((r) => r.id === f) && !f.startsWith('_'));
    assert.deepEqual(extra, [], 'testdata folders without a rule');
  });

  for (const rule of RULES) {
    it(`${rule.id}: the bad example is flagged, the good one is not`, async () => {
      const rules = 'checkFile' in rule ? RULES : [rule];
      const [bad] = await analyzeSources({ 'bad.go': rule.docs.bad }, { goVersion: rule.docs.goVersion, rules });
      const [good] = await analyzeSources({ 'good.go': rule.docs.good }, { goVersion: rule.docs.goVersion, rules });
      assert.ok(bad.findings.some((f) => f.rule === rule.id), `${rule.id}: docs.bad produces no finding`);
      assert.deepEqual(good.findings.filter((f) => f.rule === rule.id).map((f) => f.message), [], `${rule.id}: docs.good is flagged`);
    });
  }
});
