import { detached, FORGET_AFTER_VERSIONS, uniqueBy } from './util';
import type { Tree } from 'web-tree-sitter';
import { extractFacts, topLevel, type TopLevelDecl } from './go/facts';
import { goroutinesIn, type Goroutine } from './go/goroutines';
import type { FuncDecl } from './go/facts';
import type { Lookup, PackageIndex } from './go/packageIndex';
import { Resolver } from './go/resolve';
import { explainAt, type HoverResult } from './explain/hover';
import { codeLensesIn, type CodeLensInfo } from './explain/codeLens';
import { inlayHintsIn, type InlayHintInfo, type InlayHintOptions } from './explain/inlayHints';
import type { ExplainContext } from './explain/markdown';
import { RULES } from './rules/registry';
import type { FileRule, Rule, RuleContext, RuleFinding, Severity, UnitRule } from './rules/rule';
import { functionNesting, multiLineLiterals } from './syntax/lexical';
import { lowerDeclaration, type GoNode, type SourceText, type Span } from './syntax/node';
import { FileSkipped } from './syntax/parser';
import { flatText, occursIn, type FileText } from './syntax/fileText';

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

/**
 * Declarations whose function bodies nest deeper than this are not analysed. Real Go stays far
 * below it (6 at most in the Go 1.19 standard library). Parsing deep nesting is fast, but the
 * analysis of nested goroutines walks each goroutine's body and grows faster than quadratically:
 * 100 levels with WaitGroup calls in each take about 1 s, 250 levels 7 s, 50,000 would take hours.
 */
export const MAX_FUNCTION_NESTING = 100;

/** A file refused because a declaration to analyse nests function bodies beyond MAX_FUNCTION_NESTING. */
export class NestingTooDeep extends FileSkipped {
  constructor(readonly depth: number) {
    super(`function bodies nested ${depth.toLocaleString('en')} levels deep, over the limit of ${MAX_FUNCTION_NESTING}`);
  }
}

/** Called when a rule throws: the other rules' findings are still reported. */
export type RuleErrorHandler = (rule: Rule, path: string, error: unknown) => void;

const UNIT_TYPES = new Set(['function_declaration', 'method_declaration', 'var_declaration']);

interface CachedUnit {
  /** The file's imports when checked. */
  imports: string;
  /** What the rules asked the package index (see PackageIndex.record), and which index. */
  lookups: Lookup[];
  index: PackageIndex;
  /** Other declarations of the file the rules read; the entry is stale once one of them changes. */
  reads: Set<SourceText>;
  findings: { rule: UnitRule; finding: RuleFinding }[];
}

/** The known declarations are swept (see prune) once there are this many more than twice the present ones. */
const PRUNE_SLACK = 8;

const KNOWN_RULES: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

/** Updates the package index with a file's top-level declarations: call before analysing it. */
export function indexFile(index: PackageIndex, path: string, text: FileText, tree: Tree): void {
  index.setFile(extractFacts(path, text, tree, index.facts(path)));
}

/**
 * Analyses one file, version after version. Declarations are lowered and checked once per
 * distinct text: an edit re-checks only the declarations it touched (and those that read them).
 */
export class FileAnalyzer {
  /** What is known of each declaration by its text: reused while unchanged, wherever it moves. */
  private readonly known = new Map<string, KnownUnit>();
  private readonly cache = new Map<GoNode, CachedUnit>();
  /** The same for the sources of lowered units (what cached findings record having read). */
  private readonly sourcePresent = new Map<SourceText, number>();
  private version = 0;
  private triggerPatterns: RegExp[] = [];
  /** Matches what any of them matches: most declarations fail it, one test instead of one per rule. */
  private anyTrigger = /(?!)/;

  constructor(
    readonly path: string,
    private readonly onRuleError: RuleErrorHandler = () => {},
    /** Keep findings per declaration for the next version (editors); a one-shot scan does not. */
    private readonly caching = true,
  ) {}

  /** Throws NestingTooDeep for a declaration nested beyond what can be analysed in reasonable time. */
  analyze(tree: Tree, text: FileText, index: PackageIndex, rules: readonly Rule[] = RULES): Finding[] {
    const { unitRules, fileRules, rulesRun } = partition(rules);
    const facts = index.facts(this.path);
    if (!facts || facts.text !== text) throw new Error(`index the current text of ${this.path} before analysing it`);
    const resolver = new Resolver(facts.imports, index);
    // Lowered units survive versions by text, wherever they move. This runs on every keystroke:
    // presence is stamped with the version (no per-version sets), absent units are pruned in bulk.
    const version = ++this.version;
    const entries = this.unitEntries(topLevel(tree, text), version);
    const patternList = unitRules.map((r) => (typeof r.triggers === 'function' ? r.triggers(index) : r.triggers));
    // Derived patterns are rebuilt whenever the package changes; only a different pattern invalidates.
    if (patternList.length !== this.triggerPatterns.length || patternList.some((p, i) => !samePattern(p, this.triggerPatterns[i]))) {
      this.triggerPatterns = patternList;
      this.anyTrigger = combined(patternList);
      for (const known of this.known.values()) known.triggered = undefined;
    }
    for (const entry of entries) {
      const unit = entry.known.unit;
      if (unit) {
        unit.source.base = entry.decl.start; // moved by edits above it
        this.sourcePresent.set(unit.source, version);
      }
    }
    if (this.known.size > 2 * entries.length + PRUNE_SLACK) this.prune();
    const lowered = (entry: UnitEntry): GoNode => {
      let unit = entry.known.unit;
      if (!unit) {
        unit = entry.known.unit = lowerDeclaration(entry.decl.node, text, this.path);
        this.sourcePresent.set(unit.source, version);
      }
      return unit;
    };
    let byStart: Map<number, UnitEntry> | undefined;
    // Where the tree has errors, Go may read a declaration tree-sitter parsed as part of a raw
    // string or comment whose opener it skipped: such a declaration is not analysed (nor is its
    // fix offered) until the file reads the same to both. Not cached by text: it depends on the rest.
    let treeBroken: boolean | undefined;
    const broken = () => (treeBroken ??= tree.rootNode.hasError);
    let literals: [number, number][] | undefined;
    const hidden = (decl: TopLevelDecl) => {
      literals ??= broken() ? multiLineLiterals(text) : [];
      return literals.some(([start, end]) => start < decl.start && decl.start < end);
    };
    const lowerAt = (start: number) => {
      const entry = (byStart ??= new Map(entries.map((e) => [e.decl.start, e]))).get(start);
      // A declaration with syntax errors is not read either: its findings would lie in the broken part.
      return entry && !entry.decl.hasError && !hidden(entry.decl) ? lowered(entry) : undefined;
    };
    const isPresent = (source: SourceText) => this.sourcePresent.get(source) === version;

    const results: { rule: UnitRule; finding: RuleFinding }[] = [];
    for (const entry of entries) {
      let triggered = entry.known.triggered;
      if (!triggered) {
        // A declaration with a syntax error is not checked: no false alarms while typing.
        triggered = entry.decl.hasError || !this.anyTrigger.test(entry.decl.text) ? [] : matchingRules(unitRules, patternList, entry.decl.text);
        if (triggered.length > 0) {
          const nesting = functionNesting(entry.decl.text);
          if (nesting > MAX_FUNCTION_NESTING) throw new NestingTooDeep(nesting);
        }
        entry.known.triggered = triggered;
      }
      // Most declarations match no rule: they are never lowered.
      if (triggered.length === 0 || hidden(entry.decl)) continue;
      const unit = lowered(entry);
      let cached = this.cache.get(unit);
      if (!cached || cached.index !== index || cached.imports !== resolver.imports.signature || !every(cached.reads, isPresent) || !index.stillValid(cached.lookups)) {
        cached = this.check(unit, triggered, { text, index, resolver, lowerAt });
        if (this.caching) this.cache.set(unit, cached);
      }
      for (const found of cached.findings) if (triggered.includes(found.rule)) results.push(found);
    }
    let findings = dedupe(results.map(({ rule, finding }) => toFinding(rule, finding)));
    // Declarations with syntax errors were not checked: a file rule's verdict there (a directive
    // that "silences nothing") would be a false alarm while typing.
    // Asked only for the declarations holding such findings: the error flag of every declaration
    // would cost a syntax node each, on every keystroke while the file is broken.
    const decls = topLevel(tree, text);
    const inBroken = (f: Finding) => decls.some((d) => f.start >= d.start && f.start < d.end && d.hasError);
    const analysed = (offset: number) => !broken() || decls.some((d) => UNIT_TYPES.has(d.type) && d.start <= offset && offset < d.end && !d.hasError && !hidden(d));
    for (const rule of fileRules) {
      if (!occursIn(rule.triggers, text)) continue;
      try {
        const checked = rule.checkFile({ path: this.path, text: flatText(text), findings, knownRules: KNOWN_RULES, rulesRun, analysed });
        findings = dedupe([...checked.kept, ...checked.findings.map((f) => toFinding(rule, f)).filter((f) => !inBroken(f))]);
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
  explain(offset: number, text: FileText, index: PackageIndex, explain: ExplainContext): HoverResult | undefined {
    const facts = index.facts(this.path);
    if (!facts || facts.text !== text) return undefined;
    const units = this.presentUnits();
    const unit = units.find((u) => u.source.base <= offset && offset < u.source.base + u.source.text.length);
    if (!unit) return undefined;
    const resolver = new Resolver(facts.imports, index);
    const lowerAt = (start: number) => units.find((u) => u.source.base === start);
    return explainAt(this.context(unit, { text, index, resolver, lowerAt }, new Set()), offset, explain);
  }

  /**
   * Inlay hints (defer run order, WaitGroup counts) whose position lies in [start, end], in the
   * version last analysed. Only the lowered units overlapping the range are read; units no rule
   * triggered on were never lowered and have nothing to hint (no `defer`, `go`, `Add` or `Wait`).
   */
  inlayHints(start: number, end: number, text: FileText, index: PackageIndex, explain: ExplainContext, options: InlayHintOptions): InlayHintInfo[] {
    return this.unitContexts(start, end, text, index).flatMap((ctx) => inlayHintsIn(ctx, start, end, explain, options));
  }

  /** Code lenses above the functions that start counted goroutines; `findings` (settings applied) replace a summary by the rule that fired. */
  codeLenses(text: FileText, index: PackageIndex, explain: ExplainContext, findings: readonly Finding[]): CodeLensInfo[] {
    return this.unitContexts(0, text.length, text, index).flatMap((ctx) => codeLensesIn(ctx, explain, findings));
  }

  /** Contexts for the lowered units of the current version that overlap [start, end], in file order. */
  private unitContexts(start: number, end: number, text: FileText, index: PackageIndex): RuleContext[] {
    const facts = index.facts(this.path);
    if (!facts || facts.text !== text) return [];
    const units = this.presentUnits();
    const resolver = new Resolver(facts.imports, index);
    const lowerAt = (at: number) => units.find((u) => u.source.base === at);
    return units
      .filter((u) => u.source.base <= end && start <= u.source.base + u.source.text.length)
      .sort((a, b) => a.source.base - b.source.base)
      .map((unit) => this.context(unit, { text, index, resolver, lowerAt }, new Set()));
  }

  private check(
    unit: GoNode,
    rules: readonly UnitRule[],
    file: UnitFile,
  ): CachedUnit {
    const reads = new Set<SourceText>();
    const ctx = this.context(unit, file, reads);
    const findings: CachedUnit['findings'] = [];
    const run = () => {
      for (const rule of rules) {
        try {
          for (const finding of rule.check(ctx)) findings.push({ rule, finding });
        } catch (error) {
          this.onRuleError(rule, this.path, error);
        }
      }
    };
    // Only a cache needs to know what the check asked the index.
    let lookups: Lookup[] = [];
    if (this.caching) lookups = file.index.record(run).lookups;
    else run();
    return { imports: file.resolver.imports.signature, lookups, index: file.index, reads, findings };
  }

  /** What rules and explanations see of a unit; declarations of this file it reads are added to `reads`. */
  private context(unit: GoNode, file: UnitFile, reads: Set<SourceText>): RuleContext {
    const declaration = (decl: FuncDecl) => {
      const node = file.index.declaration(decl, { path: this.path, lowered: file.lowerAt });
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
      declaration: (decl) => declaration(decl),
    };
  }

  /** Lowered units of the current version. */
  private presentUnits(): GoNode[] {
    const units: GoNode[] = [];
    for (const known of this.known.values()) if (known.present === this.version && known.unit) units.push(known.unit);
    return units;
  }

  /** Forgets units, trigger verdicts and cached findings of declarations gone from the file for a while. */
  private prune(): void {
    for (const [key, known] of this.known) {
      if (this.version - known.present <= FORGET_AFTER_VERSIONS) continue;
      this.known.delete(key);
      if (known.unit) {
        this.cache.delete(known.unit);
        this.sourcePresent.delete(known.unit.source);
      }
    }
  }

  /** The file's analysable top-level declarations, keyed by their text (a repeated text gets a counter), stamped present in `version`. */
  private unitEntries(decls: TopLevelDecl[], version: number): UnitEntry[] {
    const entries: UnitEntry[] = [];
    for (const decl of decls) {
      if (!UNIT_TYPES.has(decl.type)) continue;
      let key = decl.text;
      let known = this.known.get(key);
      for (let n = 1; known?.present === version; n++) known = this.known.get((key = `${n}\u0000${decl.text}`));
      // A slice of the document would keep that whole version of it alive as long as the key is remembered.
      if (!known) this.known.set(detached(key), (known = { present: version }));
      known.present = version;
      entries.push({ known, decl });
    }
    return entries;
  }
}

/** The file around a unit being checked or explained. */
interface UnitFile {
  text: FileText;
  index: PackageIndex;
  resolver: Resolver;
  lowerAt: (start: number) => GoNode | undefined;
}

/** What the analyzer remembers of one distinct declaration text. */
interface KnownUnit {
  /** The version it was last present in. */
  present: number;
  /** Which rules' triggers it matches (none when it has a syntax error), for the current trigger patterns. */
  triggered?: UnitRule[];
  /** Its lowered tree, once a rule needed it. */
  unit?: GoNode;
}

interface UnitEntry {
  known: KnownUnit;
  decl: TopLevelDecl;
}

function every<T>(items: Iterable<T>, test: (item: T) => boolean): boolean {
  for (const item of items) if (!test(item)) return false;
  return true;
}

/** The rules whose trigger (`patterns[i]` for `rules[i]`) matches `text`, testing each distinct pattern once. */
function matchingRules(rules: readonly UnitRule[], patterns: readonly RegExp[], text: string): UnitRule[] {
  const matched = new Map<RegExp, boolean>();
  return rules.filter((_, i) => {
    const pattern = patterns[i];
    let matches = matched.get(pattern);
    if (matches === undefined) matched.set(pattern, (matches = pattern.test(text)));
    return matches;
  });
}

interface RulePartition {
  unitRules: UnitRule[];
  fileRules: FileRule[];
  rulesRun: ReadonlySet<string>;
}

/** The last rule list partitioned: an editor analyses with the same list on every keystroke. */
let lastPartition: { rules: readonly Rule[]; partition: RulePartition } | undefined;

function partition(rules: readonly Rule[]): RulePartition {
  if (lastPartition?.rules !== rules) {
    const partition = {
      unitRules: rules.filter((r): r is UnitRule => 'check' in r),
      fileRules: rules.filter((r): r is FileRule => 'checkFile' in r),
      rulesRun: new Set(rules.map((r) => r.id)),
    };
    lastPartition = { rules, partition };
  }
  return lastPartition.partition;
}

/** One pattern matching what any of `patterns` matches (at least). */
function combined(patterns: readonly RegExp[]): RegExp {
  // Sources combine only without flags that change their meaning (`m` only affects ^ and $ of line-anchored ones).
  if (patterns.length === 0) return /(?!)/;
  return patterns.every((p) => /^m?$/.test(p.flags)) ? new RegExp([...new Set(patterns.map((p) => p.source))].join('|'), 'm') : /(?:)/;
}

/**
 * Whether analysing `text` with `rules` can find anything. When no rule's trigger occurs in the
 * text, the analysis finds nothing, whatever the syntax: a declaration is checked only for the
 * rules its text triggers, a file rule only when its own pattern occurs. A scan parses such a file
 * for the package index alone (its declaration skeleton). Patterns a rule derives from the package
 * need its index: without one they are left out, so "no" may become "yes" once it is indexed.
 */
export function mayHaveFindings(text: string, rules: readonly Rule[] = RULES, index?: PackageIndex): boolean {
  const { unitRules, fileRules } = partition(rules);
  const patterns = unitRules.flatMap((r) => (typeof r.triggers !== 'function' ? [r.triggers] : index ? [r.triggers(index)] : []));
  return combined([...patterns, ...fileRules.map((r) => r.triggers)]).test(text);
}

function samePattern(a: RegExp, b: RegExp): boolean {
  return a === b || (a.source === b.source && a.flags === b.flags);
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
  return uniqueBy(findings, (f) => `${f.rule}:${f.start}:${f.end}`).sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
}
