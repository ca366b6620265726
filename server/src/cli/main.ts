import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { GoParser, RULES } from '../engine';
import { collectGoFiles, type WalkProblem } from '../project/files';
import { fixFiles } from '../project/fix';
import type { LocatedFinding } from '../project/report';
import { scanFiles } from '../project/scan';
import { parseArgs, USAGE, UsageError, type CliOptions } from './args';
import { formatJson, formatSarif, formatText } from './format';

/** Exit codes, as `go vet`-style tools use them. */
const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;
const VERSION = '0.1.0';
/**
 * Files a worker must have to pay for itself: starting one and warming it up costs about 0.4 s,
 * which a hundred files (about a second of analysis) repay; fewer are analysed in this thread.
 */
const FILES_PER_WORKER = 100;

async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`waitguard: ${error.message}\n${USAGE}`);
      return EXIT_ERROR;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return EXIT_CLEAN;
  }
  const problems: WalkProblem[] = [];
  const files: string[] = [];
  for (const root of options.paths) files.push(...(await collectGoFiles(root, problems)));
  const rules = RULES.filter((r) => options.rules.includes(r.id) || (options.rules.length === 0 && !options.disable.includes(r.id)));
  let parser: Promise<GoParser> | undefined;
  const inlineParser = () => (parser ??= GoParser.create(__dirname, { budgetMs: options.parseBudgetMs }));

  if (options.fix) {
    const report = await fixFiles(files, await inlineParser(), {
      rules,
      includeGenerated: options.includeGenerated,
      onRuleError: (rule, path, error) => problems.push({ path, message: `rule ${rule.id} failed: ${error instanceof Error ? error.message : String(error)}` }),
    });
    problems.push(...report.problems);
    for (const f of report.fixed) process.stderr.write(`fixed ${f.path} (${f.applied} fix${f.applied === 1 ? '' : 'es'})\n`);
  }

  const summary = await scanFiles(files, inlineParser, {
    jobs: options.jobs ?? Math.min(availableParallelism(), Math.max(1, Math.ceil(files.length / FILES_PER_WORKER))),
    workerScript: join(__dirname, 'worker.js'),
    rules: rules.map((r) => r.id),
    includeGenerated: options.includeGenerated,
    parseBudgetMs: options.parseBudgetMs,
  });
  const findings: LocatedFinding[] = [];
  for (const report of summary.reports) {
    findings.push(...report.findings);
    if (report.skipped && !report.generated) problems.push({ path: report.path, message: report.skipped });
    for (const error of report.errors ?? []) problems.push({ path: report.path, message: error });
  }
  const out =
    options.format === 'json'
      ? formatJson(findings)
      : options.format === 'sarif'
        ? formatSarif(findings, VERSION, (path) => relative(process.cwd(), path).split(sep).join('/'))
        : formatText(findings);
  process.stdout.write(out);
  for (const p of problems) process.stderr.write(`waitguard: ${p.path}: ${p.message}\n`);
  if (problems.length > 0) return EXIT_ERROR;
  return findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`waitguard: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
