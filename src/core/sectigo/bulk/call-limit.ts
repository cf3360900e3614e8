// How long a bulk run pauses after -42 (call limit reached). AutoReplaceSMIME
// documents -42; AutoRevokeSSL is treated the same way, never as a failure.
import type { ApiResult } from '../types';

export const REVOCATION_CALL_LIMIT_CODE = -42;
/** The pause after -42 when neither --limit-wait nor Retry-After says otherwise. */
export const DEFAULT_BULK_LIMIT_WAIT_MS = 60_000;
/** A Retry-After longer than this is read as this: a run never sleeps for hours on one header. */
export const MAX_BULK_LIMIT_WAIT_MS = 60 * 60_000;

/**
 * The pause after a -42: the --limit-wait value if given, else the server's Retry-After
 * (as the client read it into `retryAfter`), else a minute. Always within 0 … one hour.
 */
export function callLimitWaitMs(result: ApiResult, limitWaitMs: number | undefined, nowMs: number): number {
  if (limitWaitMs !== undefined) return clamp(limitWaitMs);
  if (result.kind === 'api-error' && result.retryAfterFromServer === true && result.retryAfter !== undefined) {
    const until = Date.parse(result.retryAfter);
    if (Number.isFinite(until)) return clamp(until - nowMs);
  }
  return DEFAULT_BULK_LIMIT_WAIT_MS;
}

function clamp(ms: number): number {
  return Number.isFinite(ms) ? Math.min(MAX_BULK_LIMIT_WAIT_MS, Math.max(0, ms)) : DEFAULT_BULK_LIMIT_WAIT_MS;
}
