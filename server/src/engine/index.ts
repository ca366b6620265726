// The engine's public surface: drivers (LSP server, CLI, scan) import from here only.
export { FileAnalyzer, indexFile, MAX_FUNCTION_NESTING, mayHaveFindings, NestingTooDeep, type Finding, type FindingFix, type Located, type RuleErrorHandler } from './analyzer';
export { PackageIndex, parseGoVersion, type GoVersion } from './go/packageIndex';
export { RULES, ruleById } from './rules/registry';
export { SEVERITIES, type Rule, type Severity } from './rules/rule';
export { LineIndex } from './syntax/lines';
export { ChunkedText, flatText, occursIn, type FileText } from './syntax/fileText';
export { bracketsBalanced, functionNesting, declarationSkeleton, multiLineLiterals } from './syntax/lexical';
export { Edit, FileSkipped, GoParser, ParseTimeout, type Tree } from './syntax/parser';
export { applySettings, DEFAULT_SETTINGS, normaliseSettings, type RuleSetting, type Settings } from './settings';
export { ruleMarkdown, rulesMarkdown } from './docs';
export type { HoverResult } from './explain/hover';
export type { ExplainContext, Place } from './explain/markdown';
export { applyEdits, compatibleFixes, type OffsetEdit } from './edits';
export type { InlayHintInfo, InlayHintOptions } from './explain/inlayHints';
export type { CodeLensInfo, LensLocation } from './explain/codeLens';
