// CSR files in the editor, as both entries register them (src/extension.ts over Node's host,
// src/vscode/browser/extension.ts over the browser's): one analysis per document version, shared
// by every surface. What differs between the two is all in the host and the order history given.
import type * as vscode from 'vscode';
import type { OrderHistoryReader } from '../../core/sectigo/orders-store';
import type { SectigoLog } from '../shared/log';
import { DocumentAnalyses } from './analysis';
import { registerCodeLens } from './codelens';
import { registerDiagnostics } from './diagnostics';
import type { EditorHost } from './host';
import { registerHover } from './hover';
import { registerInspectCommands } from './inspect-report';
import { registerPemLanguageAdapter } from './language';
import { registerNewCsrCommands } from './new-csr-command';
import { registerCompliantCsrCodeActions } from './new-csr-code-action';
import { RememberedOrders } from './remembered-order';

export function registerCsrEditor(
  context: vscode.ExtensionContext,
  host: EditorHost,
  history: OrderHistoryReader,
  log: SectigoLog,
): void {
  const analyses = new DocumentAnalyses(host.analysis);
  context.subscriptions.push(analyses);
  // The order a new request was made for (after a -13), kept across reloads.
  const remembered = new RememberedOrders(context.globalState);
  registerPemLanguageAdapter(context);
  registerCodeLens(context, analyses, remembered, host.callsAvailable);
  registerDiagnostics(context, analyses);
  registerHover(context, analyses);
  registerInspectCommands(context, analyses, log);
  registerNewCsrCommands(context, analyses, history, remembered, log, host);
  registerCompliantCsrCodeActions(context, analyses);
}
