// The "Sectigo Orders" view as activation makes it: the view and its context key, not its tree.
// The provider (orders-tree.ts, with the nodes and the commands, in the calls bundle) is loaded
// the first time the view asks for its children, that is when it is first shown; until then the
// view costs one createTreeView. The key `sectigo.hasOrders` (the palette's Clear Order History
// depends on it before the view is ever opened) is read from the order history after activation.
import * as vscode from 'vscode';
import type { OrdersStore } from '../../core/sectigo/orders-store';
import { afterActivation } from '../shared/after-activation';
import { Commands, ContextKeys, Views } from '../shared/ids';
import type { SectigoLog } from '../shared/log';

/** The real provider (orders-tree.ts): a tree, and the Refresh button's whole redraw. */
export type RefreshableTree<T> = vscode.TreeDataProvider<T> & { refresh(): void };

/** A tree provider that asks for the real one on its first getChildren and hands every call to it. */
class ProviderOnFirstShow<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private provider: RefreshableTree<T> | undefined;
  private pending: Promise<RefreshableTree<T>> | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly load: () => Promise<RefreshableTree<T>>) {}

  /** The Refresh button: the real tree redraws; before its first show there is nothing drawn to redraw. */
  refresh(): void {
    this.provider?.refresh();
  }

  private loaded(): Promise<RefreshableTree<T>> {
    this.pending ??= this.load().then((provider) => {
      this.provider = provider;
      this.subscription = provider.onDidChangeTreeData?.((node) => this.changed.fire(node));
      return provider;
    });
    this.pending.catch(() => (this.pending = undefined));
    return this.pending;
  }

  async getChildren(node?: T): Promise<T[]> {
    return (await (await this.loaded()).getChildren(node)) ?? [];
  }

  getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    // A node exists only once getChildren returned it, so the provider is there.
    if (this.provider === undefined) throw new Error('The orders tree was asked for an item before its children.');
    return this.provider.getTreeItem(node);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}

/** The view's badge: how many bulk runs are unfinished, or none. */
function unfinishedBadge(count: number): vscode.ViewBadge | undefined {
  if (count === 0) return undefined;
  return {
    value: count,
    tooltip:
      count === 1
        ? vscode.l10n.t('1 revocation from a list is unfinished: Resume or Discard it in the Sectigo Orders view')
        : vscode.l10n.t(
            '{0} revocations from lists are unfinished: Resume or Discard them in the Sectigo Orders view',
            count.toLocaleString(),
          ),
  };
}

/**
 * Creates the view and its Refresh command (a local command: it calls nobody, so it is not among
 * the calls bundle's); `loadTree` loads the calls bundle (registering its commands) and returns the tree.
 */
export function registerOrdersView<T>(
  context: vscode.ExtensionContext,
  store: OrdersStore,
  log: SectigoLog,
  loadTree: () => Promise<RefreshableTree<T>>,
): vscode.TreeView<T> {
  const provider = new ProviderOnFirstShow(loadTree);
  const view = vscode.window.createTreeView(Views.orders, {
    treeDataProvider: provider,
    showCollapseAll: true,
    canSelectMany: true,
  });
  // The badge marks unfinished bulk runs on the view and its container, tree loaded or not, until
  // they are resumed or discarded.
  const updateHasOrders = async (): Promise<void> => {
    const { entries, runs } = await store.load();
    view.badge = unfinishedBadge(runs.filter((run) => !run.finished).length);
    await vscode.commands.executeCommand('setContext', ContextKeys.hasOrders, entries.length > 0 || runs.length > 0);
  };
  // Reading the history is no part of drawing a CSR's lens: after activation, then on every change.
  afterActivation(context, log, 'Loading the order history', updateHasOrders);
  const storeSubscription = store.onDidChange(
    () => void updateHasOrders().catch((error: unknown) => log.error('The order history could not be loaded.', error)),
  );
  context.subscriptions.push(
    new vscode.Disposable(() => storeSubscription.dispose()),
    provider,
    view,
    vscode.commands.registerCommand(Commands.refreshOrders, () => provider.refresh()),
    // Another window may have resumed, finished or discarded a run meanwhile.
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused)
        void updateHasOrders().catch((error: unknown) => log.error('The order history could not be loaded.', error));
    }),
  );
  return view;
}
