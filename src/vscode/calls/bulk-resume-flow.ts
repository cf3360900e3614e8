// The bulk revocation's runs once they exist: resume one (after the same confirmation as a new
// run), discard the rest of one, revoke for real the list whose test passed, show what one sent,
// and the offer after a reload or crash. It also drives a run and then whatever the person picks
// on its result, one after the other (the result returns the choice; it never starts a run). The
// start of a run (a list, the selected orders) is bulk-revoke-flow.ts, which gets these through
// bulkRuns() from its command: a flow never imports another.
import * as vscode from 'vscode';
import { outside, words, type Text } from '../../core/outside-text';
import { BulkRunStore, type BulkRunManifest, type InterruptedRun } from '../../core/sectigo/bulk/run-store';
import {
  accountMismatch,
  bulkEndpoint,
  draftOf,
  newRun,
  passedTestOf,
  recordOfInterrupted,
  type PassedTest,
  type RunDraft,
} from '../../core/sectigo/bulk/stored-run';
import { accountLabel } from '../../core/sectigo/call-plan';
import { ensureTrusted, guarded } from '../shared/command-boundary';
import { Commands, StateKeys } from '../shared/ids';
import { messageAsShown } from '../shared/messages';
import { t } from '../shared/text';
import { ensureAccount } from './account-gate';
import { leftWords } from './bulk-questions';
import { runBulk, type BulkEnv, type BulkRevokeReport, type BulkRun } from './bulk-run';
import { confirm, confirmBulk, type DialogAnswer, type DialogRecord } from './confirm';
import type { ActiveAccount } from './credentials';
import { runReportText, runReportUri } from './run-report';
import { showBulkResult, type BulkResultChoice } from './result-ui';
import type { CallDeps } from './run-call';

export type { BulkRevokeReport } from './bulk-run';

const BULK_FOLDER = StateKeys.bulkRunsFolder;

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

/** How a resume is confirmed: shown to the person, or (automation) answered and recorded, or skipped. */
export interface ResumeOptions {
  answer?: DialogAnswer;
  record?: DialogRecord[];
}

/**
 * Resumes a stored run after the same confirmation as a new run: the account as `login @ host`,
 * the endpoint, test or real, the count left, the focused button safe. Automation that gives no
 * answer skips the dialog, as it does for a new run.
 */
async function resumeConfirmed(
  deps: CallDeps,
  manifest: BulkRunManifest,
  automation: boolean,
  options: ResumeOptions = {},
): Promise<BulkRun | undefined> {
  const active = await accountOfRun(deps, manifest, automation);
  if (!active) return undefined;
  const store = storeOf(deps);
  const run = await store.unfinished(manifest.id);
  if (!run) throw new Error(vscode.l10n.t('The revocation from {0} has nothing left to send.', manifest.source));
  if (!automation || options.answer !== undefined) {
    const choice = await confirmBulk(
      manifest,
      {
        kind: 'resume',
        test: manifest.test,
        left: await store.leftTargets(manifest),
        unknown: run.unknown,
        done: run.done,
        failed: run.failed,
      },
      {
        ...(options.answer !== undefined && { answer: options.answer }),
        ...(options.record && { record: options.record }),
      },
    );
    if (choice === 'journal') {
      await openRunReport(manifest.id);
      return undefined;
    }
    if (choice === undefined) return undefined;
  }
  return runBulk(envOf(deps), manifest, active);
}

/** Gives up the rest of a run: never sent, no longer offered; the Orders view keeps it as discarded, its journal stays. */
async function discardRun(deps: CallDeps, manifest: BulkRunManifest): Promise<void> {
  const store = storeOf(deps);
  const run = await store.unfinished(manifest.id);
  await store.discard(manifest);
  if (run) await deps.store.recordRun({ ...recordOfInterrupted(run), finished: true, discarded: true });
  deps.log.info(
    words`Bulk ${outside(manifest.id)}: discarded by the user${run ? words`; ${run.left} of ${run.total} not sent` : words``}; journal ${outside(store.journalPath(manifest.id))}`,
  );
}

/** The stored run a tree node or an argument names, by id; refused when it is not kept or not unfinished. */
async function unfinishedManifest(deps: CallDeps, id: string): Promise<BulkRunManifest> {
  const manifest = await storeOf(deps).get(id);
  if (!manifest || manifest.finished)
    throw new Error(vscode.l10n.t('This revocation from a list is finished or no longer kept; nothing was sent.'));
  return manifest;
}

/** Resume on a run of the Orders view: the same confirmation as a new run. */
export async function resumeRunById(
  deps: CallDeps,
  id: string,
  automation: { answer?: DialogAnswer } | undefined,
): Promise<(BulkRevokeReport & { dialogs: DialogRecord[] }) | { dialogs: DialogRecord[] } | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const manifest = await unfinishedManifest(deps, id);
  const dialogs: DialogRecord[] = [];
  const report = await drive(deps, automation !== undefined, () =>
    resumeConfirmed(deps, manifest, automation !== undefined, {
      ...(automation?.answer !== undefined && { answer: automation.answer }),
      record: dialogs,
    }),
  );
  return report ? { ...report, dialogs } : automation && { dialogs };
}

/**
 * Discard on a run of the Orders view, after a modal question whose focused button shows what the
 * run sent (Enter never gives up the resume); automation answers it with `answer`, or skips it.
 */
export async function discardRunById(
  deps: CallDeps,
  id: string,
  automation: boolean,
  answer?: DialogAnswer,
  record?: DialogRecord[],
): Promise<boolean> {
  const manifest = await unfinishedManifest(deps, id);
  if (!automation || answer !== undefined) {
    const run = await storeOf(deps).unfinished(manifest.id);
    const choice = await confirm<'show' | 'discard'>(
      run
        ? t('Discard the unfinished revocation from {0} ({1})?', outside(manifest.source), outside(leftWords(run)))
        : t('Discard the unfinished revocation from {0}?', outside(manifest.source)),
      t(
        'What is left is never sent, and the run is no longer offered for resuming. What Sectigo already answered stays in its journal and in the Orders view.',
      ),
      [
        { label: t('Show What Was Sent First'), value: 'show', irreversible: false },
        { label: t('Discard the Rest'), value: 'discard', irreversible: true },
      ],
      { ...(answer !== undefined && { answer }), ...(record && { record }) },
    );
    if (choice === 'show') await openRunReport(manifest.id);
    if (choice !== 'discard') return false;
  }
  await discardRun(deps, manifest);
  return true;
}

/** Opens what a run sent (its report), through its command: the report's provider is the bulk bundle's. */
async function openRunReport(id: string): Promise<void> {
  await vscode.commands.executeCommand(Commands.showRunReport, { id: `run:${id}` });
}

/** A run's report as a read-only document (run-report.ts): what was sent, what Sectigo answered, what is left. */
export async function showRunReport(deps: CallDeps, id: string): Promise<vscode.Uri> {
  const manifest = await storeOf(deps).get(id);
  if (!manifest) throw new Error(vscode.l10n.t('This revocation from a list is no longer kept.'));
  const uri = runReportUri(manifest);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  return uri;
}

/** The provider of run reports (sectigo-run:…?<id>), read from the stored run, its record and its journal. */
export function runReportProvider(deps: CallDeps): vscode.TextDocumentContentProvider {
  return {
    async provideTextDocumentContent(uri) {
      const store = storeOf(deps);
      const manifest = await store.get(uri.query);
      if (!manifest) return `${vscode.l10n.t('This revocation from a list is no longer kept.')}\n`;
      const { runs } = await deps.store.load();
      return runReportText(
        manifest,
        runs.find((run) => run.id === manifest.id),
        store.journalPath(manifest.id),
        store.targets(manifest),
      );
    },
  };
}

/** The real revocation of a list whose test passed: the same targets, reason and account, after a confirmation whose focused button is the test again. */
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
  const choice = automation
    ? 'real'
    : await confirmBulk({ ...tested, targets: await store.loadTargets(tested) }, { kind: 'after-test' });
  if (choice !== 'real' && choice !== 'test') return undefined;
  // A real run once started is no longer offered; a test again replaces it when it passes.
  if (choice === 'real' && passedTest(deps)?.manifestId === manifestId)
    await deps.context.globalState.update(StateKeys.passedBulkTest, undefined);
  const next = newRun(draftOf(tested), choice === 'test');
  await store.save(next);
  return runBulk(envOf(deps), next, active);
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
    const choice: BulkResultChoice = await showBulkResult(
      deps.log,
      manifest.test,
      next.report.summary,
      next.report.alreadyRevoked,
    );
    if (choice === 'resume')
      next = await guarded(deps, t('Resume revocation from list'), false, () => resumeConfirmed(deps, manifest, false));
    else if (choice === 'revoke-for-real')
      next = await guarded(deps, t('Revoke from list'), false, () => revokeTestedForReal(deps, manifest.id, false));
    else next = undefined;
  }
}

/** How the offer is put to the user: a notification, or (automation) a recorded answer. */
export type AskOffer = (message: Text, ...choices: Text[]) => Thenable<Text | undefined>;

export interface ResumeOfferReport {
  /** The offer made, as the notification showed it, or undefined when no run was interrupted. */
  offered: string | undefined;
  report?: BulkRevokeReport | undefined;
}

/** After a reload or crash: offer to resume the newest unfinished run, naming its account and endpoint. */
export async function offerResume(
  deps: CallDeps,
  ask: AskOffer,
  automation: boolean,
  unfinished?: readonly InterruptedRun[],
): Promise<ResumeOfferReport> {
  const store = storeOf(deps);
  const [newest] = unfinished ?? (await store.interrupted());
  if (!newest) return { offered: undefined };
  const resume = t('Resume…');
  const discard = t('Discard…');
  const { manifest } = newest;
  const who = outside(accountLabel(manifest.loginName, manifest.endpoint));
  const offer = manifest.test
    ? t(
        'The test call from {0} (test=Y, nothing is revoked) as {1} to {2} was interrupted ({3}). Resume it?',
        outside(manifest.source),
        who,
        outside(manifest.endpoint),
        outside(leftWords(newest)),
      )
    : t(
        'The revocation from {0} as {1} to {2} was interrupted ({3}). Resume it?',
        outside(manifest.source),
        who,
        outside(manifest.endpoint),
        outside(leftWords(newest)),
      );
  const offered = messageAsShown(offer);
  const choice = await ask(offer, resume, discard);
  if (choice === resume) {
    const report = await guarded(deps, t('Resume revocation from list'), automation, () =>
      drive(deps, automation, () => resumeConfirmed(deps, manifest, automation)),
    );
    return { offered, report };
  }
  if (choice === discard)
    await guarded(deps, t('Discard'), automation, () => discardRunById(deps, manifest.id, automation));
  return { offered };
}

/**
 * The check for unfinished runs after activation (never awaited by it; the journals are read with
 * fs/promises): the Orders view's records are brought in line with the stored runs (an unfinished
 * one shows with what its journal holds; one that cannot be resumed any more is marked finished),
 * then the newest unfinished run is offered. Until it is finished or discarded it stays in the
 * Orders view (Resume, Discard, the view's badge) and first in Revoke from List….
 */
export async function checkUnfinishedRuns(deps: CallDeps, ask: AskOffer): Promise<ResumeOfferReport> {
  const unfinished = await storeOf(deps).interrupted();
  const ids = new Set(unfinished.map((run) => run.manifest.id));
  const { runs: records } = await deps.store.load();
  for (const run of unfinished) {
    const record = recordOfInterrupted(run);
    const kept = records.find((candidate) => candidate.id === record.id);
    const same =
      kept &&
      !kept.finished &&
      kept.accepted === record.accepted &&
      kept.failed === record.failed &&
      kept.unknown === record.unknown &&
      kept.notSent === record.notSent;
    if (!same) await deps.store.recordRun(kept ? { ...record, baseUrl: kept.baseUrl } : record);
  }
  // Marked unfinished but no longer resumable (finished or discarded in another window, or not kept).
  for (const record of records.filter((candidate) => !candidate.finished && !ids.has(candidate.id)))
    await deps.store.recordRun({ ...record, finished: true, updated: new Date().toISOString() });
  return offerResume(deps, ask, false, unfinished);
}

/**
 * What the start of a run (bulk-revoke-flow.ts) does with runs: the stored ones, the passed test,
 * a resume, a discard, the real run of a tested list, a new run, and the driving of the first run
 * and what follows it. Its command hands this over.
 */
export function bulkRuns(deps: CallDeps) {
  return {
    interrupted: (): Promise<InterruptedRun[]> => storeOf(deps).interrupted(),
    passedTest: (): PassedTest | undefined => passedTest(deps),
    resume: (manifest: BulkRunManifest, automation: boolean): Promise<BulkRun | undefined> =>
      resumeConfirmed(deps, manifest, automation),
    revokeTested: (manifestId: string, automation: boolean): Promise<BulkRun | undefined> =>
      revokeTestedForReal(deps, manifestId, automation),
    discard: (manifest: BulkRunManifest): Promise<void> => discardRun(deps, manifest),
    /** Stores a new run of the draft and runs it. */
    async start(
      draft: RunDraft,
      test: boolean,
      active: ActiveAccount,
      pace: { rate?: number; concurrency?: number } = {},
    ): Promise<BulkRun> {
      const manifest = newRun(draft, test);
      await storeOf(deps).save(manifest);
      return runBulk(envOf(deps), manifest, active, pace);
    },
    drive: (automation: boolean, first: () => Promise<BulkRun | undefined>): Promise<BulkRevokeReport | undefined> =>
      drive(deps, automation, first),
  };
}
