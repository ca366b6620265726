// The benchmark still runs (on a tiny corpus): figures are printed, nothing is asserted about time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { DIST } from './harness';

it('npm run bench works end to end on a small corpus', (t) => {
  const bench = join(DIST, '..', 'out', 'bench', 'bench.js');
  const r = spawnSync(process.execPath, [bench, '--file-lines', '800', '--edits', '20', '--calls', '1', '--lines', '6000', '--runs', '2', '--no-stdlib'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /p50 [\d.]+ ms · p95 [\d.]+ ms · max [\d.]+ ms/);
  assert.match(r.stdout, /typing 1 calls key by key on new lines and deleting them again \(\d+ keystrokes\): p50 [\d.]+ ms/);
  assert.match(r.stdout, /\d+ files, \d+ lines, \d+ workers/);
  assert.match(r.stdout, /scan [\d.]+ s \(median of 2: [\d.]+–[\d.]+\) · \d+ lines\/s · peak RSS \d+ MB/);
  assert.match(r.stdout, /scan \/ parse-only = [\d.]+/);
  t.diagnostic(r.stdout.trim());
});
