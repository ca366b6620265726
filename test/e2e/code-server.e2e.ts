// End-to-end test in a real VS Code (issue 8): the packaged .vsix installed into a fresh
// code-server, examples/ opened in headless Chromium (playwright-core), assertions on the UI.
// Run: npm run test:e2e (needs scripts/e2e-setup.sh once). Screenshots: .e2e-artifacts/<run>/.
//
// The workspace is a copy of examples/ plus test/e2e/fixtures/batch/, a package the test never
// opens: its findings reach the Problems panel only through "WaitGuard: Scan Workspace" (step 4).
//
// Each issue step is one `async function stepX(ui)` listed in STEPS, run in order in one editor
// session. Step 3 saves its fix (step 4's expected findings are computed after it, by the CLI over
// the workspace on disk). Steps that edit the buffer without saving go last.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { CodeServer, elapsed, launchChromium, packageVsix, REPO, STAGE } from './codeServer';
import { Artifacts, closePanel, goToLineEnd, hoverText, openProblems, problems, runCommand, SEL, squiggles, tokenBox, visibleLines, waitForNoSquiggle, waitForSquiggles } from './workbench';

/** CI machines are slow and busy: the first squiggle may take a while (language server start). */
const FIRST_SQUIGGLE_MS = Number(process.env.WAITGUARD_E2E_FIRST_WAIT_MS ?? 90_000);
/** The promise to users: a hazard typed now is squiggled within this. */
const TYPING_LATENCY_MS = 2_000;

/** The known findings of examples/workers.go (`node dist/cli.js examples`), 1-based lines. */
const WORKERS = {
  file: 'workers.go',
  wgAddInGoroutine: { line: 14, rule: 'wg-add-in-goroutine', message: 'runs inside the goroutine it counts' },
  deferInLoop: { line: 29, rule: 'defer-in-loop', message: 'is deferred inside a loop' },
  /** `defer wg.Done()` in crawl's goroutine: no finding, hover shows the exit sequence. */
  deferWgDone: { line: 15 },
  /** `go s.run(job)`, the body of a loop that has no defer yet. */
  loopBodyLine: 40,
};

/** The preferred fix of wg-add-in-goroutine on WORKERS.wgAddInGoroutine.line. */
const WG_ADD_FIX_TITLE = 'Move wg.Add(1) before the go statement (the goroutine no longer races Wait)';
/** 1-based lines of workers.go after that fix that the editor must show: the loop of crawl. */
const WG_ADD_FIX_REGION = { from: 12, to: 17 };

/** A package copied into the workspace (test/e2e/fixtures/batch) that the test never opens. */
const SCAN_ONLY = { dir: 'batch', file: 'batch.go' };
const SCAN_COMMAND_TITLE = 'WaitGuard: Scan Workspace';

/** workers.go with the wg.Add(1) of line 14 moved before `go func(u string) {` on line 13, at its indentation. */
function fixedWorkers(original: string): string {
  const lines = original.split('\n');
  const add = WORKERS.wgAddInGoroutine.line - 1;
  assert.equal(lines[add].trim(), 'wg.Add(1)', `line ${add + 1} of ${WORKERS.file}`);
  assert.match(lines[add - 1], /^\s*go func\(u string\) \{$/, `line ${add} of ${WORKERS.file}`);
  const indent = /^\s*/.exec(lines[add - 1])![0];
  return [...lines.slice(0, add - 1), `${indent}wg.Add(1)`, lines[add - 1], ...lines.slice(add + 1)].join('\n');
}

/** A line as the editor renders it (tab size 4). */
const detab = (line: string): string => line.replace(/\t/g, '    ');

/**
 * Whether `lines` contains `run` as consecutive lines. A rendered line may go on after the
 * expected text: inlay hints (e.g. `wg.Wait()` followed by "waits for len(urls)") are part of it.
 */
function containsRun(lines: string[], run: string[]): boolean {
  return lines.some((_, i) => run.every((r, j) => lines[i + j] !== undefined && lines[i + j].startsWith(r.trimEnd())));
}

/** Polls the rendered editor lines until they contain `run` (see containsRun) or the time is up. */
async function waitForLines(page: Page, run: string[], timeoutMs: number): Promise<{ ok: boolean; lines: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const trimmed = run.every((r) => r === r.trimStart());
  for (;;) {
    const shown = await visibleLines(page);
    const lines = trimmed ? shown.map((l) => l.trimStart()) : shown;
    if (containsRun(lines, run)) return { ok: true, lines: shown };
    if (Date.now() > deadline) return { ok: false, lines: shown };
    await page.waitForTimeout(50);
  }
}

interface CliFinding {
  file: string;
  line: number;
  rule: string;
}

/** The findings of `waitguard --format json .` (the stage's CLI, the same build as the extension) over a folder. */
function cliFindings(dir: string): CliFinding[] {
  const r = spawnSync(process.execPath, [join(STAGE, 'dist', 'cli.js'), '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `waitguard --format json exited with ${r.status}:\n${r.stderr}`);
  return (JSON.parse(r.stdout) as { findings: CliFinding[] }).findings;
}

function listGoFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.go'));
}

function countBy(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

interface Ui {
  page: Page;
  server: CodeServer;
  workspace: string;
  artifacts: Artifacts;
}

interface Step {
  name: string;
  run: (ui: Ui) => Promise<void>;
}

// Issue step 1: squiggles on the known hazard lines; hovering one shows the rule id and message.
async function stepSquigglesAndHover(ui: Ui): Promise<void> {
  const { page } = ui;
  const t0 = Date.now();
  const found = await waitForSquiggles(page, [WORKERS.wgAddInGoroutine.line, WORKERS.deferInLoop.line], FIRST_SQUIGGLE_MS);
  console.log(`first squiggles after ${elapsed(t0)} (page load to squiggles on lines ${found.map((s) => s.line).join(', ')})`);
  for (const hazard of [WORKERS.deferInLoop, WORKERS.wgAddInGoroutine]) {
    const squiggle = found.find((s) => s.line === hazard.line)!;
    const text = await hoverText(page, squiggle);
    assert.match(text, new RegExp(hazard.rule), `hover on line ${hazard.line} names the rule:\n${text}`);
    assert.match(text, new RegExp(hazard.message), `hover on line ${hazard.line} has the message:\n${text}`);
    assert.match(text, /waitguard/, `hover on line ${hazard.line} names the source:\n${text}`);
  }
  await ui.artifacts.shot(page, 'squiggle-hover');
}

// Issue step 2: hovering a `defer` (one without a finding) shows its place in the LIFO exit sequence.
async function stepDeferHoverLifo(ui: Ui): Promise<void> {
  const { page } = ui;
  const text = await hoverText(page, await tokenBox(page, WORKERS.deferWgDone.line, 'defer'));
  assert.match(text, /Exit sequence of the function literal \(last registered runs first\)/, text);
  assert.match(text, /1st: wg\.Done\(\)\s+\/\/ line 15\s+← this defer/, text);
  assert.doesNotMatch(text, /wg-add-in-goroutine|defer-in-loop/, `a defer without a finding shows no diagnostic:\n${text}`);
  await ui.artifacts.shot(page, 'defer-hover-lifo');
}

// Issue step 3: Ctrl+. on the wg.Add line offers the fix; choosing it moves `wg.Add(1)` before the
// `go` statement in the editor; saving writes exactly that to disk.
async function stepQuickFixWgAdd(ui: Ui): Promise<void> {
  const { page } = ui;
  const { line, rule } = WORKERS.wgAddInGoroutine;
  const onDisk = join(ui.workspace, WORKERS.file);
  const original = readFileSync(onDisk, 'utf8');
  await waitForSquiggles(page, [line], FIRST_SQUIGGLE_MS);
  await page.mouse.move(5, 5);
  await goToLineEnd(page, line);
  const menu = page.locator(SEL.actionWidget);
  // On a loaded machine the first Ctrl+. can arrive before the editor has focus or its code
  // actions: press again (the lightbulb already shows they exist) rather than wait in vain.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Period');
    const shown = await menu.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
    if (shown) break;
    assert.ok(attempt < 3, 'the quick-fix menu did not open after three Ctrl+. presses');
    await goToLineEnd(page, line);
  }
  const fix = menu.locator(SEL.actionRow, { hasText: WG_ADD_FIX_TITLE });
  await fix.first().waitFor({ state: 'visible', timeout: 30_000 });
  const offered = (await menu.locator(SEL.actionRow).allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim());
  console.log(`quick-fix menu on line ${line}: ${JSON.stringify(offered)}`);
  for (const title of [WG_ADD_FIX_TITLE, `Ignore ${rule} on this line`, `Show documentation for ${rule}`]) {
    assert.ok(offered.some((t) => t.includes(title)), `the menu offers "${title}":\n${offered.join('\n')}`);
  }
  await ui.artifacts.shot(page, 'quick-fix-menu');
  await fix.first().click();
  await menu.waitFor({ state: 'hidden', timeout: 15_000 });

  // The editor shows wg.Add(1) on its own line before `go func`, at the go statement's indentation.
  const expected = fixedWorkers(original);
  const want = expected.split('\n').slice(WG_ADD_FIX_REGION.from - 1, WG_ADD_FIX_REGION.to).map(detab);
  const shown = await waitForLines(page, want, 15_000);
  assert.ok(shown.ok, `the editor does not show the fixed code\nexpected:\n${want.join('\n')}\nshown:\n${shown.lines.join('\n')}`);
  // The finding is gone once the server re-analyses the edited text.
  await waitForNoSquiggle(page, [line - 1, line], 15_000);
  assert.equal(readFileSync(onDisk, 'utf8'), original, 'nothing is written before saving');

  await page.keyboard.press('Control+S');
  const saved = Date.now() + 15_000;
  while (readFileSync(onDisk, 'utf8') !== expected && Date.now() < saved) await page.waitForTimeout(100);
  assert.equal(readFileSync(onDisk, 'utf8'), expected, `${WORKERS.file} on disk after Ctrl+S`);
  await ui.artifacts.shot(page, 'quick-fix-applied');
}

// Issue step 4: "WaitGuard: Scan Workspace" from the command palette puts the findings of files that
// were never opened in the Problems panel; per file and in total they equal the CLI's findings
// (`waitguard --format json` over the same workspace, run now, after step 3's saved fix).
async function stepScanWorkspace(ui: Ui): Promise<void> {
  const { page } = ui;
  const expected = cliFindings(ui.workspace);
  const perFile = countBy(expected.map((f) => basename(f.file)));
  const neverOpened = [...perFile.keys()].filter((f) => f !== WORKERS.file);
  assert.ok(neverOpened.includes(SCAN_ONLY.file), `the CLI finds ${SCAN_ONLY.file}'s hazards: ${JSON.stringify(expected)}`);
  const goFiles = listGoFiles(ui.workspace).length;
  console.log(`CLI over the workspace: ${expected.length} findings in ${goFiles} Go files (${[...perFile].map(([f, n]) => `${f} ${n}`).join(', ')})`);

  // Before the scan the Problems panel knows only the open file.
  await openProblems(page);
  const before = await problems(page);
  assert.deepEqual([...before.keys()].filter((f) => f !== WORKERS.file), [], `before the scan only ${WORKERS.file} has problems: ${JSON.stringify([...before])}`);

  await runCommand(page, SCAN_COMMAND_TITLE);
  const toast = page.locator(SEL.notification, { hasText: /WaitGuard scanned \d+ files/ });
  await toast.first().waitFor({ state: 'visible', timeout: 90_000 });
  const message = (await toast.first().innerText()).replace(/\s+/g, ' ');
  console.log(`scan notification: ${message}`);
  const m = /WaitGuard scanned (\d+) files in ([\d.]+) s: (\d+) findings/.exec(message);
  assert.ok(m, message);
  assert.equal(Number(m[1]), goFiles, `files scanned: ${message}`);
  assert.equal(Number(m[3]), expected.length, `findings in the message: ${message}`);

  // The Problems panel: every never-opened file with its findings, and the same total as the CLI.
  let shown = new Map<string, string[]>();
  const deadline = Date.now() + 30_000;
  for (;;) {
    shown = await problems(page);
    const counts = [...shown].map(([f, ms]) => [f, ms.length] as const);
    if (counts.length === perFile.size && counts.every(([f, n]) => perFile.get(f) === n)) break;
    if (Date.now() > deadline) {
      assert.fail(`the Problems panel shows ${JSON.stringify(counts)}, the CLI found ${JSON.stringify([...perFile])}:\n${JSON.stringify([...shown], null, 1)}`);
    }
    await page.waitForTimeout(200);
  }
  const total = [...shown.values()].reduce((n, ms) => n + ms.length, 0);
  assert.equal(total, expected.length, 'problems in the panel = CLI findings');
  for (const f of neverOpened) assert.equal(shown.get(f)?.length, perFile.get(f), `${f} (never opened) in the Problems panel`);
  for (const finding of expected.filter((f) => basename(f.file) === SCAN_ONLY.file)) {
    assert.ok(shown.get(SCAN_ONLY.file)!.some((row) => row.includes(finding.rule) && row.includes(`[Ln ${finding.line},`)), `${SCAN_ONLY.file}:${finding.line} ${finding.rule} is listed:\n${shown.get(SCAN_ONLY.file)!.join('\n')}`);
  }
  const editors = await page.locator('.tabs-container .tab').allInnerTexts();
  assert.ok(!editors.some((t) => t.includes(SCAN_ONLY.file)), `${SCAN_ONLY.file} was never opened (tabs: ${editors.join(', ')})`);
  console.log(`Problems panel after the scan: ${total} problems (${[...shown].map(([f, ms]) => `${f} ${ms.length}`).join(', ')})`);
  await ui.artifacts.shot(page, 'scan-workspace-problems');
  await page.keyboard.press('Escape');
  await closePanel(page);
}

// Issue step 5: typing a new hazard (a defer in a loop body) is squiggled within 2 s.
async function stepTypingLatency(ui: Ui): Promise<void> {
  const { page } = ui;
  const newLine = WORKERS.loopBodyLine + 1;
  await goToLineEnd(page, WORKERS.loopBodyLine);
  await page.keyboard.press('Enter');
  const before = await squiggles(page);
  assert.ok(!before.some((s) => s.line === newLine), `line ${newLine} is already squiggled before typing`);
  await page.keyboard.type('defer job()', { delay: 30 });
  const typed = Date.now();
  // Poll the DOM every 20 ms: the measured latency includes the poll, so it is an upper bound.
  await waitForSquiggles(page, [newLine], FIRST_SQUIGGLE_MS, 20);
  const latency = Date.now() - typed;
  // The squiggle can come before Monaco renders the last keystroke (it paints on the next frame).
  const rendered = await waitForLines(page, ['defer job()'], 5_000);
  assert.ok(rendered.ok, `the editor shows the typed line:\n${rendered.lines.join('\n')}`);
  console.log(`typing latency: ${latency} ms from the last keystroke to the squiggle on line ${newLine}`);
  await ui.artifacts.shot(page, 'typed-hazard');
  assert.ok(latency <= TYPING_LATENCY_MS, `squiggle after ${latency} ms, more than ${TYPING_LATENCY_MS} ms`);
  const text = await hoverText(page, (await squiggles(page)).find((s) => s.line === newLine)!);
  assert.match(text, /defer-in-loop/, text);
}

// Issue 10: after the fix, the counted goroutine's Add and the Wait carry inlay hints, and a code
// lens above crawl sums up the WaitGroup's accounting.
async function stepInlayHintsAndLens(ui: Ui): Promise<void> {
  const { page } = ui;
  const deadline = Date.now() + 30_000;
  let lines: string[] = [];
  let lens = '';
  for (;;) {
    lines = await visibleLines(page);
    lens = (await page.locator('.codelens-decoration').allInnerTexts()).join(' | ');
    const add = lines.some((l) => /wg\.Add\(1\)\s*\+1 → counts 1 goroutine/.test(l));
    const wait = lines.some((l) => /wg\.Wait\(\)\s*waits for len\(urls\)/.test(l));
    if ((add && wait && /counted by wg/.test(lens)) || Date.now() > deadline) break;
    await page.waitForTimeout(200);
  }
  assert.ok(lines.some((l) => /wg\.Add\(1\)\s*\+1 → counts 1 goroutine/.test(l)), `no Add hint:\n${lines.join('\n')}`);
  assert.ok(lines.some((l) => /wg\.Wait\(\)\s*waits for len\(urls\)/.test(l)), `no Wait hint:\n${lines.join('\n')}`);
  assert.match(lens, /goroutines? counted by wg · Wait at line \d+ · all Done deferred/);
  await ui.artifacts.shot(page, 'inlay-hints-and-lens');
}

const STEPS: Step[] = [
  { name: '1. squiggles on the hazard lines, hover names the rule', run: stepSquigglesAndHover },
  { name: '2. hovering a defer shows its LIFO exit sequence', run: stepDeferHoverLifo },
  { name: '3. Ctrl+. on wg.Add offers the fix; applying and saving writes the fixed code', run: stepQuickFixWgAdd },
  { name: '3b. inlay hints and the code lens show the WaitGroup accounting after the fix', run: stepInlayHintsAndLens },
  { name: '4. Scan Workspace fills the Problems panel with the findings of unopened files', run: stepScanWorkspace },
  { name: '5. a typed hazard is squiggled within 2 s', run: stepTypingLatency },
];

describe('WaitGuard in a real VS Code (code-server + Chromium)', { timeout: 600_000 }, () => {
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  const artifacts = new Artifacts(process.env.WAITGUARD_E2E_ARTIFACTS ?? join(REPO, '.e2e-artifacts', runId));
  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  let ui: Ui | undefined;
  let setupError: unknown;

  before(async () => {
    try {
      let t = Date.now();
      const vsix = packageVsix();
      console.log(`packaged ${vsix} in ${elapsed(t)}`);
      t = Date.now();
      server = new CodeServer();
      const workspace = server.copyIntoWorkspace(join(REPO, 'examples'));
      cpSync(join(REPO, 'test', 'e2e', 'fixtures', SCAN_ONLY.dir), join(workspace, SCAN_ONLY.dir), { recursive: true });
      await server.start({ vsix });
      console.log(`code-server up on 127.0.0.1:${server.port} in ${elapsed(t)} (data in ${server.dirs.root})`);
      t = Date.now();
      const browser = await launchChromium(server.dirs.profile);
      context = browser.context;
      const page = browser.page;
      await page.goto(server.url(workspace, [['openFile', server.remoteUri(join(workspace, WORKERS.file))]]));
      await page.locator(`.monaco-editor[data-uri$="/${WORKERS.file}"]`).waitFor({ state: 'visible', timeout: FIRST_SQUIGGLE_MS });
      console.log(`workbench with ${WORKERS.file} open in ${elapsed(t)}`);
      ui = { page, server, workspace, artifacts };
    } catch (error) {
      setupError = error;
      if (context) await artifacts.shot(context.pages()[0], 'FAILED-setup').catch(() => undefined);
      console.log(`e2e setup failed; code-server log:\n${server?.log ?? ''}`);
    }
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    console.log(`artifacts: ${artifacts.dir}`);
  });

  for (const step of STEPS) {
    it(step.name, async () => {
      if (setupError) throw setupError;
      const t = Date.now();
      try {
        await step.run(ui!);
      } catch (error) {
        await artifacts.shot(ui!.page, `FAILED-${step.run.name}`).catch(() => undefined);
        throw error;
      } finally {
        console.log(`step "${step.name}": ${elapsed(t)}`);
      }
    });
  }
});
