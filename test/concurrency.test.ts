// Fast edits, concurrency, rule crashes and memory (issue 9), over the real stdio server.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CodeActionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { FileAnalyzer, GoParser, indexFile, PackageIndex, RULES, type Rule } from '../server/src/engine';
import { analyzePackage, scanFiles } from '../server/src/project/scan';
import { DIST, goParser } from './harness';
import { codes, startMeasuredServer, TestClient } from './lspClient';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const MB = 1024 * 1024;
const signed = (mb: number) => `${mb < 0 ? '' : '+'}${mb.toFixed(1)} MB`;

/** A saved file of 100 functions (10 KB): a package index kept for it would show in the memory test. */
const SAVED_SIBLING = `package p\n\nimport "sync"\n\n${Array.from({ length: 100 }, (_, k) => `func saved${k}(wg *sync.WaitGroup, jobs []int) {\n\tfor range jobs {\n\t\twg.Add(1)\n\t\tgo wg.Done()\n\t}\n}\n`).join('\n')}`;


describe('language server under fast edits', () => {
  let client: TestClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waitguard-conc-'));
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    assert.doesNotMatch(client.stderr + client.log, /unhandled|uncaught|failed/i, 'no unhandled rejection, exception or analysis failure was logged');
    rmSync(dir, { recursive: true, force: true });
  });

  it('1,000 changes per second: bursts are analysed once, versions published in order, the newest last, stale requests answered for the current version (under 30 s)', async (t) => {
    const uri = pathToFileURL(join(dir, 'typing.go')).toString();
    const opened = client.diagnostics(uri, 1);
    await client.open(uri, HAZARDS);
    await opened;
    const started = performance.now();
    const CHANGES = 1_000;
    const requests: Promise<unknown>[] = [];
    let text = HAZARDS;
    const line = 12; // inside crawl's goroutine: `wg.Add(1)` is line 12 (0-based 11)
    for (let v = 2; v <= CHANGES + 1; v++) {
      // Alternately add and remove a comment line above wg.Add(1): the finding moves by one line.
      const adding = v % 2 === 0;
      const change = adding
        ? { range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } }, text: `\t\t\t// edit ${v}\n` }
        : { range: { start: { line: line - 1, character: 0 }, end: { line, character: 0 } }, text: '' };
      text = adding ? text.replace('\t\t\twg.Add(1)', `\t\t\t// edit ${v}\n\t\t\twg.Add(1)`) : text.replace(/\t\t\t\/\/ edit \d+\n/, '');
      void client.change(uri, v, [change]);
      if (v % 50 === 0) {
        // Requests made for the version just sent: answered for whatever version is current.
        requests.push(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 11, character: 4 } }));
        requests.push(client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 11, character: 0 }, end: { line: 12, character: 0 } }, context: { diagnostics: [] } }));
      }
      if (v % 10 === 0) await sleep(10); // 10 changes every 10 ms: 1,000 per second
    }
    const final = client.diagnostics(uri, CHANGES + 1, 20_000);
    const answers = await Promise.all(requests);
    const { diagnostics } = await final;
    await sleep(500); // anything published late would show up now
    const ms = performance.now() - started;
    const versions = client.allPublished.filter((p) => p.uri === uri).map((p) => p.version!);
    t.diagnostic(`${CHANGES} changes sent in ${(ms / 1000).toFixed(2)} s (incl. final analysis); ${versions.length} publications, ${answers.length} hover/code action answers`);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i] >= versions[i - 1], `version ${versions[i]} published after ${versions[i - 1]}`);
    assert.equal(versions.at(-1), CHANGES + 1, 'the newest version is published last');
    // Changes 1 ms apart are a burst: its intermediate versions are not analysed. What is published
    // is a version that was the newest the server had when it published (the first of each group
    // of ten, those a hover or code action asked for). Measured 186; 1,001 before bursts were coalesced.
    assert.ok(versions.length < CHANGES / 4, `${versions.length} versions published for ${CHANGES} changes`);
    // The final diagnostics are those of a fresh document with the same text.
    const fresh = pathToFileURL(join(dir, 'fresh.go')).toString();
    const freshPublished = client.diagnostics(fresh, 1);
    await client.open(fresh, text);
    assert.deepEqual(codes(diagnostics), codes((await freshPublished).diagnostics));
    await client.close(fresh);
    assert.ok(ms < 30_000, `took ${ms} ms`);
  });

  // Issue 9: memory returns to within 20 MB of its baseline after 1,000 documents. What the server
  // holds is measured after a full garbage collection: the JS heap in use plus external memory
  // (mostly WebAssembly's, where trees live). Measured: +0.6 to +1.4 MB; +40.8 MB when each closed
  // directory's package index was kept. Each document has a package directory of its own with a
  // saved file, as when browsing a repository, so an index kept after its documents closed shows.
  // RSS is asserted more loosely: it grew +19 to +43 MB after the same forced GC, V8 heap pages
  // (a young generation grown to 2 x 16 MB, old space) that V8 keeps; WebAssembly memory stayed
  // at its initial 32 MB.
  it('memory: after opening, editing and closing 1,000 documents, the memory held after a full GC (JS heap + WebAssembly) is within 20 MB of its baseline, RSS within 60 MB (under 120 s)', async (t) => {
    const measured = startMeasuredServer(dir);
    const server = measured.client;
    try {
      await server.initialize();
      const round = async (from: number, count: number) => {
        for (let i = from; i < from + count; i++) {
          const sub = join(dir, 'packages', `pkg${i}`);
          mkdirSync(sub, { recursive: true });
          writeFileSync(join(sub, 'saved.go'), SAVED_SIBLING);
          const uri = pathToFileURL(join(sub, `doc${i}.go`)).toString();
          const published = server.diagnostics(uri, 3);
          await server.open(uri, HAZARDS.replace('func crawl', `func crawl${i}`));
          await server.change(uri, 2, [{ range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: `// doc ${i}\n` }]);
          await server.change(uri, 3, [{ range: { start: { line: 7, character: 0 }, end: { line: 8, character: 0 } }, text: '' }]);
          await published;
          await server.close(uri);
        }
      };
      const started = performance.now();
      await round(0, 100); // warm-up: JIT, WebAssembly heap
      await sleep(500);
      const baseline = await measured.memoryAfterGc();
      await round(100, 1_000);
      await sleep(500); // closing documents finishes asynchronously
      const afterwards = await measured.memoryAfterGc();
      const ms = performance.now() - started;
      const held = (m: NodeJS.MemoryUsage) => (m.heapUsed + m.external) / MB;
      const grown = { held: held(afterwards) - held(baseline), heap: (afterwards.heapUsed - baseline.heapUsed) / MB, rss: (afterwards.rss - baseline.rss) / MB };
      t.diagnostic(
        `after a full GC: held ${held(baseline).toFixed(1)} -> ${held(afterwards).toFixed(1)} MB (${signed(grown.held)}; JS heap ${signed(grown.heap)}), ` +
          `RSS ${(baseline.rss / MB).toFixed(1)} -> ${(afterwards.rss / MB).toFixed(1)} MB (${signed(grown.rss)}); ${(ms / 1000).toFixed(1)} s`,
      );
      assert.ok(grown.held < 20, `the server holds ${grown.held.toFixed(1)} MB more after 1,000 documents`);
      assert.ok(grown.rss < 60, `RSS grew by ${grown.rss.toFixed(1)} MB`);
      assert.ok(ms < 120_000);
    } finally {
      assert.equal(await server.shutdown(), 0);
      assert.doesNotMatch(server.stderr + server.log, /unhandled|uncaught|failed/i);
    }
  });

  it('a file over the parse budget is skipped and logged, the server goes on (under 20 s)', async (t) => {
    const budgeted = new TestClient({ args: ['--parse-budget=1'] });
    try {
      await budgeted.initialize();
      const big = `package p\n${'func f() { a := []int{1, 2, 3}; _ = a }\n'.repeat(40_000)}`; // 1.5 MB: under the size limit
      const started = performance.now();
      const uri = pathToFileURL(join(dir, 'huge.go')).toString();
      const published = budgeted.diagnostics(uri, 1, 20_000);
      await budgeted.open(uri, big);
      const { diagnostics } = await published;
      assert.deepEqual(diagnostics, []);
      const ms = performance.now() - started;
      for (let i = 0; i < 50 && !/huge\.go: parsing took longer than 1 ms; not analysed/.test(budgeted.log); i++) await sleep(100);
      assert.match(budgeted.log, /huge\.go: parsing took longer than 1 ms; not analysed/);
      t.diagnostic(`${(big.length / 1024 / 1024).toFixed(1)} MB document skipped and published empty after ${ms.toFixed(0)} ms`);
      assert.ok(ms < 20_000);
    } finally {
      await budgeted.shutdown();
    }
  });
});

describe('documents too large to analyse as they are typed', () => {
  it('a 10 MB document is not parsed: published empty at once, logged once, the server goes on (under 10 s)', async (t) => {
    const client = new TestClient();
    try {
      await client.initialize();
      const huge = `package p\n\nimport "sync"\n\n${'func f(wg *sync.WaitGroup) { go func() { wg.Add(1); defer wg.Done() }() }\n'.repeat(140_000)}`;
      const uri = 'file:///virtual/huge/generated.go';
      const started = performance.now();
      const published = client.diagnostics(uri, 1, 10_000);
      await client.open(uri, huge);
      assert.deepEqual((await published).diagnostics, []);
      const ms = performance.now() - started;
      const edited = client.diagnostics(uri, 2, 10_000);
      await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// x\n' }]);
      assert.deepEqual((await edited).diagnostics, []);
      await sleep(200);
      const logged = client.log.match(/generated\.go: \d+\.\d MB, over the 2 MB analysed as you type \(the CLI and the workspace scan analyse it\); not analysed/g) ?? [];
      assert.equal(logged.length, 1, client.log);
      // The server goes on: a small document is analysed as usual.
      const small = client.diagnostics('file:///virtual/huge/small.go', 1);
      await client.open('file:///virtual/huge/small.go', HAZARDS);
      assert.ok((await small).diagnostics.length > 0);
      t.diagnostic(`${(huge.length / 2 ** 20).toFixed(1)} MB document published empty after ${ms.toFixed(0)} ms`);
      assert.ok(ms < 10_000);
    } finally {
      assert.equal(await client.shutdown(), 0);
    }
  });
});

describe('a crashing rule', () => {
  const crashing: Rule = {
    id: 'crashing-rule',
    severity: 'warning',
    title: 'Throws',
    docs: { what: '', why: '', fix: '', bad: '', good: '' },
    triggers: /./,
    check() {
      throw new Error('deliberate failure');
    },
  } as unknown as Rule;

  it('is caught and named, and the other rules still report (engine, under 5 s)', async () => {
    const parser: GoParser = await goParser();
    const path = '/virtual/p/a.go';
    const index = new PackageIndex('/virtual/p', undefined, (x) => parser.parse(x));
    const tree = parser.parse(HAZARDS);
    indexFile(index, path, HAZARDS, tree);
    const errors: string[] = [];
    const findings = new FileAnalyzer(path, (rule, p, error) => errors.push(`rule ${rule.id} failed on ${p}: ${String(error)}`)).analyze(tree, HAZARDS, index, [crashing, ...RULES]);
    tree.delete();
    assert.deepEqual([...new Set(findings.map((f) => f.rule))].sort(), ['defer-in-loop', 'wg-add-in-goroutine']);
    assert.ok(errors.length > 0 && errors.every((e) => /rule crashing-rule failed on \/virtual\/p\/a\.go: Error: deliberate failure/.test(e)), errors.join('\n'));
  });

  it('is reported per file by the scan, with its id, and the other rules still report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waitguard-crash-'));
    try {
      writeFileSync(join(dir, 'a.go'), HAZARDS);
      const original = RULES.slice();
      (RULES as Rule[]).unshift(crashing); // the scan runs rules by id: register the crashing rule for this test only
      try {
        const [report] = await analyzePackage(await goParser(), { files: [join(dir, 'a.go')], rules: ['crashing-rule', 'defer-in-loop', 'wg-add-in-goroutine'] });
        assert.deepEqual(report.findings.map((f) => f.rule).sort(), ['defer-in-loop', 'wg-add-in-goroutine']);
        assert.match((report.errors ?? []).join('\n'), /rule crashing-rule failed: deliberate failure/);
      } finally {
        (RULES as Rule[]).splice(0, RULES.length, ...original);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a workspace scan while the editor is typed in', () => {
  it('pauses a package it has started between files until typing stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waitguard-scan-pause-'));
    const files = Array.from({ length: 20 }, (_, i) => {
      const path = join(dir, `f${i}.go`);
      writeFileSync(path, HAZARDS.replace('func crawl(', `func crawl${i}(`));
      return path;
    });
    try {
      // Typing starts right after the package is handed to a worker and goes on for 2 s.
      let typingEnds: number | undefined;
      const holdBack = () => {
        if (typingEnds === undefined) {
          typingEnds = performance.now() + 2_000;
          return 0;
        }
        return Math.max(0, typingEnds - performance.now());
      };
      const started = performance.now();
      const summary = await scanFiles(files, () => goParser(), { jobs: 1, offThread: true, workerScript: join(DIST, 'worker.js'), holdBack });
      const took = performance.now() - started;
      assert.equal(summary.reports.length, 20);
      assert.ok(summary.reports.every((r) => r.findings.some((f) => f.rule === 'wg-add-in-goroutine')));
      // Unpaused, the package takes well under a second (worker start-up included).
      assert.ok(took > 1_900, `the scan ended ${took.toFixed(0)} ms after it started, while typing went on for 2,000 ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
