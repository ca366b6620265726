// A second real editor: Debian's Neovim 0.7.2 (built-in LSP client), headless, against
// `node dist/server.js --stdio` (waitguard-lsp). The Lua driver (neovim/driver.lua) opens a copy
// of examples/workers.go, waits for the diagnostics, requests hover and code actions, applies the
// first fix, and writes what it saw to a JSON file that this test asserts on.
// Run: npm run test:neovim (needs `apt-get install neovim`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO, STAGE } from './codeServer';

interface NvimDiagnostic {
  line: number;
  col: number;
  message: string;
  source: string;
  code: string;
}

interface NvimResult {
  ok: boolean;
  error?: string;
  diagnostics_ms: number;
  diagnostics: NvimDiagnostic[];
  hover?: { contents: unknown };
  hover_error?: string;
  code_actions: { title: string; kind?: string; edit?: unknown }[];
  code_action_error?: string;
  applied?: string;
  buffer_after_fix?: string;
}

/** 1-based lines of examples/workers.go: the wg.Add inside its goroutine, and a defer in a loop. */
const WG_ADD_LINE = 14;
const DEFER_LINE = 29;

function runNeovim(): NvimResult {
  const dir = mkdtempSync(join(tmpdir(), 'waitguard-nvim-'));
  cpSync(join(REPO, 'examples'), join(dir, 'ws'), { recursive: true });
  const out = join(dir, 'result.json');
  const r = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${join(REPO, 'test', 'e2e', 'neovim', 'driver.lua')}`, 'workers.go'], {
    cwd: join(dir, 'ws'),
    encoding: 'utf8',
    timeout: 90_000,
    env: {
      ...process.env,
      WAITGUARD_NODE: process.execPath,
      WAITGUARD_SERVER: join(STAGE, 'dist', 'server.js'),
      WAITGUARD_NVIM_OUT: out,
      WAITGUARD_HOVER_LINE: String(DEFER_LINE),
      WAITGUARD_FIX_LINE: String(WG_ADD_LINE),
    },
  });
  assert.equal(r.error, undefined, `nvim failed to run: ${String(r.error)}`);
  assert.equal(r.status, 0, `nvim exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
  rmSync(dir, { recursive: true, force: true });
  assert.ok(result.ok, `the Lua driver failed: ${result.error}`);
  return result;
}

function assertDiagnostics(result: NvimResult): void {
  const at = (line: number) => result.diagnostics.filter((d) => d.line === line).map((d) => `${d.code}/${d.source}`);
  assert.ok(at(WG_ADD_LINE).includes('wg-add-in-goroutine/waitguard'), `wg-add-in-goroutine on line ${WG_ADD_LINE}: ${JSON.stringify(result.diagnostics)}`);
  assert.ok(at(DEFER_LINE).includes('defer-in-loop/waitguard'), `defer-in-loop on line ${DEFER_LINE}: ${JSON.stringify(result.diagnostics)}`);
  const wgAdd = result.diagnostics.find((d) => d.line === WG_ADD_LINE && d.code === 'wg-add-in-goroutine')!;
  assert.equal(wgAdd.col, 4);
  assert.match(wgAdd.message, /runs inside the goroutine it counts/);
}

/** The hover on the `defer` of DEFER_LINE: the rule, then the LIFO exit sequence of its function. */
function assertHoverOnDefer(result: NvimResult): void {
  assert.equal(result.hover_error, undefined);
  const contents = result.hover?.contents as { kind?: string; value?: string } | undefined;
  assert.equal(contents?.kind, 'markdown', JSON.stringify(result.hover));
  assert.match(contents!.value!, /defer-in-loop/);
  assert.match(contents!.value!, /Exit sequence of `concatenate` \(last registered runs first\)/);
  assert.match(contents!.value!, /1st: f\.Close\(\)\s+\/\/ line 29, once per iteration\s+← this defer/);
}

/** The preferred fix of wg-add-in-goroutine, offered first. */
const WG_ADD_FIX_TITLE = 'Move wg.Add(1) before the go statement (the goroutine no longer races Wait)';

/** examples/workers.go with the wg.Add(1) of WG_ADD_LINE moved before its `go func(u string) {`, at that line's indentation. */
function expectedAfterFix(): string {
  const lines = readFileSync(join(REPO, 'examples', 'workers.go'), 'utf8').replace(/\n$/, '').split('\n');
  const add = WG_ADD_LINE - 1;
  assert.equal(lines[add], '\t\t\twg.Add(1)');
  assert.equal(lines[add - 1], '\t\tgo func(u string) {');
  return [...lines.slice(0, add - 1), '\t\twg.Add(1)', lines[add - 1], ...lines.slice(add + 1)].join('\n');
}

/** The code actions on WG_ADD_LINE, and the buffer after applying the first one with an edit. */
function assertQuickFixOnWgAdd(result: NvimResult): void {
  assert.equal(result.code_action_error, undefined);
  const titles = result.code_actions.map((a) => a.title);
  assert.equal(titles[0], WG_ADD_FIX_TITLE, JSON.stringify(titles));
  for (const title of ['Ignore wg-add-in-goroutine on this line', 'Show documentation for wg-add-in-goroutine']) assert.ok(titles.includes(title), `"${title}" in ${JSON.stringify(titles)}`);
  assert.equal(result.code_actions[0].kind, 'quickfix');
  assert.equal(result.applied, WG_ADD_FIX_TITLE);
  assert.equal(result.buffer_after_fix, expectedAfterFix());
}

describe('WaitGuard in Neovim 0.7 (headless, built-in LSP client)', () => {
  it('shows the hazards of examples/workers.go as diagnostics with their rule codes, the hover of a defer, and applies the wg.Add fix', () => {
    const t = Date.now();
    const result = runNeovim();
    console.log(`neovim: diagnostics ${result.diagnostics_ms} ms after attach, whole run ${Date.now() - t} ms`);
    console.log(`neovim: hover ${result.hover ? JSON.stringify(result.hover.contents).slice(0, 200) : `none${result.hover_error ? ` (${result.hover_error})` : ''}`}`);
    console.log(`neovim: code actions on line ${WG_ADD_LINE}: ${JSON.stringify(result.code_actions.map((a) => a.title))}${result.applied ? `; applied "${result.applied}"` : ''}`);
    assertDiagnostics(result);
    assertHoverOnDefer(result);
    assertQuickFixOnWgAdd(result);
  });
});
