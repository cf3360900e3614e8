// The pacer, on an explicit clock: the rate is kept, -42 pauses everyone and
// halves the rate once per burst, and calm periods bring the rate back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallPacer } from '../../../../src/core/sectigo/bulk/pacer';
import { callLimitWaitMs, DEFAULT_BULK_LIMIT_WAIT_MS } from '../../../../src/core/sectigo/bulk/call-limit';
import { explainError } from '../../../../src/core/sectigo/errors';
import type { ApiResult } from '../../../../src/core/sectigo/types';

test('starts are spaced by the rate', () => {
  const pacer = new CallPacer({ ratePerSecond: 5 });
  assert.deepEqual([pacer.reserve(0), pacer.reserve(0), pacer.reserve(0), pacer.reserve(1000)], [0, 200, 400, 1000]);
});

test('a -42 pauses every start, halves the rate once for the calls already in flight, then the rate comes back', () => {
  const pacer = new CallPacer({ ratePerSecond: 10, calmPeriodMs: 2000 });
  pacer.reserve(0);
  pacer.limitReached(50, 3000, 0);
  pacer.limitReached(60, 3000, 10); // started before the first -42: same burst
  assert.equal(pacer.pauses, 1);
  assert.equal(pacer.rate, 5);
  assert.equal(pacer.isPaused(3000), true);
  assert.equal(pacer.reserve(100), 3060);
  assert.equal(pacer.reserve(100), 3260);
  // A -42 for a call started after the pause began is a new one.
  pacer.limitReached(3300, 1000, 3260);
  assert.equal(pacer.pauses, 2);
  assert.equal(pacer.rate, 2.5);
  // Calm for two periods: back to 90% of the rate that met the limit, then creeping.
  pacer.reserve(4300 + 2000);
  assert.equal(pacer.rate, 4.5);
  pacer.reserve(4300 + 4000);
  assert.ok(Math.abs(pacer.rate - 4.95) < 1e-9);
  for (let at = 10_000; at < 40_000; at += 2000) pacer.reserve(at);
  assert.equal(pacer.rate, 10, 'never above --rate');
});

function limited(retryAfterFromServer: boolean): ApiResult {
  return {
    kind: 'api-error',
    endpoint: 'AutoRevokeSSL',
    errorCode: -42,
    errorMessage: 'Call limit reached!',
    explanation: explainError('AutoRevokeSSL', -42),
    retryAfter: new Date(1_000_000 + 7000).toISOString(),
    ...(retryAfterFromServer && { retryAfterFromServer }),
    responseFormat: 1,
    httpStatus: 200,
    durationMs: 1,
  };
}

test('the pause: --limit-wait, else Retry-After if sent, else a minute', () => {
  assert.equal(callLimitWaitMs(limited(true), 2000, 1_000_000), 2000);
  assert.equal(callLimitWaitMs(limited(true), undefined, 1_000_000), 7000);
  assert.equal(callLimitWaitMs(limited(false), undefined, 1_000_000), DEFAULT_BULK_LIMIT_WAIT_MS);
  assert.equal(
    callLimitWaitMs({ ...limited(true), retryAfter: 'not a date' } as ApiResult, undefined, 0),
    DEFAULT_BULK_LIMIT_WAIT_MS,
  );
  assert.equal(
    callLimitWaitMs({ ...limited(true), retryAfter: '2100-01-01T00:00:00Z' } as ApiResult, undefined, 0),
    60 * 60_000,
    'a huge Retry-After is capped at an hour',
  );
});
