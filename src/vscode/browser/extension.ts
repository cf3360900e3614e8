// The browser entry (package.json "browser"): the same editor features as src/extension.ts in
// the browser's web worker extension host, and no call to Sectigo. Composition only.
import type * as vscode from 'vscode';
import { registerCsrEditorFeatures } from '../csr-editor';
import { registerCallsUnavailable } from './calls-unavailable';
import { browserEditorHost } from './host';
import { noOrderHistory, registerReadOnlyOrdersView } from './orders-view';

export function activate(context: vscode.ExtensionContext): void {
  registerCallsUnavailable(context);
  registerReadOnlyOrdersView(context);
  registerCsrEditorFeatures(context, noOrderHistory, browserEditorHost());
}

export function deactivate(): void {}
