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
import { joinMarkdown, markup, type Markdown } from '../../core/markdown-text';
import { countText, joinText, outside, plainText, timeText, words, type Text } from '../../core/outside-text';
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
import { treeItem } from '../shared/labels';
import type { SectigoLog } from '../shared/log';
import { showWarning } from '../shared/messages';
import { t } from '../shared/text';

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
    public headline: Text,
    public explanation: Text,
  ) {}
}

export type OrdersTreeNode = OrderNode | CallNode | RunNode | RunPartNode | RunTargetNode | DroppedNode | NoticeNode;

/** How the view names what a call named the certificate by, in a sentence ("order 1000007"). */
const IDENTIFIER_WORDS: Record<OrderIdentifier, () => Text> = {
  orderNumber: () => t('order'),
  serialNumber: () => t('serial number'),
  certificateID: () => t('certificate ID'),
};

/** Label prefixes: an order number stands alone (it is what people recognise), the rarer kinds say what they are. */
const KIND_PREFIXES = { orderNumber: words``, serialNumber: words`Serial `, certificateID: words`Cert. ID ` } as const;

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
): Text {
  if (entry.errorCode === -21 && entry.endpoint !== 'AutoReplaceSMIME')
    return short ? t('already revoked') : words`${outside(ALREADY_REVOKED_WORDS)}`;
  switch (state) {
    case 'replaced':
      return entry.newOrderNumber ? t('replaced → {0}', outside(entry.newOrderNumber)) : t('replaced');
    case 'revoked':
      return t('revoked');
    case 'test-revoked':
      return words`${outside(short ? acceptedTiny(true) : acceptedWords(true))}`;
    case 'failed':
      return entry.errorCode !== undefined ? t('failed {0}', entry.errorCode) : t('failed');
    case 'outcome-unknown':
      return t('outcome unknown');
  }
}

/** An order's state in words: its strongest fact (revoked) says "revoked", even when it was a -21. */
function orderStateLabel(order: OrderSummary, short: boolean): Text {
  const latest = order.calls[0];
  if (order.state === 'revoked') return t('revoked');
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
function callKind(entry: OrderEntry, short = false): Text {
  return entry.endpoint === 'AutoReplaceSMIME'
    ? t('Replace')
    : entry.test
      ? short
        ? t('Test')
        : t('Test revoke')
      : t('Revoke');
}

function callSummary(entry: OrderEntry, short: boolean): Text {
  // "Replaced → 2000001" says the kind itself: a row has no room for "Replace: replaced → 2000001".
  if (short && entry.state === 'replaced')
    return entry.newOrderNumber ? t('Replaced → {0}', outside(entry.newOrderNumber)) : t('Replaced');
  return words`${callKind(entry, short)}: ${stateLabel(entry.state, entry, short)}`;
}

/** When, as short as a row needs: the time today, the date before (the whole moment is in the tooltip). */
function shortTime(time: string): Text {
  const at = new Date(time);
  return at.toDateString() === new Date().toDateString() ? timeText(at, 'hour-minute') : timeText(at, 'date');
}

/** A call in a sentence, for the tooltip and the screen reader: what, of what, the answer, when, where, as whom. */
function callSentence(order: OrderSummary, entry: OrderEntry): Text {
  const what = words`${callKind(entry)} ${IDENTIFIER_WORDS[entry.identifierKind]()} ${outside(entry.identifier)}`;
  const answer = stateLabel(entry.state, entry);
  const said = entry.message ? words` (${t('Sectigo said: {0}', outside(entry.message))})` : words``;
  const as = entry.loginName ? words` ${t('as {0}', outside(entry.loginName))}` : words``;
  return words`${what}: ${answer}${said}, ${timeText(Date.parse(entry.time))}, ${t('at {0}', outside(hostOf(order.baseUrl)))}${as}`;
}

/** The tooltip of an order: Markdown from the Markdown sink, every stored value a code span. */
function tooltipOf(order: OrderSummary): Markdown {
  const rows: Markdown[] = [];
  const row = (name: Text, value: Text | string | undefined): void => {
    if (value !== undefined && value !== '')
      rows.push(markup`**${name}**: ${typeof value === 'string' ? outside(value) : value}  `);
  };
  rows.push(
    markup`**${order.kind === 'smime' ? words`S/MIME` : words`SSL`}** ${IDENTIFIER_WORDS[order.identifierKind]()} ${outside(order.identifier)}  `,
  );
  row(t('State'), orderStateLabel(order, false));
  row(t('Endpoint'), words`${outside(order.baseUrl)}${order.production ? words`` : words` ${t('(not production)')}`}`);
  row(t('Account'), order.loginName);
  row(t('CSR file'), fileLabel(order.csrUri));
  row(t('Certificate file'), fileLabel(order.certificateUri));
  rows.push(markup`\n**${t('Calls')}**  `);
  for (const call of order.calls.slice(0, 10))
    rows.push(
      markup`${timeText(Date.parse(call.time))}: ${callSummary(call, false)}${call.message ? words` (${outside(call.message)})` : words``}  `,
    );
  return joinMarkdown(rows, markup`\n`);
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
): { label: Text; description?: Text } {
  const n = countText(count);
  switch (outcome) {
    case 'accepted':
      return run.test
        ? { label: t('{0} accepted', n), description: t('test=Y · nothing revoked') }
        : { label: t('{0} revoked', n) };
    case 'already-revoked':
      return { label: t('{0} already revoked', n), description: words`-21` };
    case 'failed':
      return { label: t('{0} failed', n) };
    case 'unknown':
      return { label: t('{0} outcome unknown', n) };
    case 'not-sent':
      return { label: t('{0} not sent', n) };
  }
}

/** A run's outcome in whole words ("150 accepted by the test call (nothing revoked)"). */
function outcomeGroupWords(run: BulkRunRecord, outcome: RunOutcomeKind, count: number): Text {
  if (outcome === 'accepted') return words`${countText(count)} ${outside(acceptedWords(run.test))}`;
  if (outcome === 'already-revoked') return words`${countText(count)} ${outside(ALREADY_REVOKED_WORDS)}`;
  return outcomeGroupLabel(run, outcome, count).label;
}

/** One target's answer in the words of its row: short (what fits), and whole. */
function targetAnswer(run: BulkRunRecord, outcome: RunOutcome, short: boolean): Text {
  switch (outcome.outcome) {
    case 'accepted':
      return words`${outside(short ? acceptedTiny(run.test) : acceptedWords(run.test))}`;
    case 'already-revoked':
      return words`${outside(ALREADY_REVOKED_WORDS)}`;
    case 'failed':
      return outcome.code !== undefined ? t('failed {0}', outcome.code) : t('failed');
    case 'unknown':
      return t('outcome unknown');
    case 'not-sent':
      return t('not sent');
  }
}

/**
 * A run's description: what matters first, so it fits the default sidebar width ("unfinished: 105
 * of 150 left · 5 failed · 40 revoked"); the kind of run is its icon and its tooltip.
 */
function runDescription(run: BulkRunRecord): Text {
  const already = run.alreadyRevoked ?? 0;
  const accepted = run.accepted - already;
  const left = run.unknown + run.notSent;
  // Test or real is the row's icon and its tooltip: a test run's accepted ones are "accepted", never "revoked".
  const parts = [
    run.discarded
      ? t('discarded')
      : run.finished
        ? undefined
        : t('unfinished: {0} of {1} left', countText(left), countText(run.total)),
    run.failed > 0 ? t('{0} failed', countText(run.failed)) : undefined,
    run.unknown > 0 ? t('{0} unknown', countText(run.unknown)) : undefined,
    already > 0 ? t('{0} already revoked', countText(already)) : undefined,
    accepted > 0 || already === 0
      ? run.test
        ? t('{0} accepted', countText(accepted))
        : t('{0} revoked', countText(accepted))
      : undefined,
  ];
  return joinText(
    parts.filter((part) => part !== undefined),
    words` · `,
  );
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
  if (node instanceof NoticeNode) return `${plainText(node.headline)}\n${plainText(node.explanation)}`;
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
    notices.push(new NoticeNode('notice:audit', t('The audit record cannot be read'), words`${outside(auditProblem)}`));
  else if (auditSkippedLines !== undefined)
    notices.push(
      new NoticeNode(
        'notice:audit',
        t('{0} of the audit record skipped', outside(countOf(auditSkippedLines, 'unreadable line'))),
        t('A line torn by a crash, or edited by hand, cannot be read; the rest of the record is shown.'),
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
    drawn.headline = fresh.headline;
    drawn.explanation = fresh.explanation;
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
            ? t('1 older test call dropped to make room')
            : t('{0} older test calls dropped to make room', countText(node.count)),
        id: 'dropped',
        tooltip: t(
          'The history keeps the newest test calls and test runs; every real call and real run stays in the audit record.',
        ),
        iconPath: new vscode.ThemeIcon('info'),
        contextValue: 'sectigoDropped',
      });
    }
    if (node instanceof NoticeNode) {
      return treeItem({
        label: node.headline,
        id: node.id,
        tooltip: node.explanation,
        accessibilityLabel: words`${node.headline}: ${node.explanation}`,
        iconPath: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
        contextValue: 'sectigoNotice',
      });
    }
    if (node instanceof RunNode) return this.runItem(node);
    if (node instanceof RunPartNode) {
      const { run, outcome, count, page } = node;
      const group = outcomeGroupLabel(run, outcome, count);
      const range = page ? t('{0}–{1} of', countText(page.offset + 1), countText(page.offset + page.size)) : undefined;
      const whole = outcomeGroupWords(run, outcome, count);
      return treeItem({
        label: range ? words`${range} ${group.label}` : group.label,
        collapsible: vscode.TreeItemCollapsibleState.Collapsed,
        id: node.id,
        ...(group.description !== undefined && { description: group.description }),
        accessibilityLabel: words`${runTitle(run)}: ${range ? words`${range} ${whole}` : whole}`,
        tooltip: whole,
        iconPath: outcomeIcon(outcome, run.test),
        contextValue: `sectigoRunPart outcome-${outcome}`,
      });
    }
    if (node instanceof RunTargetNode) {
      const { run, outcome } = node;
      const identifier = TARGET_IDENTIFIER[outcome.kind];
      const whole = words`${IDENTIFIER_WORDS[identifier]()} ${outside(outcome.value)}: ${targetAnswer(run, outcome, false)}`;
      return treeItem({
        label: words`${KIND_PREFIXES[identifier]}${outside(outcome.value)}`,
        id: node.id,
        // Its group says the outcome; the row adds only a failure's code (the whole answer is in the tooltip).
        ...(outcome.outcome === 'failed' && outcome.code !== undefined && { description: words`${outcome.code}` }),
        tooltip: joinText(
          [
            whole,
            t('Line {0} of {1}', outcome.line, outside(run.source)),
            // A test run's journal records Sectigo's 0 as it came: the run's own words say what it meant.
            ...(outcome.meaning !== undefined && outcome.outcome !== 'accepted' ? [outside(outcome.meaning)] : []),
            ...(outcome.message !== undefined ? [t('Sectigo said: {0}', outside(outcome.message))] : []),
            ...(outcome.time !== undefined ? [timeText(Date.parse(outcome.time))] : []),
          ],
          words`\n`,
        ),
        accessibilityLabel: words`${whole}, ${t('line {0} of {1}', outcome.line, outside(run.source))}`,
        iconPath: outcomeIcon(outcome.outcome, run.test),
        contextValue: `sectigoRunTarget outcome-${outcome.outcome}`,
      });
    }
    if (node instanceof CallNode) {
      const { entry } = node;
      // A sentence, not the log line (which carries the entry's internal id): the log is one click away.
      const sentence = callSentence(node.order, entry);
      return treeItem({
        label: callSummary(entry, true),
        id: `call:${entry.id}`,
        description: shortTime(entry.time),
        tooltip: sentence,
        accessibilityLabel: sentence,
        iconPath: iconOf(isAlreadyRevoked(entry) ? 'revoked' : entry.state),
        contextValue: `sectigoCall state-${entry.state}`,
      });
    }
    const { order } = node;
    // Short label (the number) and a short description (the state), so both fit the default sidebar
    // width; the endpoint is in the tooltip, and beside the state only when several endpoints share the view.
    const state = orderStateLabel(order, true);
    return treeItem({
      label: words`${KIND_PREFIXES[order.identifierKind]}${outside(order.identifier)}`,
      collapsible: vscode.TreeItemCollapsibleState.Collapsed,
      id: `order:${order.key}`,
      description: node.showHost ? words`${state} · ${outside(hostOf(order.baseUrl))}` : state,
      tooltip: tooltipOf(order),
      iconPath: iconOf(order.state),
      contextValue: orderContextValue(order),
      accessibilityLabel: words`${order.kind === 'smime' ? words`S/MIME` : words`SSL`} ${IDENTIFIER_WORDS[order.identifierKind]()} ${outside(order.identifier)}: ${orderStateLabel(order, false)}${order.production ? words`` : words`, ${t('at {0}', outside(hostOf(order.baseUrl)))}`}`,
    });
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const { run } = node;
    // The list's name as the label and what matters first in the description, so it fits the
    // default sidebar width. A run always has targets: it always expands.
    const counts = outside(countsLine({ ...run, revoked: run.accepted }));
    const title = runTitle(run);
    const state = run.discarded
      ? t('discarded')
      : run.finished
        ? undefined
        : t('unfinished: {0} of {1} left', countText(run.unknown + run.notSent), countText(run.total));
    return treeItem({
      label: words`${outside(run.source)}`,
      collapsible: vscode.TreeItemCollapsibleState.Collapsed,
      id: node.id,
      description: runDescription(run),
      accessibilityLabel: words`${title}${state ? words`, ${state}` : words``}: ${counts}`,
      tooltip: joinText(
        [
          title,
          ...(state ? [state] : []),
          words`${outside(run.loginName)} @ ${outside(hostOf(run.baseUrl))}`,
          outside(run.endpoint),
          counts,
          t('Started {0}', timeText(Date.parse(run.time))),
          t('Journal: {0}', outside(run.journal)),
          ...(run.finished ? [] : [t('Resume sends what is left after a confirmation; Discard gives it up.')]),
        ],
        words`\n`,
      ),
      iconPath: new vscode.ThemeIcon(run.finished ? (run.test ? 'beaker' : 'checklist') : 'debug-pause'),
      contextValue: `sectigoRun ${run.test ? 'test' : 'real'}${run.finished ? '' : ' unfinished'}`,
    });
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
          words`The order history could not be read; it was kept as ${outside(corruptFileMovedTo)} and a new one started.`,
        );
        void showWarning(
          t(
            'The Sectigo order history could not be read. It was kept as {0} and a new history started.',
            outside(corruptFileMovedTo),
          ),
        );
      }
      if (history.auditProblem !== undefined) this.log.error(words`${outside(history.auditProblem)}`);
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
          t('Nothing answered yet'),
          t('The journal {0} records no answer yet.', outside(run.journal)),
        ),
      ];
    } catch (error) {
      this.log.error(words`The journal of the revocation from ${outside(run.source)} could not be read.`, error);
      return [
        new NoticeNode(
          `runnotice:${run.id}`,
          t('The journal cannot be read'),
          words`${outside(run.journal)}: ${outside(error instanceof Error ? error.message : String(error))}`,
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
      this.log.error(words`The journal of the revocation from ${outside(run.source)} could not be read.`, error);
      return [];
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }
}

/** "Test call from list incident.csv (test=Y, nothing is revoked)", "Revocation from list incident.csv". */
function runTitle(run: BulkRunRecord): Text {
  return words`${outside(runWords(run.test))}: ${outside(run.source)}`;
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
 * (orders-view.ts), which asks for this provider, in the calls bundle, on its first reveal.
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
