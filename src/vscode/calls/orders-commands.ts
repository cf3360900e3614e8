// The actions on the orders tree: refresh, clear, copy order number, open CSR, show log
// entry (a read-only document), remove, revoke, test revoke, replace again. Node commands
// take the OrderNode VS Code passes; they are kept out of the palette in package.json.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { SectigoLog } from './log';
import type { OrderEntry, OrdersStore } from './orders-store';
import { OrderNode, stateLabel, type OrdersTreeProvider } from './orders-tree';
import { guarded, replaceSmime } from './replace-command';
import { revokeSsl } from './revoke-command';
import { isAutomation, type CallDeps } from './run-call';

const LOG_ENTRY_SCHEME = 'sectigo-log';

function entryOf(node: unknown): OrderEntry | undefined {
  if (node instanceof OrderNode) return node.entry;
  const candidate = node as { entry?: OrderEntry } | undefined;
  return candidate?.entry && typeof candidate.entry.id === 'string' ? candidate.entry : undefined;
}

class LogEntryDocuments implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly store: OrdersStore,
    private readonly log: SectigoLog,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.log$/, '');
    const entry = await this.store.get(id);
    const lines = this.log.entryLines(id);
    const header = entry
      ? [`${entry.endpoint} ${entry.identifierKind} ${entry.identifier}: ${stateLabel(entry)}`, `time ${entry.time}`, `endpoint ${entry.baseUrl}`, '']
      : [];
    if (lines && lines.length > 0) return [...header, ...lines].join('\n') + '\n';
    if (entry?.logLine) return [...header, entry.logLine, '', vscode.l10n.t('(The full log of this call is in the Sectigo output channel of the window that made it.)')].join('\n') + '\n';
    return vscode.l10n.t('No log entry {0} is known.', id) + '\n';
  }
}

export function registerOrdersCommands(context: vscode.ExtensionContext, deps: CallDeps, tree: OrdersTreeProvider): void {
  const { store, log } = deps;
  const needEntry = (node: unknown): OrderEntry => {
    const entry = entryOf(node);
    if (!entry) throw new Error(vscode.l10n.t('Run this from an order in the Sectigo Orders view.'));
    return entry;
  };
  const command = (id: string, what: string, body: (...args: unknown[]) => Promise<unknown>): vscode.Disposable =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => guarded(deps, what, isAutomation(args[args.length - 1]), () => body(...args)));

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(LOG_ENTRY_SCHEME, new LogEntryDocuments(store, log)),
    command(Commands.refreshOrders, vscode.l10n.t('Refresh orders'), async () => tree.refresh()),
    command(Commands.clearOrders, vscode.l10n.t('Clear order history'), async (...args) => {
      if (!isAutomation(args[args.length - 1])) {
        const clear = vscode.l10n.t('Clear History');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove every order from the Sectigo Orders history? Nothing is changed at Sectigo.'),
          { modal: true },
          clear,
        );
        if (choice !== clear) return;
      }
      await store.clear();
      log.info('Order history cleared.');
    }),
    command(Commands.copyOrderNumber, vscode.l10n.t('Copy order number'), async (node) => {
      const entry = needEntry(node);
      const value = entry.newOrderNumber ?? entry.identifier;
      await vscode.env.clipboard.writeText(value);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', value), 3000);
      return value;
    }),
    command(Commands.openOrderCsr, vscode.l10n.t('Open CSR'), async (node) => {
      const entry = needEntry(node);
      if (!entry.csrUri) throw new Error(vscode.l10n.t('No CSR file is recorded for this order.'));
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(entry.csrUri));
      await vscode.window.showTextDocument(document, { preview: true });
    }),
    command(Commands.showOrderLogEntry, vscode.l10n.t('Show log entry'), async (node) => {
      const entry = needEntry(node);
      const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: LOG_ENTRY_SCHEME, path: `/${entry.id}.log` }));
      await vscode.window.showTextDocument(document, { preview: true });
    }),
    command(Commands.removeOrder, vscode.l10n.t('Remove order from history'), async (node) => {
      await store.remove(needEntry(node).id);
    }),
    command(Commands.revokeOrder, vscode.l10n.t('Revoke'), async (node) => {
      const entry = needEntry(node);
      return revokeSsl(deps, { target: { kind: entry.identifierKind, value: entry.identifier, ...(entry.certificateUri ? { certificateUri: entry.certificateUri } : {}) }, mode: 'real' });
    }),
    command(Commands.testRevokeOrder, vscode.l10n.t('Test revoke'), async (node) => {
      const entry = needEntry(node);
      return revokeSsl(deps, { target: { kind: entry.identifierKind, value: entry.identifier, ...(entry.certificateUri ? { certificateUri: entry.certificateUri } : {}) }, mode: 'test' });
    }),
    command(Commands.replaceOrderAgain, vscode.l10n.t('Replace again'), async (node) => {
      const entry = needEntry(node);
      return replaceSmime(deps, {
        ...(entry.csrUri ? { uri: vscode.Uri.parse(entry.csrUri) } : {}),
        ...(entry.csrBlockIndex !== undefined ? { blockIndex: entry.csrBlockIndex } : {}),
        // After a successful replace the old order is superseded: the next replace is of the new one.
        orderNumber: entry.newOrderNumber ?? entry.identifier,
      });
    }),
  );
}
