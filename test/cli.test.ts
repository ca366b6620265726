// The CLI contract other tools depend on: formats, paths as given, exit codes, bad input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeIfUnchanged } from '../server/src/project/fix';
import { DIST, ROOT, TESTDATA } from './harness';

function waitguard(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [join(DIST, 'cli.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('waitguard CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'waitguard-cli-'));
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints JSON findings with 1-based positions, paths as reached from the argument', () => {
    const r = waitguard(['--format', 'json', 'examples'], dir);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.ok(out.findings.length >= 3);
    const first = out.findings.find((f: { rule: string }) => f.rule === 'wg-add-in-goroutine');
    assert.deepEqual(Object.keys(first).sort(), ['column', 'endColumn', 'endLine', 'file', 'fixes', 'line', 'message', 'rule', 'severity']);
    assert.equal(first.file, 'examples/workers.go');
    assert.equal(first.line, 14);
    assert.equal(first.column, 4);
    assert.equal(first.endLine, 14);
    assert.equal(first.endColumn, 13);
    assert.equal(first.severity, 'warning');
    assert.ok(Array.isArray(first.fixes));
  });

  it('prints go vet style text lines', () => {
    const r = waitguard(['examples/workers.go'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^examples\/workers\.go:14:4: wg\.Add\(1\) runs inside the goroutine it counts.* \(wg-add-in-goroutine\)$/m);
  });

  it('accepts ./... patterns and rule selection', () => {
    const r = waitguard(['--format=json', '--rules', 'defer-in-loop', './...'], join(dir, 'examples'));
    assert.equal(r.code, 1);
    const rules = new Set(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule));
    assert.deepEqual([...rules], ['defer-in-loop']);
    const disabled = waitguard(['--disable', 'defer-in-loop,wg-add-in-goroutine', 'examples'], dir);
    assert.equal(disabled.code, 0, disabled.stdout);
  });

  it('exits 0 on clean code', () => {
    const clean = join(dir, 'clean');
    mkdirSync(clean);
    writeFileSync(join(clean, 'ok.go'), 'package ok\n\nfunc f() {}\n');
    const r = waitguard([clean]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
  });

  it('exits 2 on usage errors with a message', () => {
    for (const args of [['--format', 'xml'], ['--nope'], ['--rules', 'no-such-rule'], ['--format']]) {
      const r = waitguard(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^waitguard: .+\nusage: waitguard/);
    }
  });

  it('--fix applies the preferred fixes atomically, keeping CRLF, BOM and file mode', () => {
    const pkg = join(dir, 'fixme');
    cpSync(join(TESTDATA, 'wg-add-in-goroutine'), pkg, { recursive: true });
    const crlf = join(pkg, 'crlf.go');
    const original = '\uFEFFpackage fixture\r\n\r\nfunc closeAll(fs []interface{ Close() error }) {\r\n\tfor _, f := range fs {\r\n\t\tdefer f.Close()\r\n\t}\r\n}\r\n';
    writeFileSync(crlf, original);
    chmodSync(crlf, 0o640);
    const r = waitguard(['--fix', '--rules', 'wg-add-in-goroutine,defer-in-loop', pkg]);
    assert.match(r.stderr, /fixed .*locals\.go \(2 fixes\)/);
    assert.equal(readFileSync(join(pkg, 'locals.go'), 'utf8'), readFileSync(join(TESTDATA, 'wg-add-in-goroutine', 'locals.go.golden'), 'utf8'));
    const fixed = readFileSync(crlf, 'utf8');
    assert.ok(fixed.startsWith('\uFEFFpackage fixture\r\n'), 'BOM kept');
    assert.ok(!/[^\r]\n/.test(fixed), 'CRLF kept');
    assert.match(fixed, /\t\tfunc\(\) \{\r\n\t\t\tdefer f\.Close\(\)\r\n\t\t\}\(\)\r\n/);
    assert.equal(statSync(crlf).mode & 0o777, 0o640, 'mode kept');
    assert.deepEqual(readdirSync(pkg).filter((f) => f.includes('.tmp')), [], 'no temporary files left');
  });

  it('never overwrites a file that changed on disk since it was read', async () => {
    const path = join(dir, 'raced.go');
    writeFileSync(path, 'package p // edited meanwhile\n');
    await assert.rejects(writeIfUnchanged(path, 'package p\n', 'package p // fixed\n'), /changed on disk/);
    assert.equal(readFileSync(path, 'utf8'), 'package p // edited meanwhile\n');
  });

  it('exits 2 on unreadable input but still analyses the other files', () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'binary.go'), Buffer.from([0x70, 0x61, 0x00, 0xff, 0x00]));
    writeFileSync(join(bad, 'locked.go'), 'package bad\n');
    chmodSync(join(bad, 'locked.go'), 0o000);
    const r = waitguard(['--format', 'json', 'missing-dir', bad, 'examples/workers.go'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing-dir: no such file or directory/);
    assert.match(r.stderr, /binary\.go: binary file/);
    assert.ok(JSON.parse(r.stdout).findings.some((f: { file: string }) => f.file === 'examples/workers.go'), 'other files still analysed');
  });
});
