// CSR files in the editor: language, CodeLens, diagnostics, hover, inspect report. Registration
// only; nothing is parsed here (the analysis loads with the first CSR document).
import type * as vscode from 'vscode';
import { DocumentAnalyses } from './csr-editor/analysis';
import { registerCodeLens } from './csr-editor/codelens';
import { registerDiagnostics } from './csr-editor/diagnostics';
import { registerHover } from './csr-editor/hover';
import { registerInspectCommands } from './csr-editor/inspect-report';
import { registerPemLanguageAdapter } from './csr-editor/language';
import { registerNewCsrCommands } from './csr-editor/new-csr-command';
import { registerCompliantCsrCodeActions } from './csr-editor/new-csr-code-action';
import type { OrderHistoryReader } from './calls/orders-store';
import { RememberedOrders } from './csr-editor/remembered-order';
import type { EditorHost } from './csr-editor/host';

/**
 * `orderHistory` is the calls' one order history, read to offer a new request for the order the
 * old one was refused for; `host` is what differs between Node and the browser (./csr-editor/host.ts).
 */
export function registerCsrEditorFeatures(
  context: vscode.ExtensionContext,
  orderHistory: OrderHistoryReader,
  host: EditorHost,
): void {
  const analyses = new DocumentAnalyses(host.analysis);
  context.subscriptions.push(analyses);
  registerPemLanguageAdapter(context);
  // The order a new request was made for (after a -13), kept across reloads.
  const remembered = new RememberedOrders(context.globalState);
  registerCodeLens(context, analyses, remembered, host.callsAvailable);
  registerDiagnostics(context, analyses);
  registerHover(context, analyses);
  registerInspectCommands(context, analyses);
  registerNewCsrCommands(context, analyses, orderHistory, remembered, host);
  registerCompliantCsrCodeActions(context, analyses);
}
