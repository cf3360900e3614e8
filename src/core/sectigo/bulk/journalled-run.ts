// One journalled bulk revocation, end to end, for the command line and the editor alike: lock
// the journal, check it against the run, plan what is left (or resume), send it through the
// pacer with every call journalled, and sum it up. The callers only adapt it: they say how a
// target is sent and show what the reporter hears; the words of a refusal are theirs (its
// reason is typed here).
import type { ApiResult, RevocationCode } from '../types';
import { redactOwnText } from '../redact';
import { journalMismatch, planResume, type JournalRunFacts, type ResumePlan } from './journal';
import { JournalBusyError, JournalWriter, lockJournal, readJournalFile, runJournal } from './journal-file';
import { runBulkRevocation, type BulkProgress, type BulkRunResult, type TargetOutcome } from './run';
import { buildSummary, type BulkSummary } from './summary';
import type { BulkTarget } from './targets';

/** What `sectigo-csr revoke --from` and the editor's bulk run send by default. */
export const BULK_DEFAULTS = { concurrency: 2, ratePerSecond: 5 } as const;

/** Why a run was refused before anything was sent. */
export type JournalRefusalReason =
  /** Another live run holds the journal's lock. */
  | 'busy'
  /** The lock could not be taken for another reason (permissions, a read-only folder). */
  | 'unlockable'
  /** The journal file cannot be read (not a file, too large, an I/O error). */
  | 'unreadable'
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

export interface JournalledRun {
  targets: readonly BulkTarget[];
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
  stop?: AbortSignal;
  abort?: AbortSignal;
}

/** What the caller hears while the run goes; every member is optional. */
export interface BulkRunReporter {
  /**
   * The plan, once the journal is checked and before anything is sent. Returning false ends the
   * run here (the command line's preview without --yes); nothing is written to the journal.
   */
  planned?(plan: ResumePlan): boolean | void | Promise<boolean | void>;
  outcome?(outcome: TargetOutcome): void;
  progress?(progress: BulkProgress, plan: ResumePlan): void;
}

export type JournalledRunResult =
  | { kind: 'ran'; plan: ResumePlan; run: BulkRunResult; summary: BulkSummary }
  | { kind: 'not-started'; plan: ResumePlan };

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** Runs a journalled bulk revocation. Throws JournalRefusal when the journal refuses it (nothing sent). */
export async function runJournalledRevocation(
  options: JournalledRun,
  reporter: BulkRunReporter = {},
): Promise<JournalledRunResult> {
  const { journalPath } = options;
  let unlock: () => Promise<void>;
  try {
    unlock = await lockJournal(journalPath);
  } catch (error) {
    if (error instanceof JournalBusyError)
      throw new JournalRefusal('busy', journalPath, error.message, [], { cause: error });
    throw new JournalRefusal('unlockable', journalPath, codeOf(error), [], { cause: error });
  }
  // Held until the run ends: a second run on the same journal (another terminal, another window) is refused, never interleaved.
  try {
    let journal;
    try {
      journal = await readJournalFile(journalPath);
    } catch (error) {
      throw new JournalRefusal('unreadable', journalPath, (error as Error).message, [], { cause: error });
    }
    const { problems } = journal.state;
    if (problems.length > 0)
      throw new JournalRefusal('damaged', journalPath, `line ${problems[0]?.line}: ${problems[0]?.message}`, problems);
    const mismatch = journalMismatch(journal.state, options.facts);
    if (mismatch) throw new JournalRefusal('other-run', journalPath, mismatch);
    const plan = planResume(options.targets, journal.state, options.retryFailed === true);
    if ((await reporter.planned?.(plan)) === false) return { kind: 'not-started', plan };

    let writer: JournalWriter;
    try {
      writer = await JournalWriter.open(journalPath, journal);
    } catch (error) {
      throw new JournalRefusal('unwritable', journalPath, codeOf(error), [], { cause: error });
    }
    let run: BulkRunResult;
    try {
      run = await runBulkRevocation({
        targets: plan.toSend,
        concurrency: options.concurrency ?? BULK_DEFAULTS.concurrency,
        ratePerSecond: options.ratePerSecond ?? BULK_DEFAULTS.ratePerSecond,
        ...(options.limitWaitMs !== undefined && { limitWaitMs: options.limitWaitMs }),
        ...(options.stop && { stop: options.stop }),
        ...(options.abort && { abort: options.abort }),
        send: (target, signal) => options.send(target, signal),
        journal: runJournal({
          writer,
          facts: options.facts,
          defaults: options.defaults,
          redact: (text) => redactOwnText(text, options.secrets),
        }),
        ...(reporter.outcome && { onOutcome: (outcome: TargetOutcome) => reporter.outcome?.(outcome) }),
        ...(reporter.progress && { onProgress: (progress: BulkProgress) => reporter.progress?.(progress, plan) }),
      });
    } finally {
      await writer.close().catch(() => undefined);
    }
    const summary = buildSummary(
      {
        test: options.facts.test,
        endpoint: options.facts.endpoint,
        loginName: options.facts.loginName,
        journal: journalPath,
        notes: [...(options.notes ?? [])],
      },
      plan,
      run,
    );
    return { kind: 'ran', plan, run, summary };
  } finally {
    await unlock();
  }
}
