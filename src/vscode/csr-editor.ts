// CSR files in the editor: language, CodeLens, diagnostics, hover, inspect report.
import type * as vscode from 'vscode';

export function registerCsrEditorFeatures(_context: vscode.ExtensionContext): void {}
