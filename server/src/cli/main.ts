import { GoParser, LineIndex, RULES, type Finding } from '../engine';
import { collectGoFiles, type WalkProblem } from '../project/files';
import { analyzeFiles, type FileResult } from '../project/batch';
import { fixFiles } from '../project/fix';
import { parseArgs, USAGE, UsageError, type CliOptions } from './args';

/** Exit codes, as `go vet`-style tools use them. */
const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;

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
  const parser = await GoParser.create(__dirname);
  const rules = RULES.filter((r) => options.rules.includes(r.id) || (options.rules.length === 0 && !options.disable.includes(r.id)));
  const onRuleError = (rule: { id: string }, path: string, error: unknown) =>
    problems.push({ path, message: `rule ${rule.id} failed: ${error instanceof Error ? error.message : String(error)}` });

  if (options.fix) {
    const report = await fixFiles(files, parser, { rules, onRuleError });
    for (const p of report.problems) problems.push(p);
    for (const f of report.fixed) process.stderr.write(`fixed ${f.path} (${f.applied} fix${f.applied === 1 ? '' : 'es'})\n`);
  }

  const results: FileResult[] = [];
  for await (const result of analyzeFiles(files, parser, { rules, onRuleError })) {
    if (result.skipped) problems.push({ path: result.path, message: result.skipped });
    results.push(result);
  }
  const findings = results.flatMap((r) => r.findings.map((f) => ({ finding: f, lines: new LineIndex(r.text ?? '') })));
  process.stdout.write(options.format === 'json' ? formatJson(findings) : formatText(findings));
  for (const p of problems) process.stderr.write(`waitguard: ${p.path}: ${p.message}\n`);
  if (problems.length > 0) return EXIT_ERROR;
  return findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

interface Located {
  finding: Finding;
  lines: LineIndex;
}

function oneBased(lines: LineIndex, offset: number): { line: number; column: number } {
  const p = lines.position(offset);
  return { line: p.line + 1, column: p.character + 1 };
}

function formatText(findings: Located[]): string {
  return findings
    .map(({ finding: f, lines }) => {
      const { line, column } = oneBased(lines, f.start);
      return `${f.path}:${line}:${column}: ${f.message} (${f.rule})\n`;
    })
    .join('');
}

function formatJson(findings: Located[]): string {
  const out = findings.map(({ finding: f, lines }) => {
    const start = oneBased(lines, f.start);
    const end = oneBased(lines, f.end);
    return {
      file: f.path,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      fixes: f.fixes.map((x) => ({ title: x.title })),
    };
  });
  return `${JSON.stringify({ version: 1, findings: out }, null, 2)}\n`;
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
