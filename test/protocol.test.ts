// The bundled language server over stdio: open, incremental edits, settings, close.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CodeActionRequest, DidChangeConfigurationNotification, ExecuteCommandRequest, DidChangeWatchedFilesNotification, InitializedNotification, InitializeRequest, FileChangeType, HoverRequest, InlayHintRequest, type CodeAction, type FileEvent, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { RULES } from '../server/src/engine';
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

  it('while a call is typed with its parenthesis open, the other functions keep their diagnostics, moved with the text', async () => {
    const uri = pathToFileURL(join(dir, 'typing.go')).toString();
    let published = client.diagnostics(uri, 1);
    await client.open(uri, `${HAZARDS}\nfunc closeBoth(a, b *os.File) {\n\tdefer a.Close()\n\tdefer b.Close()\n}\n`);
    await published;
    // In crawl, after `var wg sync.WaitGroup`, one key per notification, as an editor without auto-closing sends them.
    const typed = '\n\tprintln(len(urls))';
    const seen: string[] = [];
    const hints: string[] = [];
    for (let i = 0; i < typed.length; i++) {
      const at = i === 0 ? { line: 8, character: '\tvar wg sync.WaitGroup'.length } : { line: 9, character: i - 1 };
      published = client.diagnostics(uri, i + 2);
      await client.change(uri, i + 2, [{ range: { start: at, end: at }, text: typed[i] }]);
      seen.push(codes((await published).diagnostics).join(' '));
      const range = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };
      const shown = (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) ?? [];
      hints.push(shown.map((h) => `${h.position.line + 1}:${h.position.character} ${String(h.label)}`).join(' '));
    }
    // Hints stay too, computed on the last parsed text and moved with it: those of closeBoth, one line down.
    assert.deepEqual(new Set(hints), new Set(['28:16 runs 2nd 29:16 runs 1st at return']));
    // crawl's own finding goes while its call is open (a declaration with a syntax error has none) and comes back once closed.
    assert.deepEqual(seen.filter((s, i) => s !== seen[i - 1]), ['13:wg-add-in-goroutine 23:defer-in-loop', '23:defer-in-loop', '13:wg-add-in-goroutine 23:defer-in-loop']);
    assert.equal(seen.filter((s) => s === '23:defer-in-loop').length, typed.indexOf('))') + 1 - typed.indexOf('('), 'every version from the first ( to the first ) has the call open');
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

  it('follows changes on disk file by file: a changed sibling re-checks its package; a save or another package re-checks nothing', async () => {
    const pkg = join(dir, 'watched');
    mkdirSync(pkg);
    const types = join(pkg, 'types.go');
    writeFileSync(types, 'package p\n\nimport "sync"\n\ntype S struct{ wg sync.WaitGroup }\n');
    const path = join(pkg, 'usesfield.go');
    const uri = pathToFileURL(path).toString();
    const text = 'package p\n\nfunc (s *S) start() {\n\tgo func() {\n\t\ts.wg.Add(1)\n\t\tdefer s.wg.Done()\n\t}()\n\ts.wg.Wait()\n}\n';
    let published = client.diagnostics(uri, 1);
    await client.open(uri, text);
    assert.deepEqual(codes((await published).diagnostics), ['5:wg-add-in-goroutine']);
    const watched = (...paths: string[]) =>
      client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: paths.map((p): FileEvent => ({ uri: pathToFileURL(p).toString(), type: FileChangeType.Changed })) });
    writeFileSync(types, 'package p\n\ntype S struct{ wg counter }\n');
    published = client.diagnostics(uri, 1);
    await watched(types);
    assert.deepEqual(codes((await published).diagnostics), [], 'wg is no longer a WaitGroup');
    const publications = () => client.allPublished.filter((p) => p.uri === uri).length;
    const seen = publications();
    writeFileSync(path, text);
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'x.go'), 'package elsewhere\n');
    await watched(path, join(dir, 'elsewhere', 'x.go'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(publications(), seen, 'neither the save nor a change in another package re-checks the document');
  });

  it('re-evaluates version-gated rules of open documents when go.mod changes', async () => {
    const mod = join(dir, 'mod');
    mkdirSync(join(mod, 'loops'), { recursive: true });
    writeFileSync(join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.21\n');
    const uri = pathToFileURL(join(mod, 'loops', 'loops.go')).toString();
    const text = 'package loops\n\nfunc counted(n int, out chan<- int) {\n\tfor i := 0; i < n; i++ {\n\t\tgo func() {\n\t\t\tout <- i * i\n\t\t}()\n\t}\n}\n';
    let published = client.diagnostics(uri, 1);
    await client.open(uri, text);
    assert.deepEqual(codes((await published).diagnostics), ['6:loop-var-captured']);
    writeFileSync(join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
    published = client.diagnostics(uri, 1);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(join(mod, 'go.mod')).toString(), type: FileChangeType.Changed }] });
    assert.deepEqual(codes((await published).diagnostics), [], 'Go 1.22 gives every iteration its own i');
  });

  it('offers the fix, an ignore directive and the docs as code actions; applying the fix clears the finding', async () => {
    const uri = pathToFileURL(join(dir, 'actions.go')).toString();
    let published = client.diagnostics(uri, 1);
    await client.open(uri, HAZARDS);
    const [addDiagnostic] = (await published).diagnostics;
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: addDiagnostic.range,
      context: { diagnostics: [addDiagnostic] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Move wg.Add(1) before the go statement (the goroutine no longer races Wait)', 'Ignore wg-add-in-goroutine on this line', 'Show documentation for wg-add-in-goroutine']);
    assert.equal(actions[0].isPreferred, true);
    assert.equal(actions[2].command?.command, 'waitguard.showRuleDocumentation');
    const ignore = TextDocument.create(uri, 'go', 1, HAZARDS);
    assert.match(TextDocument.applyEdits(ignore, actions[1].edit!.changes![uri]), /\n\t\t\t\/\/waitguard:ignore wg-add-in-goroutine TODO: say why this is safe\n\t\t\twg\.Add\(1\)/);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, HAZARDS), actions[0].edit!.changes![uri]);
    assert.match(fixed, /\t\twg\.Add\(1\)\n\t\tgo func\(\) \{\n\t\t\tdefer wg\.Done\(\)/);
    published = client.diagnostics(uri, 2);
    await client.change(uri, 2, [{ text: fixed }]);
    assert.deepEqual(codes((await published).diagnostics), ['22:defer-in-loop']);

    const fixAll = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(fixAll.map((a) => [a.title, a.kind]), [['Fix all WaitGuard findings', 'source.fixAll.waitguard']]);
    const all = TextDocument.applyEdits(TextDocument.create(uri, 'go', 2, fixed), fixAll[0].edit!.changes![uri]);
    published = client.diagnostics(uri, 3);
    await client.change(uri, 3, [{ text: all }]);
    assert.deepEqual(codes((await published).diagnostics), []);
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

const DEFERS = `package p

import (
	"os"
	"sync"
)

func process(mu *sync.Mutex, paths []string, status string) {
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
	}
	if status != "" {
		defer func() { println(status) }()
	}
	defer println("done", status)
	status = "finished"
}

func fanOut(items []string) {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
	wg.Wait()
}
`;

describe('workspace scan', () => {
  it('publishes findings of files never opened, with progress, skipping vendor and generated files, and follows changes on disk', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'waitguard-scan-'));
    const write = (rel: string, text: string) => {
      mkdirSync(dirname(join(ws, rel)), { recursive: true });
      writeFileSync(join(ws, rel), text);
    };
    write('a/a.go', HAZARDS);
    write('b/b.go', 'package b\n\nfunc ok() {}\n');
    write('b/gen.go', '// Code generated by hand. DO NOT EDIT.\n\n' + HAZARDS.replace('package p', 'package b'));
    write('vendor/v/v.go', HAZARDS);
    write('c/c.go', HAZARDS.replace('package p', 'package c'));
    const client = new TestClient();
    await client.initialize(true, ws);
    const uri = (rel: string) => pathToFileURL(join(ws, rel)).toString();
    // An open document keeps its live diagnostics: the scan does not overwrite them.
    let published = client.diagnostics(uri('c/c.go'), 1);
    await client.open(uri('c/c.go'), 'package c\n');
    await published;
    published = client.diagnostics(uri('a/a.go'));
    const result = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'waitguard.server.scanWorkspace', arguments: [] })) as { files: number; findings: number; cancelled: boolean };
    assert.deepEqual(codes((await published).diagnostics), ['12:wg-add-in-goroutine', '22:defer-in-loop']);
    // c.go counts as open in the editor (no findings), not as saved.
    assert.deepEqual([result.files, result.findings, result.cancelled], [4, 2, false]);
    const files = new Set(client.allPublished.map((p) => p.uri));
    assert.ok(!files.has(uri('vendor/v/v.go')) && !files.has(uri('b/gen.go')), 'vendor and generated files are skipped');
    assert.ok(client.allPublished.filter((p) => p.uri === uri('c/c.go')).every((p) => p.diagnostics.length === 0), 'the open document keeps its own diagnostics');
    assert.ok(client.progress.some((p) => (p as { kind: string }).kind === 'begin') && client.progress.some((p) => (p as { kind: string }).kind === 'end'));
    assert.match(client.log, /Scan finished: 4 files, \d+ lines in [\d.]+ s; 2 findings \(/);
    // A closed file changes on disk: re-analysed; deleted: its findings go.
    writeFileSync(join(ws, 'a/a.go'), 'package p\n\nfunc fine() {}\n');
    published = client.diagnostics(uri('a/a.go'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('a/a.go'), type: FileChangeType.Changed }] });
    assert.deepEqual((await published).diagnostics, []);
    published = client.diagnostics(uri('b/b.go'));
    rmSync(join(ws, 'b/b.go'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('b/b.go'), type: FileChangeType.Deleted }] });
    assert.deepEqual((await published).diagnostics, []);
    assert.equal(await client.shutdown(), 0);
    rmSync(ws, { recursive: true, force: true });
  });

  it('reads the package\'s open documents as edited, not as saved', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'waitguard-scan-unsaved-'));
    writeFileSync(join(ws, 'types.go'), 'package p\n\ntype S struct{ n int }\n');
    writeFileSync(join(ws, 'uses.go'), 'package p\n\nfunc (s *S) start() {\n\tgo func() {\n\t\ts.wg.Add(1)\n\t\tdefer s.wg.Done()\n\t}()\n\ts.wg.Wait()\n}\n');
    const client = new TestClient();
    const uri = (rel: string) => pathToFileURL(join(ws, rel)).toString();
    try {
      await client.initialize(true, ws);
      // S gets its WaitGroup in the editor, not yet saved: the closed file that uses it is flagged.
      let published = client.diagnostics(uri('types.go'), 1);
      await client.open(uri('types.go'), 'package p\n\nimport "sync"\n\ntype S struct{ wg sync.WaitGroup }\n');
      await published;
      published = client.diagnostics(uri('uses.go'));
      await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'waitguard.server.scanWorkspace', arguments: [] });
      assert.deepEqual(codes((await published).diagnostics), ['5:wg-add-in-goroutine']);
      // So is a re-analysis after a change on disk.
      writeFileSync(join(ws, 'uses.go'), `${readFileSync(join(ws, 'uses.go'), 'utf8')}\nfunc other() {}\n`);
      published = client.diagnostics(uri('uses.go'));
      await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('uses.go'), type: FileChangeType.Changed }] });
      assert.deepEqual(codes((await published).diagnostics), ['5:wg-add-in-goroutine']);
    } finally {
      assert.equal(await client.shutdown(), 0);
      rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe('workspace scan while typing', () => {
  it('starts no package while the user types; goes on once typing pauses (300 ms)', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'waitguard-scan-typing-'));
    for (const pkg of ['a', 'b', 'c']) {
      mkdirSync(join(ws, pkg));
      writeFileSync(join(ws, pkg, `${pkg}.go`), HAZARDS.replace('package p', `package ${pkg}`));
    }
    mkdirSync(join(ws, 'edit'));
    const client = new TestClient();
    try {
      await client.initialize(true, ws);
      const typed = pathToFileURL(join(ws, 'edit', 'typed.go')).toString();
      await client.open(typed, 'package edit\n');
      let version = 1;
      const type = () => client.change(typed, ++version, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' }]);
      await type();
      const firstScanned = client.diagnostics(pathToFileURL(join(ws, 'a', 'a.go')).toString(), undefined, 10_000).then(() => performance.now());
      const scanned = client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'waitguard.server.scanWorkspace', arguments: [] }) as Promise<{ files: number }>;
      let lastChange = performance.now();
      for (const typingEnds = lastChange + 1_000; performance.now() < typingEnds; lastChange = performance.now()) {
        await type();
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal((await scanned).files, 3);
      const publishedAt = await firstScanned;
      assert.ok(publishedAt > lastChange + 200, `a scanned file was published ${(publishedAt - lastChange).toFixed(0)} ms after the last change`);
    } finally {
      assert.equal(await client.shutdown(), 0);
    }
    rmSync(ws, { recursive: true, force: true });
  });
});

describe('a client without workspace/configuration', () => {
  it('takes settings from initializationOptions and didChangeConfiguration', async () => {
    const client = new TestClient();
    await client.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { waitguard: { rules: { 'defer-in-loop': 'off' } } } });
    await client.connection.sendNotification(InitializedNotification.type, {});
    const uri = 'file:///tmp/waitguard-push/a.go';
    let published = client.diagnostics(uri, 1);
    await client.open(uri, HAZARDS);
    assert.deepEqual(codes((await published).diagnostics), ['12:wg-add-in-goroutine']);
    published = client.diagnostics(uri);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { waitguard: { rules: { 'wg-add-in-goroutine': 'off' } } } });
    assert.deepEqual(codes((await published).diagnostics), ['22:defer-in-loop']);
    assert.equal(await client.shutdown(), 0);
  });
});

describe('hover over the stdio server', () => {
  let client: TestClient;
  const uri = 'file:///tmp/waitguard-hover/defers.go';
  before(async () => {
    client = new TestClient();
    await client.initialize();
    const published = client.diagnostics(uri, 1);
    await client.open(uri, DEFERS);
    await published;
  });
  after(async () => assert.equal(await client.shutdown(), 0));

  const hover = async (line: number, character: number) => {
    const result = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: line - 1, character } });
    return result ? (result.contents as MarkupContent).value : '';
  };

  it('on a defer keyword: k of n and the exit sequence in LIFO order, this one marked', async () => {
    const text = await hover(13, 3); // defer f.Close()
    assert.match(text, /\*\*Deferred call 2 of 4 in `process`\*\* — runs 3rd when `process` returns/);
    const order = [...text.matchAll(/^(\d)(?:st|nd|rd|th): (.*?)\s+\/\/ line (\d+)/gm)].map((m) => `${m[1]}:${m[3]}`);
    assert.deepEqual(order, ['1:18', '2:16', '3:13', '4:10']);
    assert.match(text, /line 13, once per iteration {2}← this defer/);
    assert.match(text, /Registered once per loop iteration/);
    assert.match(text, /Evaluated when the `defer` statement ran: `f`/);
    assert.match(text, /Runs during a panic as well/);
  });

  it('on a deferred call in a branch, with frozen arguments', async () => {
    assert.match(await hover(16, 3), /Registered only when its branch runs/);
    const last = await hover(18, 8); // println in `defer println("done", status)`
    assert.match(last, /Deferred call 4 of 4 in `process`\*\* — runs 1st/);
    assert.match(last, /Evaluated when the `defer` statement ran: `status` — their values are frozen/);
  });

  it('on a function name: the whole exit sequence', async () => {
    const text = await hover(8, 6);
    assert.match(text, /`process` registers 4 deferred calls/);
    assert.doesNotMatch(text, /← this defer/);
  });

  it('on wg.Add and wg.Wait, the method or the WaitGroup: the WaitGroup accounting', async () => {
    for (const [line, col] of [[25, 6], [30, 5], [27, 13], [25, 2], [30, 1], [27, 10]]) {
      const text = await hover(line, col);
      assert.match(text, /\*\*WaitGroup `wg` in `fanOut`\*\*/, `line ${line}`);
      assert.match(text, /Counts 1 goroutine:\n {2}- started at \[line 26\]\(file:\/\/\/tmp\/waitguard-hover\/defers\.go#L26\): Done deferred at \[line 27\]/);
      assert.match(text, /- Wait: \[line 30\]/);
      assert.match(text, /sync: negative WaitGroup counter/);
    }
    assert.doesNotMatch(await hover(25, 9), /WaitGroup `wg`/, 'not on the argument of Add');
  });

  it('on a go statement: who counts the goroutine and whether it can end', async () => {
    const text = await hover(26, 3);
    assert.match(text, /Goroutine started at \[line 26\].* in `fanOut`/);
    assert.match(text, /Counted by WaitGroup `wg` \(`wg.Add\(1\)` at \[line 25\]/);
    assert.match(text, /Can return/);
  });

  it('serves every rule\'s documentation for the Show Rule Documentation command', async () => {
    const docs = await client.connection.sendRequest<{ id: string; title: string; markdown: string }[]>('waitguard/ruleDocumentation', {});
    assert.deepEqual(docs.map((d) => d.id), RULES.map((r) => r.id));
    for (const d of docs) assert.match(d.markdown, new RegExp(`^## ${d.id}\\n[\\s\\S]*\`\`\`go\\n`));
  });

  it('on a flagged range: the rule, why, and a link to its documentation', async () => {
    const text = await hover(13, 10); // inside `f.Close()` of the defer in the loop
    assert.match(text, /\*\*defer inside a loop runs only when the function returns\*\* · `defer-in-loop`/);
    assert.match(text, /\[Documentation of defer-in-loop\]\(file:\/\/.*RULES\.md#defer-in-loop\)/);
  });
});
