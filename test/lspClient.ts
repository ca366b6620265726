// A minimal LSP client over stdio for protocol tests: the real bundled server, real JSON-RPC.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  ConfigurationRequest,
  WorkDoneProgressCreateRequest,
  LogMessageNotification,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { DIST } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: { accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  /** What `workspace/configuration` answers for the `waitguard` section. */
  settings: unknown = {};
  stderr = '';
  /** What the server logged through window/logMessage. */
  log = '';
  /** $/progress values received (work done progress of the scan). */
  readonly progress: unknown[] = [];

  constructor(
    options: {
      /** Extra server arguments (`--parse-budget=MS`). */
      args?: string[];
      /** Node options for the server process. */
      nodeArgs?: string[];
      /** Keep every publication for `allPublished` (a benchmark's thousands would weigh on this process's GC). */
      keepPublished?: boolean;
    } = {},
  ) {
    const { args = [], nodeArgs = [], keepPublished = true } = options;
    // WAITGUARD_PROFILE_DIR: write a CPU profile of the server there (for `npm run bench`).
    const profile = process.env.WAITGUARD_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.WAITGUARD_PROFILE_DIR}`] : [];
    this.process = spawn(process.execPath, [...nodeArgs, ...profile, join(DIST, 'server.js'), '--stdio', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      if (keepPublished) this.published.push(p);
      const i = this.waiters.findIndex((w) => w.accept(p));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(p);
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onNotification('$/progress', (p: { value: unknown }) => {
      this.progress.push(p.value);
    });
    this.connection.onNotification(LogMessageNotification.type, (p) => {
      this.log += `${p.message}\n`;
    });
    this.connection.listen();
  }

  async initialize(withConfiguration = true, workspaceFolder?: string): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: withConfiguration, didChangeConfiguration: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
      workspaceFolders: workspaceFolder ? [{ uri: pathToFileURL(workspaceFolder).toString(), name: 'ws' }] : null,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Resolves with the first diagnostics publication for `uri` (at `version`, when given) from now on. */
  diagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        accept: (p) => p.uri === uri && (version === undefined || p.version === version),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** The server's process id (its memory is read from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  get allPublished(): readonly PublishDiagnosticsParams[] {
    return this.published;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'go', version, text } });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  configurationChanged(): Promise<void> {
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.on('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

export function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`);
}

/**
 * A server whose memory is read after a full garbage collection. A test-only preload (`--require`,
 * with `--expose-gc`) answers SIGUSR2 by collecting garbage and writing
 * process.memoryUsage() to a file; the server itself is unchanged.
 */
export function startMeasuredServer(dir: string, options: { keepPublished?: boolean } = {}): { client: TestClient; memoryAfterGc: () => Promise<NodeJS.MemoryUsage> } {
  const report = join(dir, 'memory.json');
  const probe = join(dir, 'memory-probe.js');
  writeFileSync(
    probe,
    `process.on('SIGUSR2', () => {
  globalThis.gc();
  require('node:fs').writeFileSync(${JSON.stringify(`${report}.partial`)}, JSON.stringify(process.memoryUsage()));
  require('node:fs').renameSync(${JSON.stringify(`${report}.partial`)}, ${JSON.stringify(report)});
});
`,
  );
  const client = new TestClient({ ...options, nodeArgs: ['--expose-gc', '--require', probe] });
  const memoryAfterGc = async () => {
    rmSync(report, { force: true });
    process.kill(client.pid!, 'SIGUSR2');
    for (let waited = 0; !existsSync(report); waited += 20) {
      if (waited > 5_000) throw new Error('the server did not report its memory within 5 s');
      await sleep(20);
    }
    return JSON.parse(readFileSync(report, 'utf8')) as NodeJS.MemoryUsage;
  };
  return { client, memoryAfterGc };
}
