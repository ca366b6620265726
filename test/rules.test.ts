// Each rule against its fixtures in test/testdata/<rule-id>/: `// want` lines must be flagged
// by that rule, every other line must stay silent.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../server/src/engine';
import { analyzePaths, compareWithWants, goFilesIn, parseWants, TESTDATA } from './harness';

describe('rule fixtures', () => {
  for (const rule of RULES) {
    it(rule.id, async () => {
      const dir = join(TESTDATA, rule.id);
      assert.ok(existsSync(dir), `test/testdata/${rule.id}/ is missing`);
      const packages = [dir, ...readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name))];
      const problems: string[] = [];
      let wants = 0;
      for (const pkg of packages) {
        // A file rule (suppression) needs the others' findings: it runs with the whole registry.
        for (const result of await analyzePaths(goFilesIn(pkg), 'checkFile' in rule ? RULES : [rule])) {
          assert.equal(result.skipped, undefined, `${result.path} was not analysed: ${result.skipped}`);
          wants += parseWants(result.text!).length;
          problems.push(...compareWithWants(result.path, result.text!, result.findings.filter((f) => f.rule === rule.id)));
        }
      }
      assert.ok(wants >= 5, `${rule.id} needs at least 5 flagged cases, has ${wants}`);
      assert.deepEqual(problems, []);
    });
  }
});
