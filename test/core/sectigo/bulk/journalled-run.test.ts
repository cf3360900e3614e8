// The one journalled bulk run the command line and the editor share, end to end in plain Node:
// lock, journal checks, resume plan, pacer, summary; a refusal says why, typed, and sends
// nothing; the editor's stored runs add "finished", the passed test and the history entries.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJournalFile, placeJournal } from '../../../../src/core/sectigo/bulk/journal-file';
import { lockJournal } from '../../../../src/core/sectigo/bulk/journal-lock';
import {
  BULK_DEFAULTS,
  JournalRefusal,
  runJournalledRevocation,
  type JournalledRun,
} from '../../../../src/core/sectigo/bulk/journalled-run';
import { BulkRunStore, type BulkRunManifest } from '../../../../src/core/sectigo/bulk/run-store';
import {
  accountMismatch,
  bulkEndpoint,
  draftOf,
  historyEntryOf,
  isProductionRun,
  newRun,
  passedTestOf,
  runStoredRun,
  targetsOfOrders,
} from '../../../../src/core/sectigo/bulk/stored-run';
import { parseTargetList, targetKey, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import { PRODUCTION_BASE_URL } from '../../../../src/core/sectigo/call-plan';
import { groupOrders, orderKeyOf, type OrderEntry } from '../../../../src/core/sectigo/orders-store';
import type { ApiResult } from '../../../../src/core/sectigo/types';
import { revokeErrorAnswer, revokedAnswer } from './answers';

const dir = mkdtempSync(join(tmpdir(), 'journalled-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const list = (count: number): BulkTarget[] =>
  parseTargetList(Array.from({ length: count }, (_, index) => String(index + 1)).join('\n')).targets;
const facts = { endpoint: 'https://example.test/products/!AutoRevokeSSL', loginName: 'reseller', test: false };

function run(journalPath: string, send: JournalledRun['send'], targets = list(5)): JournalledRun {
  return {
    targets,
    journalPath,
    facts,
    defaults: { reason: 'key lost' },
    ratePerSecond: 1000,
    send,
    secrets: ['s3cret-pass'],
  };
}

test('a run sends each target once, journals it, and a second run on the journal sends nothing more', async () => {
  const journal = join(dir, 'once.jsonl');
  const sent: string[] = [];
  const first = await runJournalledRevocation(
    run(journal, async (target) => {
      sent.push(targetKey(target));
      return target.value === '3' ? revokeErrorAnswer(-21, 'already revoked s3cret-pass') : revokedAnswer;
    }),
  );
  assert.equal(first.kind, 'ran');
  assert.equal(sent.length, 5);
  assert.equal(first.kind === 'ran' && first.summary.revoked, 5);
  assert.ok(!readFileSync(journal, 'utf8').includes('s3cret-pass'), 'the journal holds the password');
  assert.equal(existsSync(`${journal}.lock`), false, 'the lock outlives the run');
  const second = await runJournalledRevocation(run(journal, async () => assert.fail('sent again')));
  assert.equal(second.kind === 'ran' && second.summary.doneBefore, 5);
  assert.equal(BULK_DEFAULTS.concurrency, 2);
  assert.equal(BULK_DEFAULTS.ratePerSecond, 5);
});

test('a reporter that declines the plan ends the run before anything is sent or journalled', async () => {
  const journal = join(dir, 'preview.jsonl');
  const result = await runJournalledRevocation(
    run(journal, async () => assert.fail('sent')),
    { planned: (plan) => plan.toSend !== 5 },
  );
  assert.equal(result.kind, 'not-started');
  // The lock creates the journal (empty) to know its identity; a run that never starts removes it.
  assert.equal(existsSync(journal), false);
  assert.equal(existsSync(`${journal}.lock`), false);
});

test('refusals are typed and send nothing: a held lock, another run, a damaged journal', async () => {
  const never = async (): Promise<ApiResult> => assert.fail('sent');
  const busy = join(dir, 'busy.jsonl');
  const place = await createJournalFile(await placeJournal(busy));
  const unlock = await lockJournal(place.path, place.identity!);
  try {
    await assert.rejects(runJournalledRevocation(run(busy, never)), (error: unknown) => {
      assert.ok(error instanceof JournalRefusal);
      assert.equal(error.reason, 'busy');
      return true;
    });
  } finally {
    await unlock();
  }
  const other = join(dir, 'other.jsonl');
  await runJournalledRevocation(run(other, async () => revokedAnswer, list(1)));
  await assert.rejects(
    runJournalledRevocation({ ...run(other, never), facts: { ...facts, loginName: 'someone-else' } }),
    (error: unknown) => error instanceof JournalRefusal && error.reason === 'other-run',
  );
  const damaged = join(dir, 'damaged.jsonl');
  writeFileSync(damaged, `${readFileSync(other, 'utf8')}not json\n{"send":"order:1","line":1}\n`);
  await assert.rejects(
    runJournalledRevocation(run(damaged, never)),
    (error: unknown) => error instanceof JournalRefusal && error.reason === 'damaged' && error.problems[0]?.line === 5,
  );
  const notOurs = join(dir, 'notes.txt');
  writeFileSync(notOurs, 'not json\n');
  await assert.rejects(
    runJournalledRevocation(run(notOurs, never)),
    (error: unknown) => error instanceof JournalRefusal && error.reason === 'not-a-journal',
  );
  assert.equal(readFileSync(notOurs, 'utf8'), 'not json\n');
});

const manifest = (test: boolean, count = 3): BulkRunManifest =>
  newRun(
    {
      targets: list(count),
      endpoint: bulkEndpoint(PRODUCTION_BASE_URL),
      loginName: 'reseller',
      reason: 'incident 42',
      codeReason: 1,
      source: 'incident.txt',
    },
    test,
  );

test('a stored test run Sectigo accepts whole is finished and becomes the passed test; a cut one is not', async () => {
  const store = new BulkRunStore(join(dir, 'runs'));
  const tested = manifest(true);
  await store.save(tested);
  const done = await runStoredRun(store, tested, { send: async () => revokedAnswer, secrets: [], ratePerSecond: 1000 });
  assert.equal(done.passedTest?.manifestId, tested.id);
  assert.equal(done.passedTest?.count, 3);
  assert.deepEqual(passedTestOf(JSON.parse(JSON.stringify(done.passedTest))), done.passedTest);
  assert.equal((await store.get(tested.id))?.finished, true);
  const real = newRun(draftOf(tested), false);
  assert.notEqual(real.id, tested.id);
  assert.equal(real.test, false);
  await store.save(real);
  const lost: ApiResult = {
    kind: 'transport-error',
    endpoint: 'AutoRevokeSSL',
    outcome: 'unknown',
    message: 'lost',
    durationMs: 1,
  };
  const cut = await runStoredRun(store, real, { send: async () => lost, secrets: [], ratePerSecond: 1000 });
  assert.equal(cut.passedTest, undefined);
  assert.equal(cut.summary.unknown, 3);
  assert.equal((await store.get(real.id))?.finished, undefined);
  assert.deepEqual(
    (await store.interrupted()).map((interrupted) => interrupted.manifest.id),
    [real.id],
  );
});

test('a stored run knows its account, its endpoint and what the history records of each outcome', () => {
  const run = manifest(false);
  assert.equal(isProductionRun(run), true);
  assert.equal(isProductionRun({ endpoint: bulkEndpoint('https://example.test/products') }), false);
  assert.equal(accountMismatch(run, 'reseller', `${PRODUCTION_BASE_URL}`), undefined);
  assert.equal(accountMismatch(run, 'other', PRODUCTION_BASE_URL), 'login');
  assert.equal(accountMismatch(run, 'reseller', 'https://example.test/'), 'endpoint');
  const target = list(1)[0] as BulkTarget;
  // An accepted target is a call of an order the history already holds, never a row of its own.
  assert.equal(
    historyEntryOf(run, PRODUCTION_BASE_URL, { target, outcome: 'revoked', result: revokedAnswer }),
    undefined,
  );
  const known = new Set([
    orderKeyOf({ identifierKind: 'orderNumber', identifier: target.value, baseUrl: PRODUCTION_BASE_URL }),
  ]);
  const entry = historyEntryOf(run, PRODUCTION_BASE_URL, { target, outcome: 'revoked', result: revokedAnswer }, known);
  assert.equal(entry?.state, 'revoked');
  assert.equal(entry?.bulkRunId, undefined);
  assert.equal(entry?.codeReason, 1);
  assert.equal(entry?.revocationReason, 'incident 42');
  assert.equal(
    historyEntryOf(run, PRODUCTION_BASE_URL, { target, outcome: 'not-sent', result: revokedAnswer }),
    undefined,
  );
  // Any other answer stays in the run's journal, read beneath the run (run-outcomes.ts).
  assert.equal(
    historyEntryOf(run, PRODUCTION_BASE_URL, { target, outcome: 'failed', result: revokeErrorAnswer(-4) }),
    undefined,
  );
  const failed = historyEntryOf(
    run,
    PRODUCTION_BASE_URL,
    { target, outcome: 'failed', result: revokeErrorAnswer(-4) },
    known,
  );
  assert.deepEqual([failed?.errorCode, failed?.state], [-4, 'failed']);
  // A -21 in a test run is "already revoked": a revocation fact, not a test accepted.
  const testRun = { ...run, test: true };
  const already = historyEntryOf(
    testRun,
    PRODUCTION_BASE_URL,
    { target, outcome: 'revoked', alreadyRevoked: true, result: revokeErrorAnswer(-21) },
    known,
  );
  assert.deepEqual([already?.state, already?.errorCode, already?.test], ['revoked', -21, true]);
  const tested = historyEntryOf(
    testRun,
    PRODUCTION_BASE_URL,
    { target, outcome: 'revoked', result: revokedAnswer },
    known,
  );
  assert.equal(tested?.state, 'test-revoked');
  assert.equal(passedTestOf({ manifestId: 'x' }), undefined);
  assert.equal(passedTestOf('junk'), undefined);
});

test('orders of the history become targets; S/MIME and revoked ones are skipped with the reason', () => {
  const entry = (id: string, fields: Partial<OrderEntry>): OrderEntry => ({
    id,
    time: `2026-01-01T00:00:0${id}Z`,
    endpoint: 'AutoRevokeSSL',
    identifierKind: 'orderNumber',
    identifier: id,
    state: 'test-revoked',
    baseUrl: PRODUCTION_BASE_URL,
    ...fields,
  });
  const orders = groupOrders([
    entry('1', {}),
    entry('2', { identifierKind: 'serialNumber', identifier: 'ab:cd' }),
    entry('3', { endpoint: 'AutoReplaceSMIME', state: 'replaced' }),
    entry('4', { state: 'revoked' }),
  ]);
  const { targets, skipped } = targetsOfOrders(orders);
  // groupOrders lists the newest activity first.
  assert.deepEqual(
    targets.map((target) => targetKey(target)),
    ['serial:ABCD', 'order:1'],
  );
  assert.deepEqual(
    skipped.map(({ order, why }) => [order.identifier, why]),
    [
      ['4', 'revoked'],
      ['3', 'smime'],
    ],
  );
});
