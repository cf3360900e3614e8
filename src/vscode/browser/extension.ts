// The browser entry (package.json "browser"): the table of contents of the extension in the
// browser's web worker extension host (vscode.dev, github.dev, any web client). The same editor
// features as src/extension.ts, over the browser's host (./host.ts), and no call to Sectigo.
import * as vscode from 'vscode';
import { registerAssistantTools } from '../assistant/register-tools';
import { DocumentAnalyses } from '../csr-editor/analysis';
import { registerCodeLens } from '../csr-editor/codelens';
import { registerDiagnostics } from '../csr-editor/diagnostics';
import { registerHover } from '../csr-editor/hover';
import { registerInspectCommands } from '../csr-editor/inspect-report';
import { registerPemLanguageAdapter } from '../csr-editor/language';
import { registerNewCsrCommands } from '../csr-editor/new-csr-command';
import { registerCompliantCsrCodeActions } from '../csr-editor/new-csr-code-action';
import { registerSharedPrimesCommand } from '../csr-editor/shared-primes-command';
import { RememberedOrders } from '../csr-editor/remembered-order';
import { allowAutomation } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { createSectigoLog } from '../shared/log';
import { registerCallsUnavailable } from './calls-unavailable';
import { browserEditorHost } from './host';
import { loadChunk } from './load-chunk';
import { noOrderHistory, registerReadOnlyOrdersView } from './orders-view';

export function activate(context: vscode.ExtensionContext): void {
  allowAutomation(context.extensionMode);
  // The log of what the editor's commands did (a failed New CSR says why there too).
  const log = createSectigoLog();
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  );

  // Calls to Sectigo: none from a browser. Each call command explains why; the orders view is empty.
  registerCallsUnavailable(context);
  registerReadOnlyOrdersView(context);

  // CSR files in the editor, as in Node: one analysis per document version, shared by every surface.
  const host = browserEditorHost(context);
  const analyses = new DocumentAnalyses(host.analysis);
  context.subscriptions.push(analyses);
  const remembered = new RememberedOrders(context.globalState);
  registerPemLanguageAdapter(context);
  registerCodeLens(context, analyses, remembered, host.callsAvailable);
  registerDiagnostics(context, analyses);
  registerHover(context, analyses);
  registerInspectCommands(context, analyses, log);
  registerNewCsrCommands(context, analyses, noOrderHistory, remembered, log, host);
  registerCompliantCsrCodeActions(context, analyses);
  registerSharedPrimesCommand(context, analyses, log);
  // The analysis as tools for AI assistants, as in Node; files read through VS Code's file system.
  registerAssistantTools(context, async () =>
    (await loadChunk(context.extensionUri, 'browser-assistant-tools')).browserAssistantTools(analyses),
  );
}

export function deactivate(): void {}
