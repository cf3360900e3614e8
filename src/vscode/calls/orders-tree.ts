// The "Sectigo Orders" view: one node per order (every call that named the same certificate at
// the same endpoint), newest activity first, labelled by the state its calls leave it in, with
// its calls beneath it. contextValue carries words the menus match with `viewItem =~ /\bword\b/`:
// sectigoOrder or sectigoCall, kind-smime / kind-ssl, state-<state>, and the actions that fit:
// revocable (SSL, not revoked, not test-revoked), revokeForReal (SSL, test-revoked),
// replaceable (S/MIME with a CSR, outcome known), hasCsr. AutoRevokeSSL revokes SSL certificates
// only, so an S/MIME order never offers it: its old certificate is revoked by a replace with
// revokeOldOrder. The view allows multi-select: Revoke Selected… takes the selection.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { joinMarkdown, markup, type Markdown } from '../../core/markdown-text';
import { countText, joinText, outside, timeText, words, type Text } from '../../core/outside-text';
import { acceptedShort, countsLine } from '../../core/sectigo/outcome-words';
import { hostOf } from '../../core/sectigo/call-plan';
import { ContextKeys } from '../shared/ids';
import {
  groupOrders,
  type BulkRunRecord,
  type HistoryState,
  type OrderEntry,
  type OrderState,
  type OrderSummary,
  type OrdersStore,
} from '../../core/sectigo/orders-store';
import { treeItem } from '../shared/labels';
import type { SectigoLog } from '../shared/log';
import { showWarning } from '../shared/messages';
import { t } from '../shared/text';

/**
 * A node for one order; `order` is what the store held when the tree was last drawn. A top-level
 * node's data is replaced in place when it changes (OrdersTreeProvider.refreshIfChanged), so the
 * object VS Code holds for the row stays the row's.
 */
export class OrderNode {
  readonly type = 'order';
  /** showHost: the history holds orders of more than one endpoint, so the label alone is ambiguous. */
  constructor(
    public order: OrderSummary,
    public showHost = false,
  ) {}
  get id(): string {
    return this.order.key;
  }
}

/** A node for one call of an order. */
export class CallNode {
  readonly type = 'call';
  constructor(
    readonly order: OrderSummary,
    readonly entry: OrderEntry,
  ) {}
  get id(): string {
    return this.entry.id;
  }
}

/** A bulk run: one node for the whole list, its failures and unknown outcomes beneath it. */
export class RunNode {
  readonly type = 'run';
  constructor(
    public run: BulkRunRecord,
    public orders: OrderSummary[],
  ) {}
  get id(): string {
    return `run:${this.run.id}`;
  }
}

/** How many finished entries were dropped to make room (never pending work). */
export class DroppedNode {
  readonly type = 'dropped';
  readonly id = 'dropped';
  constructor(public count: number) {}
}

export type OrdersTreeNode = OrderNode | CallNode | RunNode | DroppedNode;

export function stateLabel(
  state: OrderState,
  entry: { newOrderNumber?: string | undefined; errorCode?: number | undefined },
): Text {
  switch (state) {
    case 'replaced':
      return entry.newOrderNumber ? t('replaced → {0}', outside(entry.newOrderNumber)) : t('replaced');
    case 'revoked':
      return t('revoked');
    case 'test-revoked':
      return words`${outside(acceptedShort(true))}`;
    case 'failed':
      return entry.errorCode !== undefined ? t('failed {0}', entry.errorCode) : t('failed');
    case 'outcome-unknown':
      return t('outcome unknown');
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
    case 'outcome-unknown':
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
  }
}

export function orderContextValue(order: OrderSummary): string {
  const words = ['sectigoOrder', `kind-${order.kind}`, `state-${order.state}`];
  if (order.kind === 'ssl' && order.state !== 'revoked' && order.state !== 'test-revoked') words.push('revocable');
  if (order.kind === 'ssl' && order.state === 'test-revoked') words.push('revokeForReal');
  if (order.kind === 'smime' && order.csrUri !== undefined && order.state !== 'outcome-unknown')
    words.push('replaceable');
  if (order.csrUri !== undefined) words.push('hasCsr');
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

/** Label prefixes: an order number stands alone (it is what people recognise), the rarer kinds say what they are. */
const KIND_PREFIXES = { orderNumber: words``, serialNumber: words`Serial `, certificateID: words`Cert. ID ` } as const;

function callSummary(entry: OrderEntry): Text {
  const what = entry.endpoint === 'AutoReplaceSMIME' ? t('Replace') : entry.test ? t('Test revoke') : t('Revoke');
  return words`${what}: ${stateLabel(entry.state, entry)}`;
}

/** The tooltip of an order: Markdown from the Markdown sink, every stored value a code span. */
function tooltipOf(order: OrderSummary): Markdown {
  const rows: Markdown[] = [];
  const row = (name: Text, value: Text | string | undefined): void => {
    if (value !== undefined && value !== '')
      rows.push(markup`**${name}**: ${typeof value === 'string' ? outside(value) : value}  `);
  };
  rows.push(
    markup`**${order.kind === 'smime' ? words`S/MIME` : words`SSL`}** ${outside(`${order.identifierKind} ${order.identifier}`)}  `,
  );
  row(
    t('State'),
    stateLabel(order.state, { newOrderNumber: order.newOrderNumber, errorCode: order.calls[0]?.errorCode }),
  );
  row(t('Endpoint'), words`${outside(order.baseUrl)}${order.production ? words`` : words` ${t('(not production)')}`}`);
  row(t('Account'), order.loginName);
  row(t('CSR file'), fileLabel(order.csrUri));
  row(t('Certificate file'), fileLabel(order.certificateUri));
  rows.push(markup`\n**${t('Calls')}**  `);
  for (const call of order.calls.slice(0, 10))
    rows.push(
      markup`${timeText(Date.parse(call.time))}: ${callSummary(call)}${call.message ? words` (${outside(call.message)})` : words``}  `,
    );
  return joinMarkdown(rows, markup`\n`);
}

type TopNode = OrderNode | RunNode | DroppedNode;

/** A top-level row: its node, and the node's data as text, to tell whether it changed. */
interface TopRow {
  readonly node: TopNode;
  readonly text: string;
}

function textOf(node: TopNode): string {
  if (node instanceof OrderNode) return JSON.stringify([node.order, node.showHost]);
  if (node instanceof RunNode) return JSON.stringify([node.run, node.orders]);
  return String(node.count);
}

/** The top-level rows of a history, in the order drawn: unfinished runs, orders, finished runs, the dropped count. */
function topRowsOf({ entries, runs, dropped }: HistoryState): TopRow[] {
  // A run's failures and unknowns sit beneath it; an entry whose run was dropped stands alone.
  const runIds = new Set(runs.map((run) => run.id));
  const beneath = (entry: OrderEntry): boolean => entry.bulkRunId !== undefined && runIds.has(entry.bulkRunId);
  const orders = groupOrders(entries.filter((entry) => !beneath(entry)));
  const severalEndpoints = new Set(orders.map((order) => order.baseUrl)).size > 1;
  const runNodes = runs.map(
    (run) => new RunNode(run, groupOrders(entries.filter((entry) => entry.bulkRunId === run.id))),
  );
  // Unfinished runs first: they wait for Resume or Discard.
  runNodes.sort((a, b) => Number(a.run.finished) - Number(b.run.finished));
  const nodes: TopNode[] = [
    ...runNodes.filter((runNode) => !runNode.run.finished),
    ...orders.map((order) => new OrderNode(order, severalEndpoints)),
    ...runNodes.filter((runNode) => runNode.run.finished),
    ...(dropped > 0 ? [new DroppedNode(dropped)] : []),
  ];
  return nodes.map((node) => ({ node, text: textOf(node) }));
}

/** Gives `drawn` the data of `fresh`, a node of the same row: VS Code keeps the object it knows. */
function adopt(drawn: TopNode, fresh: TopNode): void {
  if (drawn instanceof OrderNode && fresh instanceof OrderNode) {
    drawn.order = fresh.order;
    drawn.showHost = fresh.showHost;
  } else if (drawn instanceof RunNode && fresh instanceof RunNode) {
    drawn.run = fresh.run;
    drawn.orders = fresh.orders;
  } else if (drawn instanceof DroppedNode && fresh instanceof DroppedNode) {
    drawn.count = fresh.count;
  }
}

/** Whether two lists of rows are the same rows (ids and kinds) in the same order. */
function sameRows(a: readonly TopRow[], b: readonly TopRow[]): boolean {
  return (
    a.length === b.length &&
    a.every((row, index) => row.node.id === b[index]?.node.id && row.node.constructor === b[index]?.node.constructor)
  );
}

export class OrdersTreeProvider implements vscode.TreeDataProvider<OrdersTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<OrdersTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  /** The top-level rows as last given to VS Code (or about to be, after a whole redraw). */
  private drawn: TopRow[] | undefined;
  /** A check for changes is running; another was asked for meanwhile. */
  private checking: Promise<void> | undefined;
  private checkAgain = false;

  constructor(
    private readonly store: OrdersStore,
    private readonly log: SectigoLog,
  ) {
    const subscription = store.onDidChange(() => this.refreshIfChanged());
    this.disposables.push(new vscode.Disposable(() => subscription.dispose()));
  }

  /** Redraws the whole tree (the Refresh button). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /**
   * Redraws what changed, and only that. A redraw of the whole tree makes the extension host
   * forget every row until the workbench asks for them again, and a context-menu command chosen
   * meanwhile arrives without its row ("not in the history"). So: our own write, the file
   * watcher's echo of it and each regained focus all ask, and only a change redraws; when the
   * rows stay the same rows (a bulk run's counts, a new call of an order), only the rows that
   * changed are redrawn, as the same objects, and a menu open on any other row stays valid; a
   * burst of writes makes one check per round, not one per write.
   */
  refreshIfChanged(): Promise<void> {
    if (this.checking !== undefined) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.checkAgain = false;
        try {
          const history = await this.store.load();
          // A corrupt file moved aside is news even when the new history looks like the drawn one.
          this.redrawChanges(topRowsOf(history), history.corruptFileMovedTo !== undefined);
        } catch {
          // getChildren reports an unreadable history; let it.
          this.changed.fire(undefined);
        }
      } while (this.checkAgain);
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** The rows, each row drawn before as its old object (given the new data): see refreshIfChanged. */
  private withKnownObjects(rows: readonly TopRow[]): TopRow[] {
    const known = new Map((this.drawn ?? []).map((row) => [row.node.id, row.node]));
    return rows.map(({ node, text }) => {
      const kept = known.get(node.id);
      if (kept === undefined || kept.constructor !== node.constructor) return { node, text };
      adopt(kept, node);
      return { node: kept, text };
    });
  }

  private redrawChanges(rows: TopRow[], whole: boolean): void {
    const drawn = this.drawn;
    if (whole || drawn === undefined || !sameRows(drawn, rows)) {
      // What the redraw will draw: a second check before the workbench asks need not redraw again.
      this.drawn = this.withKnownObjects(rows);
      this.changed.fire(undefined);
      return;
    }
    const changedRows = drawn.filter((row, index) => row.text !== rows[index]?.text);
    if (changedRows.length === 0) return;
    this.drawn = drawn.map((row, index) => {
      const fresh = rows[index] as TopRow;
      if (row.text === fresh.text) return row;
      adopt(row.node, fresh.node);
      return { node: row.node, text: fresh.text };
    });
    this.changed.fire(changedRows.map((row) => row.node));
  }

  getTreeItem(node: OrdersTreeNode): vscode.TreeItem {
    if (node instanceof DroppedNode) {
      return treeItem({
        label:
          node.count === 1
            ? t('1 older finished entry dropped to make room')
            : t('{0} older finished entries dropped to make room', countText(node.count)),
        id: 'dropped',
        iconPath: new vscode.ThemeIcon('info'),
        contextValue: 'sectigoDropped',
      });
    }
    if (node instanceof RunNode) {
      const { run } = node;
      // The list's name as the label and the state first in the description, so what matters
      // ("unfinished: 105 of 150 left") fits the default sidebar width.
      const counts = outside(countsLine({ ...run, revoked: run.accepted }));
      const left = run.unknown + run.notSent;
      const kind = run.test ? t('test call (test=Y)') : t('revocation');
      const state = run.discarded
        ? t('discarded')
        : run.finished
          ? undefined
          : t('unfinished: {0} of {1} left', countText(left), countText(run.total));
      const description = joinText(
        [state, kind, counts].filter((part) => part !== undefined),
        words` · `,
      );
      const title = words`${run.test ? t('Test call from list') : t('Revocation from list')} ${outside(run.source)}`;
      return treeItem({
        label: words`${outside(run.source)}`,
        collapsible:
          node.orders.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        id: node.id,
        description,
        accessibilityLabel: words`${title}: ${description}`,
        tooltip: joinText(
          [
            title,
            words`${outside(run.loginName)} @ ${outside(hostOf(run.baseUrl))}`,
            outside(run.endpoint),
            counts,
            t('Journal: {0}', outside(run.journal)),
            ...(run.finished ? [] : [t('Resume sends what is left after a confirmation; Discard gives it up.')]),
          ],
          words`\n`,
        ),
        iconPath: new vscode.ThemeIcon(run.finished ? 'checklist' : 'debug-pause'),
        contextValue: `sectigoRun${run.finished ? '' : ' unfinished'}`,
      });
    }
    if (node instanceof CallNode) {
      const { entry } = node;
      return treeItem({
        label: callSummary(entry),
        id: `call:${entry.id}`,
        description: timeText(Date.parse(entry.time)),
        ...(entry.logLine !== undefined && { tooltip: words`${outside(entry.logLine)}` }),
        iconPath: iconOf(entry.state),
        contextValue: `sectigoCall state-${entry.state}`,
      });
    }
    const { order } = node;
    // Short label (the number) and a short description (the state), so both fit the default sidebar
    // width; the endpoint is in the tooltip, and beside the state only when several endpoints share the view.
    const state = stateLabel(order.state, {
      newOrderNumber: order.newOrderNumber,
      errorCode: order.calls[0]?.errorCode,
    });
    return treeItem({
      label: words`${KIND_PREFIXES[order.identifierKind]}${outside(order.identifier)}`,
      collapsible: vscode.TreeItemCollapsibleState.Collapsed,
      id: `order:${order.key}`,
      description: node.showHost ? words`${state} · ${outside(hostOf(order.baseUrl))}` : state,
      tooltip: tooltipOf(order),
      iconPath: iconOf(order.state),
      contextValue: orderContextValue(order),
      accessibilityLabel: words`${order.kind === 'smime' ? words`S/MIME` : words`SSL`} ${outside(order.identifierKind)} ${outside(order.identifier)}: ${state}${order.production ? words`` : words`, at ${outside(hostOf(order.baseUrl))}`}`,
    });
  }

  async getChildren(node?: OrdersTreeNode): Promise<OrdersTreeNode[]> {
    if (node instanceof OrderNode) return node.order.calls.map((entry) => new CallNode(node.order, entry));
    if (node instanceof RunNode) return node.orders.map((order) => new OrderNode(order));
    if (node) return [];
    try {
      const history = await this.store.load();
      const corruptFileMovedTo = this.store.takeCorruptFileNotice();
      void vscode.commands.executeCommand('setContext', ContextKeys.hasOrders, history.entries.length > 0);
      if (corruptFileMovedTo) {
        this.log.warn(
          words`The order history could not be read; it was kept as ${outside(corruptFileMovedTo)} and a new one started.`,
        );
        void showWarning(
          t(
            'The Sectigo order history could not be read. It was kept as {0} and a new history started.',
            outside(corruptFileMovedTo),
          ),
        );
      }
      this.drawn = this.withKnownObjects(topRowsOf(history));
      return this.drawn.map((row) => row.node);
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

/**
 * The view's provider and what refreshes it. The view itself is created at activation
 * (orders-view.ts), which asks for this provider, in the orders bundle, on its first reveal.
 */
export function registerOrdersTree(
  context: vscode.ExtensionContext,
  store: OrdersStore,
  log: SectigoLog,
): OrdersTreeProvider {
  const provider = new OrdersTreeProvider(store, log);
  // Another window writes the same file: re-read when it changes, and when this window regains focus.
  const watcher = vscode.workspace.createFileSystemWatcher(
    new vscode.RelativePattern(vscode.Uri.file(dirname(store.file)), basename(store.file)),
  );
  context.subscriptions.push(
    provider,
    watcher,
    watcher.onDidChange(() => void provider.refreshIfChanged()),
    watcher.onDidCreate(() => void provider.refreshIfChanged()),
    watcher.onDidDelete(() => void provider.refreshIfChanged()),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) void provider.refreshIfChanged();
    }),
  );
  return provider;
}
