import * as path from 'node:path';
import { commands, Location, Position, Range, Uri, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { ExecuteCommandRequest, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Starts the bundled language server for Go files; everything else happens in the server. */
export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('WaitGuard', { log: true });
  context.subscriptions.push(
    output,
    commands.registerCommand('waitguard.restartServer', async () => {
      await client?.stop();
      client = createClient(context, output);
      await client.start();
      output.info('WaitGuard server restarted');
    }),
    commands.registerCommand('waitguard.showRuleDocumentation', (ruleId?: string) => showRuleDocumentation(ruleId)),
    commands.registerCommand('waitguard.scanWorkspace', () => scanWorkspace(output)),
    // Code lenses of the server: peek the lines they summarise.
    commands.registerCommand('waitguard.showLocations', (uri: string, position: JsonPosition, locations: { uri: string; range: { start: JsonPosition; end: JsonPosition } }[]) =>
      commands.executeCommand(
        'editor.action.showReferences',
        Uri.parse(uri),
        toPosition(position),
        locations.map((l) => new Location(Uri.parse(l.uri), new Range(toPosition(l.range.start), toPosition(l.range.end)))),
      ),
    ),
  );
  client = createClient(context, output);
  await client.start();
}

interface JsonPosition {
  line: number;
  character: number;
}

function toPosition(p: JsonPosition): Position {
  return new Position(p.line, p.character);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Directories the scan never enters, besides the user's files.exclude. */
const SKIPPED = ['**/vendor/**', '**/testdata/**', '**/node_modules/**', '**/.git/**'];

/** Lists the workspace's Go files as VS Code sees them (files.exclude honoured); the server scans them. */
async function scanWorkspace(output: LogOutputChannel): Promise<void> {
  if (!client) return;
  const excluded = Object.entries(workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {})
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
  const files = await workspace.findFiles('**/*.go', `{${[...SKIPPED, ...excluded].join(',')}}`);
  const result = await client.sendRequest(ExecuteCommandRequest.type, { command: 'waitguard.server.scanWorkspace', arguments: [{ files: files.map((f) => f.fsPath) }] });
  const summary = result as { files: number; findings: number; cancelled: boolean; seconds: number } | null;
  if (summary) {
    const text = `WaitGuard ${summary.cancelled ? 'scan cancelled after' : 'scanned'} ${summary.files} files in ${summary.seconds.toFixed(1)} s: ${summary.findings} findings`;
    output.info(text);
    void window.showInformationMessage(text);
  }
}

interface RuleDoc {
  id: string;
  title: string;
  markdown: string;
}

/** Opens one rule's documentation (picked from the list when no id is given) in a markdown preview. */
async function showRuleDocumentation(ruleId?: string): Promise<void> {
  if (!client) return;
  const docs = await client.sendRequest<RuleDoc[]>('waitguard/ruleDocumentation', {});
  const picked = ruleId
    ? docs.find((d) => d.id === ruleId)
    : (await window.showQuickPick(docs.map((d) => ({ label: d.id, description: d.title, doc: d })), { placeHolder: 'Rule to show' }))?.doc;
  if (!picked) return;
  const document = await workspace.openTextDocument({ language: 'markdown', content: picked.markdown });
  await commands.executeCommand('markdown.showPreview', document.uri);
}

function createClient(context: ExtensionContext, output: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    outputChannel: output,
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/{*.go,go.mod}') },
  };
  return new LanguageClient('waitguard', 'WaitGuard', serverOptions, clientOptions);
}
