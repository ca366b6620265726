// The long fuzz run (issue 9): `npm run soak -- [SECONDS] [SEED]` (default 600 s, a seed from the
// clock). Builds the tests into a scratch directory and runs test/fuzz.test.ts for the time budget.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv[2] ?? 600);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
if (!(seconds > 0) || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run soak -- [SECONDS] [SEED]\n');
  process.exit(2);
}
const out = mkdtempSync(join(tmpdir(), 'waitguard-soak-'));
try {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--tests', '--outdir', out], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 2);
  process.stdout.write(`soak: ${seconds} s from seed ${seed} (rerun a failure with: npm run soak -- ${seconds} ${seed})\n`);
  const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', join(out, 'out', 'test', 'fuzz.test.js')], {
    stdio: 'inherit',
    env: { ...process.env, WAITGUARD_FUZZ_SECONDS: String(seconds), WAITGUARD_FUZZ_SEED: String(seed) },
  });
  process.exitCode = run.status ?? 2;
} finally {
  rmSync(out, { recursive: true, force: true });
}
