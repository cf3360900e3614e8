// The bulk revocation of sectigo-csr revoke --from, in VS Code: started by "Sectigo: Revoke
// from List…" (bulk-revoke-command.ts) or by Revoke Selected… on the orders tree. The list is checked whole, one modal confirmation names the count,
// endpoint, account and reason and offers the test revocation first, and the run
// shows a cancellable progress notification. The journal and the checked targets
// live in the extension's global storage, so a reload or crash mid-run is offered
// a resume on the next activation.
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES } from '../../core/bounded-read';
import { readBoundedUri } from '../bounded-file';
import type { ApiResult, RevocationCode, SectigoApi } from '../../core/sectigo/types';
import {
  REVOCATION_CODES,
  isRevocationCode,
  normalizeSerialNumber,
  validateRevocationReason,
} from '../../core/sectigo/validate';
import { redactOwnText } from '../../core/sectigo/redact';
import { journalMismatch, planResume, type JournalRunFacts } from '../../core/sectigo/bulk/journal';
import {
  JournalBusyError,
  JournalWriter,
  lockJournal,
  readJournalFile,
  runJournal,
} from '../../core/sectigo/bulk/journal-file';
import { runBulkRevocation, type TargetOutcome } from '../../core/sectigo/bulk/run';
import { BulkRunStore, type BulkRunManifest, type InterruptedRun } from '../../core/sectigo/bulk/run-store';
import { buildSummary, formatSummary, summaryVerdict, type BulkSummary } from '../../core/sectigo/bulk/summary';
import {
  MAX_LIST_BYTES,
  MAX_REPORTED_PROBLEMS,
  describeTarget,
  parseTargetList,
  resolveCertificateTargets,
  revokeParamsFor,
  targetKey,
  type BulkTarget,
} from '../../core/sectigo/bulk/targets';
import { askPick, askText } from './input';
import {
  newEntryId,
  DEFAULT_ORDERS_LIMIT,
  type OrderEntry,
  type OrderIdentifier,
  type OrderState,
  type OrderSummary,
} from './orders-store';
import { PRODUCTION_BASE_URL, accountLabel, endpointUrl } from '../../core/sectigo/call-plan';
import { ensureAccount } from './account-gate';
import { automationArgs, ensureTrusted, guarded } from './command-plumbing';
import { confirm, type DialogAnswer, type DialogRecord } from './confirm';
import type { ActiveAccount } from './credentials';
import { describeResult, type CallDeps } from './run-call';
import { readConnectionSettings } from './settings';

/** The same defaults as the command line's --concurrency and --rate. */
const DEFAULT_CONCURRENCY = 2;
const DEFAULT_RATE_PER_SECOND = 5;
/** Up to this many targets, every result goes into the orders tree; beyond it only failures and unknown outcomes do (the tree keeps 200). */
const TREE_ALL_RESULTS_UP_TO = DEFAULT_ORDERS_LIMIT;
const BULK_FOLDER = 'bulk-revocations';

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

export interface BulkRevokeReport {
  summary: BulkSummary;
  manifestId: string;
  journalPath: string;
  storageDirectory: string;
  /** The confirmations shown (automation that asked to answer them). */
  dialogs?: DialogRecord[];
}

/** A test run Sectigo accepted whole: its real revocation stays offered until it is made or another test passes. */
interface PassedTest {
  manifestId: string;
  /** ISO 8601, when the test ended. */
  at: string;
  count: number;
  source: string;
  loginName: string;
}

/** globalState (shared by every window, like the runs themselves). */
const PASSED_TEST_KEY = 'sectigo.bulk.lastPassedTest';

function passedTestOf(deps: CallDeps): PassedTest | undefined {
  const value = deps.context.globalState.get<unknown>(PASSED_TEST_KEY);
  if (typeof value !== 'object' || value === null) return undefined;
  const passed = value as Partial<PassedTest>;
  if (
    typeof passed.manifestId !== 'string' ||
    typeof passed.at !== 'string' ||
    typeof passed.count !== 'number' ||
    typeof passed.source !== 'string' ||
    typeof passed.loginName !== 'string'
  )
    return undefined;
  return passed as PassedTest;
}

const KIND_OF_TARGET: Record<BulkTarget['kind'], OrderIdentifier> = {
  order: 'orderNumber',
  'certificate-id': 'certificateID',
  serial: 'serialNumber',
};

function storeOf(deps: CallDeps): BulkRunStore {
  return new BulkRunStore(vscode.Uri.joinPath(deps.context.globalStorageUri, BULK_FOLDER).fsPath);
}

/** The endpoint a bulk run goes to: the account's own (an account is pinned to its endpoint). */
function endpointOf(active: ActiveAccount): string {
  return endpointUrl(active.account.baseUrl, 'AutoRevokeSSL');
}

/** The list's targets, with certificate files read; throws with the problems (named by line) when the list is bad. */
async function readTargets(
  deps: CallDeps,
  text: string,
  listUri: vscode.Uri | undefined,
  source: string,
): Promise<BulkTarget[]> {
  const parsed = await resolveCertificateTargets(parseTargetList(text), async (path) => {
    const base = listUri ? vscode.Uri.joinPath(listUri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = isAbsolute(path) || !base ? vscode.Uri.file(path) : vscode.Uri.joinPath(base, path);
    try {
      const bytes = await readBoundedUri(uri, MAX_INPUT_FILE_BYTES);
      const module = await deps.clients.module();
      const asText = Buffer.from(bytes).toString('latin1');
      const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(asText)?.[0];
      return { serial: module.readCertificate(block ?? bytes).serialNumber };
    } catch (error) {
      return {
        problem:
          error instanceof vscode.FileSystemError
            ? vscode.l10n.t('cannot be read.')
            : error instanceof Error
              ? error.message
              : String(error),
      };
    }
  });
  for (const note of parsed.notes) deps.log.info(`${source}: ${note}`);
  if (parsed.problems.length > 0) {
    for (const problem of parsed.problems.slice(0, MAX_REPORTED_PROBLEMS))
      deps.log.error(`${source}:${problem.line}: ${problem.message}`);
    const first = parsed.problems[0];
    throw new Error(
      vscode.l10n.t(
        '{0} has {1} problem(s); nothing was sent. The first, line {2}: {3} (all are in the log)',
        source,
        String(parsed.problems.length),
        String(first?.line),
        first?.message ?? '',
      ),
    );
  }
  if (parsed.targets.length === 0) throw new Error(vscode.l10n.t('{0} names no certificate.', source));
  return parsed.targets;
}

async function readListFile(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await readBoundedUri(uri, MAX_LIST_BYTES)).toString('utf8');
}

/** The reason for every target; `fromList` mentions the list's own columns, which orders from the tree do not have. */
async function askReason(
  targets: readonly BulkTarget[],
  fromList = true,
): Promise<{ codeReason: RevocationCode; revocationReason: string | undefined } | undefined> {
  const title = fromList ? vscode.l10n.t('Revoke from list') : vscode.l10n.t('Revoke selected orders');
  const codeReason = await askPick<RevocationCode>({
    title,
    step: 1,
    totalSteps: 2,
    placeholder: fromList
      ? vscode.l10n.t('codeReason for every certificate in the list (a codeReason column overrides it)')
      : vscode.l10n.t('codeReason for every selected certificate'),
    items: (Object.entries(REVOCATION_CODES) as [string, string][]).map(([code, name]) => ({
      label: `${code}: ${name}`,
      value: Number(code) as RevocationCode,
    })),
    active: 0,
  });
  if (codeReason === undefined) return undefined;
  const everyRowHasOne = targets.every((target) => target.reason !== undefined);
  const revocationReason = await askText({
    title,
    step: 2,
    totalSteps: 2,
    prompt: everyRowHasOne
      ? vscode.l10n.t('revocationReason: every row of the list has its own; leave empty to keep them')
      : fromList
        ? vscode.l10n.t('revocationReason: a comment for your own records (a revocationReason column overrides it)')
        : vscode.l10n.t('revocationReason: a comment for your own records'),
    validate: (value) => (everyRowHasOne && value === '' ? undefined : validateRevocationReason(value)),
  });
  if (revocationReason === undefined) return undefined;
  return { codeReason, revocationReason: revocationReason === '' ? undefined : revocationReason };
}

/** The one confirmation: count, endpoint, account, reason; the test revocation is the first button. */
async function confirmBulk(
  manifest: Pick<BulkRunManifest, 'targets' | 'endpoint' | 'loginName' | 'reason' | 'codeReason' | 'source'>,
  onlyReal: boolean,
  options: { notes?: readonly string[]; answer?: DialogAnswer; record?: DialogRecord[] } = {},
): Promise<'test' | 'real' | undefined> {
  const count = manifest.targets.length;
  const first = manifest.targets.slice(0, 5).map((target) => `  ${describeTarget(target)}`);
  const detail = [
    vscode.l10n.t('Endpoint: {0}', manifest.endpoint),
    vscode.l10n.t('Account: {0}', manifest.loginName),
    vscode.l10n.t(
      'Reason: {0}{1}',
      manifest.reason ?? vscode.l10n.t('(from the list)'),
      manifest.codeReason !== undefined
        ? ` (codeReason ${manifest.codeReason}: ${REVOCATION_CODES[manifest.codeReason]})`
        : '',
    ),
    vscode.l10n.t('From: {0}', manifest.source),
    ...first,
    ...(count > first.length ? [vscode.l10n.t('  … and {0} more', String(count - first.length))] : []),
    ...(options.notes ?? []),
    '',
    onlyReal
      ? vscode.l10n.t('A real revocation cannot be undone.')
      : vscode.l10n.t(
          'A test revocation (test=Y) checks every call with Sectigo and revokes nothing. A real revocation cannot be undone.',
        ),
  ].join('\n');
  const testFirst = vscode.l10n.t('Test Revoke All First (test=Y)');
  const real = vscode.l10n.t('Revoke {0} Certificates Now', count.toLocaleString());
  // The first line names the account the way every confirmation does: `login @ host`, marked off production.
  const production = manifest.endpoint === endpointUrl(PRODUCTION_BASE_URL, 'AutoRevokeSSL');
  const who = `${accountLabel(manifest.loginName, manifest.endpoint)}${production ? '' : ` ${vscode.l10n.t('(not production)')}`}`;
  const headline = onlyReal
    ? vscode.l10n.t('{0}: revoke {1} certificates for real?', who, count.toLocaleString())
    : vscode.l10n.t('{0}: revoke {1} certificates?', who, count.toLocaleString());
  // The focused (first) button is never the irreversible one: a test run, or not now.
  const choice = await confirm<'test' | 'real' | 'cancel'>(
    headline,
    detail,
    [
      onlyReal
        ? { label: vscode.l10n.t('Not Now'), value: 'cancel', irreversible: false }
        : { label: testFirst, value: 'test', irreversible: false },
      { label: real, value: 'real', irreversible: true },
    ],
    {
      ...(options.answer !== undefined && { answer: options.answer }),
      ...(options.record && { record: options.record }),
    },
  );
  return choice === 'cancel' ? undefined : choice;
}

/** What a run is made of before it is confirmed: the targets, where they go, as whom and why. */
type RunDraft = Omit<BulkRunManifest, 'v' | 'id' | 'createdAt' | 'test' | 'finished'>;

/** A new run of the draft's targets, test or real: its own id, so its journal starts empty. */
function newRun(draft: RunDraft, test: boolean): BulkRunManifest {
  return { v: 1, id: newEntryId(), createdAt: new Date().toISOString(), test, ...draft };
}

/** The tree state of a target's outcome; undefined for a target never sent (nothing to record). */
function orderState(outcome: TargetOutcome, test: boolean): OrderState | undefined {
  if (outcome.outcome === 'revoked') return test ? 'test-revoked' : 'revoked';
  if (outcome.outcome === 'failed') return 'failed';
  return outcome.outcome === 'unknown' ? 'outcome-unknown' : undefined;
}

/** Sends what the manifest's journal says is left, with progress; records results in the log and the tree. */
async function runManifest(
  deps: CallDeps,
  store: BulkRunStore,
  manifest: BulkRunManifest,
  active: ActiveAccount,
  automation: boolean,
  options: { rate?: number; concurrency?: number } = {},
): Promise<BulkRevokeReport> {
  // Global storage is shared by every window: two windows must not resume the same run at once.
  let unlock: () => Promise<void>;
  try {
    unlock = await lockJournal(store.journalPath(manifest.id));
  } catch (error) {
    if (error instanceof JournalBusyError)
      throw new Error(vscode.l10n.t('This revocation is already running in another window.'), { cause: error });
    throw error;
  }
  try {
    return await runLockedManifest(deps, store, manifest, active, automation, options);
  } finally {
    await unlock();
  }
}

async function runLockedManifest(
  deps: CallDeps,
  store: BulkRunStore,
  manifest: BulkRunManifest,
  active: ActiveAccount,
  automation: boolean,
  options: { rate?: number; concurrency?: number },
): Promise<BulkRevokeReport> {
  const { credentials, account } = active;
  const facts: JournalRunFacts = { endpoint: manifest.endpoint, loginName: manifest.loginName, test: manifest.test };
  const journalPath = store.journalPath(manifest.id);
  const journal = await readJournalFile(journalPath);
  if (journal.state.problems.length > 0)
    throw new Error(
      vscode.l10n.t('The journal {0} cannot be used (line {1}).', journalPath, String(journal.state.problems[0]?.line)),
    );
  const mismatch = journalMismatch(journal.state, facts);
  if (mismatch) throw new Error(vscode.l10n.t('The journal {0} belongs to another run ({1}).', journalPath, mismatch));
  const plan = planResume(manifest.targets, journal.state, false);
  const log = deps.log;
  // The journal is a file the user may share: its messages pass the redaction once more, like everything the CLI prints.
  const secrets = [credentials.loginPassword];
  log.info(
    `Bulk revocation ${manifest.id}${manifest.test ? ' (test=Y)' : ''}: ${plan.toSend.length} to send of ${manifest.targets.length} from ${manifest.source} at ${manifest.endpoint} as ${manifest.loginName}; journal ${journalPath}`,
  );
  // The account's pooled client: its endpoint, CA file and proxy, with keep-alive across the run.
  const client: SectigoApi = await deps.clients.clientFor(account, readConnectionSettings().timeoutSeconds);
  const writer = await JournalWriter.open(journalPath, journal);
  const recordAll = manifest.targets.length <= TREE_ALL_RESULTS_UP_TO;
  const record = async (outcome: TargetOutcome): Promise<void> => {
    if (!recordAll && outcome.outcome === 'revoked') return;
    const state = orderState(outcome, manifest.test);
    if (state === undefined) return;
    const result: ApiResult = outcome.result;
    const entry: OrderEntry = {
      id: newEntryId(),
      time: new Date().toISOString(),
      endpoint: 'AutoRevokeSSL',
      identifierKind: KIND_OF_TARGET[outcome.target.kind],
      identifier: outcome.target.value,
      state,
      baseUrl: account.baseUrl,
      loginName: manifest.loginName,
      test: manifest.test,
      ...(manifest.codeReason !== undefined || outcome.target.codeReason !== undefined
        ? { codeReason: outcome.target.codeReason ?? manifest.codeReason }
        : {}),
      revocationReason: outcome.target.reason ?? manifest.reason ?? '',
      ...('durationMs' in result ? { durationMs: result.durationMs } : {}),
      ...(result.kind === 'api-error' ? { errorCode: result.errorCode, message: result.errorMessage } : {}),
      ...(result.kind === 'transport-error' || result.kind === 'cancelled' ? { message: result.message } : {}),
    };
    await deps.store
      .add(entry)
      .catch((error: unknown) => log.error('A bulk result could not be recorded in the order history.', error));
  };
  const pendingRecords: Promise<void>[] = [];
  let result;
  try {
    result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: manifest.test ? vscode.l10n.t('Test-revoking from list') : vscode.l10n.t('Revoking from list'),
        cancellable: true,
      },
      async (progress, token) => {
        const stop = new AbortController();
        const subscription = token.onCancellationRequested(() => stop.abort());
        let reported = 0;
        try {
          return await runBulkRevocation({
            targets: plan.toSend,
            concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
            ratePerSecond: options.rate ?? DEFAULT_RATE_PER_SECOND,
            stop: stop.signal,
            send: (target, signal) =>
              client.revokeSsl(
                credentials,
                revokeParamsFor(target, {
                  reason: manifest.reason,
                  ...(manifest.codeReason !== undefined && { codeReason: manifest.codeReason }),
                  test: manifest.test,
                }),
                { signal },
              ),
            journal: runJournal({
              writer,
              facts,
              defaults: {
                reason: manifest.reason,
                ...(manifest.codeReason !== undefined && { codeReason: manifest.codeReason }),
              },
              redact: (text) => redactOwnText(text, secrets),
            }),
            onOutcome: (outcome) => {
              log.info(
                `Bulk ${manifest.id}: line ${outcome.target.line}, ${targetKey(outcome.target)}${manifest.test ? ' (test=Y)' : ''}: ${outcome.outcome}: ${describeResult(outcome.result)}`,
              );
              pendingRecords.push(record(outcome));
            },
            onProgress: (state) => {
              const done = plan.done.length + state.finished;
              const step = (state.finished - reported) * (100 / Math.max(1, plan.toSend.length));
              reported = state.finished;
              const paused = state.pausedUntil !== undefined ? ` · ${vscode.l10n.t('paused for the call limit')}` : '';
              progress.report({
                increment: step,
                message:
                  vscode.l10n.t(
                    '{0} of {1} done · {2} failed · {3} unknown',
                    done.toLocaleString(),
                    manifest.targets.length.toLocaleString(),
                    String(state.failed),
                    String(state.unknown),
                  ) + paused,
              });
            },
          });
        } finally {
          subscription.dispose();
        }
      },
    );
  } finally {
    await writer.close().catch(() => undefined);
    await Promise.all(pendingRecords);
  }
  const summary = buildSummary(
    {
      test: manifest.test,
      endpoint: manifest.endpoint,
      loginName: manifest.loginName,
      journal: journalPath,
      notes: [],
    },
    plan,
    result,
  );
  for (const line of formatSummary(summary)) log.info(line);
  if (summary.unknown === 0 && summary.notSent === 0) await store.markFinished(manifest);
  if (manifest.test && summaryVerdict(summary) === 'done') {
    const passed: PassedTest = {
      manifestId: manifest.id,
      at: new Date().toISOString(),
      count: manifest.targets.length,
      source: manifest.source,
      loginName: manifest.loginName,
    };
    await deps.context.globalState.update(PASSED_TEST_KEY, passed);
  }
  const report: BulkRevokeReport = { summary, manifestId: manifest.id, journalPath, storageDirectory: store.directory };
  if (!automation) void showBulkResult(deps, store, manifest, active, summary);
  return report;
}

async function showBulkResult(
  deps: CallDeps,
  store: BulkRunStore,
  manifest: BulkRunManifest,
  active: ActiveAccount,
  summary: BulkSummary,
): Promise<void> {
  const showLog = vscode.l10n.t('Show Log');
  const verdict = summaryVerdict(summary);
  const counts = vscode.l10n.t(
    '{0} revoked, {1} failed, {2} unknown, {3} not sent of {4}.',
    String(summary.revoked),
    String(summary.failed),
    String(summary.unknown),
    String(summary.notSent),
    String(summary.total),
  );
  if (verdict === 'unfinished') {
    const resume = vscode.l10n.t('Resume');
    const choice = await vscode.window.showWarningMessage(
      `${manifest.test ? vscode.l10n.t('Test revocation from list stopped:') : vscode.l10n.t('Revocation from list stopped:')} ${counts} ${vscode.l10n.t('Resuming sends the rest; those with an unknown outcome are sent again (a repeat answers "already revoked").')}`,
      resume,
      showLog,
    );
    if (choice === resume)
      await guarded(deps, vscode.l10n.t('Resume revocation from list'), false, () =>
        runManifest(deps, store, manifest, active, false),
      );
    if (choice === showLog) deps.log.show();
    return;
  }
  if (manifest.test && verdict === 'done') {
    const real = vscode.l10n.t('Revoke for Real…');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Sectigo accepted the test revocation of all {0} (test=Y). Nothing was revoked.',
        String(summary.total),
      ),
      real,
      showLog,
    );
    if (choice === real)
      await guarded(deps, vscode.l10n.t('Revoke from list'), false, () =>
        revokeTestedForReal(deps, store, manifest.id, undefined),
      );
    if (choice === showLog) deps.log.show();
    return;
  }
  const show = verdict === 'done' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  const choice = await show(
    `${manifest.test ? vscode.l10n.t('Test revocation from list:') : vscode.l10n.t('Revocation from list:')} ${counts}`,
    showLog,
  );
  if (choice === showLog) deps.log.show();
}

export async function startFromList(
  deps: CallDeps,
  uri: vscode.Uri | undefined,
  automation: BulkRevokeAutomation | undefined,
): Promise<BulkRevokeReport | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const store = storeOf(deps);
  if (automation?.resumeInterrupted) {
    const [newest] = await store.interrupted();
    if (!newest) throw new Error('No interrupted bulk revocation.');
    return resumeRun(deps, store, newest, true);
  }
  const passed = passedTestOf(deps);
  if (automation?.revokeLastTested) {
    if (!passed) throw new Error('No passed test revocation is waiting.');
    return revokeTestedForReal(deps, store, passed.manifestId, automation);
  }
  // A passed test's real revocation stays in reach here after its notification is gone.
  if (!automation && !uri && passed) {
    const choice = await askTestedOrNewList(passed);
    if (choice === undefined) return undefined;
    if (choice === 'tested') return revokeTestedForReal(deps, store, passed.manifestId, undefined);
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
  if (text === undefined && listUri) text = await readListFile(listUri);
  const source = listUri ? vscode.workspace.asRelativePath(listUri) : vscode.l10n.t('the given list');
  const targets = await readTargets(deps, text ?? '', listUri, source);
  const reason = automation
    ? { codeReason: automation.codeReason, revocationReason: automation.revocationReason }
    : await askReason(targets);
  if (!reason) return undefined;
  if (reason.revocationReason === undefined && targets.some((target) => target.reason === undefined))
    throw new Error(vscode.l10n.t('A revocation reason is required.'));
  const active = await ensureAccount(deps.credentials, automation !== undefined);
  if (!active) return undefined;
  const endpoint = endpointOf(active);
  const draft = {
    targets,
    endpoint,
    loginName: active.credentials.loginName,
    reason: reason.revocationReason,
    ...(reason.codeReason !== undefined && { codeReason: reason.codeReason }),
    source,
  };
  const mode = automation ? (automation.test ? 'test' : 'real') : await confirmBulk(draft, false);
  if (!mode) return undefined;
  const manifest = newRun(draft, mode === 'test');
  await store.save(manifest);
  return runManifest(deps, store, manifest, active, automation !== undefined, {
    ...(automation?.rate !== undefined && { rate: automation.rate }),
    ...(automation?.concurrency !== undefined && { concurrency: automation.concurrency }),
  });
}

/** The active account, when it is the one the run was made with (same login at the same endpoint); refused otherwise. */
async function accountOfRun(
  deps: CallDeps,
  manifest: BulkRunManifest,
  automation: boolean,
): Promise<ActiveAccount | undefined> {
  const active = await ensureAccount(deps.credentials, automation);
  if (!active) return undefined;
  if (active.credentials.loginName !== manifest.loginName) {
    throw new Error(
      vscode.l10n.t(
        'The revocation from {0} was made as {1}; select that account to continue it.',
        manifest.source,
        manifest.loginName,
      ),
    );
  }
  if (endpointOf(active) !== manifest.endpoint) {
    throw new Error(
      vscode.l10n.t(
        'The revocation from {0} was sent to {1}; the active account belongs to {2}. Select the account it was made with to continue it.',
        manifest.source,
        manifest.endpoint,
        endpointOf(active),
      ),
    );
  }
  return active;
}

async function resumeRun(
  deps: CallDeps,
  store: BulkRunStore,
  run: InterruptedRun,
  automation: boolean,
): Promise<BulkRevokeReport | undefined> {
  const active = await accountOfRun(deps, run.manifest, automation);
  if (!active) return undefined;
  return runManifest(deps, store, run.manifest, active, automation);
}

/**
 * The real revocation of a list whose test passed: the same targets, reason and account, after
 * a confirmation whose focused button is "Not Now". Once started it is no longer offered.
 */
async function revokeTestedForReal(
  deps: CallDeps,
  store: BulkRunStore,
  manifestId: string,
  automation: BulkRevokeAutomation | undefined,
): Promise<BulkRevokeReport | undefined> {
  const tested = await store.get(manifestId);
  if (!tested?.test) {
    await deps.context.globalState.update(PASSED_TEST_KEY, undefined);
    throw new Error(vscode.l10n.t('The tested list is no longer kept; run "Revoke from List…" again.'));
  }
  const active = await accountOfRun(deps, tested, automation !== undefined);
  if (!active) return undefined;
  if (!automation && (await confirmBulk(tested, true)) !== 'real') return undefined;
  if (passedTestOf(deps)?.manifestId === manifestId) await deps.context.globalState.update(PASSED_TEST_KEY, undefined);
  const { v: _version, id: _id, createdAt: _createdAt, test: _test, finished: _finished, ...draft } = tested;
  const realRun = newRun(draft, false);
  await store.save(realRun);
  return runManifest(deps, store, realRun, active, automation !== undefined);
}

/** "Revoke for real the 12 certificates tested at 14:05": the first choice of Revoke from List… while a passed test waits. */
async function askTestedOrNewList(passed: PassedTest): Promise<'tested' | 'file' | undefined> {
  const at = new Date(passed.at);
  const when =
    at.toDateString() === new Date().toDateString()
      ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : at.toLocaleString();
  return askPick<'tested' | 'file'>({
    title: vscode.l10n.t('Revoke from list'),
    step: 1,
    totalSteps: 1,
    placeholder: vscode.l10n.t('A test revocation passed: revoke those for real, or choose a list'),
    items: [
      {
        label: `$(circle-slash) ${vscode.l10n.t('Revoke for real the {0} certificates tested at {1}', passed.count.toLocaleString(), when)}`,
        description: `${passed.source} · ${passed.loginName}`,
        value: 'tested',
      },
      { label: `$(folder-opened) ${vscode.l10n.t('Choose a List File…')}`, value: 'file' },
    ],
  });
}

/** The AutoRevokeSSL target of an order of the tree (the list's target kinds, by another name). */
const TARGET_KIND_OF: Record<OrderIdentifier, BulkTarget['kind']> = {
  orderNumber: 'order',
  certificateID: 'certificate-id',
  serialNumber: 'serial',
};

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
  const active = await ensureAccount(deps.credentials, automation !== undefined);
  if (!active) return undefined;
  const elsewhere = orders.filter((order) => order.baseUrl !== active.account.baseUrl);
  if (elsewhere.length > 0) {
    const first = elsewhere[0] as OrderSummary;
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
  }
  const notes: string[] = [];
  const targets: BulkTarget[] = [];
  for (const order of orders) {
    if (order.kind !== 'ssl')
      notes.push(
        vscode.l10n.t(
          'Skipped {0} {1}: an S/MIME order (AutoRevokeSSL revokes SSL certificates only).',
          order.identifierKind,
          order.identifier,
        ),
      );
    else if (order.state === 'revoked')
      notes.push(vscode.l10n.t('Skipped {0} {1}: already revoked.', order.identifierKind, order.identifier));
    else
      targets.push({
        kind: TARGET_KIND_OF[order.identifierKind],
        value: order.identifierKind === 'serialNumber' ? normalizeSerialNumber(order.identifier) : order.identifier,
        line: targets.length + 1,
      });
  }
  for (const note of notes) deps.log.info(`Revoke selected: ${note}`);
  if (targets.length === 0)
    throw new Error(vscode.l10n.t('None of the selected orders can be revoked. {0}', notes.join(' ')));
  const reason = automation
    ? { codeReason: automation.codeReason, revocationReason: automation.revocationReason }
    : await askReason(targets, false);
  if (!reason) return undefined;
  if (reason.revocationReason === undefined) throw new Error(vscode.l10n.t('A revocation reason is required.'));
  const source = vscode.l10n.t('{0} orders selected in the Sectigo Orders view', String(targets.length));
  const draft = {
    targets,
    endpoint: endpointOf(active),
    loginName: active.credentials.loginName,
    reason: reason.revocationReason,
    ...(reason.codeReason !== undefined && { codeReason: reason.codeReason }),
    source,
  };
  const dialogs: DialogRecord[] = [];
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
  const store = storeOf(deps);
  await store.save(manifest);
  const report = await runManifest(deps, store, manifest, active, automation !== undefined);
  return { ...report, dialogs };
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
  if (choice === resume)
    return {
      offered,
      report: await guarded(deps, vscode.l10n.t('Resume revocation from list'), automation, () =>
        resumeRun(deps, store, newest, automation),
      ),
    };
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
