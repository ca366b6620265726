// The extension manifest and the .vsix contents: what ships, and settings the server understands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normaliseSettings, RULES, SEVERITIES } from '../server/src/engine';
import { ROOT } from './harness';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('extension package', () => {
  it('ships the bundles, both wasm files and the docs, nothing else', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').filter(Boolean).sort();
    for (const needed of ['dist/client.js', 'dist/server.js', 'dist/tree-sitter-go.wasm', 'dist/web-tree-sitter.wasm', 'package.json', 'README.md', 'LICENSE']) {
      assert.ok(files.includes(needed), `${needed} is not packaged`);
    }
    assert.deepEqual(files.filter((f) => /^(test|server|client|node_modules|out|examples)\/|\.map$|\.ts$/.test(f)), [], 'sources, tests or maps packaged');
  });

  it('activates on Go only, points at the bundled client and declares the CLI and server binaries', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:go']);
    assert.equal(manifest.main, './dist/client.js');
    assert.deepEqual(manifest.bin, { waitguard: 'dist/cli.js', 'waitguard-lsp': 'dist/server.js' });
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  });

  it('contributes exactly the settings the server reads, with every rule severity', () => {
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), ['waitguard.enable', 'waitguard.inlayHints.deferOrder', 'waitguard.inlayHints.waitGroup', 'waitguard.rules', 'waitguard.scan.includeGenerated']);
    assert.deepEqual(props['waitguard.rules'].additionalProperties.enum.sort(), ['off', ...SEVERITIES].sort());
    const all = Object.fromEntries(RULES.map((r) => [r.id, 'off']));
    const defaults = {
      enable: props['waitguard.enable'].default,
      rules: all,
      scan: { includeGenerated: props['waitguard.scan.includeGenerated'].default },
      inlayHints: { deferOrder: props['waitguard.inlayHints.deferOrder'].default, waitGroup: props['waitguard.inlayHints.waitGroup'].default },
    };
    assert.deepEqual(normaliseSettings(defaults), {
      enable: true,
      rules: all,
      scanGenerated: false,
      inlayHints: { deferOrder: true, waitGroup: true },
    });
    assert.deepEqual(normaliseSettings({}), normaliseSettings({ ...defaults, rules: {} }), 'missing settings take the contributed defaults');
    assert.equal(normaliseSettings({ scan: { includeGenerated: true } }).scanGenerated, true);
    assert.deepEqual(normaliseSettings({ inlayHints: { deferOrder: false, waitGroup: false } }).inlayHints, { deferOrder: false, waitGroup: false });
    assert.deepEqual(normaliseSettings({ rules: { 'no-such-rule': 'off', [RULES[0].id]: 'loud' } }).rules, {}, 'unknown ids and values are dropped');
  });
});
