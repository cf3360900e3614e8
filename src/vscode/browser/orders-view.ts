// The orders view in the browser: read-only, and empty, because the orders history lives in the
// Node extension's storage, which a browser cannot read, and no call is made from here. The
// view's welcome (package.json, on the callsUnavailable context key) says so.
import * as vscode from 'vscode';
import type { OrderHistoryReader } from '../../core/sectigo/orders-store';
import { Commands, Views } from '../shared/ids';

/** The history the editor features read (a -13's order for a new request): none here. */
export const noOrderHistory: OrderHistoryReader = { load: async () => ({ entries: [], runs: [], dropped: 0 }) };

export function registerReadOnlyOrdersView(context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.TreeDataProvider<never> = {
    onDidChangeTreeData: changed.event,
    getTreeItem: (element: never) => element,
    getChildren: () => [],
  };
  context.subscriptions.push(
    changed,
    vscode.window.createTreeView(Views.orders, { treeDataProvider: provider }),
    vscode.commands.registerCommand(Commands.refreshOrders, () => changed.fire()),
  );
}
