// Calls to Sectigo: credentials, replace and revoke commands, log, orders tree.
import type * as vscode from 'vscode';

export function registerSectigoCalls(_context: vscode.ExtensionContext): void {}
