// The order history (pure core, plain Node): the file is read with a cap and only when it is a
// regular file (a FIFO in its place is refused at once, never a hang; a file larger than the
// store ever writes is kept aside, not read whole); calls are grouped into orders for the tree.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_ORDERS_LIMIT,
  ORDERS_FILE_NAME,
  OrdersStore,
  PENDING_CEILING_FACTOR,
  groupOrders,
  retainHistory,
  type BulkRunRecord,
  type OrderEntry,
} from '../../../src/core/sectigo/orders-store';

describe('the order history file is read within bounds', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a FIFO with no writer in place of the file at once', async () => {
    execFileSync('mkfifo', [join(folder, ORDERS_FILE_NAME)]);
    await assert.rejects(
      () => OrdersStore.inDirectory(folder).load(),
      /cannot be used: is a named pipe \(FIFO\), not a regular file/,
    );
  });

  it('keeps a file larger than 200 entries could be aside, unread', async () => {
    const file = join(folder, ORDERS_FILE_NAME);
    // Valid JSON, so only the size can be why it is refused.
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        entries: [],
        padding: 'x'.repeat(DEFAULT_ORDERS_LIMIT * PENDING_CEILING_FACTOR * 16 * 1024),
      }),
    );
    const outcome = await OrdersStore.inDirectory(folder).load();
    assert.deepEqual(outcome.entries, []);
    assert.match(outcome.corruptFileMovedTo ?? '', /orders\.corrupt-.*\.json$/);
    assert.equal(existsSync(file), false);
    assert.equal(readdirSync(folder).length, 1);
  });

  it('reads an ordinary file as before', async () => {
    writeFileSync(join(folder, ORDERS_FILE_NAME), JSON.stringify({ version: 1, entries: [] }));
    const outcome = await OrdersStore.inDirectory(folder).load();
    assert.deepEqual(outcome, { entries: [], runs: [], dropped: 0 });
  });
});

const call = (id: string, fields: Partial<OrderEntry>): OrderEntry => ({
  id,
  time: `2026-01-01T00:00:0${id}Z`,
  endpoint: 'AutoRevokeSSL',
  identifierKind: 'orderNumber',
  identifier: '1000001',
  state: 'failed',
  baseUrl: 'https://secure.trust-provider.com/products/',
  ...fields,
});

describe('calls grouped into orders', () => {
  it('puts the calls of one certificate at one endpoint together, newest first, and a real revocation stays', () => {
    const orders = groupOrders([
      call('3', { state: 'failed' }),
      call('2', { state: 'revoked' }),
      call('1', {
        identifier: '1000002',
        baseUrl: 'https://elsewhere.example/',
        endpoint: 'AutoReplaceSMIME',
        state: 'replaced',
        newOrderNumber: '9',
      }),
    ]);
    assert.equal(orders.length, 2);
    const [revoked, replaced] = orders;
    assert.deepEqual(
      revoked?.calls.map((entry) => entry.id),
      ['3', '2'],
    );
    assert.equal(revoked?.state, 'revoked', 'a later failure does not undo a real revocation');
    assert.equal(revoked?.production, true);
    assert.equal(revoked?.kind, 'ssl');
    assert.equal(replaced?.kind, 'smime');
    assert.equal(replaced?.production, false);
    assert.equal(replaced?.newOrderNumber, '9');
  });

  it('survives a reload: what one store writes another reads back, newest first', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
    try {
      const store = OrdersStore.inDirectory(folder);
      let changes = 0;
      store.onDidChange(() => changes++);
      await store.add(call('1', {}));
      await store.add(call('2', { identifier: '1000002' }));
      await store.remove('1');
      assert.equal(changes, 3);
      const reread = await OrdersStore.inDirectory(folder).load();
      assert.deepEqual(
        reread.entries.map((entry) => entry.id),
        ['2'],
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the history keeps what matters when it must drop entries', () => {
  const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
  const entry = (id: string, second: number, fields: Partial<OrderEntry> = {}): OrderEntry => ({
    id,
    time: at(second),
    endpoint: 'AutoRevokeSSL',
    identifierKind: 'orderNumber',
    identifier: id,
    state: 'revoked',
    baseUrl: 'https://cert-manager.com',
    ...fields,
  });
  const run = (id: string, second: number, finished: boolean): BulkRunRecord => ({
    id,
    time: at(second),
    updated: at(second),
    source: 'list.txt',
    endpoint: 'https://cert-manager.com/products/!AutoRevokeSSL',
    baseUrl: 'https://cert-manager.com',
    loginName: 'op',
    test: false,
    total: 150,
    accepted: 140,
    failed: 10,
    unknown: 0,
    notSent: finished ? 0 : 5,
    journal: 'j',
    finished,
  });

  it('drops the oldest finished test items first, a run with its entries, and never pending work', () => {
    const pending = [
      entry('tested', 0, { state: 'test-revoked', test: true }),
      entry('one-by-one', 3, { state: 'failed', errorCode: -16, test: true }),
    ];
    // Newer than every pending entry, all finished test calls: they must go before the pending ones.
    const finished = Array.from({ length: 20 }, (_, index) =>
      entry(`old${index}`, 10 + index, { state: 'failed', test: true, identifier: 'same' }),
    );
    // Earlier versions kept a run's failures beneath it: they go with their run, and alone when their run is gone.
    const beneath = [
      entry('beneath', 5, { state: 'failed', test: true, bulkRunId: 'r1' }),
      entry('orphan', 6, { state: 'failed', test: true, bulkRunId: 'gone' }),
    ];
    const kept = retainHistory(
      { entries: [...pending, ...finished, ...beneath], runs: [{ ...run('r1', 9, true), test: true }], dropped: 3 },
      10,
    );
    const ids = kept.entries.map((kept) => kept.id);
    for (const id of ['tested', 'one-by-one']) assert.ok(ids.includes(id), id);
    assert.ok(!ids.includes('orphan') && !ids.includes('beneath'));
    assert.deepEqual(kept.runs, [], 'the oldest finished item, the run, went with its entry');
    assert.ok(ids.includes('old19') && !ids.includes('old0'));
    assert.equal(kept.entries.length + kept.runs.length, 10);
    assert.equal(kept.dropped, 3 + 1 + 1 + 1 + 12, 'the count of dropped entries grows over the file life');
  });

  it('keeps an unfinished run, and an earlier call of an order is not pending once a later one exists', () => {
    const kept = retainHistory(
      {
        entries: [entry('a', 5, { identifier: 'same' }), entry('b', 6, { identifier: 'same' }), entry('c', 7)],
        runs: [run('old-unfinished', 0, false)],
        dropped: 0,
      },
      3,
    );
    assert.deepEqual(
      kept.entries.map((kept) => kept.id),
      ['c', 'b'],
    );
    assert.deepEqual(
      kept.runs.map((kept) => kept.id),
      ['old-unfinished'],
    );
    assert.equal(kept.dropped, 1);
  });

  it('two test runs of 150 leave the tested order, and the replace (in the audit record), in the history', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
    try {
      const store = OrdersStore.inDirectory(folder);
      await store.add(entry('tested', 0, { state: 'test-revoked', test: true }));
      await store.add(entry('replace', 1, { state: 'replaced', endpoint: 'AutoReplaceSMIME' }));
      for (const runId of ['r1', 'r2']) {
        await store.recordRun({ ...run(runId, runId === 'r1' ? 2 : 3, true), test: true });
        for (let index = 0; index < 150; index++)
          await store.add(entry(`${runId}-${index}`, 4 + index, { state: 'failed', test: true }));
      }
      const loaded = await store.load();
      const ids = loaded.entries.map((kept) => kept.id);
      assert.ok(ids.includes('tested') && ids.includes('replace'));
      assert.ok(loaded.dropped > 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads an orders.json of an earlier version (no runs, no dropped count)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
    try {
      writeFileSync(
        join(folder, ORDERS_FILE_NAME),
        JSON.stringify({ version: 1, entries: [entry('old', 1), { ...entry('legacy', 2), state: 'cancelled' }] }),
      );
      const loaded = await OrdersStore.inDirectory(folder).load();
      assert.deepEqual(
        loaded.entries.map((kept) => [kept.id, kept.state]),
        [
          ['legacy', 'failed'],
          ['old', 'revoked'],
        ],
      );
      assert.deepEqual([loaded.runs, loaded.dropped], [[], 0]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
