// When the next bulk call may start: at most `rate` calls per second, none while
// paused for the call limit (-42), the rate halved at each -42 and raised again
// after calm periods. Pure: every method takes the time, so tests need no clock.

export interface PacerOptions {
  /** Calls per second at most (the --rate flag). */
  ratePerSecond: number;
  /** How long without a -42 before the rate is raised again. */
  calmPeriodMs?: number;
}

/** Without a -42 for this long, the rate goes up a step. */
export const DEFAULT_CALM_PERIOD_MS = 2_000;
/** The rate never drops below this many calls per second (one call a minute), so a run always moves. */
const MIN_RATE_PER_SECOND = 1 / 60;
/** Quick recovery goes back to this share of the rate that met the limit; above it the rate creeps. */
const RECOVERY_SHARE = 0.9;
/** The creep above the recovery point: +10% per calm period. */
const CREEP_FACTOR = 1.1;

export class CallPacer {
  /** The current rate, calls per second. */
  rate: number;
  readonly maxRate: number;
  /** No call starts before this time (ms). */
  pausedUntil = 0;
  /** How many distinct pauses for the call limit (a burst of -42 from calls already in flight counts once). */
  pauses = 0;
  private nextSlotAt = 0;
  private lastLimitAt = Number.NEGATIVE_INFINITY;
  private lastRaiseAt = Number.NEGATIVE_INFINITY;
  private recoverTo: number;
  private readonly calmPeriodMs: number;

  constructor(options: PacerOptions) {
    this.maxRate = options.ratePerSecond;
    this.rate = options.ratePerSecond;
    this.recoverTo = options.ratePerSecond;
    this.calmPeriodMs = options.calmPeriodMs ?? DEFAULT_CALM_PERIOD_MS;
  }

  /** Reserves the next start: the returned time is at or after `now`; the caller waits until then. */
  reserve(now: number): number {
    this.raiseIfCalm(now);
    const start = Math.max(now, this.nextSlotAt, this.pausedUntil);
    this.nextSlotAt = start + 1000 / this.rate;
    return start;
  }

  /** A call started at `startedAt` was answered -42 at `now`: pause everyone for `waitMs` and halve the rate. */
  limitReached(now: number, waitMs: number, startedAt: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
    this.nextSlotAt = Math.max(this.nextSlotAt, this.pausedUntil);
    // Calls already in flight when the first -42 came belong to the same burst: one pause, one halving.
    if (startedAt < this.lastLimitAt) return;
    this.lastLimitAt = now;
    this.pauses++;
    this.recoverTo = Math.max(MIN_RATE_PER_SECOND, this.rate * RECOVERY_SHARE);
    this.rate = Math.max(MIN_RATE_PER_SECOND, this.rate / 2);
  }

  /** Whether calls are held back for the call limit at `now`. */
  isPaused(now: number): boolean {
    return now < this.pausedUntil;
  }

  private raiseIfCalm(now: number): void {
    if (this.rate >= this.maxRate) return;
    const calmSince = Math.max(this.lastLimitAt, this.pausedUntil, this.lastRaiseAt);
    if (now - calmSince < this.calmPeriodMs) return;
    this.lastRaiseAt = now;
    // Back quickly to just under the rate that met the limit; beyond that, carefully.
    this.rate = this.rate < this.recoverTo ? Math.min(this.recoverTo, this.rate * 2) : this.rate * CREEP_FACTOR;
    this.rate = Math.min(this.maxRate, this.rate);
  }
}
