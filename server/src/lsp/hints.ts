// Hover explanations, inlay hints (defer run order, WaitGroup counts) and code lenses (counted goroutines) over the engine.
import {
  CodeLensRefreshRequest,
  MarkupKind,
  type ClientCapabilities,
  type CodeLens,
  type CodeLensParams,
  type Connection,
  type Hover,
  type HoverParams,
  type InlayHint,
  type InlayHintParams,
  type Location,
} from 'vscode-languageserver/node';
import { basename } from 'node:path';
import { applySettings, ruleById, type ExplainContext, type Finding, type LineIndex, type PackageIndex, type Settings } from '../engine';
import { fileLines, packageFileUri, toRange } from './convert';
import type { GoDocument } from './documents';

/**
 * Runs on the client (VS Code's extension registers it): converts the JSON arguments and runs
 * `editor.action.showReferences` to peek the locations. Arguments: document URI, lens position, locations.
 */
export const SHOW_LOCATIONS_COMMAND = 'waitguard.showLocations';

/** What the handlers need from the server. */
export interface HintSources {
  /** The document analysed up to its current version. */
  current(uri: string): Promise<GoDocument | undefined>;
  settingsFor(uri: string): Promise<Settings>;
  indexFor(path: string): Promise<PackageIndex>;
  /** An open document of the package, for locations in other files. */
  openDocument(path: string): GoDocument | undefined;
  /** Where a rule's documentation is. */
  docsUri(ruleId: string): string;
}

/** Where nodes are: in the document, or in another file of its package (an open document's lines, else its indexed text's). */
function explainContext(state: GoDocument, sources: HintSources, index: PackageIndex): ExplainContext {
  const linesOf = new Map<string, LineIndex | undefined>();
  return state.explainContext((path, offset) => {
    if (!linesOf.has(path)) linesOf.set(path, fileLines(path, sources.openDocument, index));
    const lines = linesOf.get(path);
    return { line: (lines?.position(offset).line ?? 0) + 1, file: basename(path), uri: packageFileUri(path, sources.openDocument) };
  });
}

/** textDocument/hover: the findings under the cursor, then the explanation of the code there. */
export async function hover(sources: HintSources, params: HoverParams): Promise<Hover | null> {
  const state = await sources.current(params.textDocument.uri);
  if (!state) return null;
  const offset = state.lines.offset(params.position);
  const settings = await sources.settingsFor(state.uri);
  if (!settings.enable) return null;
  const index = await sources.indexFor(state.path);
  const explained = state.explain(offset, index, explainContext(state, sources, index));
  const flagged = applySettings(state.findings, settings).filter((f) => f.start <= offset && offset <= f.end);
  const sections = flagged.map((f) => findingHover(f, sources.docsUri));
  if (explained) sections.push(explained.markdown);
  if (sections.length === 0) return null;
  const [start, end] = explained ? [explained.start, explained.end] : [flagged[0].start, flagged[0].end];
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: toRange(state.lines, start, end) };
}

/** The hover section for a finding under the cursor: the rule, why it matters, where its docs are. */
function findingHover(finding: Finding, docsUri: (ruleId: string) => string): string {
  const rule = ruleById(finding.rule);
  return rule ? `**${rule.title}** · \`${rule.id}\`\n\n${rule.docs.why}\n\n[Documentation of ${rule.id}](${docsUri(rule.id)})` : finding.message;
}

/** textDocument/inlayHint: the hints whose position lies in the requested range. */
export async function inlayHints(sources: HintSources, params: InlayHintParams): Promise<InlayHint[]> {
  const state = await sources.current(params.textDocument.uri);
  if (!state) return [];
  const settings = await sources.settingsFor(state.uri);
  const options = settings.inlayHints;
  if (!settings.enable || (!options.deferOrder && !options.waitGroup)) return [];
  const index = await sources.indexFor(state.path);
  const start = state.lines.offset(params.range.start);
  const end = state.lines.offset(params.range.end);
  return state.inlayHints(start, end, index, explainContext(state, sources, index), options).map((h) => ({
    position: state.lines.position(h.offset),
    label: h.label,
    paddingLeft: true,
    ...(h.tooltip ? { tooltip: { kind: MarkupKind.Markdown, value: h.tooltip } } : {}),
  }));
}

/** textDocument/codeLens: above each function that starts counted goroutines; a click peeks the related lines. */
export async function codeLenses(sources: HintSources, params: CodeLensParams): Promise<CodeLens[]> {
  const state = await sources.current(params.textDocument.uri);
  if (!state) return [];
  const settings = await sources.settingsFor(state.uri);
  if (!settings.enable) return [];
  const index = await sources.indexFor(state.path);
  const linesOf = (path: string) => fileLines(path, sources.openDocument, index);
  return state.codeLenses(index, explainContext(state, sources, index), settings).map((lens) => {
    const range = toRange(state.lines, lens.start, lens.end);
    const locations: Location[] = [];
    for (const l of lens.locations) {
      const lines = linesOf(l.path);
      if (lines) locations.push({ uri: packageFileUri(l.path, sources.openDocument), range: toRange(lines, l.start, l.end) });
    }
    return { range, command: { title: lens.title, command: SHOW_LOCATIONS_COMMAND, arguments: [state.uri, range.start, locations] } };
  });
}

/** Asks the client to re-request hints and lenses (settings changed), where it supports that. */
export function hintRefresher(connection: Connection, capabilities: ClientCapabilities): () => void {
  const hints = !!capabilities.workspace?.inlayHint?.refreshSupport;
  const lenses = !!capabilities.workspace?.codeLens?.refreshSupport;
  const failed = (what: string) => (error: unknown) => connection.console.log(`could not ask the client to refresh ${what}s: ${String(error)}`);
  return () => {
    if (hints) connection.languages.inlayHint.refresh().catch(failed('inlay hint'));
    if (lenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(failed('code lens'));
  };
}
