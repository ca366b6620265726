import { RULES } from './rules/registry';
import type { Rule } from './rules/rule';

/** The markdown section documenting one rule: RULES.md, hovers and the docs command share it. */
export function ruleMarkdown(rule: Rule): string {
  const d = rule.docs;
  return [
    `## ${rule.id}`,
    '',
    `**${rule.title}** · default severity: \`${rule.severity}\`${d.goVersion ? ` · examples assume \`go ${d.goVersion}\` in go.mod` : ''}`,
    '',
    d.what,
    '',
    `**Why it matters.** ${d.why}`,
    '',
    `**How to fix.** ${d.fix}`,
    '',
    'Flagged:',
    '',
    '```go',
    d.bad.trimEnd(),
    '```',
    '',
    'Safe:',
    '',
    '```go',
    d.good.trimEnd(),
    '```',
    '',
  ].join('\n');
}

/** RULES.md: generated from the rules' own metadata; a test fails when the file is stale. */
export function rulesMarkdown(rules: readonly Rule[] = RULES): string {
  const index = rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.title} |`);
  return [
    '# WaitGuard rules',
    '',
    '<!-- Generated from server/src/engine/rules/*.ts by `UPDATE_DOCS=1 npm test`. Do not edit. -->',
    '',
    'Every rule can be set to `off`, `hint`, `info`, `warning` or `error` with the `waitguard.rules` setting,',
    'and silenced on one line with `//waitguard:ignore <rule-id> <reason>`.',
    '',
    '| rule | severity | finds |',
    '|---|---|---|',
    ...index,
    '',
    ...rules.map(ruleMarkdown),
  ].join('\n');
}
