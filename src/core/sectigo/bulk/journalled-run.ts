// One journalled bulk revocation, end to end, for the command line and the editor alike: check the
// journal's path and lock it, index the list (repeats merged), read the journal into that index,
// plan what is left (or resume), send it through the pacer with every call journalled, then one
// last pass over the list for the summary and the list of failures. The list is read as a stream
// on each pass and the results are counted, so memory does not grow with the list beyond the index
// (a number per target). The callers only adapt it: they say how a target is sent and show what the
// reporter hears; the words of a refusal are theirs (its reason is typed here).
import type { ApiResult, RevocationCode } from '../types';
import { redactOwnText } from '../redact';

/** The most distinct texts a run remembers the redaction of: server messages repeat (one per error code). */
const REMEMBERED_REDACTIONS = 256;

/**
 * The one redaction (redact.ts), remembered for texts seen before: a 100,000-target run whose
 * every answer says the same words redacts them once, not 100,000 times (each redaction searches
 * every decoded view of the text, most of a run's work and of its garbage).
 */
export function repeatedTextRedaction(secrets: readonly string[]): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    const known = seen.get(text);
    if (known !== undefined) return known;
    const redacted = redactOwnText(text, secrets);
    if (seen.size >= REMEMBERED_REDACTIONS) seen.clear();
    seen.set(text, redacted);
    return redacted;
  };
}
import { journalMismatch, journalText, outcomeMeaning, type JournalRunFacts } from './journal';
import {
  JournalFileRefusal,
  JournalWriter,
  createJournalFile,
  placeJournal,
  readJournal,
  removeUnusedJournal,
  startRunJournal,
  type JournalFileRefusalReason,
  type JournalPlace,
} from './journal-file';
import { JournalBusyError, lockJournal } from './journal-lock';
import { FailureListWriter, type FailureListOptions } from './failure-list';
import { PREVIEW_TARGETS, RunIndex, isToSend, type ResumePlan } from './run-index';
import { runBulkRevocation, type BulkProgress, type BulkRunResult, type TargetOutcome } from './run';
import { MAX_NOTES, SummaryCollector, buildSummary, type BulkSummary } from './summary';
import { duplicateNote, targetKey, type BulkTarget } from './targets';

/** What `sectigo-csr revoke --from` and the editor's bulk run send by default. */
export const BULK_DEFAULTS = { concurrency: 2, ratePerSecond: 5 } as const;

/** Why a run was refused before anything was sent. */
export type JournalRefusalReason =
  /** Another live run holds the journal's lock, or may be about to. */
  | 'busy'
  /** The lock could not be made for another reason (permissions, a read-only folder). */
  | 'unlockable'
  | JournalFileRefusalReason
  /** Lines of the journal cannot be used. */
  | 'damaged'
  /** The journal was written by a run to another endpoint, login or mode. */
  | 'other-run'
  /** The journal cannot be opened for appending. */
  | 'unwritable';

/** A run refused before any call: nothing was sent. `detail` is the underlying message. */
export class JournalRefusal extends Error {
  constructor(
    readonly reason: JournalRefusalReason,
    readonly journalPath: string,
    readonly detail: string,
    /** For 'damaged': the problems, by line. */
    readonly problems: ReadonlyArray<{ line: number; message: string }> = [],
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/**
 * The targets of a run, in list order, read afresh each time it is iterated (a run reads its list
 * several times: to index it, to preview, to send, to sum up). Repeats are merged by the run.
 */
export interface TargetSource {
  read(): Iterable<BulkTarget> | AsyncIterable<BulkTarget>;
}

export interface JournalledRun {
  /** The list: an array, or a source read as a stream. */
  targets: readonly BulkTarget[] | TargetSource;
  journalPath: string;
  facts: JournalRunFacts;
  /** The run's reason and codeReason; a list row's own override them. */
  defaults: { reason: string | undefined; codeReason?: RevocationCode };
  /** Send again the targets that failed with an API error in an earlier run. */
  retryFailed?: boolean;
  concurrency?: number;
  ratePerSecond?: number;
  limitWaitMs?: number;
  /** Sends one target (the caller's client and credentials), test or real as `facts.test` says. */
  send(target: BulkTarget, signal: AbortSignal): Promise<ApiResult>;
  /** Passwords redacted from everything journalled (the journal is a file the user may share). */
  secrets: readonly string[];
  /** Notes carried into the summary (skipped rows, a list file holding several certificates). */
  notes?: readonly string[];
  /** Where to write every failed or unknown target as a list `revoke --from` takes again; not written when absent. */
  failedList?: Omit<FailureListOptions, 'journal' | 'test'>;
  stop?: AbortSignal;
  abort?: AbortSignal;
}

/** What the caller hears while the run goes; every member is optional. */
export interface BulkRunReporter {
  /**
   * The plan, once the journal is checked and before anything is sent. Returning false ends the
   * run here (the command line's preview without --yes); nothing is written to the journal.
   */
  planned?(plan: ResumePlan, notes: readonly string[]): boolean | void | Promise<boolean | void>;
  outcome?(outcome: TargetOutcome): void;
  progress?(progress: BulkProgress, plan: ResumePlan): void;
}

export type JournalledRunResult =
  | { kind: 'ran'; plan: ResumePlan; run: BulkRunResult; summary: BulkSummary }
  | { kind: 'not-started'; plan: ResumePlan };

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function sourceOf(targets: JournalledRun['targets']): TargetSource {
  return 'read' in targets ? targets : { read: () => targets };
}

/** The journal's place, created empty when nothing is there yet (so the lock can name its identity). */
async function journalPlace(journalPath: string): Promise<JournalPlace & { created: boolean }> {
  try {
    const place = await placeJournal(journalPath);
    return place.identity ? { ...place, created: false } : await createJournalFile(place);
  } catch (error) {
    if (error instanceof JournalFileRefusal)
      throw new JournalRefusal(error.reason, journalPath, error.message, [], { cause: error });
    throw new JournalRefusal('unwritable', journalPath, codeOf(error), [], { cause: error });
  }
}

/** The error code and message of an answer, as the index and the summary keep them. */
function answerOf(result: ApiResult): { code?: number; message?: string } {
  switch (result.kind) {
    case 'success':
      return { code: 0 };
    case 'api-error':
      return { code: result.errorCode, message: result.errorMessage };
    case 'validation-error':
      return { message: `${result.parameter}: ${result.message}` };
    case 'transport-error':
    case 'cancelled':
      return { message: result.message };
  }
}

/** Runs a journalled bulk revocation. Throws JournalRefusal when the journal refuses it (nothing sent). */
export async function runJournalledRevocation(
  options: JournalledRun,
  reporter: BulkRunReporter = {},
): Promise<JournalledRunResult> {
  const { journalPath } = options;
  const source = sourceOf(options.targets);
  const retryFailed = options.retryFailed === true;
  const redact = repeatedTextRedaction(options.secrets);
  const place = await journalPlace(journalPath);
  const identity = place.identity;
  if (!identity) throw new JournalRefusal('unreadable', journalPath, `${journalPath} could not be created.`);
  let unlock: () => Promise<void>;
  try {
    unlock = await lockJournal(place.path, identity);
  } catch (error) {
    // The empty journal this run made stays: the run holding the lock may be using it.
    if (error instanceof JournalBusyError)
      throw new JournalRefusal('busy', journalPath, error.message, [], { cause: error });
    throw new JournalRefusal('unlockable', journalPath, codeOf(error), [], { cause: error });
  }
  // Held until the run ends: a second run on the same journal (another terminal, another window) is refused, never interleaved.
  let wrote = false;
  try {
    const index = new RunIndex();
    const notes = [...(options.notes ?? [])];
    let repeats = 0;
    for await (const target of source.read()) {
      const first = index.list(target);
      if (first === undefined) continue;
      repeats++;
      if (repeats <= MAX_NOTES) notes.push(duplicateNote(target, first));
    }
    if (repeats > MAX_NOTES)
      notes.push(`${repeats - MAX_NOTES} more lines repeat an earlier line; each target is revoked once.`);

    let journal;
    try {
      // The file locked is the file read: a file swapped in before the lock was taken is refused.
      const now = await placeJournal(journalPath);
      if (now.identity?.dev !== identity.dev || now.identity.ino !== identity.ino)
        throw new JournalFileRefusal(
          'unreadable',
          `${journalPath} was replaced while the run was starting; run again.`,
        );
      journal = await readJournal(place, journalPath, { index });
    } catch (error) {
      if (error instanceof JournalFileRefusal)
        throw new JournalRefusal(error.reason, journalPath, error.message, [], { cause: error });
      throw new JournalRefusal('unreadable', journalPath, (error as Error).message, [], { cause: error });
    }
    const { problems } = journal;
    if (problems.length > 0)
      throw new JournalRefusal('damaged', journalPath, `line ${problems[0]?.line}: ${problems[0]?.message}`, problems);
    const mismatch = journalMismatch(journal.facts, options.facts);
    if (mismatch) throw new JournalRefusal('other-run', journalPath, mismatch);

    // The first targets left, as the list names them (a certificate's file included), for a preview.
    const firstToSend: BulkTarget[] = [];
    for await (const target of source.read()) {
      if (firstToSend.length >= PREVIEW_TARGETS) break;
      const state = index.get(targetKey(target));
      if (state && state.line === target.line && isToSend(state.status, retryFailed)) firstToSend.push(target);
    }
    const plan: ResumePlan = { ...index.plan(retryFailed), firstToSend };
    if ((await reporter.planned?.(plan, notes)) === false) return { kind: 'not-started', plan };

    let writer: JournalWriter | undefined;
    let runJournal;
    try {
      writer = await JournalWriter.open(place, journalPath, journal);
      wrote = true;
      // A new journal's header and this run's record are on disk before the first call.
      runJournal = await startRunJournal({
        writer,
        format: journal.format ?? 'compact',
        needsHeader: journal.format === undefined,
        facts: options.facts,
        defaults: options.defaults,
        redact,
      });
    } catch (error) {
      await writer?.close().catch(() => undefined);
      if (error instanceof JournalFileRefusal)
        throw new JournalRefusal(error.reason, journalPath, error.message, [], { cause: error });
      throw new JournalRefusal('unwritable', journalPath, codeOf(error), [], { cause: error });
    }
    let run: BulkRunResult;
    try {
      async function* toSend(): AsyncGenerator<BulkTarget> {
        for await (const target of source.read()) {
          const state = index.get(targetKey(target));
          if (state && state.line === target.line && isToSend(state.status, retryFailed)) yield target;
        }
      }
      run = await runBulkRevocation({
        targets: toSend(),
        total: plan.toSend,
        concurrency: options.concurrency ?? BULK_DEFAULTS.concurrency,
        ratePerSecond: options.ratePerSecond ?? BULK_DEFAULTS.ratePerSecond,
        ...(options.limitWaitMs !== undefined && { limitWaitMs: options.limitWaitMs }),
        ...(options.stop && { stop: options.stop }),
        ...(options.abort && { abort: options.abort }),
        send: (target, signal) => options.send(target, signal),
        journal: runJournal,
        onOutcome: (outcome: TargetOutcome) => {
          const { code, message } = answerOf(outcome.result);
          // Only the first message of each outcome and code is kept (for the summary): only that one is redacted.
          const sample =
            message !== undefined && index.wantsSample(outcome.outcome, code)
              ? journalText(redact(message))
              : undefined;
          index.record(targetKey(outcome.target), outcome.outcome, code, sample, true);
          reporter.outcome?.(outcome);
        },
        ...(reporter.progress && { onProgress: (progress: BulkProgress) => reporter.progress?.(progress, plan) }),
      });
    } finally {
      await writer.close().catch(() => undefined);
    }

    const listed = new SummaryCollector((state) => index.sample(state.status, state.code), retryFailed);
    let failures: FailureListWriter | undefined;
    let failedListNote: string | undefined;
    const failedListOptions: FailureListOptions | undefined = options.failedList && {
      ...options.failedList,
      journal: journalPath,
      test: options.facts.test,
    };
    for await (const target of source.read()) {
      const state = index.get(targetKey(target));
      if (!state || state.line !== target.line) continue;
      const counted = listed.add(target, state);
      if (!counted || !failedListOptions || failedListNote !== undefined) continue;
      try {
        failures ??= await FailureListWriter.create(failedListOptions);
        const why =
          counted === 'unknown'
            ? 'outcome unknown (sent, no answer)'
            : `failed${state.code !== undefined ? ` ${state.code}` : ''}: ${outcomeMeaning('failed', state.code, index.sample('failed', state.code))}`;
        await failures.add(target, why);
      } catch (error) {
        failedListNote = `The list of failed targets could not be written beside ${failedListOptions.path} (${codeOf(error)}); the journal has them all.`;
      }
    }
    await failures?.close().catch((error: unknown) => {
      failedListNote ??= `The list of failed targets ${failures?.path} could not be finished (${codeOf(error)}); the journal has them all.`;
    });
    if (failedListNote) notes.push(failedListNote);
    const summary = buildSummary(
      {
        test: options.facts.test,
        endpoint: options.facts.endpoint,
        loginName: options.facts.loginName,
        journal: journalPath,
        notes,
      },
      plan,
      run,
      listed,
      failures && failedListNote === undefined ? failures.path : undefined,
    );
    return { kind: 'ran', plan, run, summary };
  } finally {
    if (!wrote && place.created) await removeUnusedJournal(place);
    await unlock();
  }
}
