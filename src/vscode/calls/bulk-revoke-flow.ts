// The start of a bulk revocation, the sectigo-csr revoke --from of VS Code: "Sectigo: Revoke
// from List…" (a list file or text) and Revoke Selected… on the orders tree. The list is checked
// whole, one modal confirmation names the count, endpoint, account and reason and offers the test
// revocation first, and the run shows a cancellable progress notification. The run itself
// (journal lock, checks, resume plan, pacer, summary) is core's (core/sectigo/bulk/stored-run.ts),
// run by bulk-run.ts; what is done with runs once they exist (resume, discard, the real run of a
// tested list, the loop over the result's choices) is bulk-resume-flow.ts's, handed in as BulkRuns.
import * as vscode from 'vscode';
import { joinText, outside, plainText, words } from '../../core/outside-text';
import type { RevocationCode } from '../../core/sectigo/types';
import { isRevocationCode, validateCodeReason } from '../../core/sectigo/validate';
import type { BulkRunManifest, InterruptedRun } from '../../core/sectigo/bulk/run-store';
import {
  bulkEndpoint,
  ordersElsewhere,
  targetsOfOrders,
  unfinishedRunOf,
  withoutSmimeOrders,
  type PassedTest,
  type RunDraft,
} from '../../core/sectigo/bulk/stored-run';
import { MAX_LIST_BYTES, type BulkTarget } from '../../core/sectigo/bulk/targets';
import { groupOrders, type OrderSummary } from '../../core/sectigo/orders-store';
import { readBoundedUri } from '../shared/bounded-file';
import { ensureTrusted, type CommandArguments } from '../shared/command-boundary';
import { t } from '../shared/text';
import { ensureAccount } from './account-gate';
import { askReason, askResumeOrDiscard, askStart, leftWords, type Reason } from './bulk-questions';
import { readTargets, type BulkRevokeReport, type BulkRun } from './bulk-run';
import { confirmBulk, type DialogAnswer, type DialogRecord } from './confirm';
import type { ActiveAccount } from './credentials';
import type { CallDeps } from './run-call';

export type { BulkRevokeReport } from './bulk-run';

/** What a start does with runs (bulk-resume-flow.ts's bulkRuns(), handed in by the command). */
export interface BulkRuns {
  interrupted(): Promise<InterruptedRun[]>;
  passedTest(): PassedTest | undefined;
  resume(manifest: BulkRunManifest, automation: boolean): Promise<BulkRun | undefined>;
  revokeTested(manifestId: string, automation: boolean): Promise<BulkRun | undefined>;
  discard(manifest: BulkRunManifest): Promise<void>;
  start(
    draft: RunDraft,
    test: boolean,
    active: ActiveAccount,
    pace?: { rate?: number; concurrency?: number },
  ): Promise<BulkRun>;
  drive(automation: boolean, first: () => Promise<BulkRun | undefined>): Promise<BulkRevokeReport | undefined>;
}

export interface BulkRevokeAutomation {
  confirm: true;
  /** The list as text, or a file URI string. */
  listText?: string;
  listUri?: string;
  revocationReason?: string;
  codeReason?: RevocationCode;
  test?: boolean;
  rate?: number;
  concurrency?: number;
  /** Resume the newest interrupted run instead of starting one. */
  resumeInterrupted?: boolean;
  /** Go through the resume offer made at activation, answering it with this button label or 'escape'. */
  answerResumeOffer?: string;
  /** Revoke for real the list whose test revocation last passed (what the quick pick offers first). */
  revokeLastTested?: boolean;
}

export async function startFromList(
  deps: CallDeps,
  runs: BulkRuns,
  uri: vscode.Uri | undefined,
  automation: BulkRevokeAutomation | undefined,
): Promise<BulkRevokeReport | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  return runs.drive(automation !== undefined, async () => {
    const started = await startOfWaitingRun(runs, uri, automation);
    if (started !== 'new') return started;
    const list = await readList(deps, uri, automation);
    if (!list) return undefined;
    const targets = await readTargets(deps, list.text, list.uri, list.source);
    const repeated = await unfinishedRunOfList(runs, targets, list, automation);
    if (repeated !== 'new') return repeated;
    return startNewRun(deps, runs, targets, list.source, automation);
  });
}

/**
 * What is waiting comes first: a resume or a passed test's real revocation that automation asks
 * for, or that the person picks (both stay in reach here after their notifications are gone).
 * 'new' when a new list is to be run; undefined when the person went back.
 */
async function startOfWaitingRun(
  runs: BulkRuns,
  uri: vscode.Uri | undefined,
  automation: BulkRevokeAutomation | undefined,
): Promise<BulkRun | 'new' | undefined> {
  if (automation?.resumeInterrupted) {
    const [newest] = await runs.interrupted();
    if (!newest) throw new Error('No interrupted bulk revocation.');
    return runs.resume(newest.manifest, true);
  }
  const passed = runs.passedTest();
  if (automation?.revokeLastTested) {
    if (!passed) throw new Error('No passed test revocation is waiting.');
    return runs.revokeTested(passed.manifestId, true);
  }
  if (automation || uri) return 'new';
  const unfinished = await runs.interrupted();
  if (!passed && unfinished.length === 0) return 'new';
  const choice = await askStart(unfinished, passed);
  if (choice === undefined) return undefined;
  if (choice.kind === 'resume') return runs.resume(choice.run.manifest, false);
  if (choice.kind === 'tested' && passed) return runs.revokeTested(passed.manifestId, false);
  return 'new';
}

interface ListToRun {
  text: string;
  uri: vscode.Uri | undefined;
  /** How the list is named (its workspace path, or "the given list"). */
  source: string;
}

/** The list: automation's text or file, the file the command was run on, or one the person picks. */
async function readList(
  deps: CallDeps,
  uri: vscode.Uri | undefined,
  automation: BulkRevokeAutomation | undefined,
): Promise<ListToRun | undefined> {
  let listUri = uri ?? (automation?.listUri ? vscode.Uri.parse(automation.listUri) : undefined);
  let text = automation?.listText;
  if (text === undefined && !listUri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Revoke from This List'),
      title: vscode.l10n.t('A list of certificates to revoke: one per line, or a CSV'),
      filters: { [vscode.l10n.t('Lists')]: ['txt', 'csv', 'list'], [vscode.l10n.t('All files')]: ['*'] },
    });
    listUri = picked?.[0];
    if (!listUri) return undefined;
  }
  if (text === undefined && listUri) text = Buffer.from(await readBoundedUri(listUri, MAX_LIST_BYTES)).toString('utf8');
  const source = listUri ? vscode.workspace.asRelativePath(listUri) : vscode.l10n.t('the given list');
  return { text: text ?? '', uri: listUri, source };
}

/**
 * A fresh run of a list with an unfinished run would send again what Sectigo already answered: the
 * resume comes first, and a new run only after the unfinished one is discarded, explicitly. 'new'
 * when the new run may start; otherwise the resumed run, or undefined when the person went back.
 */
async function unfinishedRunOfList(
  runs: BulkRuns,
  targets: BulkTarget[],
  list: ListToRun,
  automation: BulkRevokeAutomation | undefined,
): Promise<BulkRun | 'new' | undefined> {
  const repeated = unfinishedRunOf(await runs.interrupted(), targets, list.uri ? list.source : '\0');
  if (!repeated) return 'new';
  if (automation)
    throw new Error(
      `${list.source} has an unfinished run (${leftWords(repeated)}): resume it (resumeInterrupted) or discard it first.`,
    );
  const choice = await askResumeOrDiscard(repeated);
  if (choice === undefined) return undefined;
  if (choice === 'resume') return runs.resume(repeated.manifest, false);
  await runs.discard(repeated.manifest);
  return 'new';
}

/** The reason, the account, the S/MIME orders skipped, the confirmation, then the run. */
async function startNewRun(
  deps: CallDeps,
  runs: BulkRuns,
  targets: BulkTarget[],
  source: string,
  automation: BulkRevokeAutomation | undefined,
): Promise<BulkRun | undefined> {
  const reason = automation ?? (await askReason(targets, true));
  if (!reason) return undefined;
  if (reason.revocationReason === undefined && targets.some((target) => target.reason === undefined))
    throw new Error(vscode.l10n.t('A revocation reason is required.'));
  const active = await ensureAccount(deps.credentials, automation !== undefined);
  if (!active) return undefined;
  // AutoRevokeSSL revokes SSL certificates only: an order the history knows as S/MIME is skipped and named.
  const { entries } = await deps.store.load();
  const ssl = withoutSmimeOrders(targets, groupOrders(entries), active.account.baseUrl);
  const notes = ssl.skipped.map(({ target }) =>
    t(
      'Skipped line {0}, order {1}: an S/MIME order in the Sectigo Orders view (AutoRevokeSSL revokes SSL certificates only).',
      target.line,
      outside(target.value),
    ),
  );
  for (const note of notes) deps.log.info(words`${outside(source)}: ${note}`);
  if (ssl.targets.length === 0)
    throw new Error(
      plainText(
        t('{0} names no certificate AutoRevokeSSL can revoke. {1}', outside(source), joinText(notes, words` `)),
      ),
    );
  const draft = draftFor(active, ssl.targets, reason, source);
  const mode = automation ? (automation.test ? 'test' : 'real') : await confirmBulk(draft, { kind: 'new' }, { notes });
  if (mode !== 'test' && mode !== 'real') return undefined;
  return runs.start(draft, mode === 'test', active, {
    ...(automation?.rate !== undefined && { rate: automation.rate }),
    ...(automation?.concurrency !== undefined && { concurrency: automation.concurrency }),
  });
}

function draftFor(active: ActiveAccount, targets: BulkTarget[], reason: Reason, source: string): RunDraft {
  return {
    targets,
    endpoint: bulkEndpoint(active.account.baseUrl),
    loginName: active.credentials.loginName,
    reason: reason.revocationReason,
    ...(reason.codeReason !== undefined && { codeReason: reason.codeReason }),
    source,
  };
}

export interface SelectedOrdersAutomation {
  confirm: true;
  revocationReason?: string;
  codeReason?: RevocationCode;
  /** test=Y; ignored when `dialog` is given. */
  test?: boolean;
  /** Go through the confirmation and answer it: 'enter' (the focused button), 'escape', or a button label. */
  dialog?: DialogAnswer;
}

/**
 * "Revoke Selected…" on the orders tree: the stored orders the user selected, revoked as one bulk
 * run (journalled, resumable, one confirmation with the test first). S/MIME orders and revoked
 * ones are skipped with a note; every selected order must be of the active account's endpoint.
 */
export async function revokeOrdersInBulk(
  deps: CallDeps,
  runs: BulkRuns,
  orders: readonly OrderSummary[],
  automation: SelectedOrdersAutomation | undefined,
): Promise<BulkRevokeReport | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const dialogs: DialogRecord[] = [];
  const report = await runs.drive(automation !== undefined, async () => {
    const active = await ensureAccount(deps.credentials, automation !== undefined);
    if (!active) return undefined;
    const elsewhere = ordersElsewhere(orders, active.account.baseUrl);
    const first = elsewhere[0];
    if (first)
      throw new Error(
        elsewhere.length === 1
          ? vscode.l10n.t(
              'The selected order {0} {1} was made at {2}, not at {3} where the active account {4} belongs. Select orders of one endpoint and the account they were made with.',
              first.identifierKind,
              first.identifier,
              first.baseUrl,
              active.account.baseUrl,
              active.credentials.loginName,
            )
          : vscode.l10n.t(
              '{0} of the selected orders were made at {1}, not at {2} where the active account {3} belongs ({4} {5} is one). Select orders of one endpoint and the account they were made with.',
              elsewhere.length.toLocaleString(),
              first.baseUrl,
              active.account.baseUrl,
              active.credentials.loginName,
              first.identifierKind,
              first.identifier,
            ),
      );
    const { targets, skipped } = targetsOfOrders(orders);
    const notes = skipped.map(({ order, why }) =>
      why === 'smime'
        ? t(
            'Skipped {0} {1}: an S/MIME order (AutoRevokeSSL revokes SSL certificates only).',
            outside(order.identifierKind),
            outside(order.identifier),
          )
        : t('Skipped {0} {1}: already revoked.', outside(order.identifierKind), outside(order.identifier)),
    );
    for (const note of notes) deps.log.info(words`Revoke selected: ${note}`);
    if (targets.length === 0)
      throw new Error(plainText(t('None of the selected orders can be revoked. {0}', joinText(notes, words` `))));
    const reason = automation ?? (await askReason(targets, false));
    if (!reason) return undefined;
    if (reason.revocationReason === undefined) throw new Error(vscode.l10n.t('A revocation reason is required.'));
    const source =
      targets.length === 1
        ? vscode.l10n.t('1 order selected in the Sectigo Orders view')
        : vscode.l10n.t('{0} orders selected in the Sectigo Orders view', targets.length.toLocaleString());
    const draft = draftFor(active, targets, reason, source);
    const mode =
      automation && automation.dialog === undefined
        ? automation.test
          ? 'test'
          : 'real'
        : await confirmBulk(
            draft,
            { kind: 'new' },
            {
              notes,
              ...(automation?.dialog !== undefined && { answer: automation.dialog }),
              record: dialogs,
            },
          );
    if (mode !== 'test' && mode !== 'real') return undefined;
    return runs.start(draft, mode === 'test', active);
  });
  return report && { ...report, dialogs };
}

/** The automation argument's shape: anything else is refused, never cast. */
const BULK_AUTOMATION_SHAPE = {
  listText: 'string?',
  listUri: 'string?',
  revocationReason: 'string?',
  codeReason: 'number?',
  test: 'boolean?',
  rate: 'number?',
  concurrency: 'number?',
  resumeInterrupted: 'boolean?',
  revokeLastTested: 'boolean?',
  answerResumeOffer: 'string?',
} as const;

export function bulkAutomationOf(args: CommandArguments): BulkRevokeAutomation | undefined {
  const checked = args.automation(BULK_AUTOMATION_SHAPE);
  if (!checked) return undefined;
  const { codeReason, ...rest } = checked;
  if (codeReason === undefined) return rest;
  if (!isRevocationCode(codeReason)) throw new Error(validateCodeReason(codeReason));
  return { ...rest, codeReason };
}
