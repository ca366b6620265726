import * as path from 'node:path';
import { commands, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

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
  );
  client = createClient(context, output);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
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
