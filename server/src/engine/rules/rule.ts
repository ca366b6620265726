import type { FuncDecl } from '../go/facts';
import type { FileImports } from '../go/imports';
import type { Goroutine } from '../go/goroutines';
import type { PackageIndex } from '../go/packageIndex';
import type { Resolver } from '../go/resolve';
import type { Finding } from '../analyzer';
import type { GoNode, Span } from '../syntax/node';
import type { FileText } from '../syntax/fileText';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** A replacement of the text at `span` (which may lie in another file of the package). */
export interface RuleEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  /** Imperative, naming the code as written: "Move wg.Add(1) before the go statement". */
  title: string;
  edits: RuleEdit[];
  /** The safest fix for the finding: applied by fix-all and `--fix`. */
  preferred?: boolean;
}

export interface RelatedLocation {
  span: Span;
  message: string;
}

/** What a rule reports, at spans of lowered nodes (the analyser turns them into file offsets). */
export interface RuleFinding {
  span: Span;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** A severity other than the rule's default for this finding (still overridable by settings). */
  severity?: Severity;
}

export interface RuleDocs {
  /** What the rule finds, one paragraph of markdown. */
  what: string;
  /** Why it matters at run time. */
  why: string;
  /** How to fix it, and what the quick-fix does. */
  fix: string;
  /** A complete Go file the rule flags. */
  bad: string;
  /** The same code written safely: the rule stays silent on it. */
  good: string;
  /** The go.mod version the examples assume, for version-gated rules (`1.25`). */
  goVersion?: string;
}

/** What a rule sees while checking one top-level declaration of a file. */
export interface RuleContext {
  readonly path: string;
  readonly text: FileText;
  /** The top-level declaration being checked (function, method, or var with function literals). */
  readonly unit: GoNode;
  readonly imports: FileImports;
  readonly index: PackageIndex;
  readonly resolver: Resolver;
  /** Goroutines launched anywhere in the unit, with their bodies (computed once per unit). */
  goroutines(): Goroutine[];
  /**
   * The lowered declaration of a package function or method, with the resolver for its file; the
   * unit's findings are re-checked when it changes (fixes that edit call sites need this).
   */
  declaration(decl: FuncDecl): { node: GoNode; resolver: Resolver } | undefined;
}

interface RuleInfo {
  /** Stable kebab-case id: settings, suppressions and CI configurations refer to it. */
  id: string;
  severity: Severity;
  title: string;
  docs: RuleDocs;
}

/**
 * Where a statement can begin: a line start, or after `{`, `;`, `:` (case, label) or a block
 * comment. A keyword matched only there skips the many `go` and `defer` words of comments and
 * strings (a `\bgo\s` trigger matched five times the code that has go statements in the Go
 * standard library).
 */
const STATEMENT_START = String.raw`(?:^|[{;:]|\*/)[ \t]*`;
/** A `go` statement. */
export const GO_STATEMENT = new RegExp(`${STATEMENT_START}go\\s`, 'm');
/** A `go` statement or a `WaitGroup.Go` call. */
export const GOROUTINE_START = new RegExp(`${STATEMENT_START}go\\s|\\.Go\\s*\\(`, 'm');
/** A `defer` statement. */
export const DEFER_STATEMENT = new RegExp(`${STATEMENT_START}defer\\s`, 'm');

/** A rule checked on each top-level declaration (function, method, var) of a file. */
export interface UnitRule extends RuleInfo {
  /**
   * A unit whose text does not match is skipped without being analysed (most units match no
   * rule and are never lowered). A function derives the pattern from the package's declarations.
   */
  triggers: RegExp | ((index: PackageIndex) => RegExp);
  check(ctx: RuleContext): RuleFinding[];
  checkFile?: never;
}

/** What a file-level rule sees: the whole text and the other rules' findings. */
export interface FileCheckContext {
  path: string;
  text: string;
  findings: Finding[];
  knownRules: ReadonlySet<string>;
  rulesRun: ReadonlySet<string>;
  /** Whether the rules read the code at an offset: not where syntax errors kept them out. */
  analysed(offset: number): boolean;
}

/** A rule that runs once per file after the unit rules and may withhold their findings (suppression). */
export interface FileRule extends RuleInfo {
  /**
   * A file whose text does not match has nothing for the rule: it is not called, and the findings
   * stay as they are. Tested line by line on a document being edited: it must not span lines.
   */
  triggers: RegExp;
  checkFile(file: FileCheckContext): { kept: Finding[]; findings: RuleFinding[] };
  check?: never;
}

export type Rule = UnitRule | FileRule;
