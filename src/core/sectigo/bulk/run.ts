// Runs a bulk revocation: workers take targets in list order (pulled from the list as they go,
// never all held), each call is announced in the journal before it is sent, and the call limit
// (-42) pauses every worker and slows the run rather than failing a target. Outcomes are handed
// to the caller one by one and counted, not kept. Knows nothing of the command line or VS Code:
// both drive it through `send`, the journal and events.
import type { ApiResult } from '../types';
import { explainError } from '../errors';
import { REVOCATION_CALL_LIMIT_CODE, callLimitWaitMs } from './call-limit';
import { ALREADY_REVOKED_MEANING, REVOKED_MEANING, type JournalOutcome } from './journal';
import { CallPacer } from './pacer';
import { type BulkTarget } from './targets';

/** The final outcome of one target in this run. */
export type TargetOutcomeKind = Exclude<JournalOutcome, 'call-limit'>;

export interface TargetOutcome {
  target: BulkTarget;
  outcome: TargetOutcomeKind;
  /** The last answer; its kind says why (api-error code, transport failure, cancellation). */
  result: ApiResult;
  /** -21: it was already revoked, which counts as revoked. */
  alreadyRevoked?: boolean;
}

export interface BulkJournal {
  /** Resolves once the line is on disk: only then is the call sent. */
  sending(target: BulkTarget): Promise<void>;
  ended(target: BulkTarget, outcome: JournalOutcome, result: ApiResult, meaning: string): Promise<void>;
}

export interface BulkProgress {
  /** Finished in this run (any outcome). */
  finished: number;
  /** To send in this run. */
  total: number;
  inFlight: number;
  revoked: number;
  failed: number;
  unknown: number;
  notSent: number;
  /** Calls per second over the last few seconds. */
  recentRate: number;
  /** The pacer's current ceiling, calls per second. */
  allowedRate: number;
  pauses: number;
  callLimitAnswers: number;
  /** When paused for the call limit: until when (ms, the run's clock). */
  pausedUntil?: number;
  /** Estimated time left, ms. */
  etaMs?: number;
}

export interface BulkRunOptions {
  /** In list order; pulled one at a time as workers are free (a list read as a stream). */
  targets: Iterable<BulkTarget> | AsyncIterable<BulkTarget>;
  /** How many `targets` yields, for progress and what is left when the run stops (an array's length by default). */
  total?: number;
  send(target: BulkTarget, signal: AbortSignal): Promise<ApiResult>;
  journal: BulkJournal;
  concurrency: number;
  ratePerSecond: number;
  /** --limit-wait: fixed pause after -42; else Retry-After if the server sent it, else 60 s. */
  limitWaitMs?: number;
  /** Stops starting calls; calls in flight may finish within `stopGraceMs`. */
  stop?: AbortSignal;
  /** Cancels calls in flight as well. */
  abort?: AbortSignal;
  /** After `stop`, how long calls in flight may take before they are cancelled. */
  stopGraceMs?: number;
  calmPeriodMs?: number;
  onProgress?(progress: BulkProgress): void;
  onOutcome?(outcome: TargetOutcome): void;
  now?(): number;
}

/** The outcomes of a run, counted. */
export interface BulkRunCounts {
  revoked: number;
  /** Of `revoked`: answered -21. */
  alreadyRevoked: number;
  failed: number;
  unknown: number;
  notSent: number;
}

export interface BulkRunResult {
  counts: BulkRunCounts;
  /** Targets with an outcome in this run. */
  finished: number;
  /** Never started (stopped, or the run gave up on the server); a new run sends them. */
  notStarted: number;
  callLimitAnswers: number;
  pauses: number;
  /** Why the run stopped early, if it did. */
  stoppedBecause?: string;
  durationMs: number;
}

/** How long calls in flight may finish after Ctrl-C before they are cancelled. */
export const DEFAULT_STOP_GRACE_MS = 15_000;
/** -42 answers for one target before the run stops retrying it this time (it stays to be sent). */
const MAX_CALL_LIMIT_RETRIES = 20;
/** Transport failures in a row after which the server is taken to be unreachable. */
const MAX_TRANSPORT_FAILURES_IN_A_ROW = 5;
/** -16 answers in a row after which the login, not the orders, is taken to be the problem (and not locked out by hammering). */
const MAX_LOGIN_REFUSALS_IN_A_ROW = 10;

/** Which journal outcome an answer means. -42 is not an outcome: the target is sent again. */
export function classifyRevocation(result: ApiResult): {
  outcome: JournalOutcome;
  meaning: string;
  alreadyRevoked?: boolean;
} {
  switch (result.kind) {
    case 'success':
      return { outcome: 'revoked', meaning: result.note ?? REVOKED_MEANING };
    case 'api-error':
      if (result.errorCode === -21)
        return { outcome: 'revoked', meaning: ALREADY_REVOKED_MEANING, alreadyRevoked: true };
      if (result.errorCode === REVOCATION_CALL_LIMIT_CODE)
        return { outcome: 'call-limit', meaning: result.explanation.meaning };
      return { outcome: 'failed', meaning: result.explanation.meaning };
    case 'validation-error':
      // The list was checked before the run, so a local refusal now is about the setup (proxy, login): nothing was sent.
      return { outcome: 'not-sent', meaning: `${result.parameter}: ${result.message}` };
    case 'transport-error':
    case 'cancelled':
      return result.outcome === 'unknown'
        ? { outcome: 'unknown', meaning: result.message }
        : { outcome: 'not-sent', meaning: result.message };
  }
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runBulkRevocation(options: BulkRunOptions): Promise<BulkRunResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const pacer = new CallPacer({
    ratePerSecond: options.ratePerSecond,
    ...(options.calmPeriodMs !== undefined && { calmPeriodMs: options.calmPeriodMs }),
  });
  const source = options.targets;
  const total = options.total ?? (Array.isArray(source) ? source.length : 0);
  const iterator: Iterator<BulkTarget> | AsyncIterator<BulkTarget> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<BulkTarget>)[Symbol.asyncIterator]()
      : (source as Iterable<BulkTarget>)[Symbol.iterator]();
  let exhausted = false;
  const retries: BulkTarget[] = [];
  let givenUp = 0;
  let finished = 0;
  const counts: BulkRunCounts = { revoked: 0, alreadyRevoked: 0, failed: 0, unknown: 0, notSent: 0 };
  const finishTimes: number[] = [];
  let inFlight = 0;
  let callLimitAnswers = 0;
  let transportFailuresInARow = 0;
  let loginRefusalsInARow = 0;
  let stoppedBecause: string | undefined;
  const limitRetries = new Map<BulkTarget, number>();

  // Ours: stop when asked, or when the run decides to give up.
  const stopController = new AbortController();
  const abortController = new AbortController();
  const stopRun = (reason?: string): void => {
    if (reason && !stoppedBecause) stoppedBecause = reason;
    if (stopController.signal.aborted) return;
    stopController.abort();
    const grace = setTimeout(() => abortController.abort(), options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    grace.unref?.();
  };
  const onStop = (): void => stopRun('Stopped on request.');
  const onAbort = (): void => {
    stopRun('Stopped on request.');
    abortController.abort();
  };
  if (options.stop?.aborted) onStop();
  else options.stop?.addEventListener('abort', onStop, { once: true });
  if (options.abort?.aborted) onAbort();
  else options.abort?.addEventListener('abort', onAbort, { once: true });

  const progress = (): void => {
    if (!options.onProgress) return;
    const at = now();
    while (finishTimes.length > 0 && (finishTimes[0] ?? 0) < at - 5_000) finishTimes.shift();
    const window = Math.min(5_000, Math.max(1, at - started));
    const recentRate = (finishTimes.length * 1000) / window;
    const remaining = total - finished;
    const rateForEta = Math.min(pacer.rate, recentRate > 0 ? recentRate : pacer.rate);
    options.onProgress({
      finished,
      total,
      inFlight,
      ...counts,
      recentRate,
      allowedRate: pacer.rate,
      pauses: pacer.pauses,
      callLimitAnswers,
      ...(pacer.isPaused(at) && { pausedUntil: pacer.pausedUntil }),
      ...(rateForEta > 0 && {
        etaMs: ((remaining + Math.max(0, (pacer.pausedUntil - at) / 1000) * rateForEta) * 1000) / rateForEta,
      }),
    });
  };

  // Workers may ask at once: an async generator queues the calls, a plain iterator answers each at once.
  const take = async (): Promise<BulkTarget | undefined> => {
    const retry = retries.shift();
    if (retry || exhausted) return retry;
    let next: IteratorResult<BulkTarget>;
    try {
      next = await iterator.next();
    } catch (error) {
      exhausted = true;
      stopRun(`The list could not be read further (${(error as Error).message}); nothing more is sent.`);
      return undefined;
    }
    if (next.done) {
      exhausted = true;
      return undefined;
    }
    return next.value;
  };

  const finish = (
    target: BulkTarget,
    outcome: TargetOutcomeKind,
    result: ApiResult,
    alreadyRevoked: boolean | undefined,
  ): void => {
    const entry: TargetOutcome = { target, outcome, result, ...(alreadyRevoked && { alreadyRevoked }) };
    finished++;
    limitRetries.delete(target);
    // Kept for the recent rate only (the last 5 s), and only when someone reads the progress.
    if (options.onProgress) finishTimes.push(now());
    if (outcome === 'revoked') {
      counts.revoked++;
      if (alreadyRevoked) counts.alreadyRevoked++;
    } else if (outcome === 'failed') counts.failed++;
    else if (outcome === 'unknown') counts.unknown++;
    else counts.notSent++;
    options.onOutcome?.(entry);
    progress();
  };

  async function worker(): Promise<void> {
    for (;;) {
      if (stopController.signal.aborted) return;
      const target = await take();
      if (!target) return;
      const startAt = pacer.reserve(now());
      if (startAt > now()) await abortableSleep(startAt - now(), stopController.signal);
      // A -42 may have come in while this worker waited: wait for the new pause too.
      if (stopController.signal.aborted || pacer.isPaused(now())) {
        retries.unshift(target);
        continue;
      }
      inFlight++;
      let result: ApiResult;
      const sentAt = now();
      try {
        await options.journal.sending(target);
      } catch (error) {
        inFlight--;
        retries.unshift(target);
        // Nothing is sent that the journal does not know about.
        stopRun(`The journal cannot be written (${(error as Error).message}); nothing more is sent.`);
        return;
      }
      // Each call gets a signal of its own, tied to the run's while the call lasts: the client combines
      // the signal it is given with its deadline (AbortSignal.any), and a long-lived signal would
      // gather one combination per call, which Node frees only lazily (nodejs/node#55351).
      const callAbort = new AbortController();
      const abortCall = (): void => callAbort.abort(abortController.signal.reason);
      if (abortController.signal.aborted) abortCall();
      else abortController.signal.addEventListener('abort', abortCall, { once: true });
      try {
        result = await options.send(target, callAbort.signal);
      } catch (error) {
        // The client never throws; if it did, the request may have gone out.
        result = {
          kind: 'transport-error',
          endpoint: 'AutoRevokeSSL',
          outcome: 'unknown',
          message: `Internal error: ${(error as Error).message}`,
          durationMs: now() - sentAt,
        };
      }
      abortController.signal.removeEventListener('abort', abortCall);
      inFlight--;
      const verdict = classifyRevocation(result);
      await options.journal.ended(target, verdict.outcome, result, verdict.meaning).catch((error: unknown) => {
        stopRun(`The journal cannot be written (${(error as Error).message}); nothing more is sent.`);
      });
      if (verdict.outcome === 'call-limit') {
        callLimitAnswers++;
        pacer.limitReached(now(), callLimitWaitMs(result, options.limitWaitMs, Date.now()), sentAt);
        const tries = (limitRetries.get(target) ?? 0) + 1;
        limitRetries.set(target, tries);
        if (tries >= MAX_CALL_LIMIT_RETRIES) {
          givenUp++;
          stopRun(
            `Sectigo kept answering -42 (call limit) for ${describeTries(tries)}; run the same command again later to continue.`,
          );
          return;
        }
        retries.unshift(target);
        progress();
        continue;
      }
      transportFailuresInARow = result.kind === 'transport-error' ? transportFailuresInARow + 1 : 0;
      loginRefusalsInARow = result.kind === 'api-error' && result.errorCode === -16 ? loginRefusalsInARow + 1 : 0;
      finish(target, verdict.outcome, result, verdict.alreadyRevoked);
      if (result.kind === 'validation-error')
        stopRun(`Refused before sending (${result.parameter}: ${result.message}); nothing more is sent.`);
      if (transportFailuresInARow >= MAX_TRANSPORT_FAILURES_IN_A_ROW)
        stopRun(
          `${transportFailuresInARow} calls in a row failed to reach Sectigo; stopped so the rest are not marked failed. Run the same command again once it is reachable.`,
        );
      if (loginRefusalsInARow >= MAX_LOGIN_REFUSALS_IN_A_ROW) {
        stopRun(
          `${loginRefusalsInARow} calls in a row were refused with -16 (${explainError('AutoRevokeSSL', -16).meaning}) Stopped before the account is locked; check the login and its permissions.`,
        );
      }
    }
  }

  const workers = Array.from({ length: Math.max(1, options.concurrency) }, () => worker());
  const ticker = options.onProgress ? setInterval(progress, 1000) : undefined;
  try {
    await Promise.all(workers);
  } finally {
    if (ticker) clearInterval(ticker);
    options.stop?.removeEventListener('abort', onStop);
    options.abort?.removeEventListener('abort', onAbort);
  }
  // The list is not read further: whatever was not taken, and any target put back when the run stopped.
  if (!exhausted) await iterator.return?.();
  const notStarted = Math.max(0, total - finished, retries.length + givenUp);
  progress();
  return {
    counts,
    finished,
    notStarted,
    callLimitAnswers,
    pauses: pacer.pauses,
    ...(stoppedBecause !== undefined && (notStarted > 0 || stopController.signal.aborted) && { stoppedBecause }),
    durationMs: now() - started,
  };
}

function describeTries(tries: number): string {
  return `${tries} tries of the same target`;
}
