// waitguard-lsp: the language server. `--stdio` for any LSP editor; VS Code starts it over Node IPC.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('usage: waitguard-lsp --stdio | --node-ipc | --socket=PORT [--parse-budget=MS]\n\nThe WaitGuard language server: diagnostics and fixes for sync.WaitGroup and defer hazards in Go.\n');
  process.exit(0);
}
if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stderr.write('waitguard-lsp: choose a transport: --stdio (see --help)\n');
  process.exit(2);
}
const connection = createConnection(ProposedFeatures.all);
// A language server lives as long as the editor: log what escapes, never die of it.
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${error.stack ?? error.message}`));
// A file whose parsing takes longer than the budget is skipped and logged (default 5000 ms).
const budget = /^--parse-budget=([1-9]\d{0,6})$/.exec(process.argv.find((a) => a.startsWith('--parse-budget=')) ?? '');
startServer(connection, __dirname, { parseBudgetMs: budget ? Number(budget[1]) : undefined });
