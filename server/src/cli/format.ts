import { ruleMarkdown, RULES, type Severity } from '../engine';
import type { LocatedFinding, Range } from '../project/report';

const ONE = (r: Range) => ({ startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 });

/** `path:line:col: message (rule-id)`, as go vet prints. */
export function formatText(findings: readonly LocatedFinding[]): string {
  return findings.map((f) => `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.message} (${f.rule})\n`).join('');
}

export function formatJson(findings: readonly LocatedFinding[]): string {
  const out = findings.map((f) => {
    const r = ONE(f.range);
    return {
      file: f.path,
      line: r.startLine,
      column: r.startColumn,
      endLine: r.endLine,
      endColumn: r.endColumn,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      fixes: f.fixes.map((x) => ({ title: x.title })),
    };
  });
  return `${JSON.stringify({ version: 1, findings: out }, null, 2)}\n`;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0 for GitHub code scanning: rules with their docs, results with locations and fixes. */
export function formatSarif(findings: readonly LocatedFinding[], version: string, toUri: (path: string) => string): string {
  const rules = RULES.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs.what },
    help: { text: `${rule.docs.why}\n\n${rule.docs.fix}`, markdown: ruleMarkdown(rule) },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['concurrency', rule.id.startsWith('wg-') ? 'waitgroup' : 'defer'] },
  }));
  const location = (path: string, range: Range, message?: string) => ({
    physicalLocation: { artifactLocation: { uri: toUri(path), uriBaseId: '%SRCROOT%' }, region: ONE(range) },
    ...(message ? { message: { text: message } } : {}),
  });
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: RULES.findIndex((r) => r.id === f.rule),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location(f.path, f.range)],
    relatedLocations: f.related.flatMap((r, i) => (f.relatedRanges[i] ? [{ id: i + 1, ...location(r.path, f.relatedRanges[i]!, r.message) }] : [])),
    fixes: f.fixes
      .filter((_, i) => f.editRanges[i].every(Boolean))
      .map((fix) => {
        const ranges = f.editRanges[f.fixes.indexOf(fix)];
        const byFile = new Map<string, { deletedRegion: ReturnType<typeof ONE>; insertedContent: { text: string } }[]>();
        fix.edits.forEach((e, i) => byFile.set(e.path, [...(byFile.get(e.path) ?? []), { deletedRegion: ONE(ranges[i]!), insertedContent: { text: e.newText } }]));
        return {
          description: { text: fix.title },
          artifactChanges: [...byFile].map(([path, replacements]) => ({ artifactLocation: { uri: toUri(path), uriBaseId: '%SRCROOT%' }, replacements })),
        };
      }),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'WaitGuard', version, rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
