// Composition only: reads like a table of contents of the product.
import type * as vscode from 'vscode';
import { registerCsrEditorFeatures } from './vscode/csr-editor';
import { registerSectigoCalls } from './vscode/calls';

export function activate(context: vscode.ExtensionContext): void {
  registerCsrEditorFeatures(context);
  registerSectigoCalls(context);
}

export function deactivate(): void {}
