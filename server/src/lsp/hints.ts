// Inlay hints (defer run order, WaitGroup counts) and code lenses (counted goroutines) over the engine.
import {
  CodeLensRefreshRequest,
  MarkupKind,
  type ClientCapabilities,
  type CodeLens,
  type CodeLensParams,
  type Connection,
  type InlayHint,
  type InlayHintParams,
  type Location,
} from 'vscode-languageserver/node';
import { applySettings, type ExplainContext, type PackageIndex, type Settings } from '../engine';
import { fileLines, toRange } from './convert';
import type { GoDocument } from './documents';
import { fileUri } from './uris';

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
}

function explainContext(state: GoDocument): ExplainContext {
  return {
    lineOf: (node) => (node.source.path === state.path ? state.lines.position(node.source.base + node.start).line + 1 : 0),
    link: (line) => `[line ${line}](${state.uri}#L${line})`,
  };
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
  return state.analyzer.inlayHints(start, end, state.text, index, explainContext(state), options).map((h) => ({
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
  const findings = applySettings(state.findings, settings);
  const linesOf = (path: string) => fileLines(path, sources.openDocument, index);
  const uriOf = (path: string) => (path === state.path ? state.uri : (sources.openDocument(path)?.uri ?? fileUri(path)));
  return state.analyzer.codeLenses(state.text, index, explainContext(state), findings).map((lens) => {
    const range = toRange(state.lines, lens.start, lens.end);
    const locations: Location[] = [];
    for (const l of lens.locations) {
      const lines = linesOf(l.path);
      if (lines) locations.push({ uri: uriOf(l.path), range: toRange(lines, l.start, l.end) });
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
