// Every target's answer of a run, read from its journal (plain Node): the journals are written by
// the one journalled run itself, so this knows nothing of the journal's format. Pages come in the
// list's order, by outcome, a -21 apart as "already revoked", with the counts of the whole run; a
// journal that grew is read again, and a run of 600 targets pages without reading it each time.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJournalledRevocation } from '../../../../src/core/sectigo/bulk/journalled-run';
import { readRunOutcomes } from '../../../../src/core/sectigo/bulk/run-outcomes';
import { runCountsOf } from '../../../../src/core/sectigo/bulk/stored-run';
import { parseTargetList, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import type { ApiResult } from '../../../../src/core/sectigo/types';
import { revokeErrorAnswer, revokedAnswer } from './answers';

const dir = mkdtempSync(join(tmpdir(), 'run-outcomes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const list = (count: number, from = 1): BulkTarget[] =>
  parseTargetList(Array.from({ length: count }, (_, index) => String(from + index)).join('\n')).targets;

async function journalOf(
  name: string,
  targets: BulkTarget[],
  answer: (target: BulkTarget) => ApiResult,
  test = false,
): Promise<string> {
  const journalPath = join(dir, `${name}.journal.jsonl`);
  const ran = await runJournalledRevocation({
    targets,
    journalPath,
    facts: { endpoint: 'https://example.test/products/!AutoRevokeSSL', loginName: 'reseller', test },
    defaults: { reason: 'key lost' },
    concurrency: 8,
    ratePerSecond: 100_000,
    send: async (target) => answer(target),
    secrets: [],
  });
  assert.equal(ran.kind, 'ran');
  return journalPath;
}

const unknownAnswer: ApiResult = {
  kind: 'transport-error',
  endpoint: 'AutoRevokeSSL',
  outcome: 'unknown',
  message: 'connection reset after sending',
  durationMs: 1,
};

test('pages of one outcome come in the list order, with the counts of the whole run', async () => {
  const journal = await journalOf('mixed', list(12), (target) => {
    const n = Number(target.value);
    if (n % 4 === 0) return revokeErrorAnswer(-4, `bad order ${n}`);
    if (n === 5) return revokeErrorAnswer(-21, 'The certificate has been revoked!');
    if (n === 7) return unknownAnswer;
    return revokedAnswer;
  });
  const all = await readRunOutcomes(journal);
  assert.deepEqual(all.counts, { accepted: 7, 'already-revoked': 1, failed: 3, unknown: 1, 'not-sent': 0 });
  assert.equal(all.matching, 12);
  assert.deepEqual(
    all.outcomes.map((outcome) => outcome.line),
    Array.from({ length: 12 }, (_, index) => index + 1),
  );
  const failed = await readRunOutcomes(journal, { filter: ['failed'], offset: 1, limit: 1 });
  assert.equal(failed.matching, 3);
  assert.deepEqual(
    failed.outcomes.map((outcome) => [outcome.target, outcome.code, outcome.message]),
    [['order:8', -4, 'bad order 8']],
  );
  const already = await readRunOutcomes(journal, { filter: ['already-revoked'] });
  assert.deepEqual(
    already.outcomes.map((outcome) => [outcome.value, outcome.code]),
    [['5', -21]],
  );
  assert.deepEqual(runCountsOf(all.counts, 15), {
    revoked: 8,
    alreadyRevoked: 1,
    failed: 3,
    unknown: 1,
    notSent: 3,
  });
  assert.equal((await readRunOutcomes(journal, { limit: 0 })).outcomes.length, 0);
});

test('a journal not written yet is a run without answers; one that grew is read again', async () => {
  const missing = await readRunOutcomes(join(dir, 'never.journal.jsonl'));
  assert.deepEqual([missing.matching, missing.outcomes], [0, []]);
  const targets = list(3);
  const journal = await journalOf('grows', targets, (target) => (target.value === '2' ? unknownAnswer : revokedAnswer));
  assert.equal((await readRunOutcomes(journal)).counts.unknown, 1);
  // The resume sends the unknown one again: the answer now is the last word on it.
  await journalOf('grows', targets, () => revokeErrorAnswer(-21));
  const after = await readRunOutcomes(journal);
  assert.deepEqual([after.counts.unknown, after.counts['already-revoked']], [0, 1]);
  assert.equal(after.outcomes.find((outcome) => outcome.value === '2')?.sends, 2);
});

test('a run of 600 targets pages from memory after its first read', async () => {
  const journal = await journalOf('large', list(600, 3_000_000), (target) =>
    Number(target.value) % 100 === 0 ? revokeErrorAnswer(-4) : revokedAnswer,
  );
  const first = await readRunOutcomes(journal, { filter: ['accepted'], offset: 0, limit: 100 });
  assert.equal(first.matching, 594);
  const started = process.hrtime.bigint();
  let pages = 0;
  for (let offset = 100; offset < first.matching; offset += 100) {
    const page = await readRunOutcomes(journal, { filter: ['accepted'], offset, limit: 100 });
    assert.ok(page.outcomes.length > 0);
    pages++;
  }
  // Figures only (speed is the bench's to judge); the pages are what is asserted.
  console.log(`${pages} further pages of a 600-target run in ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
  const last = await readRunOutcomes(journal, { filter: ['failed'] });
  assert.equal(last.matching, 6);
});

test('a run whose every answer says something else keeps no table of them: a page reads its own again', async () => {
  // More distinct messages than the reader keeps (1,024): each page still shows each target's own.
  const journal = await journalOf('chatty', list(1_500, 5_000_000), (target) =>
    revokeErrorAnswer(-4, `order ${target.value} is not one of yours`),
  );
  const late = await readRunOutcomes(journal, { filter: ['failed'], offset: 1_400, limit: 50 });
  assert.equal(late.matching, 1_500);
  assert.deepEqual(
    late.outcomes.map((outcome) => outcome.message),
    late.outcomes.map((outcome) => `order ${outcome.value} is not one of yours`),
  );
  assert.equal(late.outcomes[0]?.value, '5001400');
  assert.equal(late.outcomes[0]?.line, 1_401);
  const early = await readRunOutcomes(journal, { offset: 3, limit: 1 });
  assert.equal(early.outcomes[0]?.message, 'order 5000003 is not one of yours');
});

test('serial numbers and certificate IDs come back as the journal names them', async () => {
  const targets = parseTargetList(
    ['serial:0A1B2C3D4E5F', 'certificate-id:123456789', `order:${'9'.repeat(45)}`].join('\n'),
  ).targets;
  const journal = await journalOf('kinds', targets, () => revokedAnswer);
  const { outcomes } = await readRunOutcomes(journal);
  assert.deepEqual(
    outcomes.map((outcome) => outcome.target),
    targets.map((target) => `${target.kind}:${target.value}`),
  );
  assert.equal(outcomes[0]?.value, targets[0]?.value);
});
