import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { applySettings, type GoParser, type Settings } from '../engine';
import { collectGoFiles, type WalkProblem } from '../project/files';
import type { FileReport, LocatedFinding } from '../project/report';
import { scanFiles, type ScanSummary } from '../project/scan';
import { SOURCE } from './convert';
import { fileUri, uriToPath } from './uris';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

export interface ScanRequest {
  /** Files to scan (the VS Code client lists them, honouring files.exclude); else the workspace folders are walked. */
  files?: string[];
}

export interface ScanResult {
  files: number;
  lines: number;
  findings: number;
  cancelled: boolean;
  seconds: number;
}

/** What the scan needs from the language server. */
export interface ScanEditor {
  parser(): Promise<GoParser>;
  folders(): string[];
  settingsFor(uri: string): Promise<Settings>;
  isOpen(path: string): boolean;
  /** The current texts of the package's open documents: the scan reads them, not the files as saved. */
  openTexts(dir: string): Record<string, string> | undefined;
  docsUri(ruleId: string): string;
  /** How long the scan should hold back new work because the user is typing (ms). */
  typing(): number;
}

/**
 * Findings of files that are not open, from "Scan Workspace" and kept current by the file
 * watcher. Analysis runs on worker threads, so typing in open documents is never held up.
 */
export class WorkspaceScan {
  /** Scanned files and their findings (before settings are applied). */
  private readonly findings = new Map<string, LocatedFinding[]>();
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly wasmDir: string,
    private readonly editor: ScanEditor,
  ) {}

  async scan(request: ScanRequest): Promise<ScanResult> {
    const problems: WalkProblem[] = [];
    let files = request.files;
    if (!files) {
      files = [];
      for (const folder of this.editor.folders()) files.push(...(await collectGoFiles(folder, problems)));
    }
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('WaitGuard: scanning the workspace', 0, `0 / ${files.length} files`, true);
    const includeGenerated = (await this.editor.settingsFor(fileUri(this.editor.folders()[0] ?? '/'))).scanGenerated;
    let summary: ScanSummary;
    try {
      const scan = scanFiles(files, this.editor.parser, {
        // One core stays free for the editor and for analysing what is typed meanwhile.
        jobs: Math.max(1, availableParallelism() - 1),
        offThread: true,
        workerScript: join(this.wasmDir, 'worker.js'),
        includeGenerated,
        unsaved: (dir) => this.editor.openTexts(dir),
        // Typing comes first: while the user types, packages under way pause between files and no new one starts.
        holdBack: this.editor.typing,
        isCancelled: () => progress.token.isCancellationRequested,
        onReport: (report) => void this.accept(report),
        onProgress: (done, total) => progress.report(Math.round((done / Math.max(1, total)) * 100), `${done} / ${total} files`),
      });
      this.running = scan;
      summary = await scan;
    } finally {
      progress.done();
      this.running = undefined;
    }
    const perRule = new Map<string, number>();
    let findings = 0;
    for (const report of summary.reports) {
      for (const f of report.findings) perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
      findings += report.findings.length;
      if (report.skipped && !report.generated) this.connection.console.warn(`${report.path}: ${report.skipped}`);
      for (const error of report.errors ?? []) this.connection.console.error(`${report.path}: ${error}`);
    }
    for (const p of problems) this.connection.console.warn(`${p.path}: ${p.message}`);
    const seconds = summary.milliseconds / 1000;
    const rules = [...perRule].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} ${n}`).join(', ');
    this.connection.console.info(
      `Scan ${summary.cancelled ? 'cancelled' : 'finished'}: ${summary.files} files, ${summary.lines} lines in ${seconds.toFixed(1)} s; ${findings} findings${rules ? ` (${rules})` : ''}`,
    );
    return { files: summary.files, lines: summary.lines, findings, cancelled: summary.cancelled, seconds };
  }

  /** Re-analyses scanned files after changes on disk (cached go.mod versions already forgotten); deleted files lose their findings. */
  async filesChanged(changes: { path: string; deleted: boolean }[]): Promise<void> {
    if (this.findings.size === 0) return;
    const goMod = changes.some((c) => c.path.endsWith('/go.mod'));
    const redo = new Set<string>();
    for (const change of changes) {
      if (change.path.endsWith('.go') && change.deleted) {
        this.findings.delete(change.path);
        void this.connection.sendDiagnostics({ uri: fileUri(change.path), diagnostics: [] });
      }
      // A change can alter what its package siblings see (types, functions); go.mod the versions of its module.
      const scope = change.path.endsWith('/go.mod') ? dirname(change.path) : change.path.endsWith('.go') ? dirname(change.path) : undefined;
      if (!scope) continue;
      for (const path of this.findings.keys()) {
        if (goMod ? path.startsWith(`${scope}/`) : dirname(path) === scope) redo.add(path);
      }
      if (change.path.endsWith('.go') && !change.deleted) redo.add(change.path);
    }
    await this.running;
    if (redo.size === 0) return;
    const includeGenerated = (await this.editor.settingsFor(fileUri([...redo][0]))).scanGenerated;
    await scanFiles([...redo], this.editor.parser, {
      jobs: 1,
      offThread: true,
      workerScript: join(this.wasmDir, 'worker.js'),
      includeGenerated,
      unsaved: (dir) => this.editor.openTexts(dir),
      onReport: (r) => void this.accept(r),
    });
  }

  /** A document was closed: its scanned findings are shown again (re-read from disk). */
  async documentClosed(path: string): Promise<void> {
    if (this.findings.has(path)) await this.filesChanged([{ path, deleted: false }]);
  }

  /** Settings changed: re-publish every scanned file with them. */
  async republish(): Promise<void> {
    for (const path of this.findings.keys()) await this.publish(path);
  }

  private async accept(report: FileReport): Promise<void> {
    if (report.skipped) return; // generated, unreadable or unparseable: nothing to show
    this.findings.set(report.path, report.findings);
    await this.publish(report.path);
  }

  private async publish(path: string): Promise<void> {
    if (this.editor.isOpen(path)) return; // the live analysis of the open document owns its diagnostics
    const uri = fileUri(path);
    const settings = await this.editor.settingsFor(uri);
    const findings = applySettings(this.findings.get(path) ?? [], settings) as LocatedFinding[];
    void this.connection.sendDiagnostics({ uri, diagnostics: findings.map((f) => this.diagnostic(f)) });
  }

  private diagnostic(f: LocatedFinding): Diagnostic {
    const related = f.related.flatMap((r, i) => (f.relatedRanges[i] ? [{ location: { uri: fileUri(r.path), range: f.relatedRanges[i]! }, message: r.message }] : []));
    return {
      range: f.range,
      severity: SEVERITY[f.severity],
      code: f.rule,
      codeDescription: { href: this.editor.docsUri(f.rule) },
      source: SOURCE,
      message: f.message,
      ...(related.length > 0 ? { relatedInformation: related } : {}),
    };
  }
}

export function workspaceFolderPaths(folders: { uri: string }[] | null | undefined, rootUri: string | null | undefined): string[] {
  const uris = folders?.map((f) => f.uri) ?? (rootUri ? [rootUri] : []);
  return uris.map(uriToPath).filter((p): p is string => !!p);
}
