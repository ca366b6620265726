// The bundled language server over stdio: open, incremental edits, settings, close.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { codes, TestClient } from './lspClient';

const HAZARDS = `package p

import (
	"os"
	"sync"
)

func crawl(urls []string) {
	var wg sync.WaitGroup
	for range urls {
		go func() {
			wg.Add(1)
			defer wg.Done()
		}()
	}
	wg.Wait()
}

func concat(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
	}
}
`;

describe('language server over stdio', () => {
  let client: TestClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waitguard-lsp-'));
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    assert.doesNotMatch(client.stderr + client.log, /Error|unhandled|uncaught|failed/i);
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics on open, with rule codes and one-line ranges', async () => {
    const uri = pathToFileURL(join(dir, 'open.go')).toString();
    const published = client.diagnostics(uri, 1);
    await client.open(uri, HAZARDS);
    const { diagnostics, version } = await published;
    assert.equal(version, 1);
    assert.deepEqual(codes(diagnostics), ['12:wg-add-in-goroutine', '22:defer-in-loop']);
    for (const d of diagnostics) {
      assert.equal(d.source, 'waitguard');
      assert.equal(d.range.start.line, d.range.end.line);
    }
    assert.equal(diagnostics[0].relatedInformation?.[0].location.range.start.line, 10, 'related: the go statement');
  });

  it('follows incremental edits, several changes per notification, non-ASCII text included', async () => {
    const uri = pathToFileURL(join(dir, 'edit.go')).toString();
    let published = client.diagnostics(uri, 1);
    await client.open(uri, HAZARDS);
    await published;
    // Move `wg.Add(1)` before the go statement (the fix), in two changes of one notification,
    // and put non-ASCII text in a comment above so that later offsets shift by UTF-16 units.
    published = client.diagnostics(uri, 2);
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 0 }, end: { line: 12, character: 0 } }, text: '' },
      { range: { start: { line: 10, character: 2 }, end: { line: 10, character: 2 } }, text: 'wg.Add(1) // 🚀 héllo\n\t\t' },
    ]);
    assert.deepEqual(codes((await published).diagnostics), ['22:defer-in-loop']);
    published = client.diagnostics(uri, 3);
    await client.change(uri, 3, [{ range: { start: { line: 20, character: 0 }, end: { line: 20, character: 0 } }, text: '\t\t// ünïcödé 🚀🚀\n' }]);
    const after = (await published).diagnostics;
    assert.deepEqual(codes(after), ['23:defer-in-loop']);
    assert.equal(after[0].range.start.character, 2, 'column in UTF-16 code units after a line with emoji');
  });

  it('applies waitguard.rules live when the configuration changes', async () => {
    const uri = pathToFileURL(join(dir, 'settings.go')).toString();
    let published = client.diagnostics(uri, 1);
    await client.open(uri, HAZARDS);
    await published;
    client.settings = { enable: true, rules: { 'defer-in-loop': 'off', 'wg-add-in-goroutine': 'error' } };
    published = client.diagnostics(uri);
    await client.configurationChanged();
    const { diagnostics } = await published;
    assert.deepEqual(codes(diagnostics), ['12:wg-add-in-goroutine']);
    assert.equal(diagnostics[0].severity, 1);
    client.settings = { enable: false };
    published = client.diagnostics(uri);
    await client.configurationChanged();
    assert.deepEqual((await published).diagnostics, []);
    client.settings = {};
    published = client.diagnostics(uri);
    await client.configurationChanged();
    assert.equal((await published).diagnostics.length, 2);
  });

  it('resolves struct fields declared in another file of the package on disk', async () => {
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    const uri = pathToFileURL(join(pkg, 'usesfield.go')).toString();
    const text = 'package p\n\nfunc (s *S) start() {\n\tgo func() {\n\t\ts.wg.Add(1)\n\t\tdefer s.wg.Done()\n\t}()\n\ts.wg.Wait()\n}\n';
    let published = client.diagnostics(uri, 1);
    await client.open(uri, text);
    assert.deepEqual(codes((await published).diagnostics), [], 'S is unknown: silent');
    // The editor's file watcher reports the new sibling; the server re-reads the package.
    const types = join(pkg, 'types.go');
    writeFileSync(types, 'package p\n\nimport "sync"\n\ntype S struct{ wg sync.WaitGroup }\n');
    published = client.diagnostics(uri, 1);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(types).toString(), type: FileChangeType.Created }] });
    assert.deepEqual(codes((await published).diagnostics), ['5:wg-add-in-goroutine']);
  });

  it('clears diagnostics when a document closes and survives broken and binary-looking input', async () => {
    const uri = pathToFileURL(join(dir, 'broken.go')).toString();
    let published = client.diagnostics(uri, 1);
    await client.open(uri, 'package p\n\nfunc f( {\n\tfor { defer\n\x00\x01\uFFFD');
    assert.deepEqual((await published).diagnostics, []);
    published = client.diagnostics(uri);
    await client.close(uri);
    assert.deepEqual((await published).diagnostics, []);
  });
});
