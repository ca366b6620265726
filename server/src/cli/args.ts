import { ruleById } from '../engine';

export interface CliOptions {
  format: 'text' | 'json' | 'sarif';
  /** Worker threads; default: as many as cores (fewer for small inputs). */
  jobs?: number;
  includeGenerated: boolean;
  /** Per-file parse budget in milliseconds. */
  parseBudgetMs?: number;
  fix: boolean;
  help: boolean;
  rules: string[];
  disable: string[];
  paths: string[];
}

export class UsageError extends Error {}

export const USAGE = `usage: waitguard [--format text|json|sarif] [--fix] [--jobs N] [--rules a,b] [--disable a,b] [--include-generated]
                 [--parse-budget MS] [paths...]

Finds sync.WaitGroup and defer hazards in Go files. Paths are files or directories
(default "."; Go's ./... works too); directories are searched recursively, skipping
vendor, testdata, node_modules and hidden directories, and generated files
(a "// Code generated ... DO NOT EDIT." line).

  --format F            text (default: path:line:col: message (rule-id)), json, or
                        sarif (SARIF 2.1.0, for GitHub code scanning)
  --fix                 apply the preferred fix of every finding to the files first
  --jobs N              worker threads (default: one per 100 files up to the number of
                        cores; up to 100 files are analysed without workers)
  --rules a,b           run only these rules
  --disable a,b         run all rules but these
  --include-generated   analyse generated files too
  --parse-budget MS     skip (and report) a file whose parsing takes longer than
                        MS milliseconds (default 5000)
  -h, --help            show this help

Exit status: 0 no findings, 1 findings, 2 usage or I/O error.
`;

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { format: 'text', fix: false, help: false, includeGenerated: false, rules: [], disable: [], paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format "${v}" (want text, json or sarif)`);
        options.format = v;
        break;
      }
      case '--jobs': {
        const v = value();
        if (!/^[1-9]\d{0,2}$/.test(v)) throw new UsageError(`--jobs takes a number of worker threads from 1 to 999, not "${v}"`);
        options.jobs = Number(v);
        break;
      }
      case '--parse-budget': {
        const v = value();
        if (!/^[1-9]\d{0,6}$/.test(v)) throw new UsageError(`--parse-budget takes milliseconds from 1 to 9999999, not "${v}"`);
        options.parseBudgetMs = Number(v);
        break;
      }
      case '--include-generated':
        options.includeGenerated = true;
        break;
      case '--fix':
        options.fix = true;
        break;
      case '--rules':
        options.rules = ruleList(value());
        break;
      case '--disable':
        options.disable = ruleList(value());
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '--':
        options.paths.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown flag ${arg}`);
        options.paths.push(goPattern(arg));
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return options;
}

/** Go's `./...` and `dir/...` mean "this directory, recursively", which directories already are. */
function goPattern(path: string): string {
  return path === '...' ? '.' : path.replace(/\/\.\.\.$/, '') || '.';
}

function ruleList(value: string): string[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !ruleById(id));
  if (unknown.length > 0) throw new UsageError(`unknown rule ${unknown.join(', ')}`);
  return ids;
}
