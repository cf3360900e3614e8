// The actions on the orders tree: refresh, clear, copy order number, open CSR, show log
// entry (a read-only document), remove, revoke (the test first), revoke for real (after a
// test), test revoke, revoke selected (the selection as one bulk run), replace again. A node
// command acts only on an order or call that exists in the orders store, found by its id:
// whatever else the argument carries is ignored,
// and an argument that names nothing stored is refused with a log line naming its shape
// (any extension can run these commands with any argument).
import * as vscode from 'vscode';
import { renderLogEntry } from '../../core/line-text';
import { joinText, outside, words, type Text } from '../../core/outside-text';
import { Commands } from '../shared/ids';
import { showStatusBarMessage } from '../shared/labels';
import { t } from '../shared/text';
import {
  automationArgs,
  describeShape,
  ensureTrusted,
  isAutomation,
  registerGuarded,
} from '../shared/command-boundary';
import type { SectigoLog } from '../shared/log';
import {
  DEFAULT_ORDERS_LIMIT,
  belongsInAuditRecord,
  groupOrders,
  runBelongsInAuditRecord,
  type ClearScope,
  type OrderEntry,
  type OrderSummary,
  type OrdersStore,
} from '../../core/sectigo/orders-store';
import { countOf } from '../../core/sectigo/outcome-words';
import { askOnce } from '../shared/multi-step-input';
import { CallNode, OrderNode, RunNode, stateLabel, type OrdersTreeProvider } from './orders-tree';
import { replaceSmime } from './replace-flow';
import { isRevocationCode, validateCodeReason } from '../../core/sectigo/validate';
import { confirmPick, dialogAnswerOf } from './confirm';
import { REVOKE_AUTOMATION_SHAPE, revokeSsl, type RevokeAutomation, type RevokeTarget } from './revoke-flow';
import { revokeOrdersInBulk } from './bulk-revoke-flow';
import type { CallDeps } from './run-call';

const LOG_ENTRY_SCHEME = 'sectigo-log';

/** Revoke Selected's automation: the reason, and test or the dialog's answer; the orders come from the selection. */
const SELECTED_AUTOMATION_SHAPE = {
  revocationReason: 'string?',
  codeReason: 'number?',
  test: 'boolean?',
  dialog: 'string?',
} as const;

/** The id an argument names: a tree node's, or a plain `{ id }` (tests, scripts). Nothing else is read from it. */
function idOf(argument: unknown): string | undefined {
  if (argument instanceof OrderNode || argument instanceof CallNode || argument instanceof RunNode) return argument.id;
  if (typeof argument === 'object' && argument !== null && !Array.isArray(argument)) {
    const id = (argument as { id?: unknown }).id;
    if (typeof id === 'string' && id.length > 0 && id.length <= 1000) return id;
  }
  return undefined;
}

interface StoredTarget {
  order: OrderSummary;
  /** The call the argument named, or the order's latest. */
  call: OrderEntry;
  /** Whether the argument named that call (a call node), not the order. */
  namedCall: boolean;
}

/**
 * The refusal of a tree command that came with no row at all: from a keybinding, or from a menu
 * of a row the view was redrawing just then (VS Code forgets a redrawn row's object until the
 * workbench asks for it again). Either way, choosing it again from the row is the way.
 */
function noRowError(command: string, log: SectigoLog): Error {
  log.warn(words`${outside(command)} refused: it came without a row of the Sectigo Orders view.`);
  return new Error(
    vscode.l10n.t(
      'No order came with this command: choose it from a row of the Sectigo Orders view (if you just did, the view was being redrawn: choose it again).',
    ),
  );
}

/** The stored order (and call) an argument names, by id; refused with a log line otherwise. */
async function resolveStored(
  store: OrdersStore,
  log: SectigoLog,
  command: string,
  argument: unknown,
): Promise<StoredTarget> {
  if (argument === undefined || argument === null) throw noRowError(command, log);
  const id = idOf(argument);
  if (id !== undefined) {
    const orders = groupOrders((await store.load()).entries);
    for (const order of orders) {
      if (order.key === id) return { order, call: order.calls[0] as OrderEntry, namedCall: false };
      const call = order.calls.find((candidate) => candidate.id === id);
      if (call) return { order, call, namedCall: true };
    }
  }
  log.warn(
    words`${outside(command)} refused: its argument ${outside(describeShape(argument))} names no order in the Sectigo Orders history.`,
  );
  throw new Error(
    vscode.l10n.t('Run this from an order in the Sectigo Orders view; the order given is not in the history.'),
  );
}

/** How many rows VS Code passes as the selection beside the clicked one (its second argument). */
function selectedCount(selection: unknown): number {
  return Array.isArray(selection) ? selection.length : 0;
}

/**
 * A command for one order, run with several rows selected (a keybinding, or a menu of an older
 * manifest): it would act on the clicked row alone and leave the rest without a word, so it refuses
 * and says what applies to a selection instead.
 */
function refuseSelection(title: string, selection: unknown, forSelection: string | undefined): void {
  const count = selectedCount(selection);
  if (count <= 1) return;
  throw new Error(
    forSelection
      ? vscode.l10n.t(
          '{0} acts on one order, and {1} rows are selected: use {2} for all of them.',
          title,
          String(count),
          forSelection,
        )
      : vscode.l10n.t('{0} acts on one order, and {1} rows are selected: select one.', title, String(count)),
  );
}

/** More arguments than the tree can show orders is not a selection. */
const MAX_SELECTED = DEFAULT_ORDERS_LIMIT;

/**
 * The stored orders a multi-select names: the clicked node and the selection VS Code passes beside
 * it, by id, each once. Any argument that names nothing stored refuses the whole command.
 */
async function resolveSelection(
  store: OrdersStore,
  log: SectigoLog,
  command: string,
  clicked: unknown,
  selection: unknown,
): Promise<OrderSummary[]> {
  if (clicked === undefined || clicked === null) throw noRowError(command, log);
  const given = [clicked, ...(Array.isArray(selection) ? selection : [])];
  if (given.length > MAX_SELECTED + 1)
    throw new Error(vscode.l10n.t('At most {0} orders can be revoked from the tree at once.', String(MAX_SELECTED)));
  const orders = groupOrders((await store.load()).entries);
  const chosen = new Map<string, OrderSummary>();
  for (const argument of given) {
    const id = idOf(argument);
    const order =
      id === undefined
        ? undefined
        : orders.find((candidate) => candidate.key === id || candidate.calls.some((call) => call.id === id));
    if (!order) {
      log.warn(
        words`${outside(command)} refused: its argument ${outside(describeShape(argument))} names no order in the Sectigo Orders history.`,
      );
      throw new Error(
        vscode.l10n.t('Run this from orders in the Sectigo Orders view; an order given is not in the history.'),
      );
    }
    chosen.set(order.key, order);
  }
  return [...chosen.values()];
}

/** What AutoRevokeSSL is given for an SSL order; S/MIME orders are never revoked through it. */
function revokeTargetOf(order: OrderSummary): RevokeTarget {
  if (order.kind !== 'ssl')
    throw new Error(
      vscode.l10n.t(
        '{0} {1} is an S/MIME order: AutoRevokeSSL revokes SSL certificates only. Replace it with "revoke the old certificate" instead.',
        order.identifierKind,
        order.identifier,
      ),
    );
  if (order.state === 'revoked')
    throw new Error(vscode.l10n.t('{0} {1} is already revoked.', order.identifierKind, order.identifier));
  return {
    kind: order.identifierKind,
    value: order.identifier,
    ...(order.certificateUri ? { certificateUri: order.certificateUri } : {}),
  };
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
    // The history's values are outside text: each on its line, as the log shows them.
    const header = entry
      ? [
          renderLogEntry(
            words`${outside(entry.endpoint)} ${outside(entry.identifierKind)} ${outside(entry.identifier)}: ${stateLabel(entry.state, entry)}`,
          ),
          renderLogEntry(words`time ${outside(entry.time)}`),
          renderLogEntry(words`endpoint ${outside(entry.baseUrl)}`),
          renderLogEntry(words`login ${outside(entry.loginName ?? '')}`),
          '',
        ]
      : [];
    if (lines && lines.length > 0) return [...header, ...lines].join('\n') + '\n';
    if (entry?.logLine)
      return (
        [
          ...header,
          renderLogEntry(words`${outside(entry.logLine)}`),
          '',
          vscode.l10n.t('(The full log of this call is in the Sectigo output channel of the window that made it.)'),
        ].join('\n') + '\n'
      );
    return renderLogEntry(words`${t('No log entry {0} is known.', outside(id))}\n`);
  }
}

/**
 * What Clear Order History clears, asked as a quick pick whose first choice (Enter) keeps
 * everything: the test calls only, or the audit record of real calls too.
 */
async function askClearScope(store: OrdersStore): Promise<ClearScope | undefined> {
  const { entries, runs } = await store.load();
  const real = entries.filter(belongsInAuditRecord).length + runs.filter(runBelongsInAuditRecord).length;
  const tests = entries.length + runs.length - real;
  const choice = await askOnce(t('Clear order history'), (input) =>
    confirmPick<'keep' | ClearScope>(input, t('Clear the Sectigo Orders history? Nothing is changed at Sectigo.'), [
      { label: t('Keep Everything'), value: 'keep', irreversible: false },
      {
        label: t('Clear the Test Calls'),
        detail: t(
          '{0} and test runs go; the audit record of {1} stays',
          outside(countOf(tests, 'test call')),
          outside(countOf(real, 'real call or run', 'real calls and runs')),
        ),
        value: 'history',
        irreversible: true,
      },
      {
        label: t('Clear Everything, the Audit Record Too'),
        detail: t(
          '{0} go, with the record of what was revoked and replaced',
          outside(countOf(tests + real, 'entry', 'entries')),
        ),
        value: 'all',
        irreversible: true,
      },
    ]),
  );
  return choice === 'keep' ? undefined : choice;
}

/** The question before a real call's record is removed from the audit record: Enter keeps it. */
async function confirmRemoval(audited: readonly Text[]): Promise<boolean> {
  const shown = words`${joinText(
    audited.slice(0, 3),
    words`, `,
  )}${audited.length > 3 ? words` ${t('and {0} more', audited.length - 3)}` : words``}`;
  const choice = await askOnce(t('Remove from history'), (input) =>
    confirmPick<'keep' | 'remove'>(
      input,
      t('Remove the audit record of {0}? It is the record of a real call to Sectigo.', shown),
      [
        { label: t('Keep the Record'), value: 'keep', irreversible: false },
        {
          label: audited.length === 1 ? t('Remove It') : t('Remove Them'),
          detail: t('Nothing is changed at Sectigo; only this record is gone'),
          value: 'remove',
          irreversible: true,
        },
      ],
    ),
  );
  return choice === 'remove';
}

export function registerOrdersCommands(
  context: vscode.ExtensionContext,
  deps: CallDeps,
  tree: OrdersTreeProvider,
): void {
  const { store, log } = deps;
  const command = (id: string, what: Text, body: (...args: unknown[]) => Promise<unknown>): vscode.Disposable =>
    registerGuarded(log, id, what, (_args, raw) => body(...raw));
  const stored = (id: string, argument: unknown): Promise<StoredTarget> => resolveStored(store, log, id, argument);
  const revokeAutomation = (args: unknown[]): RevokeAutomation | undefined =>
    args.length > 1 ? automationArgs<RevokeAutomation>(args[args.length - 1], REVOKE_AUTOMATION_SHAPE) : undefined;

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(LOG_ENTRY_SCHEME, new LogEntryDocuments(store, log)),
    command(Commands.refreshOrders, t('Refresh orders'), async () => tree.refresh()),
    command(Commands.clearOrders, t('Clear order history'), async (...args) => {
      // Automation clears all, as it always did; a person chooses, and Enter keeps everything.
      const scope = isAutomation(args[args.length - 1]) ? 'all' : await askClearScope(store);
      if (scope === undefined) return;
      await store.clear(scope);
      log.info(
        scope === 'all' ? 'Order history and audit record cleared.' : 'Test calls cleared from the order history.',
      );
    }),
    command(Commands.copyOrderNumber, t('Copy order number'), async (node) => {
      const { order, call, namedCall } = await stored(Commands.copyOrderNumber, node);
      const value = namedCall ? (call.newOrderNumber ?? call.identifier) : (order.newOrderNumber ?? order.identifier);
      await vscode.env.clipboard.writeText(value);
      showStatusBarMessage(t('Copied {0}', outside(value)), 3000);
      return value;
    }),
    command(Commands.openOrderCsr, t('Open CSR'), async (node) => {
      const { order } = await stored(Commands.openOrderCsr, node);
      if (!order.csrUri) throw new Error(vscode.l10n.t('No CSR file is recorded for this order.'));
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(order.csrUri));
      await vscode.window.showTextDocument(document, { preview: true });
    }),
    command(Commands.showOrderLogEntry, t('Show log entry'), async (node) => {
      const { call } = await stored(Commands.showOrderLogEntry, node);
      const document = await vscode.workspace.openTextDocument(
        vscode.Uri.from({ scheme: LOG_ENTRY_SCHEME, path: `/${call.id}.log` }),
      );
      await vscode.window.showTextDocument(document, { preview: true });
    }),
    // Applies to the whole selection: every selected row (the clicked one among them) goes. A real call's
    // record (the audit record) goes only after a question whose Enter keeps it.
    command(Commands.removeOrder, t('Remove order from history'), async (node, selection, ...rest) => {
      const automated = isAutomation([selection, ...rest].at(-1));
      const rows = selectedCount(selection) > 1 && Array.isArray(selection) ? [node, ...selection] : [node];
      if (rows.length > MAX_SELECTED + 1)
        throw new Error(vscode.l10n.t('At most {0} rows can be removed at once.', String(MAX_SELECTED)));
      const ids = new Set<string>();
      const runs = new Set<string>();
      const audited: Text[] = [];
      const { runs: records } = await store.load();
      for (const row of rows) {
        const id = idOf(row);
        const record = id?.startsWith('run:') ? records.find((run) => `run:${run.id}` === id) : undefined;
        if (record) {
          if (!record.finished)
            throw new Error(vscode.l10n.t('An unfinished run is resumed or discarded, not removed.'));
          runs.add(record.id);
          if (runBelongsInAuditRecord(record)) audited.push(t('the revocation from {0}', outside(record.source)));
          continue;
        }
        const { order, call, namedCall } = await stored(Commands.removeOrder, row);
        // A call node removes that call; an order node the whole order.
        for (const entry of namedCall ? [call] : order.calls) {
          ids.add(entry.id);
          if (belongsInAuditRecord(entry))
            audited.push(
              words`${outside(entry.identifierKind)} ${outside(entry.identifier)} (${stateLabel(entry.state, entry)})`,
            );
        }
      }
      if (audited.length > 0 && !automated && !(await confirmRemoval(audited))) return;
      for (const run of runs) await store.removeRun(run);
      if (ids.size > 0) await store.remove(...ids);
    }),
    // Revoke from the tree is the same as from the palette: the confirmation's default is the test (test=Y).
    command(Commands.revokeOrder, t('Revoke'), async (...args) => {
      refuseSelection(vscode.l10n.t('Revoke…'), args[1], vscode.l10n.t('Revoke Selected…'));
      const { order } = await stored(Commands.revokeOrder, args[0]);
      const automation = revokeAutomation(args);
      if (!ensureTrusted(automation !== undefined)) return undefined;
      return revokeSsl(deps, { target: revokeTargetOf(order), ...(automation ? { automation } : {}) });
    }),
    command(Commands.revokeOrderForReal, t('Revoke for real'), async (...args) => {
      refuseSelection(vscode.l10n.t('Revoke for Real…'), args[1], vscode.l10n.t('Revoke Selected…'));
      const { order } = await stored(Commands.revokeOrderForReal, args[0]);
      const automation = revokeAutomation(args);
      if (!ensureTrusted(automation !== undefined)) return undefined;
      const last = order.calls.find((call) => call.state === 'test-revoked');
      // The reason of the test, when the history holds a usable one; otherwise it is asked again.
      const code = last?.codeReason ?? 0;
      const reason =
        last?.revocationReason !== undefined && isRevocationCode(code)
          ? { reason: { codeReason: code, revocationReason: last.revocationReason } }
          : {};
      return revokeSsl(deps, {
        target: revokeTargetOf(order),
        afterTest: true,
        ...reason,
        ...(automation ? { automation } : {}),
      });
    }),
    command(Commands.testRevokeOrder, t('Test revoke'), async (...args) => {
      refuseSelection(vscode.l10n.t('Test Revoke…'), args[1], vscode.l10n.t('Revoke Selected…'));
      const { order } = await stored(Commands.testRevokeOrder, args[0]);
      const automation = revokeAutomation(args);
      if (!ensureTrusted(automation !== undefined)) return undefined;
      return revokeSsl(deps, { target: revokeTargetOf(order), mode: 'test', ...(automation ? { automation } : {}) });
    }),
    // The selected orders as one bulk run: one confirmation (the test first), a journal, a resume.
    command(Commands.revokeSelectedOrders, t('Revoke selected'), async (...args) => {
      const automation =
        args.length > 1
          ? automationArgs<RevokeAutomation>(args[args.length - 1], SELECTED_AUTOMATION_SHAPE)
          : undefined;
      const orders = await resolveSelection(store, log, Commands.revokeSelectedOrders, args[0], args[1]);
      if (automation?.codeReason !== undefined && !isRevocationCode(automation.codeReason))
        throw new Error(validateCodeReason(automation.codeReason));
      const answer = dialogAnswerOf(automation?.dialog);
      return revokeOrdersInBulk(
        deps,
        orders,
        automation && {
          confirm: true,
          ...(automation.revocationReason !== undefined && { revocationReason: automation.revocationReason }),
          ...(automation.codeReason !== undefined &&
            isRevocationCode(automation.codeReason) && { codeReason: automation.codeReason }),
          ...(automation.test !== undefined && { test: automation.test }),
          ...(answer !== undefined && { dialog: answer }),
        },
      );
    }),
    command(Commands.replaceOrderAgain, t('Replace again'), async (node, selection) => {
      refuseSelection(vscode.l10n.t('Replace Again…'), selection, undefined);
      const { order } = await stored(Commands.replaceOrderAgain, node);
      if (!ensureTrusted(false)) return undefined;
      if (order.kind !== 'smime')
        throw new Error(vscode.l10n.t('{0} {1} is not an S/MIME order.', order.identifierKind, order.identifier));
      return replaceSmime(deps, {
        ...(order.csrUri ? { uri: vscode.Uri.parse(order.csrUri) } : {}),
        ...(order.csrBlockIndex !== undefined ? { blockIndex: order.csrBlockIndex } : {}),
        // After a successful replace the old order is superseded: the next replace is of the new one, and the step says why.
        orderNumber: order.newOrderNumber ?? order.identifier,
        ...(order.newOrderNumber !== undefined && {
          orderNote: vscode.l10n.t(
            '{0} is the order that replaced {1}: its certificate is the current one. To replace {1} itself, type its number.',
            order.newOrderNumber,
            order.identifier,
          ),
        }),
      });
    }),
  );
}
