import { LineIndex } from '../syntax/lines';
import type { SourceText } from '../syntax/node';
import type { FileRule, RuleFinding } from './rule';

/**
 * `//waitguard:ignore rule-a,rule-b reason` (the reason is required), matched from the comment's
 * first slash (`///waitguard:ignore` too) and on one line.
 */
const DIRECTIVE = /\/\/[/ \t]*waitguard:ignore\b[ \t]*([^\r\n]*)/g;

export interface Directive {
  start: number;
  end: number;
  /** Zero-based line whose findings it silences: its own, or the next when it stands alone. */
  target: number;
  rules: string[];
  reason: string;
}

export function parseDirectives(text: string, lines: LineIndex): Directive[] {
  const found: Directive[] = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    const start = m.index ?? 0;
    const { line } = lines.position(start);
    const before = text.slice(lines.lineStart(line), start);
    if ((before.replace(/\\./g, '').match(/"/g)?.length ?? 0) % 2 === 1) continue; // inside a string literal
    const alone = before.trim() === '';
    // The directive ends where another comment starts on the same line.
    const [ids = '', ...reason] = m[1].split('//')[0].trim().split(/\s+/);
    found.push({ start, end: start + m[0].length, target: alone ? line + 1 : line, rules: ids.split(',').filter(Boolean), reason: reason.join(' ') });
  }
  return found;
}

/** A reason must say something: "TODO" is what the quick fix inserts for the user to replace. */
function hasReason(d: Directive): boolean {
  return d.reason !== '' && !/^TODO\b/i.test(d.reason);
}

export const ignoreDirective: FileRule = {
  id: 'ignore-directive',
  severity: 'warning',
  title: 'An ignore directive must name a rule, give a reason and silence something',
  docs: {
    what: '`//waitguard:ignore <rule-id>[,<rule-id>…] <reason>` silences the named rules on its own line, or on the next line when the comment stands alone. This rule reports directives without a reason, with unknown rule ids, or that silence nothing (the hazard was fixed, or the directive is on the wrong line).',
    why: 'A suppression is a claim that the code is safe. Without a reason nobody can review the claim, and a directive that silences nothing hides the next real finding on that line.',
    fix: 'Write why the code is safe after the rule id; remove directives that silence nothing (the quick fix does).',
    bad: `package p

import "os"

func closeAll(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		//waitguard:ignore defer-in-loop
		defer f.Close()
	}
}

func clean() {
	//waitguard:ignore defer-in-loop nothing to silence here
	println("ok")
}
`,
    good: `package p

import "os"

func closeAll(paths []string) {
	for _, p := range paths[:1] {
		f, _ := os.Open(p)
		//waitguard:ignore defer-in-loop the slice has one element: one file stays open
		defer f.Close()
	}
}
`,
  },
  triggers: /waitguard:ignore/,
  checkFile(file) {
    const lines = new LineIndex(file.text);
    const directives = parseDirectives(file.text, lines);
    const used = new Set<Directive>();
    const kept = file.findings.filter((f) => {
      const line = lines.position(f.start).line;
      const d = directives.find((x) => x.target === line && x.rules.includes(f.rule) && hasReason(x));
      if (d) used.add(d);
      return !d;
    });
    const source: SourceText = { text: file.text, base: 0, path: file.path };
    const findings: RuleFinding[] = [];
    for (const d of directives) {
      const span = { source, start: d.start, end: d.end };
      const unknown = d.rules.filter((id) => !file.knownRules.has(id));
      const removed = removal(file.text, lines, d, source);
      const remove = removed ? [{ title: 'Remove the ignore directive', edits: [{ span: removed, newText: '' }] }] : [];
      if (d.rules.length === 0) findings.push({ span, message: 'waitguard:ignore names no rule: write //waitguard:ignore <rule-id> <reason>' });
      else if (unknown.length > 0) findings.push({ span, message: `waitguard:ignore names unknown rule ${unknown.join(', ')}`, fixes: remove });
      else if (!hasReason(d)) findings.push({ span, message: `waitguard:ignore ${d.rules.join(',')} needs a reason: say why the code is safe` });
      else if (!used.has(d) && d.rules.every((id) => file.rulesRun.has(id)) && file.analysed(lines.lineStart(d.target))) {
        // Which line, not its number: a message must not go stale while the lines above it are edited.
        const where = d.target === lines.position(d.start).line ? 'its line' : 'the next line';
        findings.push({ span, message: `waitguard:ignore ${d.rules.join(',')} silences nothing on ${where}: remove it`, fixes: remove.map((fix) => ({ ...fix, preferred: true })) });
      }
    }
    return { kept, findings };
  },
};

/**
 * The directive's whole line when it stands alone, else the comment and the space before it.
 * None where a lone carriage return is involved: the editor shows a line break where Go reads
 * on (a comment runs to the line feed; code before it shares its line), so removing the line the
 * editor shows would leave the rest of Go's line as code, or join two statements.
 */
function removal(text: string, lines: LineIndex, d: Directive, source: SourceText) {
  const feed = text.indexOf('\n', d.start);
  if (text.slice(d.start, feed < 0 ? text.length : feed).replace(/\r$/, '').includes('\r')) return undefined;
  const { line } = lines.position(d.start);
  const lineStart = lines.lineStart(line);
  if (d.target === line + 1) return lineStart === 0 || text[lineStart - 1] === '\n' ? { source, start: lineStart, end: lines.lineStart(line + 1) } : undefined;
  let start = d.start;
  while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { source, start, end: d.end };
}
