// The summary over the whole list, built by a real journalled run: earlier runs counted, failures
// grouped by error code with the catalogue's meaning, their count and first targets, the first
// hundred listed one by one and every one written to a failure list that reads back as a list;
// and the verdict behind the exit status (unfinished wins).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainText } from '../../../../src/core/outside-text';
import { explainError } from '../../../../src/core/sectigo/errors';
import { runJournalledRevocation, type JournalledRun } from '../../../../src/core/sectigo/bulk/journalled-run';
import {
  GROUP_TARGETS_SHOWN,
  MAX_LISTED_TARGETS,
  formatSummary,
  summaryVerdict,
  type BulkSummary,
} from '../../../../src/core/sectigo/bulk/summary';
import { parseTargetList, targetKey, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import type { ApiResult } from '../../../../src/core/sectigo/types';
import { revokeErrorAnswer, revokedAnswer } from './answers';

const dir = mkdtempSync(join(tmpdir(), 'bulk-summary-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const facts = { endpoint: 'https://example.test/products/!AutoRevokeSSL', loginName: 'reseller', test: false };
const list = (count: number): BulkTarget[] =>
  parseTargetList(Array.from({ length: count }, (_, index) => String(index + 1)).join('\n')).targets;
const lost: ApiResult = {
  kind: 'transport-error',
  endpoint: 'AutoRevokeSSL',
  outcome: 'unknown',
  message: 'The connection was closed.',
  durationMs: 1,
};
let journals = 0;

async function summaryOf(
  targets: BulkTarget[],
  answer: (target: BulkTarget) => ApiResult,
  more: Partial<JournalledRun> = {},
): Promise<BulkSummary> {
  const ran = await runJournalledRevocation({
    targets,
    journalPath: join(dir, `run-${++journals}.jsonl`),
    facts,
    defaults: { reason: 'incident' },
    ratePerSecond: 100_000,
    concurrency: 4,
    secrets: [],
    send: async (target) => answer(target),
    ...more,
  });
  assert.equal(ran.kind, 'ran');
  return ran.kind === 'ran' ? ran.summary : assert.fail();
}

test('counts over the list with an earlier run, failures by code with their meaning, and the verdict', async () => {
  const targets = list(5);
  const journalPath = join(dir, 'earlier.jsonl');
  // The earlier run: 1 revoked, 2 failed with -16 (no permission).
  await summaryOf(
    targets.slice(0, 2),
    (target) => (target.value === '1' ? revokedAnswer : revokeErrorAnswer(-16, 'Permission denied!')),
    { journalPath },
  );
  const done = await summaryOf(
    targets,
    (target) => (target.value === '4' ? revokeErrorAnswer(-21, 'revoked') : revokedAnswer),
    { journalPath },
  );
  assert.deepEqual(
    [done.total, done.revoked, done.alreadyRevoked, done.doneBefore, done.failed, done.unknown, done.notSent],
    [5, 4, 1, 1, 1, 0, 0],
  );
  const meaning = explainError('AutoRevokeSSL', -16).meaning;
  assert.deepEqual(done.failures, [
    { target: 'order:2', line: 2, code: -16, meaning, message: 'Permission denied!', earlierRun: true },
  ]);
  assert.deepEqual(done.failureGroups, [
    {
      code: -16,
      meaning,
      nextStep: explainError('AutoRevokeSSL', -16).nextStep,
      message: 'Permission denied!',
      count: 1,
      earlierRun: 1,
      targets: [{ target: 'order:2', line: 2 }],
    },
  ]);
  assert.equal(summaryVerdict(done), 'failed');
  const text = formatSummary(done).map(plainText).join('\n');
  assert.match(text, /4 revoked \(1 already revoked, -21\) \(1 in an earlier run\)/);
  assert.ok(
    text.includes(
      `-16 × 1: ${meaning} Sectigo said: "Permission denied!" (1 in an earlier run; --retry-failed sends them again)`,
    ),
    text,
  );
  assert.match(text, /^ {4}line 2 order:2$/m);
});

test('a thousand failures with one code are one group: its count and first targets; --json lists the first hundred, the file all', async () => {
  const targets = list(1010);
  const summary = await summaryOf(
    targets,
    (target) =>
      Number(target.value) <= 7
        ? revokeErrorAnswer(-20, 'The certificate request has been rejected!')
        : Number(target.value) <= 1007
          ? revokeErrorAnswer(-4, "The value of the 'orderNumber' argument is invalid!")
          : revokedAnswer,
    { failedList: { path: join(dir, 'thousand.failed.txt'), format: 'lines', source: 'thousand.txt' } },
  );
  assert.equal(summary.failed, 1007);
  assert.deepEqual(
    summary.failureGroups.map((group) => [group.code, group.count, group.targets.length]),
    [
      [-4, 1000, GROUP_TARGETS_SHOWN],
      [-20, 7, GROUP_TARGETS_SHOWN],
    ],
  );
  assert.deepEqual(
    summary.failureGroups[0]?.targets.map((entry) => entry.line),
    [8, 9, 10, 11, 12],
    'the first of the group in list order',
  );
  assert.equal(summary.failures.length, MAX_LISTED_TARGETS);
  assert.equal(summary.failuresOmitted, 1007 - MAX_LISTED_TARGETS);
  const text = formatSummary(summary).map(plainText).join('\n');
  assert.match(text, /-4 × 1,000: A parameter value was refused by Sectigo\./);
  assert.match(
    text,
    /line 8 order:8, line 9 order:9, line 10 order:10, line 11 order:11, line 12 order:12, and 995 more/,
  );
  // Not a line per failure: the output stays short whatever the count.
  assert.ok(text.split('\n').length < 20, text);
  assert.equal(summary.failedList, join(dir, 'thousand.failed.txt'));
  assert.match(text, /Every failed or unknown target is listed in .*thousand\.failed\.txt/);
  const again = parseTargetList(readFileSync(summary.failedList ?? '', 'utf8'));
  assert.deepEqual(again.problems, []);
  assert.deepEqual(
    again.targets.map(targetKey),
    targets.slice(0, 1007).map(targetKey),
    'the failure list names every failed target, in list order, and reads back as a list',
  );
});

test('unknown outcomes are listed and make the run unfinished; the failure list holds them too', async () => {
  const summary = await summaryOf(
    list(4),
    (target) => (target.value === '2' ? lost : target.value === '3' ? revokeErrorAnswer(-20) : revokedAnswer),
    { failedList: { path: join(dir, 'unknown.failed.txt'), format: 'lines', source: 'unknown.txt' } },
  );
  assert.deepEqual([summary.unknown, summary.failed, summary.revoked], [1, 1, 2]);
  assert.deepEqual(summary.unknownTargets, [{ target: 'order:2', line: 2 }]);
  assert.equal(summaryVerdict(summary), 'unfinished', 'an unknown outcome wins over a failure: running again is next');
  const text = formatSummary(summary).map(plainText).join('\n');
  assert.match(text, /Outcome unknown \(sent, no answer\) × 1: line 2 order:2[\s\S]*Run the same command again/);
  const file = readFileSync(summary.failedList ?? '', 'utf8');
  assert.match(file, /# line 2: outcome unknown \(sent, no answer\)\norder:2\n/);
  assert.match(file, /# line 3: failed -20: .*\norder:3\n/);
});

test('a name already taken is never overwritten: the failure list takes the next free one', async () => {
  const path = join(dir, 'taken.failed.txt');
  const first = await summaryOf(list(2), () => revokeErrorAnswer(-20), {
    failedList: { path, format: 'lines', source: 'taken.txt' },
  });
  const before = readFileSync(path, 'utf8');
  const second = await summaryOf(list(2), () => revokeErrorAnswer(-20), {
    failedList: { path, format: 'lines', source: 'taken.txt' },
  });
  assert.equal(first.failedList, path);
  assert.equal(second.failedList, join(dir, 'taken.failed-2.txt'));
  assert.equal(readFileSync(path, 'utf8'), before);
});

test('a test run summary never calls an accepted target revoked', async () => {
  const tested = await summaryOf(list(2), () => revokedAnswer, { facts: { ...facts, test: true } });
  const text = formatSummary(tested).map(plainText).join('\n');
  assert.match(text, /2 accepted by the test call \(nothing revoked\)/);
  assert.doesNotMatch(text.replace(/nothing (is )?revoked/g, ''), /revoked/i);
  const real = formatSummary({ ...tested, test: false, callLimitAnswers: 1, pauses: 1 })
    .map(plainText)
    .join('\n');
  assert.match(real, /^ {2}2 revoked$/m);
  assert.match(real, /1 call-limit answer \(-42\), 1 pause$/m);
});
