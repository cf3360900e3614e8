// Composition only: wires the VS Code adapters to the core. (Filled in by the extension work.)
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
