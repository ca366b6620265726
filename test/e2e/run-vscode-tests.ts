// npm run test:vscode: runs the extension-host suite (test/vscode/suite, the @vscode/test-electron
// run() contract) against the extension folder built by scripts/build-e2e.mjs, with a copy of
// examples/ (plus test/e2e/fixtures/batch/) as the workspace.
//   - Through @vscode/test-electron when a desktop VS Code can be downloaded (probe below, or
//     WAITGUARD_VSCODE_RUNNER=electron);
//   - otherwise through code-server (WAITGUARD_VSCODE_RUNNER=code-server): started with
//     --vscode-option enable-smoke-test-driver, the extension development and tests paths in the
//     page URL payload, and the runner's exit code read back via window.codeAutomationExit.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeServer, elapsed, launchChromium, REPO, STAGE } from './codeServer';
import { Artifacts } from './workbench';

const TIMEOUT_MS = Number(process.env.WAITGUARD_VSCODE_TIMEOUT_MS ?? 300_000);
const testsPath = join(STAGE, 'out', 'vscode', 'suite', 'index.js');

async function canDownloadVsCode(): Promise<boolean> {
  try {
    const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(10_000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function viaTestElectron(workspace: string, report: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      extensionDevelopmentPath: STAGE,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { WAITGUARD_VSCODE_TEST_REPORT: report },
    });
    return 0;
  } catch (error) {
    console.error(String(error));
    return 1;
  }
}

async function viaCodeServer(workspace: string, report: string): Promise<number> {
  const artifacts = new Artifacts(process.env.WAITGUARD_E2E_ARTIFACTS ?? join(REPO, '.e2e-artifacts', `vscode-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  const server = new CodeServer();
  let t = Date.now();
  await server.start({ args: ['--vscode-option', 'enable-smoke-test-driver'], env: { WAITGUARD_VSCODE_TEST_REPORT: report } });
  console.log(`code-server up on 127.0.0.1:${server.port} in ${elapsed(t)} (data in ${server.dirs.root})`);
  const { context, page } = await launchChromium(server.dirs.profile);
  try {
    t = Date.now();
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    page.on('console', (m) => {
      // The extension host's errors reach the page console (gallery look-ups failing offline are noise).
      if (m.type() === 'error' && /waitguard/i.test(m.text())) console.log(`[page] ${m.text()}`);
    });
    await page.goto(
      server.url(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(STAGE)],
        ['extensionTestsPath', server.remoteUri(testsPath)],
      ]),
    );
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), TIMEOUT_MS).unref());
    const code = await Promise.race([exitCode, timeout]);
    console.log(`extension-host run finished in ${elapsed(t)} with exit code ${code}`);
    if (code !== 0) {
      await artifacts.shot(page, code === -1 ? 'vscode-tests-TIMEOUT' : 'vscode-tests-FAILED').catch(() => undefined);
      if (code === -1) console.log(`no exit code within ${TIMEOUT_MS} ms; code-server log:\n${server.log}`);
    }
    return code;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(testsPath)) throw new Error(`${testsPath} is missing: run node scripts/build-e2e.mjs`);
  const workspace = mkdtempSync(join(tmpdir(), 'waitguard-vscode-ws-'));
  cpSync(join(REPO, 'examples'), workspace, { recursive: true });
  // A package no test opens: only "WaitGuard: Scan Workspace" reports its findings.
  cpSync(join(REPO, 'test', 'e2e', 'fixtures', 'batch'), join(workspace, 'batch'), { recursive: true });
  const report = join(workspace, '..', `${workspace.split('/').pop()}-report.txt`);
  writeFileSync(report, '');
  const choice = process.env.WAITGUARD_VSCODE_RUNNER ?? ((await canDownloadVsCode()) ? 'electron' : 'code-server');
  console.log(`extension-host tests via ${choice === 'electron' ? '@vscode/test-electron' : 'code-server + Chromium'}`);
  const t = Date.now();
  const code = choice === 'electron' ? await viaTestElectron(workspace, report) : await viaCodeServer(workspace, report);
  const lines = readFileSync(report, 'utf8').trimEnd();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(report, { force: true });
  console.log(lines);
  // A zero exit code with no test run (e.g. the suite found no files) is a failure too.
  const counts = /passed (\d+), failed (\d+)/.exec(lines);
  const ok = code === 0 && !!counts && Number(counts[1]) > 0 && Number(counts[2]) === 0;
  console.log(`test:vscode ${ok ? 'passed' : 'FAILED'} in ${elapsed(t)}`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
