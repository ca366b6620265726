// Extension-host test entry (the @vscode/test-electron `run()` contract): VS Code loads this
// file in the extension host and awaits run(). Used by npm run test:vscode through
// @vscode/test-electron or through code-server (test/e2e/run-vscode-tests.ts).
// Results go to the console and, line by line, to $WAITGUARD_VSCODE_TEST_REPORT when set
// (the extension host's console reaches a browser page with its %s placeholders uninterpolated).
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

function report(line: string): void {
  console.log(line);
  const file = process.env.WAITGUARD_VSCODE_TEST_REPORT;
  if (file) appendFileSync(file, `${line}\n`);
}

/** A reporter that writes plain lines (mocha's own use console placeholders). */
class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.on('suite', (s) => void (s.title && report(`suite: ${s.fullTitle()}`)));
    runner.on('pass', (t) => report(`  ok   ${t.title} (${t.duration ?? 0} ms)`));
    runner.on('fail', (t, err: Error) => report(`  FAIL ${t.title}\n${err.stack ?? err.message}`));
    runner.on('end', () => report(`passed ${this.stats.passes}, failed ${this.stats.failures}`));
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 90_000, color: false, reporter: LineReporter });
  for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
