// Inlay hints (defer run order, WaitGroup counts), code lenses and their cross-file links over stdio, against the bundled server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CodeLensRefreshRequest,
  CodeLensRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  type CodeLens,
  type InlayHint,
  type Location,
  type MarkupContent,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from './lspClient';

const CODE = `package p

import (
	"os"
	"sync"
)

func copyAll(paths []string) error {
	f, err := os.Create("out")
	if err != nil {
		return err
	}
	defer f.Close()
	defer println("héllo 🚀")
	for _, p := range paths {
		in, _ := os.Open(p)
		defer in.Close()
	}
	if len(paths) > 3 {
		defer println("many")
	}
	return nil
}

func crawl(urls []string) {
	var wg sync.WaitGroup
	wg.Add(len(urls))
	for _, u := range urls {
		go func(u string) {
			defer wg.Done()
			_ = u
		}(u)
	}
	wg.Wait()
}

func pair(a, b func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		a()
	}()
	go func() {
		defer wg.Done()
		b()
	}()
	wg.Wait()
}

func each(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			_ = u
		}(u)
	}
	wg.Wait()
}

func results(jobs []int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < len(jobs); i++ {
		wg.Add(1)
		go func(j int) {
			defer wg.Done()
			out <- j
		}(jobs[i])
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func polls(next func() bool) {
	var wg sync.WaitGroup
	for next() {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
	wg.Wait()
}

func single(a func()) {
	defer println("only one defer: no hint")
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		a()
	}()
	go func() {
		defer wg.Done()
		a()
	}()
	wg.Wait()
}
`;

const LINES = CODE.split('\n');

/** The position right after the `nth` occurrence (0-based) of `code` on a line of CODE, and its 0-based line. */
function after_(code: string, nth = 0): Position {
  let seen = 0;
  for (let line = 0; line < LINES.length; line++) {
    const at = LINES[line].indexOf(code);
    if (at >= 0 && seen++ === nth) return { line, character: at + code.length };
  }
  throw new Error(`${code} #${nth} not in the fixture`);
}

function lineOf(code: string, nth = 0): number {
  return after_(code, nth).line;
}

/** `line:character label` of each hint, in order. */
function rendered(hints: InlayHint[]): string[] {
  return hints.map((h) => `${h.position.line + 1}:${h.position.character} ${typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')}`);
}

function expected(code: string, label: string, nth = 0): string {
  const p = after_(code, nth);
  return `${p.line + 1}:${p.character} ${label}`;
}

const WHOLE = { start: { line: 0, character: 0 }, end: { line: LINES.length, character: 0 } };

describe('inlay hints and code lenses over stdio', () => {
  let client: TestClient;
  let dir: string;
  let uri: string;
  const refreshes: string[] = [];
  const hints = async (range = WHOLE) => ((await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) ?? []) as InlayHint[];
  const lenses = async () => ((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []) as CodeLens[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waitguard-hints-'));
    uri = pathToFileURL(join(dir, 'hints.go')).toString();
    client = new TestClient();
    client.connection.onRequest(InlayHintRefreshRequest.type, () => void refreshes.push('inlayHint'));
    client.connection.onRequest(CodeLensRefreshRequest.type, () => void refreshes.push('codeLens'));
    const init = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } },
        textDocument: { inlayHint: { dynamicRegistration: false }, codeLens: { dynamicRegistration: false } },
      },
      workspaceFolders: null,
    });
    assert.equal(init.capabilities.inlayHintProvider, true);
    assert.ok(init.capabilities.codeLensProvider);
    await client.connection.sendNotification(InitializedNotification.type, {});
    const published = client.diagnostics(uri, 1);
    await client.open(uri, CODE);
    await published;
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    assert.doesNotMatch(client.stderr + client.log, /Error|unhandled|uncaught|failed/i);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hints the run order after each defer of a function with several, in loops and branches too', async () => {
    const all = await hints();
    const defers = rendered(all.filter((h) => String(h.label).startsWith('runs')));
    assert.deepEqual(defers, [
      expected('defer f.Close()', 'runs 4th'),
      expected('defer println("héllo 🚀")', 'runs 3rd'),
      expected('defer in.Close()', 'runs at return, once per iteration, last iteration first'),
      expected('defer println("many")', 'runs 1st at return, if registered'),
    ]);
    // UTF-16 columns: the emoji counts two.
    assert.equal(all[1].position.character, '\tdefer println("héllo 🚀")'.length);
    assert.equal(all[0].paddingLeft, true);
    const tooltip = all[0].tooltip as MarkupContent;
    assert.equal(tooltip.kind, 'markdown');
    assert.match(tooltip.value, /Deferred call 1 of 4 in `copyAll`.*runs 4th/);
    assert.match(tooltip.value, /1st: println\("many"\)\s+\/\/ line 20, if registered/);
  });

  it('hints what Add counts and what Wait waits for, with constant and len(...) counts', async () => {
    const wg = rendered((await hints()).filter((h) => !String(h.label).startsWith('runs')));
    assert.deepEqual(wg, [
      expected('wg.Add(len(urls))', '+len(urls) → counts len(urls) goroutines'),
      expected('wg.Wait()', 'waits for len(urls)', 0),
      expected('wg.Add(2)', '+2 → counts 2 goroutines'),
      expected('wg.Wait()', 'waits for 2', 1),
      expected('wg.Add(1)', '+1 → counts 1 goroutine', 0),
      expected('wg.Wait()', 'waits for len(urls)', 2),
      expected('wg.Add(1)', '+1 → counts 1 goroutine', 1),
      expected('wg.Wait()', 'waits for len(jobs)', 3),
      expected('wg.Add(1)', '+1 → counts 1 goroutine', 2),
      expected('wg.Wait()', `waits for the goroutine started on line ${lineOf('go func() {', 3) + 1}`, 4),
      expected('wg.Add(3)', '+3 → counts 2 goroutines'),
      expected('wg.Wait()', 'waits for 2', 5),
    ]);
    const [add] = (await hints()).filter((h) => String(h.label).startsWith('+len'));
    assert.match((add.tooltip as MarkupContent).value, /\*\*WaitGroup `wg` in `crawl`\*\*/);
  });

  it('answers only for the requested range', async () => {
    const range = { start: { line: lineOf('func pair'), character: 0 }, end: { line: lineOf('func each'), character: 0 } };
    assert.deepEqual(rendered(await hints(range)), [expected('wg.Add(2)', '+2 → counts 2 goroutines'), expected('wg.Wait()', 'waits for 2', 1)]);
    const line = lineOf('defer in.Close()');
    assert.deepEqual(rendered(await hints({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })), [expected('defer in.Close()', 'runs at return, once per iteration, last iteration first')]);
  });

  it('puts a lens above functions that start counted goroutines; its command peeks the related lines', async () => {
    const all = await lenses();
    const titles = all.map((l) => `${l.range.start.line + 1}: ${l.command?.title}`);
    assert.deepEqual(titles, [
      `${lineOf('func crawl') + 1}: len(urls) goroutines counted by wg · Wait at line ${lineOf('wg.Wait()', 0) + 1} · all Done deferred`,
      `${lineOf('func pair') + 1}: 2 goroutines counted by wg · Wait at line ${lineOf('wg.Wait()', 1) + 1} · all Done deferred`,
      `${lineOf('func each') + 1}: len(urls) goroutines counted by wg · Wait at line ${lineOf('wg.Wait()', 2) + 1} · all Done deferred`,
      `${lineOf('func results') + 1}: len(jobs) goroutines counted by wg · Wait at line ${lineOf('wg.Wait()', 3) + 1} · all Done deferred`,
      `${lineOf('func polls') + 1}: goroutines started on line ${lineOf('go func() {', 3) + 1} counted by wg · Wait at line ${lineOf('wg.Wait()', 4) + 1} · all Done deferred`,
      `${lineOf('func single') + 1}: WaitGroup.Add(N) does not match the goroutines started`,
    ]);
    const pair = all[1];
    assert.deepEqual(pair.range.start, { line: lineOf('func pair'), character: 'func '.length });
    assert.equal(pair.command?.command, 'waitguard.showLocations');
    const [docUri, position, locations] = pair.command!.arguments as [string, Position, Location[]];
    assert.equal(docUri, uri);
    assert.deepEqual(position, pair.range.start);
    assert.ok(locations.every((l) => l.uri === uri));
    assert.deepEqual(
      locations.map((l) => l.range.start.line),
      [lineOf('wg.Add(2)'), lineOf('go func() {', 0), lineOf('defer wg.Done()', 1), lineOf('go func() {', 1), lineOf('defer wg.Done()', 2), lineOf('wg.Wait()', 1)],
    );
    const [, , mismatch] = all[5].command!.arguments as [string, Position, Location[]];
    assert.deepEqual(
      mismatch.map((l) => l.range.start.line),
      [lineOf('wg.Add(3)'), lineOf('go func() {', 4), lineOf('go func() {', 5)],
      'the finding and its related lines',
    );
  });

  it('turns each kind of hint off live, asking the client to refresh; disabled, no lens or hover', async () => {
    client.settings = { inlayHints: { deferOrder: false } };
    refreshes.length = 0;
    await client.configurationChanged();
    const deadline = Date.now() + 5000;
    while (refreshes.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(refreshes.sort(), ['codeLens', 'inlayHint']);
    let labels = (await hints()).map((h) => String(h.label));
    assert.equal(labels.length, 12);
    assert.ok(labels.every((l) => !l.startsWith('runs')));
    client.settings = { inlayHints: { waitGroup: false } };
    await client.configurationChanged();
    labels = (await hints()).map((h) => String(h.label));
    assert.deepEqual(labels.length, 4);
    assert.ok(labels.every((l) => l.startsWith('runs')));
    client.settings = { inlayHints: { deferOrder: false, waitGroup: false } };
    await client.configurationChanged();
    assert.deepEqual(await hints(), []);
    assert.equal((await lenses()).length, 6, 'lenses stay');
    const hover = () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: lineOf('defer f.Close()'), character: 1 } });
    assert.match(((await hover())!.contents as MarkupContent).value, /Deferred call 1 of 4/);
    client.settings = { enable: false };
    await client.configurationChanged();
    assert.deepEqual(await lenses(), []);
    assert.equal(await hover(), null, 'no hover where WaitGuard is disabled');
    client.settings = {};
    await client.configurationChanged();
    assert.equal((await hints()).length, 16);
  });
});

describe('explanations that point into another file of the package', () => {
  const MAIN = `package p

import "sync"

func run(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go work(&wg, j)
	}
	wg.Add(1)
	go func() {
		println("local")
		wg.Done()
	}()
	wg.Wait()
}
`;
  const WORKER = `package p

import "sync"

func work(wg *sync.WaitGroup, j int) {
	println(j)
	wg.Done()
}
`;
  let client: TestClient;
  let dir: string;
  let main: string;
  let worker: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waitguard-places-'));
    writeFileSync(join(dir, 'worker.go'), WORKER);
    main = pathToFileURL(join(dir, 'main.go')).toString();
    worker = pathToFileURL(join(dir, 'worker.go')).toString();
    client = new TestClient();
    await client.initialize();
    const published = client.diagnostics(main, 1);
    await client.open(main, MAIN);
    await published;
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('links a line of another file by its name, not as a line of this one', async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: main }, position: { line: 7, character: 5 } }); // wg.Add
    const text = (hover!.contents as MarkupContent).value;
    assert.ok(text.includes(`started at [line 9](${main}#L9): Done not deferred at [worker.go:7](${worker}#L7)`), text);
    assert.ok(text.includes(`started at [line 12](${main}#L12): Done not deferred at [line 14](${main}#L14)`), text);
    const [lens] = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: main } }))!;
    assert.equal(lens.command?.title, 'len(jobs) + 1 goroutines counted by wg · Wait at line 16 · Done not deferred at line 14 and worker.go:7');
    const [, , locations] = lens.command!.arguments as [string, Position, Location[]];
    assert.deepEqual(locations.at(-1), { uri: worker, range: { start: { line: 6, character: 1 }, end: { line: 6, character: 10 } } });
  });
});
