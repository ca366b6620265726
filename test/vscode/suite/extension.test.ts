// The extension inside a real VS Code extension host: activation, diagnostics through the
// vscode API, the restart command and the waitguard.rules setting. The workspace is a copy of
// examples/ plus test/e2e/fixtures/batch/, a package no test opens (see test/e2e/run-vscode-tests.ts).
import assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'waitguard.waitguard';
/** Known findings of examples/workers.go, 0-based lines. */
const EXPECTED = [
  { line: 13, code: 'wg-add-in-goroutine' },
  { line: 28, code: 'defer-in-loop' },
  { line: 44, code: 'wg-add-in-goroutine' },
];

function workersUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'workers.go');
}

/** The fixture package that only "WaitGuard: Scan Workspace" analyses; 0-based lines. */
const SCAN_ONLY = { path: ['batch', 'batch.go'], expected: [{ line: 14, code: 'wg-add-in-goroutine' }, { line: 29, code: 'defer-in-loop' }] };
const WG_ADD_FIX_TITLE = 'Move wg.Add(1) before the go statement (the goroutine no longer races Wait)';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function waitguardDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'waitguard');
}

/** Polls until `accept` holds for the file's WaitGuard diagnostics; returns them. */
async function waitForDiagnostics(uri: vscode.Uri, accept: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 60_000): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ds = waitguardDiagnostics(uri);
    if (accept(ds)) return ds;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; diagnostics now: ${ds.map((d) => `${d.range.start.line}:${codeOf(d)}`).join(', ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const hasAll = (expected: typeof EXPECTED) => (ds: vscode.Diagnostic[]) => expected.every((e) => ds.some((d) => d.range.start.line === e.line && codeOf(d) === e.code));

suite('WaitGuard extension', () => {
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('waitguard').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('activates when a Go file opens', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const doc = await vscode.workspace.openTextDocument(workersUri());
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'go');
    const deadline = Date.now() + 60_000;
    while (!extension.isActive && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(extension.isActive, 'the extension activated on a Go file');
  });

  test('publishes the known diagnostics of examples/workers.go with their rule codes', async () => {
    const uri = workersUri();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const ds = await waitForDiagnostics(uri, hasAll(EXPECTED), 'the known findings');
    for (const d of ds) assert.equal(d.source, 'waitguard');
    assert.equal(ds.find((d) => d.range.start.line === 13)?.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('"WaitGuard: Restart Server" restarts and diagnostics come back', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('waitguard.restartServer'), 'the command is registered');
    const uri = workersUri();
    await waitForDiagnostics(uri, hasAll(EXPECTED), 'the known findings');
    // Stopping the old client clears its diagnostics; the new server publishes them again.
    let cleared = false;
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && waitguardDiagnostics(uri).length === 0) cleared = true;
    });
    try {
      await vscode.commands.executeCommand('waitguard.restartServer');
      await waitForDiagnostics(uri, (ds) => cleared && hasAll(EXPECTED)(ds), 'diagnostics cleared by the stop and published again by the new server');
    } finally {
      listener.dispose();
    }
  });

  test('waitguard.rules turning a rule off removes its diagnostics, and back on restores them', async () => {
    const uri = workersUri();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, hasAll(EXPECTED), 'the known findings');
    const config = vscode.workspace.getConfiguration('waitguard');
    await config.update('rules', { 'defer-in-loop': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'defer-in-loop') && hasAll(EXPECTED.filter((e) => e.code !== 'defer-in-loop'))(ds), 'defer-in-loop off');
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, hasAll(EXPECTED), 'defer-in-loop back on');
  });

  test('the wg.Add quick fix is offered, preferred, and its edit moves wg.Add(1) before the go statement', async () => {
    const uri = workersUri();
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(uri, hasAll(EXPECTED), 'the known findings');
    const line = doc.lineAt(13);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, line.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === WG_ADD_FIX_TITLE);
    assert.ok(fix, `the fix is offered: ${JSON.stringify(titles)}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    // (vscode.executeCodeActionProvider does not pass CodeAction.diagnostics through: not asserted.)
    for (const title of ['Ignore wg-add-in-goroutine on this line', 'Show documentation for wg-add-in-goroutine']) assert.ok(titles.includes(title), `"${title}" in ${JSON.stringify(titles)}`);
    // Apply the edit to a copy of the text (the file stays as it is for the other tests).
    const edits = fix.edit?.get(uri) ?? [];
    assert.ok(edits.length > 0, 'the fix carries an edit of workers.go');
    let text = doc.getText();
    for (const e of [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start))) {
      text = text.slice(0, doc.offsetAt(e.range.start)) + e.newText + text.slice(doc.offsetAt(e.range.end));
    }
    const lines = doc.getText().split('\n');
    const expected = [...lines.slice(0, 12), '\t\twg.Add(1)', lines[12], ...lines.slice(14)].join('\n');
    assert.equal(lines[13], '\t\t\twg.Add(1)');
    assert.equal(text, expected);
  });

  test('"WaitGuard: Scan Workspace" publishes the findings of files that were never opened', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const uri = vscode.Uri.joinPath(folder.uri, ...SCAN_ONLY.path);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), `${SCAN_ONLY.path.join('/')} is not open`);
    assert.deepEqual(waitguardDiagnostics(uri), [], 'no findings before the scan');
    await vscode.commands.executeCommand('waitguard.scanWorkspace');
    await waitForDiagnostics(uri, hasAll(SCAN_ONLY.expected), 'the scanned findings');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the scan did not open the file');
    // The open file keeps one set of findings (the scan does not add a second copy).
    assert.equal(waitguardDiagnostics(workersUri()).length, EXPECTED.length);
  });
});
