// The "Sectigo Orders" view: one node per order (every call that named the same certificate at
// the same endpoint), in the state of its strongest fact (order-state.ts), with its calls beneath
// it; one node per bulk run, whose targets' answers are read from the run's journal when it is
// expanded (core/sectigo/bulk/run-outcomes.ts): a group per outcome, a 100,000-target run in
// pages of PAGE_SIZE, each page read on demand. Unfinished runs come first (they wait for Resume
// or Discard); then orders and runs together, by their latest event.
//
// Every node's id is unique in the whole tree: an order `order:<key>`, a call `call:<entry>`, a
// run `run:<id>`, a run's group and page `runpart:<id>/<outcome>[/<offset>]`, a run's target
// `runtarget:<id>/<target>` (a target of a run is never the order row of the same order).
//
// contextValue carries words the menus match with `viewItem =~ /\bword\b/`: sectigoOrder or
// sectigoCall, kind-smime / kind-ssl, state-<state>, and the actions that fit: revocable (SSL,
// not revoked, not test-revoked), revokeForReal (SSL, test-revoked), replaceable (S/MIME with a
// CSR, outcome known), hasCsr; a run is sectigoRun (unfinished when it is). AutoRevokeSSL revokes
// SSL certificates only, so an S/MIME order never offers it: its old certificate is revoked by a
// replace with revokeOldOrder. The view allows multi-select: Revoke Selected… takes the selection.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  ALREADY_REVOKED_WORDS,
  acceptedTiny,
  acceptedWords,
  countOf,
  countsLine,
  runWords,
} from '../../core/sectigo/outcome-words';
import { hostOf } from '../../core/sectigo/call-plan';
import { isAlreadyRevoked } from '../../core/sectigo/order-state';
import {
  RUN_OUTCOME_KINDS,
  readRunOutcomes,
  type RunOutcome,
  type RunOutcomeKind,
} from '../../core/sectigo/bulk/run-outcomes';
import { ContextKeys } from '../shared/ids';
import {
  groupOrders,
  type BulkRunRecord,
  type LoadOutcome,
  type OrderEntry,
  type OrderIdentifier,
  type OrderState,
  type OrderSummary,
  type OrdersStore,
} from '../../core/sectigo/orders-store';
import type { SectigoLog } from '../shared/log';

/** The most targets a run's outcome shows at once; more are split into pages of this many. */
export const PAGE_SIZE = 500;

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

/** A bulk run: one node for the whole list; its targets' answers beneath it, read from its journal. */
export class RunNode {
  readonly type = 'run';
  constructor(public run: BulkRunRecord) {}
  get id(): string {
    return `run:${this.run.id}`;
  }
}

/** The targets of a run with one outcome ("5 failed"), or one page of them. */
export class RunPartNode {
  readonly type = 'run-part';
  constructor(
    readonly run: BulkRunRecord,
    readonly outcome: RunOutcomeKind,
    /** How many targets of the run have this outcome. */
    readonly count: number,
    /** A page of them (offset, and at most PAGE_SIZE), or all of them. */
    readonly page?: { offset: number; size: number },
  ) {}
  get id(): string {
    return `runpart:${this.run.id}/${this.outcome}${this.page ? `/${this.page.offset}` : ''}`;
  }
}

/** One target of a run, with its answer. */
export class RunTargetNode {
  readonly type = 'run-target';
  constructor(
    readonly run: BulkRunRecord,
    readonly outcome: RunOutcome,
  ) {}
  get id(): string {
    return `runtarget:${this.run.id}/${this.outcome.target}`;
  }
}

/** How many finished test calls were dropped to make room (never the audit record, never pending work). */
export class DroppedNode {
  readonly type = 'dropped';
  readonly id = 'dropped';
  constructor(public count: number) {}
}

/** Something the view must say (the audit record cannot be read, a journal cannot be read). */
export class NoticeNode {
  readonly type = 'notice';
  constructor(
    readonly id: string,
    public text: string,
    public detail: string,
  ) {}
}

export type OrdersTreeNode = OrderNode | CallNode | RunNode | RunPartNode | RunTargetNode | DroppedNode | NoticeNode;

/** How the view names what a call named the certificate by, in a sentence ("order 1000007"). */
const IDENTIFIER_WORDS: Record<OrderIdentifier, () => string> = {
  orderNumber: () => vscode.l10n.t('order'),
  serialNumber: () => vscode.l10n.t('serial number'),
  certificateID: () => vscode.l10n.t('certificate ID'),
};

/** Label prefixes: an order number stands alone (it is what people recognise), the rarer kinds say what they are. */
const KIND_PREFIXES = { orderNumber: '', serialNumber: 'Serial ', certificateID: 'Cert. ID ' } as const;

const TARGET_IDENTIFIER: Record<RunOutcome['kind'], OrderIdentifier> = {
  order: 'orderNumber',
  serial: 'serialNumber',
  'certificate-id': 'certificateID',
};

/**
 * A state in words. `short` is a row's description, cut to what fits the default sidebar width
 * ("test accepted"); the full words ("test accepted (nothing revoked)") go to the tooltip and the
 * screen reader. A -21 is "already revoked" whatever the call was.
 */
export function stateLabel(
  state: OrderState,
  entry: { newOrderNumber?: string | undefined; errorCode?: number | undefined; endpoint?: string | undefined },
  short = false,
): string {
  if (entry.errorCode === -21 && entry.endpoint !== 'AutoReplaceSMIME')
    return short ? vscode.l10n.t('already revoked') : ALREADY_REVOKED_WORDS;
  switch (state) {
    case 'replaced':
      return entry.newOrderNumber ? vscode.l10n.t('replaced → {0}', entry.newOrderNumber) : vscode.l10n.t('replaced');
    case 'revoked':
      return vscode.l10n.t('revoked');
    case 'test-revoked':
      return short ? acceptedTiny(true) : acceptedWords(true);
    case 'failed':
      return entry.errorCode !== undefined
        ? vscode.l10n.t('failed {0}', String(entry.errorCode))
        : vscode.l10n.t('failed');
    case 'outcome-unknown':
      return vscode.l10n.t('outcome unknown');
  }
}

/** An order's state in words: its strongest fact (revoked) says "revoked", even when it was a -21. */
function orderStateLabel(order: OrderSummary, short: boolean): string {
  const latest = order.calls[0];
  if (order.state === 'revoked') return vscode.l10n.t('revoked');
  return stateLabel(order.state, { newOrderNumber: order.newOrderNumber, errorCode: latest?.errorCode }, short);
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

/** What a call was: "Replace", "Test revoke", "Revoke"; short, for a row ("Test"). */
function callKind(entry: OrderEntry, short = false): string {
  return entry.endpoint === 'AutoReplaceSMIME'
    ? vscode.l10n.t('Replace')
    : entry.test
      ? short
        ? vscode.l10n.t('Test')
        : vscode.l10n.t('Test revoke')
      : vscode.l10n.t('Revoke');
}

function callSummary(entry: OrderEntry, short: boolean): string {
  // "Replaced → 2000001" says the kind itself: a row has no room for "Replace: replaced → 2000001".
  if (short && entry.state === 'replaced') {
    const state = stateLabel(entry.state, entry, true);
    return state.charAt(0).toUpperCase() + state.slice(1);
  }
  return `${callKind(entry, short)}: ${stateLabel(entry.state, entry, short)}`;
}

/** When, as short as a row needs: the time today, the date before (the whole moment is in the tooltip). */
function shortTime(time: string): string {
  const at = new Date(time);
  return at.toDateString() === new Date().toDateString()
    ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleDateString();
}

/** A call in a sentence, for the tooltip and the screen reader: what, of what, the answer, when, where, as whom. */
function callSentence(order: OrderSummary, entry: OrderEntry): string {
  const what = `${callKind(entry)} ${IDENTIFIER_WORDS[entry.identifierKind]()} ${entry.identifier}`;
  const answer = stateLabel(entry.state, entry);
  const said = entry.message ? ` (${vscode.l10n.t('Sectigo said: {0}', entry.message)})` : '';
  return `${what}: ${answer}${said}, ${new Date(entry.time).toLocaleString()}, ${vscode.l10n.t('at {0}', hostOf(order.baseUrl))}${entry.loginName ? ` ${vscode.l10n.t('as {0}', entry.loginName)}` : ''}`;
}

function tooltipOf(order: OrderSummary): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, true);
  tip.isTrusted = false;
  const row = (name: string, value: string | number | boolean | undefined): void => {
    if (value !== undefined && value !== '')
      tip.appendMarkdown(`**${name}**: `).appendText(String(value)).appendMarkdown('  \n');
  };
  tip
    .appendMarkdown(`$(${order.kind === 'smime' ? 'mail' : 'lock'}) **${order.kind === 'smime' ? 'S/MIME' : 'SSL'}** `)
    .appendText(`${IDENTIFIER_WORDS[order.identifierKind]()} ${order.identifier}`)
    .appendMarkdown('  \n');
  row(vscode.l10n.t('State'), orderStateLabel(order, false));
  row(vscode.l10n.t('Endpoint'), `${order.baseUrl}${order.production ? '' : ` ${vscode.l10n.t('(not production)')}`}`);
  row(vscode.l10n.t('Account'), order.loginName);
  row(vscode.l10n.t('CSR file'), fileLabel(order.csrUri));
  row(vscode.l10n.t('Certificate file'), fileLabel(order.certificateUri));
  tip.appendMarkdown(`\n**${vscode.l10n.t('Calls')}**  \n`);
  for (const call of order.calls.slice(0, 10)) {
    tip
      .appendText(
        `${new Date(call.time).toLocaleString()}: ${callSummary(call, false)}${call.message ? ` (${call.message})` : ''}`,
      )
      .appendMarkdown('  \n');
  }
  return tip;
}

/**
 * A run's outcome in the words of its group row: the count and the outcome as the label, what
 * qualifies it as the description ("150 accepted", "test=Y · nothing revoked"), short enough for
 * the default sidebar width; the whole words go to the screen reader (outcomeGroupWords).
 */
function outcomeGroupLabel(
  run: BulkRunRecord,
  outcome: RunOutcomeKind,
  count: number,
): { label: string; description?: string } {
  const n = count.toLocaleString();
  switch (outcome) {
    case 'accepted':
      return run.test
        ? { label: vscode.l10n.t('{0} accepted', n), description: vscode.l10n.t('test=Y · nothing revoked') }
        : { label: vscode.l10n.t('{0} revoked', n) };
    case 'already-revoked':
      return { label: vscode.l10n.t('{0} already revoked', n), description: '-21' };
    case 'failed':
      return { label: vscode.l10n.t('{0} failed', n) };
    case 'unknown':
      return { label: vscode.l10n.t('{0} outcome unknown', n) };
    case 'not-sent':
      return { label: vscode.l10n.t('{0} not sent', n) };
  }
}

/** A run's outcome in whole words ("150 accepted by the test call (nothing revoked)"). */
function outcomeGroupWords(run: BulkRunRecord, outcome: RunOutcomeKind, count: number): string {
  const n = count.toLocaleString();
  if (outcome === 'accepted') return `${n} ${acceptedWords(run.test)}`;
  if (outcome === 'already-revoked') return `${n} ${ALREADY_REVOKED_WORDS}`;
  return outcomeGroupLabel(run, outcome, count).label;
}

/** One target's answer in the words of its row: short (what fits), and whole. */
function targetAnswer(run: BulkRunRecord, outcome: RunOutcome, short: boolean): string {
  switch (outcome.outcome) {
    case 'accepted':
      return short ? acceptedTiny(run.test) : acceptedWords(run.test);
    case 'already-revoked':
      return ALREADY_REVOKED_WORDS;
    case 'failed':
      return outcome.code !== undefined ? vscode.l10n.t('failed {0}', String(outcome.code)) : vscode.l10n.t('failed');
    case 'unknown':
      return vscode.l10n.t('outcome unknown');
    case 'not-sent':
      return vscode.l10n.t('not sent');
  }
}

/**
 * A run's description: what matters first, so it fits the default sidebar width ("unfinished: 105
 * of 150 left · 5 failed · 40 revoked"); the kind of run is its icon and its tooltip.
 */
function runDescription(run: BulkRunRecord): string {
  const already = run.alreadyRevoked ?? 0;
  const accepted = run.accepted - already;
  const left = run.unknown + run.notSent;
  // Test or real is the row's icon and its tooltip: a test run's accepted ones are "accepted", never "revoked".
  const parts = [
    run.discarded
      ? vscode.l10n.t('discarded')
      : run.finished
        ? undefined
        : vscode.l10n.t('unfinished: {0} of {1} left', left.toLocaleString(), run.total.toLocaleString()),
    run.failed > 0 ? vscode.l10n.t('{0} failed', run.failed.toLocaleString()) : undefined,
    run.unknown > 0 ? vscode.l10n.t('{0} unknown', run.unknown.toLocaleString()) : undefined,
    already > 0 ? vscode.l10n.t('{0} already revoked', already.toLocaleString()) : undefined,
    accepted > 0 || already === 0
      ? run.test
        ? vscode.l10n.t('{0} accepted', accepted.toLocaleString())
        : vscode.l10n.t('{0} revoked', accepted.toLocaleString())
      : undefined,
  ];
  return parts.filter((part) => part !== undefined).join(' · ');
}

type TopNode = OrderNode | RunNode | DroppedNode | NoticeNode;

/** A top-level row: its node, and the node's data as text, to tell whether it changed. */
interface TopRow {
  readonly node: TopNode;
  readonly text: string;
}

function textOf(node: TopNode): string {
  if (node instanceof OrderNode) return JSON.stringify([node.order, node.showHost]);
  if (node instanceof RunNode) return JSON.stringify(node.run);
  if (node instanceof NoticeNode) return `${node.text}\n${node.detail}`;
  return String(node.count);
}

/**
 * The top-level rows of a history, in the order drawn: a notice when the audit record cannot be
 * read, the unfinished runs, then orders and finished runs by their latest event, the dropped count.
 */
function topRowsOf({ entries, runs, dropped, auditProblem, auditSkippedLines }: LoadOutcome): TopRow[] {
  // Earlier versions kept a run's failures as entries beneath it: the run's journal has them now.
  const orders = groupOrders(entries.filter((entry) => entry.bulkRunId === undefined));
  const severalEndpoints = new Set(orders.map((order) => order.baseUrl)).size > 1;
  const dated: Array<{ latest: string; node: OrderNode | RunNode }> = [
    ...orders.map((order) => ({ latest: order.latest, node: new OrderNode(order, severalEndpoints) })),
    ...runs.filter((run) => run.finished).map((run) => ({ latest: run.updated || run.time, node: new RunNode(run) })),
  ];
  dated.sort((a, b) => b.latest.localeCompare(a.latest));
  const unfinished = runs
    .filter((run) => !run.finished)
    .sort((a, b) => b.time.localeCompare(a.time))
    .map((run) => new RunNode(run));
  const notices: NoticeNode[] = [];
  if (auditProblem !== undefined)
    notices.push(new NoticeNode('notice:audit', vscode.l10n.t('The audit record cannot be read'), auditProblem));
  else if (auditSkippedLines !== undefined)
    notices.push(
      new NoticeNode(
        'notice:audit',
        vscode.l10n.t('{0} of the audit record skipped', countOf(auditSkippedLines, 'unreadable line')),
        vscode.l10n.t('A line torn by a crash, or edited by hand, cannot be read; the rest of the record is shown.'),
      ),
    );
  const nodes: TopNode[] = [
    ...notices,
    ...unfinished,
    ...dated.map((item) => item.node),
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
  } else if (drawn instanceof DroppedNode && fresh instanceof DroppedNode) {
    drawn.count = fresh.count;
  } else if (drawn instanceof NoticeNode && fresh instanceof NoticeNode) {
    drawn.text = fresh.text;
    drawn.detail = fresh.detail;
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
      const item = new vscode.TreeItem(
        node.count === 1
          ? vscode.l10n.t('1 older test call dropped to make room')
          : vscode.l10n.t('{0} older test calls dropped to make room', node.count.toLocaleString()),
        vscode.TreeItemCollapsibleState.None,
      );
      item.id = 'dropped';
      item.tooltip = vscode.l10n.t(
        'The history keeps the newest test calls and test runs; every real call and real run stays in the audit record.',
      );
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'sectigoDropped';
      return item;
    }
    if (node instanceof NoticeNode) {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.tooltip = node.detail;
      item.accessibilityInformation = { label: `${node.text}: ${node.detail}` };
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'sectigoNotice';
      return item;
    }
    if (node instanceof RunNode) return this.runItem(node);
    if (node instanceof RunPartNode) {
      const { run, outcome, count, page } = node;
      const group = outcomeGroupLabel(run, outcome, count);
      const range = page
        ? vscode.l10n.t('{0}–{1} of', (page.offset + 1).toLocaleString(), (page.offset + page.size).toLocaleString())
        : undefined;
      const item = new vscode.TreeItem(
        range ? `${range} ${group.label}` : group.label,
        vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = node.id;
      if (group.description !== undefined) item.description = group.description;
      const words = outcomeGroupWords(run, outcome, count);
      item.accessibilityInformation = { label: `${runTitle(run)}: ${range ? `${range} ${words}` : words}` };
      item.tooltip = words;
      item.iconPath = outcomeIcon(outcome, run.test);
      item.contextValue = `sectigoRunPart outcome-${outcome}`;
      return item;
    }
    if (node instanceof RunTargetNode) {
      const { run, outcome } = node;
      const identifier = TARGET_IDENTIFIER[outcome.kind];
      const item = new vscode.TreeItem(
        `${KIND_PREFIXES[identifier]}${outcome.value}`,
        vscode.TreeItemCollapsibleState.None,
      );
      item.id = node.id;
      // Its group says the outcome; the row adds only a failure's code (the whole answer is in the tooltip).
      if (outcome.outcome === 'failed' && outcome.code !== undefined) item.description = String(outcome.code);
      const whole = `${IDENTIFIER_WORDS[identifier]()} ${outcome.value}: ${targetAnswer(run, outcome, false)}`;
      item.tooltip = [
        whole,
        vscode.l10n.t('Line {0} of {1}', String(outcome.line), run.source),
        // A test run's journal records Sectigo's 0 as it came: the run's own words say what it meant.
        ...(outcome.meaning !== undefined && outcome.outcome !== 'accepted' ? [outcome.meaning] : []),
        ...(outcome.message !== undefined ? [vscode.l10n.t('Sectigo said: {0}', outcome.message)] : []),
        ...(outcome.time !== undefined ? [new Date(outcome.time).toLocaleString()] : []),
      ].join('\n');
      item.accessibilityInformation = {
        label: `${whole}, ${vscode.l10n.t('line {0} of {1}', String(outcome.line), run.source)}`,
      };
      item.iconPath = outcomeIcon(outcome.outcome, run.test);
      item.contextValue = `sectigoRunTarget outcome-${outcome.outcome}`;
      return item;
    }
    if (node instanceof CallNode) {
      const { entry } = node;
      const item = new vscode.TreeItem(callSummary(entry, true), vscode.TreeItemCollapsibleState.None);
      item.id = `call:${entry.id}`;
      item.description = shortTime(entry.time);
      // A sentence, not the log line (which carries the entry's internal id): the log is one click away.
      const sentence = callSentence(node.order, entry);
      item.tooltip = sentence;
      item.accessibilityInformation = { label: sentence };
      item.iconPath = iconOf(isAlreadyRevoked(entry) ? 'revoked' : entry.state);
      item.contextValue = `sectigoCall state-${entry.state}`;
      return item;
    }
    const { order } = node;
    // Short label (the number) and a short description (the state), so both fit the default sidebar
    // width; the endpoint is in the tooltip, and beside the state only when several endpoints share the view.
    const item = new vscode.TreeItem(
      `${KIND_PREFIXES[order.identifierKind]}${order.identifier}`,
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `order:${order.key}`;
    const state = orderStateLabel(order, true);
    item.description = node.showHost ? `${state} · ${hostOf(order.baseUrl)}` : state;
    item.tooltip = tooltipOf(order);
    item.iconPath = iconOf(order.state);
    item.contextValue = orderContextValue(order);
    item.accessibilityInformation = {
      label: `${order.kind === 'smime' ? 'S/MIME' : 'SSL'} ${IDENTIFIER_WORDS[order.identifierKind]()} ${order.identifier}: ${orderStateLabel(order, false)}${order.production ? '' : `, ${vscode.l10n.t('at {0}', hostOf(order.baseUrl))}`}`,
    };
    return item;
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const { run } = node;
    // The list's name as the label and what matters first in the description, so it fits the
    // default sidebar width. A run always has targets: it always expands.
    const item = new vscode.TreeItem(run.source, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = runDescription(run);
    const counts = countsLine({ ...run, revoked: run.accepted });
    const title = runTitle(run);
    const state = run.discarded
      ? vscode.l10n.t('discarded')
      : run.finished
        ? undefined
        : vscode.l10n.t(
            'unfinished: {0} of {1} left',
            (run.unknown + run.notSent).toLocaleString(),
            run.total.toLocaleString(),
          );
    item.accessibilityInformation = {
      label: `${title}${state ? `, ${state}` : ''}: ${counts}`,
    };
    item.tooltip = [
      title,
      ...(state ? [state] : []),
      `${run.loginName} @ ${hostOf(run.baseUrl)}`,
      run.endpoint,
      counts,
      vscode.l10n.t('Started {0}', new Date(run.time).toLocaleString()),
      vscode.l10n.t('Journal: {0}', run.journal),
      ...(run.finished ? [] : [vscode.l10n.t('Resume sends what is left after a confirmation; Discard gives it up.')]),
    ].join('\n');
    item.iconPath = new vscode.ThemeIcon(run.finished ? (run.test ? 'beaker' : 'checklist') : 'debug-pause');
    item.contextValue = `sectigoRun ${run.test ? 'test' : 'real'}${run.finished ? '' : ' unfinished'}`;
    return item;
  }

  async getChildren(node?: OrdersTreeNode): Promise<OrdersTreeNode[]> {
    if (node instanceof OrderNode) return node.order.calls.map((entry) => new CallNode(node.order, entry));
    if (node instanceof RunNode) return this.runChildren(node.run);
    if (node instanceof RunPartNode) return this.partChildren(node);
    if (node) return [];
    try {
      const history = await this.store.load();
      const corruptFileMovedTo = this.store.takeCorruptFileNotice();
      void vscode.commands.executeCommand(
        'setContext',
        ContextKeys.hasOrders,
        history.entries.length > 0 || history.runs.length > 0,
      );
      if (corruptFileMovedTo) {
        this.log.warn(
          `The order history could not be read; it was kept as ${corruptFileMovedTo} and a new one started.`,
        );
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'The Sectigo order history could not be read. It was kept as {0} and a new history started.',
            corruptFileMovedTo,
          ),
        );
      }
      if (history.auditProblem !== undefined) this.log.error(history.auditProblem);
      this.drawn = this.withKnownObjects(topRowsOf(history));
      return this.drawn.map((row) => row.node);
    } catch (error) {
      this.log.error('The order history could not be loaded.', error);
      return [];
    }
  }

  /** A run's outcomes by kind, from its journal (read when the run is expanded, not before). */
  private async runChildren(run: BulkRunRecord): Promise<OrdersTreeNode[]> {
    try {
      const { counts } = await readRunOutcomes(run.journal, { limit: 0 });
      const parts = RUN_OUTCOME_KINDS.filter((kind) => counts[kind] > 0).map(
        (kind) => new RunPartNode(run, kind, counts[kind]),
      );
      if (parts.length > 0) return parts;
      return [
        new NoticeNode(
          `runnotice:${run.id}`,
          vscode.l10n.t('Nothing answered yet'),
          vscode.l10n.t('The journal {0} records no answer yet.', run.journal),
        ),
      ];
    } catch (error) {
      this.log.error(`The journal of the revocation from ${run.source} could not be read.`, error);
      return [
        new NoticeNode(
          `runnotice:${run.id}`,
          vscode.l10n.t('The journal cannot be read'),
          `${run.journal}: ${(error as Error).message}`,
        ),
      ];
    }
  }

  /** The targets of one outcome: up to PAGE_SIZE at once, else one node per page, each read when expanded. */
  private async partChildren(node: RunPartNode): Promise<OrdersTreeNode[]> {
    const { run, outcome, count, page } = node;
    if (!page && count > PAGE_SIZE) {
      const pages: RunPartNode[] = [];
      for (let offset = 0; offset < count; offset += PAGE_SIZE)
        pages.push(new RunPartNode(run, outcome, count, { offset, size: Math.min(PAGE_SIZE, count - offset) }));
      return pages;
    }
    try {
      const read = await readRunOutcomes(run.journal, {
        filter: [outcome],
        offset: page?.offset ?? 0,
        limit: page?.size ?? PAGE_SIZE,
      });
      return read.outcomes.map((found) => new RunTargetNode(run, found));
    } catch (error) {
      this.log.error(`The journal of the revocation from ${run.source} could not be read.`, error);
      return [];
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }
}

/** "Test call from list incident.csv (test=Y, nothing is revoked)", "Revocation from list incident.csv". */
function runTitle(run: BulkRunRecord): string {
  return `${runWords(run.test)}: ${run.source}`;
}

function outcomeIcon(outcome: RunOutcomeKind, test: boolean): vscode.ThemeIcon {
  switch (outcome) {
    case 'accepted':
      return test ? new vscode.ThemeIcon('beaker') : iconOf('revoked');
    case 'already-revoked':
      return iconOf('revoked');
    case 'failed':
      return iconOf('failed');
    case 'unknown':
      return iconOf('outcome-unknown');
    case 'not-sent':
      return new vscode.ThemeIcon('circle-outline');
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
  // Another window writes the same files: re-read when one changes, and when this window regains focus.
  const watchers = [store.file, store.auditFile].map((file) =>
    vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)),
    ),
  );
  context.subscriptions.push(
    provider,
    ...watchers,
    ...watchers.flatMap((watcher) => [
      watcher.onDidChange(() => void provider.refreshIfChanged()),
      watcher.onDidCreate(() => void provider.refreshIfChanged()),
      watcher.onDidDelete(() => void provider.refreshIfChanged()),
    ]),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) void provider.refreshIfChanged();
    }),
  );
  return provider;
}
