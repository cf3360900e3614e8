// The summary over the whole list: earlier runs counted, every failure listed with
// its code and meaning, and the verdict behind the exit status (unfinished wins).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainText } from '../../../../src/core/outside-text';
import { buildSummary, formatSummary, summaryVerdict } from '../../../../src/core/sectigo/bulk/summary';
import {
  parseJournalText,
  planResume,
  endedLine,
  type JournalRunFacts,
} from '../../../../src/core/sectigo/bulk/journal';
import { parseTargetList, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import type { BulkRunResult } from '../../../../src/core/sectigo/bulk/run';
import { revokeErrorAnswer, revokedAnswer } from './answers';

const facts: JournalRunFacts = {
  endpoint: 'https://example.test/products/!AutoRevokeSSL',
  loginName: 'reseller',
  test: false,
};
const targets = parseTargetList('1\n2\n3\n4\n5\n').targets;
const t = (index: number): BulkTarget => targets[index] as BulkTarget;
const time = new Date();

function summaryOf(run: Partial<BulkRunResult>) {
  const journal = parseJournalText(
    [
      endedLine(facts, t(0), { outcome: 'revoked', code: 0, meaning: 'Revoked.' }, time),
      endedLine(
        facts,
        t(1),
        { outcome: 'failed', code: -16, meaning: 'Permission denied.', message: 'Permission denied!' },
        time,
      ),
    ]
      .map((line) => `${JSON.stringify(line)}\n`)
      .join(''),
  );
  const plan = planResume(targets, journal, false);
  return buildSummary({ ...facts, journal: 'j.jsonl', notes: [] }, plan, {
    outcomes: [],
    notStarted: [],
    callLimitAnswers: 0,
    pauses: 0,
    durationMs: 1234,
    ...run,
  });
}

test('counts by outcome over the list, earlier failures re-reported, and the verdict', () => {
  const done = summaryOf({
    outcomes: [
      {
        target: t(2),
        outcome: 'revoked',
        result: revokedAnswer,
      },
      {
        target: t(3),
        outcome: 'revoked',
        alreadyRevoked: true,
        result: revokeErrorAnswer(-21, 'revoked'),
      },
      {
        target: t(4),
        outcome: 'revoked',
        result: revokedAnswer,
      },
    ],
  });
  assert.deepEqual(
    [done.total, done.revoked, done.alreadyRevoked, done.doneBefore, done.failed, done.unknown, done.notSent],
    [5, 4, 1, 1, 1, 0, 0],
  );
  assert.deepEqual(done.failures, [
    {
      target: 'order:2',
      line: 2,
      code: -16,
      meaning: 'Permission denied.',
      message: 'Permission denied!',
      earlierRun: true,
    },
  ]);
  assert.equal(summaryVerdict(done), 'failed');
  const text = formatSummary(done).map(plainText).join('\n');
  assert.match(text, /4 revoked \(1 already revoked, -21\) \(1 in an earlier run\)/);
  assert.match(
    text,
    /Failed: line 2, order:2: -16 Permission denied\. Sectigo said: "Permission denied!" \(earlier run; --retry-failed sends it again\)/,
  );

  const unfinished = summaryOf({
    outcomes: [
      {
        target: t(2),
        outcome: 'unknown',
        result: {
          kind: 'transport-error',
          endpoint: 'AutoRevokeSSL',
          outcome: 'unknown',
          message: 'lost',
          durationMs: 1,
        },
      },
    ],
    notStarted: [t(3), t(4)],
  });
  assert.deepEqual([unfinished.unknown, unfinished.notSent, unfinished.failed], [1, 2, 1]);
  assert.equal(
    summaryVerdict(unfinished),
    'unfinished',
    'an unknown outcome wins over a failure: running again is the next step',
  );
  assert.match(
    formatSummary(unfinished).map(plainText).join('\n'),
    /Outcome unknown: line 3, order:3[\s\S]*Run the same command again/,
  );
});

test('a test run summary never calls an accepted target revoked', () => {
  const tested = buildSummary(
    { test: true, endpoint: 'https://x/AutoRevokeSSL', loginName: 'op', journal: 'j', notes: [] },
    { done: [], failedBefore: [], toSend: [t(1), t(2)] } as unknown as Parameters<typeof buildSummary>[1],
    {
      outcomes: [
        { target: t(1), outcome: 'revoked', result: { kind: 'success', endpoint: 'AutoRevokeSSL', durationMs: 1 } },
      ],
      notStarted: [t(2)],
      callLimitAnswers: 1,
      pauses: 1,
      durationMs: 5,
    } as unknown as Parameters<typeof buildSummary>[2],
  );
  const text = formatSummary(tested).map(plainText).join('\n');
  assert.match(text, /1 accepted by the test call \(nothing revoked\)/);
  assert.match(text, /1 call-limit answer \(-42\), 1 pause$/m);
  assert.doesNotMatch(text.replace(/nothing (is )?revoked/g, ''), /revoked/i);
  const real = formatSummary({ ...tested, test: false })
    .map(plainText)
    .join('\n');
  assert.match(real, /^ {2}1 revoked$/m);
});
