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
  groupOrders,
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
      JSON.stringify({ version: 1, entries: [], padding: 'x'.repeat(DEFAULT_ORDERS_LIMIT * 16 * 1024) }),
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
    assert.deepEqual(outcome, { entries: [] });
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
