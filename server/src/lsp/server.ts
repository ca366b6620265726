import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  FileChangeType,
  type CodeAction,
  type TextEdit,
  type WorkspaceEdit,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applySettings, compatibleFixes, DEFAULT_SETTINGS, FileSkipped, GoParser, normaliseSettings, occursIn, ruleMarkdown, RULES, type LineIndex, type Settings } from '../engine';
import { forgetGoVersions } from '../project/files';
import { fileLines, packageFileUri, toDiagnostic, toRange, SOURCE } from './convert';
import { createDocuments, GoDocument } from './documents';
import { codeLenses, hintRefresher, hover, inlayHints, type HintSources } from './hints';
import { Packages } from './packages';
import { uriToPath } from './uris';
import { WorkspaceScan, workspaceFolderPaths, type ScanRequest } from './workspaceScan';

/** The fix-all kind, so that `editor.codeActionsOnSave: { "source.fixAll.waitguard": "explicit" }` works. */
const FIX_ALL = `${CodeActionKind.SourceFixAll}.waitguard`;

/** Scans every Go file of the workspace (the client's "WaitGuard: Scan Workspace"). */
const SCAN_COMMAND = 'waitguard.server.scanWorkspace';

/** Changes closer together than this are a burst, analysed once it ends. */
const BURST_GAP_MS = 3;

/** How long after a change a workspace scan waits before it starts another package. */
const TYPING_PAUSE_MS = 300;

/** How long sibling documents wait after an edit before they are re-checked against it. */
const SIBLING_DELAY_MS = 300;

/** The documentation of a rule: its section of RULES.md, shipped next to the bundles. */
export type DocsUri = (ruleId: string) => string;

export function startServer(connection: Connection, wasmDir: string, options: { parseBudgetMs?: number } = {}): void {
  const rulesDoc = pathToFileURL(join(wasmDir, '..', 'RULES.md')).toString();
  const docsUri: DocsUri = (id) => `${rulesDoc}#${id}`;
  const byUri = new Map<string, GoDocument>();
  let parser: GoParser;
  let packages: Packages;
  let pullConfiguration = false;
  const settingsCache = new Map<string, Promise<Settings>>();
  let pushedSettings: Settings = DEFAULT_SETTINGS;
  let folders: string[] = [];
  let folderEvents = false;
  let scan: WorkspaceScan;
  let refreshHints = () => {};
  const log = (message: string) => connection.console.log(message);
  const onRuleError = (rule: { id: string }, path: string, error: unknown) =>
    connection.console.error(`rule ${rule.id} failed on ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);

  const documents = createDocuments((uri, version, content) => new GoDocument(uri, version, content, onRuleError), byUri);

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    parser = await GoParser.create(wasmDir, { budgetMs: options.parseBudgetMs });
    packages = new Packages(parser, log);
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    pushedSettings = normaliseSettings((params.initializationOptions as { waitguard?: unknown } | undefined)?.waitguard ?? params.initializationOptions);
    folders = workspaceFolderPaths(params.workspaceFolders, params.rootUri);
    folderEvents = !!params.capabilities.workspace?.workspaceFolders;
    scan = new WorkspaceScan(connection, wasmDir, {
      parser: () => Promise.resolve(parser),
      folders: () => folders,
      settingsFor,
      isOpen: (path) => !!byUriPath(path),
      openTexts,
      docsUri,
      typing: () => Math.max(0, lastChangeAt + TYPING_PAUSE_MS - performance.now()),
    });
    refreshHints = hintRefresher(connection, params.capabilities);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL] },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [SCAN_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'waitguard-lsp', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(workspaceFolderPaths(e.removed, null));
        folders = [...folders.filter((f) => !removed.has(f)), ...workspaceFolderPaths(e.added, null)];
      });
    }
    if (pullConfiguration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'waitguard' }).catch((error: unknown) => log(`configuration changes will not be seen: ${String(error)}`));
    }
  });

  connection.onDidChangeConfiguration((params) => {
    // Clients that cannot answer workspace/configuration push the settings instead.
    if (!pullConfiguration) pushedSettings = normaliseSettings((params.settings as { waitguard?: unknown } | null)?.waitguard);
    settingsCache.clear();
    refreshHints();
    for (const state of byUri.values()) void publish(state);
    void scan.republish();
  });

  function settingsFor(uri: string): Promise<Settings> {
    if (!pullConfiguration) return Promise.resolve(pushedSettings);
    let settings = settingsCache.get(uri);
    if (!settings) {
      settings = connection.workspace.getConfiguration({ scopeUri: uri, section: 'waitguard' }).then(normaliseSettings, () => DEFAULT_SETTINGS);
      settingsCache.set(uri, settings);
    }
    return settings;
  }

  // Analysis runs in a macrotask after the notification that changed a document. Changes that
  // arrive closer together than BURST_GAP_MS (a tool, a replayed macro: not a typist) wait for
  // the burst to end, so that its intermediate versions are never analysed, let alone published.
  const dirty = new Set<GoDocument>();
  let immediate: NodeJS.Immediate | undefined;
  let burstTimer: NodeJS.Timeout | undefined;
  let lastChangeAt = -Infinity;
  function flush(): void {
    clearImmediate(immediate);
    clearTimeout(burstTimer);
    immediate = burstTimer = undefined;
    const batch = [...dirty];
    dirty.clear();
    for (const s of batch) void analyse(s);
  }
  function schedule(state: GoDocument): void {
    dirty.add(state);
    if (!immediate && !burstTimer) immediate = setImmediate(flush);
  }
  function changed(state: GoDocument): void {
    const now = performance.now();
    const inBurst = now - lastChangeAt < BURST_GAP_MS;
    lastChangeAt = now;
    if (!inBurst) return schedule(state);
    dirty.add(state);
    clearImmediate(immediate);
    clearTimeout(burstTimer);
    immediate = undefined;
    burstTimer = setTimeout(flush, BURST_GAP_MS);
  }

  async function analyse(state: GoDocument): Promise<void> {
    const index = await packages.forFile(state.path);
    if (byUri.get(state.uri) !== state) return; // closed meanwhile
    const version = state.version;
    if (version === state.analysedVersion) return;
    try {
      state.update(parser, index);
      state.skipped = undefined;
    } catch (error) {
      if (error instanceof FileSkipped) {
        if (state.skipped !== error.message) log(`${state.path}: ${error.message}; not analysed`);
        state.skipped = error.message;
      } else connection.console.error(`analysis of ${state.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    state.analysedVersion = version;
    await publish(state);
    scheduleSiblings(state);
  }

  async function publish(state: GoDocument): Promise<void> {
    const version = state.analysedVersion;
    const settings = await settingsFor(state.uri);
    // A newer version may have arrived while the settings were fetched: its own analysis publishes
    // (and the document's lines already follow its text), so a stale version is never published.
    if (byUri.get(state.uri) !== state || state.analysedVersion !== version || state.version !== version) return;
    const index = await packages.forFile(state.path);
    const linesOf = (path: string) => fileLines(path, byUriPath, index);
    const diagnostics = applySettings(state.findings, settings).map((f) => toDiagnostic(f, state.lines, linesOf, docsUri));
    void connection.sendDiagnostics({ uri: state.uri, version, diagnostics });
  }

  const siblingTimers = new Map<string, NodeJS.Timeout>();
  /** Other open documents of the package read this one's declarations: re-check them once typing pauses. */
  function scheduleSiblings(changed: GoDocument): void {
    for (const other of byUri.values()) {
      if (other === changed || dirname(other.path) !== dirname(changed.path)) continue;
      clearTimeout(siblingTimers.get(other.uri));
      siblingTimers.set(
        other.uri,
        setTimeout(() => {
          siblingTimers.delete(other.uri);
          other.analysedVersion = -1;
          schedule(other);
        }, SIBLING_DELAY_MS),
      );
    }
  }

  function openTexts(dir: string): Record<string, string> | undefined {
    let texts: Record<string, string> | undefined;
    for (const state of byUri.values()) if (dirname(state.path) === dir) (texts ??= {})[state.path] = state.text.toString();
    return texts;
  }

  function byUriPath(path: string): GoDocument | undefined {
    for (const s of byUri.values()) if (s.path === path) return s;
    return undefined;
  }

  documents.onDidOpen((e) => {
    const state = byUri.get(e.document.uri);
    if (state) schedule(state);
  });
  documents.onDidChangeContent((e) => {
    const state = byUri.get(e.document.uri);
    if (state) changed(state);
  });
  documents.onDidClose((e) => {
    const state = byUri.get(e.document.uri);
    state?.dispose();
    byUri.delete(e.document.uri);
    dirty.delete(state!);
    settingsCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    if (state) {
      void packages.documentClosed(state.path);
      void scan.documentClosed(state.path);
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    const changes = params.changes.flatMap((c) => {
      const path = uriToPath(c.uri);
      return path ? [{ path, deleted: c.type === FileChangeType.Deleted }] : [];
    });
    if (changes.some((c) => basename(c.path) === 'go.mod')) forgetGoVersions();
    const failed = (error: unknown) => connection.console.error(`re-analysis after file changes failed: ${String(error)}`);
    // Only the open documents whose package changed are checked again (a save changes no package).
    void packages.filesChanged(changes, (path) => !!byUriPath(path)).then((changedDirs) => {
      for (const state of byUri.values()) {
        if (!changedDirs.has(dirname(state.path))) continue;
        state.analysedVersion = -1;
        schedule(state);
      }
    }, failed);
    void scan.filesChanged(changes).catch(failed);
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== SCAN_COMMAND) return undefined;
    return scan.scan((params.arguments?.[0] ?? {}) as ScanRequest);
  });

  /** Brings a document's analysis up to its current version (requests may arrive before the scheduled run). */
  async function current(uri: string): Promise<GoDocument | undefined> {
    const state = byUri.get(uri);
    if (state && state.analysedVersion !== state.version) await analyse(state);
    return state && state.analysedVersion === state.version ? state : undefined;
  }

  const hintSources: HintSources = { current, settingsFor, indexFor: (path) => packages.forFile(path), openDocument: byUriPath, docsUri };
  connection.languages.inlayHint.on((params) => inlayHints(hintSources, params));
  connection.onCodeLens((params) => codeLenses(hintSources, params));

  connection.onHover((params) => hover(hintSources, params));

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const state = await current(params.textDocument.uri);
    if (!state) return [];
    const settings = await settingsFor(state.uri);
    const index = await packages.forFile(state.path);
    const findings = applySettings(state.findings, settings);
    const linesOf = (path: string) => fileLines(path, byUriPath, index);
    const uriOf = (path: string) => packageFileUri(path, byUriPath);
    const only = params.context.only;
    if (only?.some((kind) => FIX_ALL.startsWith(kind) && kind.startsWith(CodeActionKind.SourceFixAll))) {
      const edit = toWorkspaceEdit(compatibleFixes(findings, state.path).flatMap((f) => f.edits), linesOf, uriOf);
      return edit ? [{ title: 'Fix all WaitGuard findings', kind: FIX_ALL, edit }] : [];
    }
    const start = state.lines.offset(params.range.start);
    const end = state.lines.offset(params.range.end);
    const actions: CodeAction[] = [];
    const offeredFor = new Set<string>();
    for (const finding of findings) {
      if (finding.end < start || finding.start > end) continue;
      const diagnostic = toDiagnostic(finding, state.lines, () => undefined, docsUri);
      for (const fix of finding.fixes) {
        const edit = toWorkspaceEdit(fix.edits, linesOf, uriOf);
        if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit });
      }
      if (finding.rule === 'ignore-directive' || offeredFor.has(finding.rule)) continue;
      offeredFor.add(finding.rule);
      const line = state.lines.position(finding.start).line;
      const lineStart = state.lines.lineStart(line);
      const indent = /^[ \t]*/.exec(state.text.slice(lineStart, state.lines.offset({ line, character: Number.MAX_SAFE_INTEGER })))![0];
      const eol = occursIn(/\r\n/, state.text) ? '\r\n' : '\n';
      actions.push({
        title: `Ignore ${finding.rule} on this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [state.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}//waitguard:ignore ${finding.rule} TODO: say why this is safe${eol}` }] } },
      });
      actions.push({ title: `Show documentation for ${finding.rule}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: 'Show documentation', command: 'waitguard.showRuleDocumentation', arguments: [finding.rule] } });
    }
    return actions;
  });

  // The docs of every rule, for the client's "Show Rule Documentation" command.
  connection.onRequest('waitguard/ruleDocumentation', () => RULES.map((rule) => ({ id: rule.id, title: rule.title, markdown: ruleMarkdown(rule) })));

  documents.listen(connection);
  connection.listen();
  log(`${SOURCE} language server started`);
}

/** LSP text edits per document URI; undefined when an edit lies in a file whose text is unknown. */
function toWorkspaceEdit(
  edits: readonly { path: string; start: number; end: number; newText: string }[],
  linesOf: (path: string) => LineIndex | undefined,
  uriOf: (path: string) => string,
): WorkspaceEdit | undefined {
  if (edits.length === 0) return undefined;
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of edits) {
    const lines = linesOf(edit.path);
    if (!lines) return undefined;
    (changes[uriOf(edit.path)] ??= []).push({ range: toRange(lines, edit.start, edit.end), newText: edit.newText });
  }
  return { changes };
}

