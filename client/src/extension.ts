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
  );
  client = createClient(context, output);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
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
