// The browser entry (package.json "browser"): the table of contents of the extension in the
// browser's web worker extension host (vscode.dev, github.dev, any web client). The same editor
// features as src/extension.ts, over the browser's host (./host.ts), and no call to Sectigo.
import * as vscode from 'vscode';
import { registerCsrEditor } from '../csr-editor/register';
import { allowAutomation } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { createSectigoLog } from '../shared/log';
import { registerCallsUnavailable } from './calls-unavailable';
import { browserEditorHost } from './host';
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

  // CSR files in the editor, as in Node, over the browser's host and no order history.
  registerCsrEditor(context, browserEditorHost(context), noOrderHistory, log);
}

export function deactivate(): void {}
