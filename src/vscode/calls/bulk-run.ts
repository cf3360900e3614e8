// Running one stored bulk run in the editor: the list read and checked, and the run itself
// through core's one journalled run (core/sectigo/bulk/stored-run.ts) with a cancellable
// progress notification, a log line per target and the results in the orders history. The
// flows (bulk-revoke-flow.ts) decide what to run; this file runs it and reports.
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES } from '../../core/bounded-read';
import { countText, outside, plainText, words } from '../../core/outside-text';
import { JournalRefusal } from '../../core/sectigo/bulk/journalled-run';
import type { BulkRunManifest, BulkRunStore } from '../../core/sectigo/bulk/run-store';
import { readRunOutcomes } from '../../core/sectigo/bulk/run-outcomes';
import { historyEntryOf, runCountsOf, runRecordOf, runStoredRun } from '../../core/sectigo/bulk/stored-run';
import { formatSummary, type BulkSummary } from '../../core/sectigo/bulk/summary';
import {
  MAX_REPORTED_PROBLEMS,
  parseTargetList,
  resolveCertificateTargets,
  revokeParamsFor,
  targetKey,
  type BulkTarget,
} from '../../core/sectigo/bulk/targets';
import { describeResult } from '../../core/sectigo/describe-result';
import { acceptedShort, outcomeWords, runWords } from '../../core/sectigo/outcome-words';
import type { RunCounts } from '../../core/sectigo/bulk/stored-run';
import { orderKeyOf, type OrdersStore } from '../../core/sectigo/orders-store';
import { readBoundedUri } from '../shared/bounded-file';
import { StateKeys } from '../shared/ids';
import type { SectigoLog } from '../shared/log';
import { withProgressNotification } from '../shared/messages';
import { readConnectionSettings } from '../shared/settings';
import { t } from '../shared/text';
import type { ClientPool } from './client-pool';
import type { DialogRecord } from './confirm';
import type { ActiveAccount } from './credentials';

/**
 * The targets of a run that get a log line each; the rest are counted in the progress, the summary
 * and the Orders view, and each is in the journal ("Show What Was Sent"). A line is rendered and
 * redacted with every password the extension knows: 100,000 of them were most of a large run's
 * work in the extension host, and a log nobody reads to the end.
 */
export const MAX_LOGGED_TARGETS = 1_000;
/** The progress notification is told at most this often (and once more at the end). */
const PROGRESS_INTERVAL_MS = 200;

/** What a bulk run is run with: the log, the clients, the orders history, the stored runs and globalState. */
export interface BulkEnv {
  log: SectigoLog;
  clients: ClientPool;
  history: OrdersStore;
  runs: BulkRunStore;
  state: vscode.Memento;
}

export interface BulkRevokeReport {
  summary: BulkSummary;
  /** Of the whole run (earlier runs included), as its journal says: -21 answers, "already revoked". */
  alreadyRevoked: number;
  manifestId: string;
  journalPath: string;
  storageDirectory: string;
  /** The confirmations shown (automation that asked to answer them). */
  dialogs?: DialogRecord[];
}

/** A run that ended, and the run itself (for what the person may do next: resume it, revoke for real). */
export interface BulkRun {
  report: BulkRevokeReport;
  manifest: BulkRunManifest;
}

/** The list's targets, with certificate files read; throws with the problems (named by line) when the list is bad. */
export async function readTargets(
  env: Pick<BulkEnv, 'log' | 'clients'>,
  text: string,
  listUri: vscode.Uri | undefined,
  source: string,
): Promise<BulkTarget[]> {
  const parsed = await resolveCertificateTargets(parseTargetList(text), async (path) => {
    const base = listUri ? vscode.Uri.joinPath(listUri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = isAbsolute(path) || !base ? vscode.Uri.file(path) : vscode.Uri.joinPath(base, path);
    try {
      const read = (await env.clients.module()).readCertificateFile(await readBoundedUri(uri, MAX_INPUT_FILE_BYTES));
      if ('problem' in read) return { problem: read.problem };
      return { serial: read.serial };
    } catch (error) {
      const problem =
        error instanceof vscode.FileSystemError
          ? vscode.l10n.t('cannot be read.')
          : error instanceof Error
            ? error.message
            : String(error);
      return { problem };
    }
  });
  for (const note of parsed.notes) env.log.info(words`${outside(source)}: ${outside(note)}`);
  if (parsed.problems.length > 0) {
    for (const problem of parsed.problems.slice(0, MAX_REPORTED_PROBLEMS))
      env.log.error(words`${outside(source)}:${problem.line}: ${outside(problem.message)}`);
    const first = parsed.problems[0];
    const line = first?.line ?? 0;
    const message = outside(first?.message ?? '');
    // An error's message is outside text wherever it is shown (the command boundary escapes it).
    throw new Error(
      plainText(
        parsed.problems.length === 1
          ? t('{0} has 1 problem, on line {1}; nothing was sent: {2}', outside(source), line, message)
          : t(
              '{0} has {1} problems; nothing was sent. The first, line {2}: {3} (all are in the log)',
              outside(source),
              countText(parsed.problems.length),
              line,
              message,
            ),
      ),
    );
  }
  if (parsed.targets.length === 0) throw new Error(plainText(t('{0} names no certificate.', outside(source))));
  return parsed.targets;
}

/** Sends what the run's journal says is left, with progress; records results in the log and the history. */
export async function runBulk(
  env: BulkEnv,
  manifest: BulkRunManifest,
  active: ActiveAccount,
  options: { rate?: number; concurrency?: number } = {},
): Promise<BulkRun> {
  const { log, runs: store } = env;
  const pendingRecords: Promise<void>[] = [];
  const record = (entry: ReturnType<typeof historyEntryOf>): void => {
    if (entry)
      pendingRecords.push(
        env.history
          .add(entry)
          .catch((error: unknown) => log.error('A bulk result could not be recorded in the order history.', error)),
      );
  };
  const defaults = {
    reason: manifest.reason,
    ...(manifest.codeReason !== undefined && { codeReason: manifest.codeReason }),
    test: manifest.test,
  };
  const title = outside(runWords(manifest.test));
  // The orders the history holds: an accepted target of one of them becomes its latest call; the
  // rest of the run is one record with its failures and unknowns beneath it.
  const knownOrders = new Set(
    (await env.history.load().catch(() => ({ entries: [] }))).entries.map((entry) => orderKeyOf(entry)),
  );
  const baseUrl = active.account.baseUrl;
  const journalPath = store.journalPath(manifest.id);
  // What earlier runs of this manifest answered -21: counted apart from the start (a resume).
  const alreadyBefore =
    (await readRunOutcomes(journalPath, { limit: 0 }).catch(() => undefined))?.counts['already-revoked'] ?? 0;
  let alreadyNow = 0;
  let logged = 0;
  const recordRun = (counts: RunCounts, finished: boolean): Promise<void> =>
    env.history
      .recordRun(runRecordOf(manifest, baseUrl, journalPath, counts, finished))
      .catch((error: unknown) => log.error('The bulk run could not be recorded in the order history.', error));
  let result;
  try {
    result = await withProgressNotification(words`${title}`, true, async (progress, token) => {
      const stop = new AbortController();
      const subscription = token.onCancellationRequested(() => stop.abort());
      let reported = 0;
      let reportedAt = 0;
      let startShown = false;
      // The bar and the count start where earlier runs left off (a resume of 150 with 80 done starts at 80).
      const total = Math.max(1, manifest.total);
      try {
        // The account's pooled client: its endpoint, CA file and proxy, with keep-alive across the run.
        const client = await env.clients.clientFor(active.account, readConnectionSettings().timeoutSeconds);
        return await runStoredRun(
          store,
          manifest,
          {
            ...(options.rate !== undefined && { ratePerSecond: options.rate }),
            ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
            stop: stop.signal,
            // The journal is a file the user may share: its messages pass the redaction once more.
            secrets: [active.credentials.loginPassword],
            send: (target, signal) =>
              client.revokeSsl(active.credentials, revokeParamsFor(target, defaults), {
                signal,
              }),
          },
          {
            planned: (plan) => {
              // Recorded unfinished before anything is sent: a reload mid-run leaves it in the Orders view.
              pendingRecords.push(
                recordRun(
                  {
                    revoked: plan.done,
                    alreadyRevoked: alreadyBefore,
                    failed: plan.failedBefore,
                    unknown: 0,
                    notSent: plan.toSend,
                  },
                  false,
                ),
              );
              log.info(
                words`${manifest.test ? words`Bulk test call (test=Y, nothing is revoked)` : words`Bulk revocation`} ${outside(manifest.id)}: ${plan.toSend} to send of ${manifest.total} from ${outside(manifest.source)} at ${outside(manifest.endpoint)} as ${outside(manifest.loginName)}; journal ${outside(store.journalPath(manifest.id))}`,
              );
            },
            outcome: (outcome) => {
              if (outcome.alreadyRevoked === true) alreadyNow++;
              logged++;
              if (logged === MAX_LOGGED_TARGETS + 1)
                log.info(
                  words`Bulk ${outside(manifest.id)}: the answers after the first ${MAX_LOGGED_TARGETS} are not logged one by one; every one is in the journal ${outside(journalPath)} and in Show What Was Sent.`,
                );
              if (logged > MAX_LOGGED_TARGETS) {
                record(historyEntryOf(manifest, baseUrl, outcome, knownOrders));
                return;
              }
              log.info(
                words`Bulk ${outside(manifest.id)}: line ${outcome.target.line}, ${outside(targetKey(outcome.target))}${manifest.test ? words` (test=Y)` : words``}: ${outside(outcomeWords(outcome.outcome, manifest.test, outcome.alreadyRevoked === true))}: ${outside(describeResult(outcome.result))}`,
              );
              record(historyEntryOf(manifest, baseUrl, outcome, knownOrders));
            },
            progress: (state, plan) => {
              // Told at most every PROGRESS_INTERVAL_MS: each message is a rendered text, and the bar moves by what was missed.
              const now = Date.now();
              const last = state.finished >= state.total;
              if (startShown && !last && now - reportedAt < PROGRESS_INTERVAL_MS) return;
              reportedAt = now;
              // Every target answered, this run or an earlier one (a resume counts what was done before).
              const before = plan.done + plan.failedBefore;
              const done = before + state.finished;
              const step = ((startShown ? 0 : before) + state.finished - reported) * (100 / total);
              startShown = true;
              reported = state.finished;
              const paused = state.pausedUntil !== undefined ? words` · ${t('paused for the call limit')}` : words``;
              // A -21 is "already revoked", never counted as accepted by a test call.
              const already = alreadyBefore + alreadyNow;
              progress.report({
                increment: step,
                message: words`${t(
                  '{0} of {1} answered · {2} {3}{4} · {5} failed · {6} unknown',
                  countText(done),
                  countText(manifest.total),
                  plan.done + state.revoked - already,
                  outside(acceptedShort(manifest.test)),
                  already > 0 ? words` · ${t('{0} already revoked', countText(already))}` : words``,
                  plan.failedBefore + state.failed,
                  state.unknown,
                )}${paused}`,
              });
            },
          },
        );
      } finally {
        subscription.dispose();
      }
    });
  } catch (error) {
    throw error instanceof JournalRefusal ? refusalError(error) : error;
  } finally {
    await Promise.all(pendingRecords);
  }
  // The record's counts from the journal itself: every answer of this run and the earlier ones.
  const counts = await readRunOutcomes(journalPath, { limit: 0 })
    .then((read) => runCountsOf(read.counts, manifest.total))
    .catch(() => ({ ...result.summary, alreadyRevoked: alreadyBefore + alreadyNow }));
  await recordRun(counts, result.summary.unknown === 0 && result.summary.notSent === 0);
  for (const line of formatSummary(result.summary)) log.info(line);
  if (result.passedTest) await env.state.update(StateKeys.passedBulkTest, result.passedTest);
  const report = {
    summary: result.summary,
    alreadyRevoked: counts.alreadyRevoked ?? 0,
    manifestId: manifest.id,
    journalPath: result.journalPath,
    storageDirectory: store.directory,
  };
  return { report, manifest };
}

/** The journal's refusal in the editor's words (global storage is shared by every window). */
function refusalError(refusal: JournalRefusal): Error {
  const { journalPath } = refusal;
  const message =
    refusal.reason === 'busy'
      ? t('This revocation from a list is already running (in this window or another); nothing more was sent.')
      : refusal.reason === 'damaged'
        ? t('The journal {0} cannot be used (line {1}).', outside(journalPath), refusal.problems[0]?.line ?? 0)
        : refusal.reason === 'other-run'
          ? t('The journal {0} belongs to another run ({1}).', outside(journalPath), outside(refusal.detail))
          : words`${outside(refusal.detail)}`;
  return new Error(plainText(message), { cause: refusal });
}
