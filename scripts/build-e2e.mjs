// Builds the real-editor tests (npm run test:e2e / test:vscode / test:neovim) into out/e2e/:
//   out/e2e/*.js             node-side drivers (code-server + Chromium, Neovim, the vscode runner);
//   out/e2e/stage/           a private extension folder: package.json, docs, fresh dist/ bundles
//                            (scripts/build.mjs --outdir), the extension-host test bundles in
//                            out/vscode/suite/, and a node_modules symlink (mocha for the suite,
//                            vsce for `npm run package`). The checkout's own dist/ is never touched.
// --outdir DIR builds into DIR/out/e2e instead of the checkout's out/e2e.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outdir');
const outRoot = outArg >= 0 ? process.argv[outArg + 1] : root;
const e2eDir = join(outRoot, 'out', 'e2e');
const stage = join(e2eDir, 'stage');

rmSync(e2eDir, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// 1. The extension's bundles, built by the project's own build into the stage.
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', stage], { stdio: 'inherit' });
if (build.status !== 0) throw new Error(`scripts/build.mjs --outdir ${stage} failed`);
rmSync(join(stage, 'out'), { recursive: true, force: true });

// 2. What `vsce package` reads besides dist/ (the .vscodeignore decides what ships).
for (const f of ['package.json', 'README.md', 'LICENSE', 'RULES.md', 'CHANGELOG.md', '.vscodeignore', 'snippets', 'images', 'docs']) {
  if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
}
symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

// 3. Node-side drivers.
await esbuild.build({
  ...common,
  entryPoints: ['code-server.e2e.ts', 'neovim.e2e.ts', 'run-vscode-tests.ts'].map((f) => join(root, 'test', 'e2e', f)),
  outdir: e2eDir,
  // playwright-core and @vscode/test-electron load files of their own at run time.
  external: ['playwright-core', '@vscode/test-electron'],
  define: { __REPO_ROOT__: JSON.stringify(root) },
});

// 4. Extension-host suite (the @vscode/test-electron run() contract): index.js plus one bundle per test file.
const suiteSrc = join(root, 'test', 'vscode', 'suite');
await esbuild.build({
  ...common,
  entryPoints: readdirSync(suiteSrc).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(suiteSrc, f)),
  outdir: join(stage, 'out', 'vscode', 'suite'),
  external: ['vscode', 'mocha'],
});
