// The bulk runner with a scripted `send`: the journal line comes before each
// call, concurrency is capped, -42 re-sends the same target after a pause, and
// a stop leaves the rest unsent but accounted for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  runBulkRevocation,
  type BulkJournal,
  type BulkRunOptions,
  type BulkRunResult,
  type TargetOutcome,
} from '../../../../src/core/sectigo/bulk/run';
import { parseTargetList, targetKey, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import type { ApiResult } from '../../../../src/core/sectigo/types';
import { revokeErrorAnswer as apiError, revokedAnswer as ok } from './answers';

const lost: ApiResult = {
  kind: 'transport-error',
  endpoint: 'AutoRevokeSSL',
  outcome: 'unknown',
  message: 'The connection was closed.',
  durationMs: 1,
};

function recordingJournal(events: string[]): BulkJournal {
  return {
    sending: async (target) => {
      events.push(`sending ${targetKey(target)}`);
    },
    ended: async (target, outcome) => {
      events.push(`ended ${targetKey(target)} ${outcome}`);
    },
  };
}

const list = (count: number): BulkTarget[] =>
  parseTargetList(Array.from({ length: count }, (_, index) => String(index + 1)).join('\n')).targets;
/** Runs with every outcome collected (the run itself only counts them). */
async function runCollecting(options: BulkRunOptions): Promise<BulkRunResult & { outcomes: TargetOutcome[] }> {
  const outcomes: TargetOutcome[] = [];
  const result = await runBulkRevocation({ ...options, onOutcome: (outcome) => outcomes.push(outcome) });
  return { ...result, outcomes };
}

const tick = (ms = 2): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('each call is journalled before it is sent; never more in flight than --concurrency', async () => {
  const events: string[] = [];
  let inFlight = 0;
  let most = 0;
  const result = await runCollecting({
    targets: list(12),
    concurrency: 3,
    ratePerSecond: 1000,
    journal: recordingJournal(events),
    send: async (target) => {
      assert.ok(events.includes(`sending ${targetKey(target)}`), 'journalled first');
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      inFlight--;
      return target.value === '5'
        ? apiError(-21)
        : target.value === '6'
          ? apiError(-20)
          : target.value === '7'
            ? lost
            : ok;
    },
  });
  assert.equal(most, 3);
  assert.equal(result.outcomes.length, 12);
  const byTarget = new Map(result.outcomes.map((outcome) => [outcome.target.value, outcome]));
  assert.equal(byTarget.get('5')?.outcome, 'revoked');
  assert.equal(byTarget.get('5')?.alreadyRevoked, true);
  assert.equal(byTarget.get('6')?.outcome, 'failed');
  assert.equal(byTarget.get('7')?.outcome, 'unknown');
  assert.equal(events.filter((event) => event.startsWith('ended')).length, 12);
});

/** How long a gate may stay shut before the scripted call gives up: a wait with a deadline, not a timed assertion. */
const GATE_DEADLINE_MS = 5_000;

/**
 * A promise opened from outside: the scripted server answers when the test says so, not after
 * some time. Still shut at the deadline, waiting on it rejects (the run records that call as
 * unknown and the test's assertions fail) instead of hanging the run.
 */
function gate(name: string): { opened: () => Promise<void>; open: () => void } {
  let open = (): void => {};
  const isOpen = new Promise<void>((resolve) => (open = resolve));
  return {
    open: () => open(),
    opened: () => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} never opened`)), GATE_DEADLINE_MS);
      });
      return Promise.race([isOpen, deadline]).finally(() => clearTimeout(timer));
    },
  };
}

test('-42 pauses every worker and sends the same target again', { timeout: 10_000 }, async () => {
  const events: string[] = [];
  // Every time is read from the run's own clock, so a send's start compares with the pause's end as the run computed it.
  const clock = (): number => performance.now();
  const sends: Array<{ value: string; at: number; afterPauseBegan: boolean }> = [];
  // Ordered by gates, not by sleeps: target 4 is in flight on the other worker when target 3 answers -42,
  // and it answers only once the run has taken the pause, so that worker meets the pause on its next call.
  const fourInFlight = gate('target 4 in flight');
  const pauseTaken = gate('the pause taken');
  let pausedUntil: number | undefined;
  let limitAnsweredAt = 0;
  let limited = false;
  const result = await runCollecting({
    targets: list(6),
    concurrency: 2,
    ratePerSecond: 1000,
    limitWaitMs: 150,
    now: clock,
    journal: recordingJournal(events),
    onProgress: (progress) => {
      if (progress.pausedUntil === undefined || pausedUntil !== undefined) return;
      pausedUntil = progress.pausedUntil;
      pauseTaken.open();
    },
    send: async (target) => {
      sends.push({ value: target.value, at: clock(), afterPauseBegan: pausedUntil !== undefined });
      if (target.value === '3' && !limited) {
        limited = true;
        await fourInFlight.opened();
        limitAnsweredAt = clock();
        return apiError(-42);
      }
      if (target.value === '4') {
        fourInFlight.open();
        await pauseTaken.opened();
      }
      return ok;
    },
  });
  assert.equal(result.callLimitAnswers, 1);
  assert.equal(result.pauses, 1);
  assert.deepEqual(
    result.outcomes.map((outcome) => outcome.outcome),
    Array(6).fill('revoked'),
  );
  const three = sends.filter((send) => send.value === '3');
  assert.equal(three.length, 2, 'target 3 was sent again');
  assert.ok(events.includes('ended order:3 call-limit'));
  assert.ok(pausedUntil !== undefined, 'the run reported its pause');
  assert.ok(pausedUntil >= limitAnsweredAt + 150, 'the pause lasts --limit-wait from the -42');
  // Sent after the pause began: target 3 again, and the targets of both workers (the one that had
  // 4 in flight included); each of them started only once the pause was over.
  const afterPause = sends.filter((send) => send.afterPauseBegan);
  assert.deepEqual(afterPause.map((send) => send.value).sort(), ['3', '5', '6']);
  for (const send of afterPause)
    assert.ok(
      send.at >= pausedUntil,
      `target ${send.value} started ${pausedUntil - send.at} ms before the pause ended`,
    );
});

test('a stop lets calls in flight finish and leaves the rest not started', async () => {
  const stop = new AbortController();
  let sent = 0;
  const result = await runCollecting({
    targets: list(50),
    concurrency: 2,
    ratePerSecond: 1000,
    stop: stop.signal,
    journal: recordingJournal([]),
    send: async () => {
      sent++;
      if (sent === 4) stop.abort();
      await tick(5);
      return ok;
    },
  });
  assert.equal(result.outcomes.length, sent);
  assert.ok(sent >= 4 && sent <= 5, `sent ${sent}`);
  assert.equal(result.notStarted, 50 - sent);
  assert.equal(result.stoppedBecause, 'Stopped on request.');
});

test('an unreachable server stops the run instead of marking every target', async () => {
  const notSent: ApiResult = {
    kind: 'transport-error',
    endpoint: 'AutoRevokeSSL',
    outcome: 'not-sent',
    message: 'connection refused',
    durationMs: 1,
  };
  const result = await runCollecting({
    targets: list(40),
    concurrency: 1,
    ratePerSecond: 1000,
    journal: recordingJournal([]),
    send: async () => notSent,
  });
  assert.equal(result.outcomes.length, 5);
  assert.ok(result.outcomes.every((outcome) => outcome.outcome === 'not-sent'));
  assert.equal(result.notStarted, 35);
  assert.match(result.stoppedBecause ?? '', /failed to reach Sectigo/);
});

test('a local refusal at send time (a bad proxy setting) stops the run: nothing is marked failed', async () => {
  const refused: ApiResult = {
    kind: 'validation-error',
    endpoint: 'AutoRevokeSSL',
    parameter: 'proxy',
    predictedErrorCode: -1,
    message: 'The proxy setting is not a URL.',
  };
  const result = await runCollecting({
    targets: list(10),
    concurrency: 1,
    ratePerSecond: 1000,
    journal: recordingJournal([]),
    send: async () => refused,
  });
  assert.deepEqual(
    result.outcomes.map((outcome) => outcome.outcome),
    ['not-sent'],
  );
  assert.equal(result.notStarted, 9);
  assert.match(result.stoppedBecause ?? '', /proxy/);
});

test('a journal that cannot be written stops the run before the call is sent', async () => {
  let sent = 0;
  const result = await runCollecting({
    targets: list(3),
    concurrency: 1,
    ratePerSecond: 1000,
    journal: { sending: async () => Promise.reject(new Error('ENOSPC')), ended: async () => undefined },
    send: async () => {
      sent++;
      return ok;
    },
  });
  assert.equal(sent, 0);
  assert.equal(result.notStarted, 3);
  assert.match(result.stoppedBecause ?? '', /ENOSPC/);
});

test('targets are pulled from a stream as workers are free, never read ahead; a stop leaves the rest unread', async () => {
  const stop = new AbortController();
  let pulled = 0;
  let sent = 0;
  let mostAhead = 0;
  async function* stream(): AsyncGenerator<BulkTarget> {
    for (const target of list(1000)) {
      pulled++;
      mostAhead = Math.max(mostAhead, pulled - sent);
      yield target;
    }
  }
  const result = await runCollecting({
    targets: stream(),
    total: 1000,
    concurrency: 3,
    ratePerSecond: 100_000,
    stop: stop.signal,
    journal: recordingJournal([]),
    send: async () => {
      sent++;
      if (sent === 30) stop.abort();
      await tick(1);
      return ok;
    },
  });
  // A worker holds at most the target it is about to send: the list is not read ahead of the calls.
  assert.ok(mostAhead <= 3, `${mostAhead} targets pulled ahead of the calls`);
  assert.ok(pulled <= sent + 3, `pulled ${pulled}, sent ${sent}`);
  assert.equal(result.finished, sent);
  assert.equal(result.notStarted, 1000 - sent);
  assert.equal(result.counts.revoked, sent);
});

test('a list that cannot be read further stops the run, counted: nothing is sent that was not read', async () => {
  async function* broken(): AsyncGenerator<BulkTarget> {
    yield* list(3);
    throw new Error('EIO');
  }
  const result = await runCollecting({
    targets: broken(),
    total: 10,
    concurrency: 1,
    ratePerSecond: 100_000,
    journal: recordingJournal([]),
    send: async () => ok,
  });
  assert.equal(result.finished, 3);
  assert.equal(result.notStarted, 7);
  assert.match(result.stoppedBecause ?? '', /list could not be read further \(EIO\)/);
});
