// The bulk revocation of sectigo-csr revoke --from, in VS Code: started by "Sectigo: Revoke
// from List…" or by Revoke Selected… on the orders tree. The list is checked whole, one modal
// confirmation names the count, endpoint, account and reason and offers the test revocation
// first, and the run shows a cancellable progress notification. The run itself (journal lock,
// checks, resume plan, pacer, summary) is core's (core/sectigo/bulk/stored-run.ts); this file
// adapts it: the questions, the progress, the log and the orders history. The journal and the
// checked targets live in global storage, so a run cut short is offered a resume later.
import * as vscode from 'vscode';
import type { RevocationCode } from '../../core/sectigo/types';
import { REVOCATION_CODES, isRevocationCode } from '../../core/sectigo/validate';
import { BulkRunStore, type BulkRunManifest, type InterruptedRun } from '../../core/sectigo/bulk/run-store';
import {
  accountMismatch,
  bulkEndpoint,
  draftOf,
  newRun,
  ordersElsewhere,
  passedTestOf,
  targetsOfOrders,
  type PassedTest,
  type RunDraft,
} from '../../core/sectigo/bulk/stored-run';
import { MAX_LIST_BYTES, type BulkTarget } from '../../core/sectigo/bulk/targets';
import type { OrderSummary } from '../../core/sectigo/orders-store';
import { readBoundedUri } from '../shared/bounded-file';
import { automationArgs, ensureTrusted, guarded } from '../shared/command-boundary';
import { StateKeys } from '../shared/ids';
import { ensureAccount } from './account-gate';
import { askReason, askTestedOrNewList, type Reason } from './bulk-questions';
import { readTargets, runBulk, type BulkEnv, type BulkRevokeReport, type BulkRun } from './bulk-run';
import { confirmBulk, type DialogAnswer, type DialogRecord } from './confirm';
import type { ActiveAccount } from './credentials';
import { showBulkResult, type BulkResultChoice } from './result-ui';
import type { CallDeps } from './run-call';

export type { BulkRevokeReport } from './bulk-run';

const BULK_FOLDER = StateKeys.bulkRunsFolder;

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

const storeOf = (deps: CallDeps): BulkRunStore =>
  new BulkRunStore(vscode.Uri.joinPath(deps.context.globalStorageUri, BULK_FOLDER).fsPath);
const envOf = (deps: CallDeps): BulkEnv => ({
  ...deps,
  history: deps.store,
  runs: storeOf(deps),
  state: deps.context.globalState,
});
const passedTest = (deps: CallDeps): PassedTest | undefined =>
  passedTestOf(deps.context.globalState.get<unknown>(StateKeys.passedBulkTest));
/** The active account, when it is the one the run was made with (same login at the same endpoint); refused otherwise. */
async function accountOfRun(
  deps: CallDeps,
  manifest: BulkRunManifest,
  automation: boolean,
): Promise<ActiveAccount | undefined> {
  const active = await ensureAccount(deps.credentials, automation);
  if (!active) return undefined;
  const mismatch = accountMismatch(manifest, active.credentials.loginName, active.account.baseUrl);
  if (mismatch === 'login')
    throw new Error(
      vscode.l10n.t(
        'The revocation from {0} was made as {1}; select that account to continue it.',
        manifest.source,
        manifest.loginName,
      ),
    );
  if (mismatch === 'endpoint')
    throw new Error(
      vscode.l10n.t(
        'The revocation from {0} was sent to {1}; the active account belongs to {2}. Select the account it was made with to continue it.',
        manifest.source,
        manifest.endpoint,
        bulkEndpoint(active.account.baseUrl),
      ),
    );
  return active;
}

async function resumeRun(
  deps: CallDeps,
  run: InterruptedRun | BulkRunManifest,
  automation: boolean,
): Promise<BulkRun | undefined> {
  const manifest = 'manifest' in run ? run.manifest : run;
  const active = await accountOfRun(deps, manifest, automation);
  return active && runBulk(envOf(deps), manifest, active);
}

/** The real revocation of a list whose test passed: the same targets, reason and account, after a confirmation whose focused button is "Not Now". */
async function revokeTestedForReal(
  deps: CallDeps,
  manifestId: string,
  automation: boolean,
): Promise<BulkRun | undefined> {
  const store = storeOf(deps);
  const tested = await store.get(manifestId);
  if (!tested?.test) {
    await deps.context.globalState.update(StateKeys.passedBulkTest, undefined);
    throw new Error(vscode.l10n.t('The tested list is no longer kept; run "Revoke from List…" again.'));
  }
  const active = await accountOfRun(deps, tested, automation);
  if (!active) return undefined;
  if (!automation && (await confirmBulk(tested, true)) !== 'real') return undefined;
  // Once started it is no longer offered.
  if (passedTest(deps)?.manifestId === manifestId)
    await deps.context.globalState.update(StateKeys.passedBulkTest, undefined);
  const realRun = newRun(draftOf(tested), false);
  await store.save(realRun);
  return runBulk(envOf(deps), realRun, active);
}

/**
 * Runs the first run and then whatever the person picks on its result (resume, revoke for real),
 * one after the other: the result returns the choice here, it never starts a run itself.
 * Automation gets the first report and no result notification.
 */
async function drive(
  deps: CallDeps,
  automation: boolean,
  first: () => Promise<BulkRun | undefined>,
): Promise<BulkRevokeReport | undefined> {
  const outcome = await first();
  if (!automation && outcome) void followUp(deps, outcome);
  return outcome?.report;
}

async function followUp(deps: CallDeps, outcome: BulkRun): Promise<void> {
  let next: BulkRun | undefined = outcome;
  while (next) {
    const manifest: BulkRunManifest = next.manifest;
    const choice: BulkResultChoice = await showBulkResult(deps.log, manifest.test, next.report.summary);
    if (choice === 'resume')
      next = await guarded(deps, vscode.l10n.t('Resume revocation from list'), false, () =>
        resumeRun(deps, manifest, false),
      );
    else if (choice === 'revoke-for-real')
      next = await guarded(deps, vscode.l10n.t('Revoke from list'), false, () =>
        revokeTestedForReal(deps, manifest.id, false),
      );
    else next = undefined;
  }
}

export async function startFromList(
  deps: CallDeps,
  uri: vscode.Uri | undefined,
  automation: BulkRevokeAutomation | undefined,
): Promise<BulkRevokeReport | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  return drive(deps, automation !== undefined, async () => {
    if (automation?.resumeInterrupted) {
      const [newest] = await storeOf(deps).interrupted();
      if (!newest) throw new Error('No interrupted bulk revocation.');
      return resumeRun(deps, newest, true);
    }
    const passed = passedTest(deps);
    if (automation?.revokeLastTested) {
      if (!passed) throw new Error('No passed test revocation is waiting.');
      return revokeTestedForReal(deps, passed.manifestId, true);
    }
    // A passed test's real revocation stays in reach here after its notification is gone.
    if (!automation && !uri && passed) {
      const choice = await askTestedOrNewList(passed);
      if (choice === undefined) return undefined;
      if (choice === 'tested') return revokeTestedForReal(deps, passed.manifestId, false);
    }
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
    if (text === undefined && listUri)
      text = Buffer.from(await readBoundedUri(listUri, MAX_LIST_BYTES)).toString('utf8');
    const source = listUri ? vscode.workspace.asRelativePath(listUri) : vscode.l10n.t('the given list');
    const targets = await readTargets(deps, text ?? '', listUri, source);
    const reason = automation ?? (await askReason(targets, true));
    if (!reason) return undefined;
    if (reason.revocationReason === undefined && targets.some((target) => target.reason === undefined))
      throw new Error(vscode.l10n.t('A revocation reason is required.'));
    const active = await ensureAccount(deps.credentials, automation !== undefined);
    if (!active) return undefined;
    const draft = draftFor(active, targets, reason, source);
    const mode = automation ? (automation.test ? 'test' : 'real') : await confirmBulk(draft, false);
    if (!mode) return undefined;
    const manifest = newRun(draft, mode === 'test');
    await storeOf(deps).save(manifest);
    return runBulk(envOf(deps), manifest, active, {
      ...(automation?.rate !== undefined && { rate: automation.rate }),
      ...(automation?.concurrency !== undefined && { concurrency: automation.concurrency }),
    });
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
  orders: readonly OrderSummary[],
  automation: SelectedOrdersAutomation | undefined,
): Promise<BulkRevokeReport | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const dialogs: DialogRecord[] = [];
  const report = await drive(deps, automation !== undefined, async () => {
    const active = await ensureAccount(deps.credentials, automation !== undefined);
    if (!active) return undefined;
    const elsewhere = ordersElsewhere(orders, active.account.baseUrl);
    const first = elsewhere[0];
    if (first)
      throw new Error(
        vscode.l10n.t(
          '{0} of the selected orders were made at {1}, not at {2} where the active account {3} belongs ({4} {5} is one). Select orders of one endpoint and the account they were made with.',
          String(elsewhere.length),
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
        ? vscode.l10n.t(
            'Skipped {0} {1}: an S/MIME order (AutoRevokeSSL revokes SSL certificates only).',
            order.identifierKind,
            order.identifier,
          )
        : vscode.l10n.t('Skipped {0} {1}: already revoked.', order.identifierKind, order.identifier),
    );
    for (const note of notes) deps.log.info(`Revoke selected: ${note}`);
    if (targets.length === 0)
      throw new Error(vscode.l10n.t('None of the selected orders can be revoked. {0}', notes.join(' ')));
    const reason = automation ?? (await askReason(targets, false));
    if (!reason) return undefined;
    if (reason.revocationReason === undefined) throw new Error(vscode.l10n.t('A revocation reason is required.'));
    const source =
      targets.length === 1
        ? vscode.l10n.t('1 order selected in the Sectigo Orders view')
        : vscode.l10n.t('{0} orders selected in the Sectigo Orders view', String(targets.length));
    const draft = draftFor(active, targets, reason, source);
    const mode =
      automation && automation.dialog === undefined
        ? automation.test
          ? 'test'
          : 'real'
        : await confirmBulk(draft, false, {
            notes,
            ...(automation?.dialog !== undefined && { answer: automation.dialog }),
            record: dialogs,
          });
    if (!mode) return undefined;
    const manifest = newRun(draft, mode === 'test');
    await storeOf(deps).save(manifest);
    return runBulk(envOf(deps), manifest, active);
  });
  return report && { ...report, dialogs };
}

/** How the offer is put to the user: a notification, or (automation) a recorded answer. */
export type AskOffer = (message: string, ...choices: string[]) => Thenable<string | undefined>;

export interface ResumeOfferReport {
  /** The offer made, or undefined when no run was interrupted. */
  offered: string | undefined;
  report?: BulkRevokeReport | undefined;
}

/** After a reload or crash: offer to resume the newest unfinished run. */
export async function offerResume(deps: CallDeps, ask: AskOffer, automation: boolean): Promise<ResumeOfferReport> {
  const store = storeOf(deps);
  const [newest] = await store.interrupted();
  if (!newest) return { offered: undefined };
  const resume = vscode.l10n.t('Resume');
  const discard = vscode.l10n.t('Discard');
  const what = newest.manifest.test ? vscode.l10n.t('test revocation') : vscode.l10n.t('revocation');
  const offered = vscode.l10n.t(
    'Resume the interrupted {0} ({1} of {2} left)?',
    what,
    newest.left.toLocaleString(),
    newest.total.toLocaleString(),
  );
  const choice = await ask(offered, resume, discard);
  if (choice === resume) {
    const report = await guarded(deps, vscode.l10n.t('Resume revocation from list'), automation, () =>
      drive(deps, automation, () => resumeRun(deps, newest, automation)),
    );
    return { offered, report };
  }
  if (choice === discard) await store.markFinished(newest.manifest);
  return { offered };
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

export function bulkAutomationOf(value: unknown): BulkRevokeAutomation | undefined {
  const checked = automationArgs<Omit<BulkRevokeAutomation, 'codeReason'> & { codeReason?: number }>(
    value,
    BULK_AUTOMATION_SHAPE,
  );
  if (!checked) return undefined;
  const { codeReason, ...rest } = checked;
  if (codeReason === undefined) return rest;
  if (!isRevocationCode(codeReason))
    throw new Error(`codeReason ${codeReason} is not one of ${Object.keys(REVOCATION_CODES).join(', ')}.`);
  return { ...rest, codeReason };
}
