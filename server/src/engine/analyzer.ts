import type { Node as TSNode, Tree } from 'web-tree-sitter';
import { extractFacts, topLevel } from './go/facts';
import { goroutinesIn, type Goroutine } from './go/goroutines';
import type { FuncDecl } from './go/facts';
import type { PackageIndex } from './go/packageIndex';
import { Resolver } from './go/resolve';
import { explainAt, type HoverResult } from './explain/hover';
import type { ExplainContext } from './explain/markdown';
import { RULES } from './rules/registry';
import type { FileRule, Rule, RuleContext, RuleFinding, Severity, UnitRule } from './rules/rule';
import { lowerDeclaration, type GoNode, type SourceText, type Span } from './syntax/node';

/** A finding in file offsets (UTF-16 code units), ready for a driver to print or publish. */
export interface Finding {
  rule: string;
  severity: Severity;
  path: string;
  start: number;
  end: number;
  message: string;
  related: Located[];
  fixes: FindingFix[];
}

export interface Located {
  path: string;
  start: number;
  end: number;
  message: string;
}

export interface FindingFix {
  title: string;
  preferred: boolean;
  edits: { path: string; start: number; end: number; newText: string }[];
}

/** Called when a rule throws: the other rules' findings are still reported. */
export type RuleErrorHandler = (rule: Rule, path: string, error: unknown) => void;

const UNIT_TYPES = new Set(['function_declaration', 'method_declaration', 'var_declaration']);

interface CachedUnit {
  context: string;
  /** Other declarations of the file the rules read; the entry is stale once one of them changes. */
  reads: Set<SourceText>;
  findings: { rule: UnitRule; finding: RuleFinding }[];
}

const KNOWN_RULES: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

/** Updates the package index with a file's top-level declarations: call before analysing it. */
export function indexFile(index: PackageIndex, path: string, text: string, tree: Tree): void {
  index.setFile(extractFacts(path, text, tree));
}

/**
 * Analyses one file, version after version. Declarations are lowered and checked once per
 * distinct text: an edit re-checks only the declarations it touched (and those that read them).
 */
export class FileAnalyzer {
  private units = new Map<string, GoNode>();
  private cache = new Map<GoNode, CachedUnit>();

  constructor(
    readonly path: string,
    private readonly onRuleError: RuleErrorHandler = () => {},
  ) {}

  analyze(tree: Tree, text: string, index: PackageIndex, rules: readonly Rule[] = RULES): Finding[] {
    const unitRules = rules.filter((r): r is UnitRule => 'triggers' in r);
    const fileRules = rules.filter((r): r is FileRule => 'checkFile' in r);
    const facts = index.facts(this.path);
    if (!facts || facts.text !== text) throw new Error(`index the current text of ${this.path} before analysing it`);
    const resolver = new Resolver(facts.imports, index);
    const context = index.signatureFor(this.path);
    const units = this.lowerUnits(topLevel(tree), text);
    const byStart = new Map<number, GoNode>();
    for (const unit of units.values()) byStart.set(unit.source.base, unit);
    const live = new Set([...units.values()].map((u) => u.source));

    const results: { rule: UnitRule; finding: RuleFinding }[] = [];
    for (const [unit, tsNode] of this.unitsWithNodes(units, topLevel(tree))) {
      const triggered = unitRules.filter((r) => r.triggers.test(unit.source.text));
      if (triggered.length === 0 || tsNode.hasError) continue;
      let cached = this.cache.get(unit);
      if (!cached || cached.context !== context || [...cached.reads].some((s) => !live.has(s))) {
        cached = this.check(unit, triggered, { text, index, resolver, context, byStart });
        this.cache.set(unit, cached);
      }
      results.push(...cached.findings.filter((f) => triggered.includes(f.rule)));
    }
    for (const unit of this.cache.keys()) if (!live.has(unit.source)) this.cache.delete(unit);
    let findings = dedupe(results.map(({ rule, finding }) => toFinding(rule, finding)));
    const rulesRun = new Set(rules.map((r) => r.id));
    for (const rule of fileRules) {
      try {
        const checked = rule.checkFile({ path: this.path, text, findings, knownRules: KNOWN_RULES, rulesRun });
        findings = dedupe([...checked.kept, ...checked.findings.map((f) => toFinding(rule, f))]);
      } catch (error) {
        this.onRuleError(rule, this.path, error);
      }
    }
    return findings;
  }

  /**
   * Explains the code at `offset` (defer order, WaitGroup accounting, goroutines) in the version
   * last analysed; `explain` turns nodes into line numbers and links.
   */
  explain(offset: number, text: string, index: PackageIndex, explain: ExplainContext): HoverResult | undefined {
    const facts = index.facts(this.path);
    if (!facts || facts.text !== text) return undefined;
    const unit = [...this.units.values()].find((u) => u.source.base <= offset && offset < u.source.base + u.source.text.length);
    if (!unit) return undefined;
    const byStart = new Map([...this.units.values()].map((u) => [u.source.base, u]));
    const resolver = new Resolver(facts.imports, index);
    return explainAt(this.context(unit, { text, index, resolver, byStart }, new Set()), offset, explain);
  }

  private check(
    unit: GoNode,
    rules: readonly UnitRule[],
    file: { text: string; index: PackageIndex; resolver: Resolver; context: string; byStart: Map<number, GoNode> },
  ): CachedUnit {
    const reads = new Set<SourceText>();
    const ctx = this.context(unit, file, reads);
    const findings: CachedUnit['findings'] = [];
    for (const rule of rules) {
      try {
        for (const finding of rule.check(ctx)) findings.push({ rule, finding });
      } catch (error) {
        this.onRuleError(rule, this.path, error);
      }
    }
    return { context: file.context, reads, findings };
  }

  /** What rules and explanations see of a unit; declarations of this file it reads are added to `reads`. */
  private context(unit: GoNode, file: { text: string; index: PackageIndex; resolver: Resolver; byStart: Map<number, GoNode> }, reads: Set<SourceText>): RuleContext {
    const declaration = (decl: FuncDecl) => {
      const node = file.index.declaration(decl, { path: this.path, lowered: (start) => file.byStart.get(start) });
      if (!node) return undefined;
      if (node.source.path === this.path) reads.add(node.source);
      const facts = file.index.facts(node.source.path);
      return { node, resolver: node.source.path === this.path || !facts ? file.resolver : new Resolver(facts.imports, file.index) };
    };
    let goroutines: Goroutine[] | undefined;
    return {
      path: this.path,
      text: file.text,
      unit,
      imports: file.resolver.imports,
      index: file.index,
      resolver: file.resolver,
      goroutines: () => (goroutines ??= goroutinesIn(unit, { resolver: file.resolver, declaration })),
    };
  }

  /** Lowered declarations of the file, reusing those whose text is unchanged (moved to their new place). */
  private lowerUnits(nodes: TSNode[], text: string): Map<string, GoNode> {
    const next = new Map<string, GoNode>();
    const seen = new Map<string, number>();
    for (const node of nodes) {
      if (!UNIT_TYPES.has(node.type)) continue;
      const unitText = text.slice(node.startIndex, node.endIndex);
      const n = seen.get(unitText) ?? 0;
      seen.set(unitText, n + 1);
      const key = n === 0 ? unitText : `${n}\u0000${unitText}`;
      let unit = this.units.get(key);
      if (unit) unit.source.base = node.startIndex;
      else unit = lowerDeclaration(node, text, this.path);
      next.set(key, unit);
    }
    this.units = next;
    return next;
  }

  private *unitsWithNodes(units: Map<string, GoNode>, nodes: TSNode[]): Generator<[GoNode, TSNode]> {
    const byStart = new Map(nodes.map((n) => [n.startIndex, n]));
    for (const unit of units.values()) {
      const node = byStart.get(unit.source.base);
      if (node) yield [unit, node];
    }
  }
}

function absolute(span: Span): { path: string; start: number; end: number } {
  return { path: span.source.path, start: span.source.base + span.start, end: span.source.base + span.end };
}

function toFinding(rule: Rule, f: RuleFinding): Finding {
  const at = absolute(f.span);
  return {
    rule: rule.id,
    severity: f.severity ?? rule.severity,
    ...at,
    message: f.message,
    related: (f.related ?? []).map((r) => ({ ...absolute(r.span), message: r.message })),
    fixes: (f.fixes ?? []).map((fix) => ({
      title: fix.title,
      preferred: !!fix.preferred,
      edits: fix.edits.map((e) => ({ ...absolute(e.span), newText: e.newText })),
    })),
  };
}

/** One finding per rule and range (a body launched twice is reported once), in file order. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const key = `${f.rule}:${f.start}:${f.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
}
