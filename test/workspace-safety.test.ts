// The language server reads the siblings of an open document from disk (issue 9): it must follow
// no symbolic link out of the document's directory, and never block on a pipe or loop on links.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { codes, TestClient } from './lspClient';

/** Flagged (wg-add-in-goroutine on line 5) only when the package declares `server` with a WaitGroup field. */
const RUN = `package p

func (s *server) run() {
	go func() {
		s.wg.Add(1)
		defer s.wg.Done()
	}()
	s.wg.Wait()
}
`;
const SERVER_TYPE = 'package p\n\nimport "sync"\n\ntype server struct {\n\twg sync.WaitGroup\n}\n';
const FLAGGED = ['5:wg-add-in-goroutine'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('language server on hostile package directories', () => {
  let tmp: string;
  let client: TestClient;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'waitguard-safety-'));
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    assert.doesNotMatch(client.stderr + client.log, /unhandled|uncaught|failed/i, 'no unhandled rejection, exception or analysis failure was logged');
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens `path` with its text on disk and resolves with its first diagnostics, within 5 s. */
  async function openAndCheck(path: string, text = readFileSync(path, 'utf8')) {
    const uri = pathToFileURL(path).toString();
    const published = client.diagnostics(uri, 1, 5_000);
    await client.open(uri, text);
    return { uri, diagnostics: (await published).diagnostics };
  }

  it('a link out of the directory is not read, a link inside it is; pipes (y.go, go.mod), link loops and broken links are skipped (under 10 s)', { timeout: 10_000 }, async (t) => {
    const outside = join(tmp, 'outside');
    const pkg = join(tmp, 'ws', 'pkg');
    const control = join(tmp, 'ws', 'control');
    mkdirSync(outside, { recursive: true });
    mkdirSync(pkg, { recursive: true });
    mkdirSync(join(control, 'types'), { recursive: true });
    writeFileSync(join(outside, 'types.go'), SERVER_TYPE);
    writeFileSync(join(pkg, 'main.go'), RUN);
    symlinkSync(join(outside, 'types.go'), join(pkg, 'linked.go'));
    assert.equal(spawnSync('mkfifo', [join(pkg, 'y.go'), join(pkg, 'go.mod')]).status, 0, 'mkfifo');
    symlinkSync(join(pkg, 'y.go'), join(pkg, 'pipe-link.go')); // a link inside, to a pipe
    symlinkSync(join(pkg, 'loop-b.go'), join(pkg, 'loop-a.go'));
    symlinkSync(join(pkg, 'loop-a.go'), join(pkg, 'loop-b.go'));
    symlinkSync(join(pkg, 'nowhere.go'), join(pkg, 'dangling.go'));
    // The control: the same declarations through a link that stays inside its directory's tree.
    writeFileSync(join(control, 'main.go'), RUN);
    writeFileSync(join(control, 'types', 'types.go'), SERVER_TYPE);
    symlinkSync(join(control, 'types', 'types.go'), join(control, 'linked.go'));

    const started = performance.now();
    const opened = await openAndCheck(join(pkg, 'main.go'));
    const ms = performance.now() - started;
    assert.deepEqual(codes(opened.diagnostics), [], 'the struct behind the link out of the directory is not seen');
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: opened.uri }, position: { line: 4, character: 5 } });
    assert.deepEqual(codes((await openAndCheck(join(control, 'main.go'))).diagnostics), FLAGGED, 'the struct behind a link inside the directory is seen');
    // Skipped siblings are reported in the log, as the CLI reports them on stderr.
    assert.match(client.log, /linked\.go: symbolic link to .*, outside .*; not followed; not read for its package/);
    assert.match(client.log, /loop-a\.go: symbolic link loop; skipped; not read for its package/);
    assert.match(client.log, /dangling\.go: broken symbolic link; skipped; not read for its package/);
    t.diagnostic(`first diagnostics in the hostile directory after ${ms.toFixed(0)} ms`);
    assert.ok(ms < 5_000, `took ${ms} ms`);
  });

  it('a linked document the editor opened is not read from disk once it closes (under 10 s)', { timeout: 10_000 }, async () => {
    const pkg = join(tmp, 'ws', 'pkg');
    const main = pathToFileURL(join(pkg, 'main.go')).toString();
    // The editor reads the link's target itself; while open, its declarations are the package's.
    const linked = await openAndCheck(join(pkg, 'linked.go'), SERVER_TYPE);
    assert.deepEqual(linked.diagnostics, []);
    const withType = client.diagnostics(main, 2, 5_000);
    await client.change(main, 2, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: '\n' }]);
    assert.deepEqual(codes((await withType).diagnostics), FLAGGED);
    // Closed, the file is what is on disk: a link out of the directory, not followed.
    await client.close(linked.uri);
    await sleep(300); // time enough to read the closed file from disk, were it read
    const withoutType = client.diagnostics(main, 3, 5_000);
    await client.change(main, 3, [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: '\n' }]);
    assert.deepEqual(codes((await withoutType).diagnostics), []);
  });
});
