// Bundles the client, the language server, the CLI, the scan worker (and, with --tests, the test files)
// with esbuild, and copies the two WebAssembly files next to the bundles.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const withTests = process.argv.includes('--tests');
const withBench = process.argv.includes('--bench');
// --outdir DIR builds into DIR/dist and DIR/out (parallel builds of one checkout must not share them).
const outArg = process.argv.indexOf('--outdir');
const outRoot = outArg >= 0 ? process.argv[outArg + 1] : root;
const distDir = join(outRoot, 'dist');
const testDir = join(outRoot, 'out', 'test');

// esbuild would pick web-tree-sitter's ESM build and empty its import.meta in CJS output.
const treeSitterCjs = require.resolve('web-tree-sitter');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': treeSitterCjs },
  loader: { '.scm': 'text' },
};

const wasmFiles = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-go/package.json')), 'tree-sitter-go.wasm'),
];

function copyWasm(dir) {
  mkdirSync(dir, { recursive: true });
  for (const file of wasmFiles) copyFileSync(file, join(dir, file.split('/').pop()));
}

rmSync(distDir, { recursive: true, force: true });
const shebang = { js: '#!/usr/bin/env node' };
await Promise.all([
  esbuild.build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(distDir, 'client.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/lsp/main.ts')], outfile: join(distDir, 'server.js'), banner: shebang }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/cli/main.ts')], outfile: join(distDir, 'cli.js'), banner: shebang }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/project/worker.ts')], outfile: join(distDir, 'worker.js') }),
]);
copyWasm(distDir);

if (withTests) {
  const sources = join(root, 'test');
  const entryPoints = readdirSync(sources).filter((f) => f.endsWith('.test.ts')).map((f) => join(sources, f));
  rmSync(testDir, { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints,
    outdir: testDir,
    external: ['vscode'],
    // Tests find the checkout and the bundles they exercise wherever they were built to.
    define: { __REPO_ROOT__: JSON.stringify(root), __DIST_DIR__: JSON.stringify(distDir) },
  });
  copyWasm(testDir);
}

if (withBench) {
  const benchDir = join(outRoot, 'out', 'bench');
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'test', 'bench', 'bench.ts')],
    outdir: benchDir,
    define: { __REPO_ROOT__: JSON.stringify(root), __DIST_DIR__: JSON.stringify(distDir) },
  });
}
