// The "Sectigo Orders" view: one node per order touched, newest first, labelled by its
// state. contextValue carries words the menus match with `viewItem =~ /\bword\b/`:
// sectigoOrder (every node), state-<state>, revocable, replaceable, hasCsr.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { ContextKeys, Views } from '../ids';
import type { OrderEntry, OrderState, OrdersStore } from './orders-store';
import type { SectigoLog } from './log';

export class OrderNode {
  constructor(readonly entry: OrderEntry) {}
}

export function stateLabel(entry: OrderEntry): string {
  switch (entry.state) {
    case 'replaced':
      return entry.newOrderNumber ? vscode.l10n.t('replaced → {0}', entry.newOrderNumber) : vscode.l10n.t('replaced');
    case 'revoked':
      return vscode.l10n.t('revoked');
    case 'test-revoked':
      return vscode.l10n.t('test-revoked (nothing revoked)');
    case 'failed':
      return entry.errorCode !== undefined ? vscode.l10n.t('failed {0}', String(entry.errorCode)) : vscode.l10n.t('failed');
    case 'refused-locally':
      return vscode.l10n.t('not sent: {0}', entry.errorCode !== undefined ? String(entry.errorCode) : vscode.l10n.t('invalid'));
    case 'outcome-unknown':
      return vscode.l10n.t('outcome unknown');
    case 'cancelled':
      return vscode.l10n.t('cancelled');
  }
}

function iconOf(state: OrderState): vscode.ThemeIcon {
  switch (state) {
    case 'replaced':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'revoked':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.errorForeground'));
    case 'test-revoked':
      return new vscode.ThemeIcon('beaker');
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'refused-locally':
      return new vscode.ThemeIcon('circle-outline');
    case 'outcome-unknown':
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
    case 'cancelled':
      return new vscode.ThemeIcon('debug-stop');
  }
}

export function contextValueOf(entry: OrderEntry): string {
  const words = ['sectigoOrder', `state-${entry.state}`];
  // A revocation can be repeated safely (a repeat answers -21); a real one that succeeded is final.
  if (entry.endpoint === 'AutoRevokeSSL' && entry.state !== 'revoked') words.push('revocable');
  // The order a replace named can be revoked by its number (AutoRevokeSSL takes digits), unless
  // the replace itself revoked it (revokeOldOrder=Y and the replace succeeded).
  if (entry.endpoint === 'AutoReplaceSMIME' && /^\d+$/.test(entry.identifier) && !(entry.revokeOldOrder && entry.state === 'replaced')) words.push('revocable');
  if (entry.endpoint === 'AutoReplaceSMIME' && entry.csrUri !== undefined && entry.state !== 'outcome-unknown') words.push('replaceable');
  if (entry.csrUri !== undefined) words.push('hasCsr');
  return words.join(' ');
}

function fileLabel(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  try {
    return vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
  } catch {
    return uri;
  }
}

function tooltipOf(entry: OrderEntry): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, true);
  tip.isTrusted = false;
  const row = (name: string, value: string | number | boolean | undefined): void => {
    if (value !== undefined && value !== '') tip.appendMarkdown(`**${name}**: `).appendText(String(value)).appendMarkdown('  \n');
  };
  tip.appendMarkdown(`$(${entry.endpoint === 'AutoReplaceSMIME' ? 'replace' : 'circle-slash'}) **${entry.endpoint}**  \n`);
  row(vscode.l10n.t('State'), stateLabel(entry));
  row(entry.identifierKind, entry.identifier);
  row(vscode.l10n.t('New order'), entry.newOrderNumber);
  row(vscode.l10n.t('Time'), new Date(entry.time).toLocaleString());
  row(vscode.l10n.t('Endpoint'), entry.baseUrl);
  row(vscode.l10n.t('Account'), entry.loginName);
  row(vscode.l10n.t('CSR file'), fileLabel(entry.csrUri));
  row(vscode.l10n.t('Certificate file'), fileLabel(entry.certificateUri));
  row(vscode.l10n.t('Revoke old order'), entry.revokeOldOrder);
  row(vscode.l10n.t('Test mode'), entry.test);
  row(vscode.l10n.t('Message'), entry.message);
  row(vscode.l10n.t('Retry after'), entry.retryAfter ? new Date(entry.retryAfter).toLocaleString() : undefined);
  row(vscode.l10n.t('Duration'), entry.durationMs !== undefined ? `${entry.durationMs} ms` : undefined);
  return tip;
}

export class OrdersTreeProvider implements vscode.TreeDataProvider<OrderNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<OrderNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: OrdersStore,
    private readonly log: SectigoLog,
  ) {
    const subscription = store.onDidChange(() => this.refresh());
    this.disposables.push(new vscode.Disposable(() => subscription.dispose()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: OrderNode): vscode.TreeItem {
    const { entry } = node;
    const item = new vscode.TreeItem(`${entry.identifier}  ${stateLabel(entry)}`, vscode.TreeItemCollapsibleState.None);
    item.id = entry.id;
    item.description = [new Date(entry.time).toLocaleString(), fileLabel(entry.csrUri ?? entry.certificateUri)].filter(Boolean).join(' · ');
    item.tooltip = tooltipOf(entry);
    item.iconPath = iconOf(entry.state);
    item.contextValue = contextValueOf(entry);
    item.accessibilityInformation = { label: `${entry.endpoint} ${entry.identifier} ${stateLabel(entry)}` };
    return item;
  }

  async getChildren(node?: OrderNode): Promise<OrderNode[]> {
    if (node) return [];
    try {
      const { entries, corruptFileMovedTo } = await this.store.load();
      void vscode.commands.executeCommand('setContext', ContextKeys.hasOrders, entries.length > 0);
      if (corruptFileMovedTo) {
        this.log.warn(`The order history could not be read; it was kept as ${corruptFileMovedTo} and a new one started.`);
        void vscode.window.showWarningMessage(
          vscode.l10n.t('The Sectigo order history could not be read. It was kept as {0} and a new history started.', corruptFileMovedTo),
        );
      }
      return entries.map((entry) => new OrderNode(entry));
    } catch (error) {
      this.log.error('The order history could not be loaded.', error);
      return [];
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }
}

export function registerOrdersView(context: vscode.ExtensionContext, store: OrdersStore, log: SectigoLog): OrdersTreeProvider {
  const provider = new OrdersTreeProvider(store, log);
  const view = vscode.window.createTreeView(Views.orders, { treeDataProvider: provider, showCollapseAll: false });
  // Another window writes the same file: re-read when it changes, and when this window regains focus.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(store.file)), basename(store.file)));
  // The palette's "Clear Order History" depends on this key before the view is ever opened.
  const updateHasOrders = (): void => {
    store.load().then(
      ({ entries }) => void vscode.commands.executeCommand('setContext', ContextKeys.hasOrders, entries.length > 0),
      (error: unknown) => log.error('The order history could not be loaded.', error),
    );
  };
  updateHasOrders();
  const storeSubscription = store.onDidChange(updateHasOrders);
  context.subscriptions.push(
    new vscode.Disposable(() => storeSubscription.dispose()),
    provider,
    view,
    watcher,
    watcher.onDidChange(() => provider.refresh()),
    watcher.onDidCreate(() => provider.refresh()),
    watcher.onDidDelete(() => provider.refresh()),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) provider.refresh();
    }),
  );
  return provider;
}
