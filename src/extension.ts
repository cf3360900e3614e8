// Composition only: reads like a table of contents of the product.
import type * as vscode from 'vscode';
import { registerCsrEditorFeatures } from './vscode/csr-editor';
import { registerSectigoCalls } from './vscode/calls';
import { nodeEditorHost } from './vscode/csr-editor/node-host';

export function activate(context: vscode.ExtensionContext): void {
  const calls = registerSectigoCalls(context);
  registerCsrEditorFeatures(context, calls.orderHistory, nodeEditorHost());
}

export function deactivate(): void {}
