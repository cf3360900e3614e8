// The audit record (plain Node): append-only JSON Lines that two processes write at once without
// losing a line, that a process killed mid-write leaves readable (the torn line skipped, the next
// write on a line of its own), read incrementally, with removals and a size cap; and the order
// history that keeps every real call there, never dropping it to make room.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fork } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_FILE_NAME, MAX_AUDIT_BYTES } from '../../../src/core/sectigo/audit-record';
import {
  ORDERS_FILE_NAME,
  OrdersStore,
  groupOrders,
  type BulkRunRecord,
  type OrderEntry,
} from '../../../src/core/sectigo/orders-store';

const WRITER = join(__dirname, 'audit-writer.ts');

function runWriter(file: string, prefix: string, count: number): ReturnType<typeof fork> {
  return fork(WRITER, [file, prefix, String(count)], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
}

const exited = (child: ReturnType<typeof fork>): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const call = (id: string, second: number, fields: Partial<OrderEntry> = {}): OrderEntry => ({
  id,
  time: at(second),
  endpoint: 'AutoRevokeSSL',
  identifierKind: 'orderNumber',
  identifier: id,
  state: 'revoked',
  baseUrl: 'https://secure.trust-provider.com/products/',
  ...fields,
});
const run = (id: string, second: number, fields: Partial<BulkRunRecord> = {}): BulkRunRecord => ({
  id,
  time: at(second),
  updated: at(second),
  source: `${id}.txt`,
  endpoint: 'https://secure.trust-provider.com/products/!AutoRevokeSSL',
  baseUrl: 'https://secure.trust-provider.com/products/',
  loginName: 'op',
  test: false,
  total: 150,
  accepted: 150,
  failed: 0,
  unknown: 0,
  notSent: 0,
  journal: `${id}.journal.jsonl`,
  finished: true,
  ...fields,
});

describe('the audit record', () => {
  let folder: string;
  let auditFile: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'sectigo-audit-'));
    auditFile = join(folder, AUDIT_FILE_NAME);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps every line of two processes writing at once', async () => {
    const writers = [runWriter(auditFile, 'a', 150), runWriter(auditFile, 'b', 150)];
    assert.deepEqual(await Promise.all(writers.map(exited)), [0, 0]);
    const { entries } = await OrdersStore.inDirectory(folder).load();
    assert.equal(entries.length, 300);
    // An empty line (a writer that saw another's line half written closed it) is skipped; no line is merged into another.
    const lines = readFileSync(auditFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    assert.equal(lines.length, 300, 'one line per call, none merged into another');
    for (const line of lines) JSON.parse(line);
  });

  it('stays readable after a writer is killed mid-write, and the next write starts its own line', async () => {
    const writer = runWriter(auditFile, 'killed', 5000);
    await new Promise<void>((resolve) => {
      writer.on('message', (index) => {
        if (Number(index) >= 20) resolve();
      });
    });
    writer.kill('SIGKILL');
    await exited(writer);
    // A crash inside a write leaves part of a line: make sure there is one, as a kill may fall between writes.
    appendFileSync(auditFile, '{"v":1,"event":"call","time":"2026-01-01T00:00:00.000Z","call":{"id":"torn","ti');
    const store = OrdersStore.inDirectory(folder);
    const before = await store.load();
    assert.ok(before.entries.length >= 20);
    assert.ok(!before.entries.some((entry) => entry.id === 'torn'));
    await store.add(call('after-the-crash', 1));
    const after = await OrdersStore.inDirectory(folder).load();
    assert.equal(after.entries.length, before.entries.length + 1);
    assert.ok(after.entries.some((entry) => entry.id === 'after-the-crash'));
    assert.equal(after.auditSkippedLines, 1, 'the torn line is skipped, and only it');
  });

  it('reads only what was appended since the last read, and sees a file replaced or emptied', async () => {
    const store = OrdersStore.inDirectory(folder);
    await store.add(call('1', 1));
    assert.equal((await store.load()).entries.length, 1);
    // Another window appends: this window's next read folds in the new line.
    await OrdersStore.inDirectory(folder).add(call('2', 2));
    assert.deepEqual(
      (await store.load()).entries.map((entry) => entry.id),
      ['2', '1'],
    );
    truncateSync(auditFile, 0);
    assert.deepEqual((await store.load()).entries, []);
  });

  it('keeps the last line of an id, and hides what the user removed or cleared', async () => {
    const store = OrdersStore.inDirectory(folder);
    await store.recordRun(run('r1', 1, { finished: false, notSent: 150, accepted: 0 }));
    await store.recordRun(run('r1', 1));
    await store.add(call('1', 2));
    await store.add(call('2', 3));
    let loaded = await store.load();
    assert.deepEqual(
      loaded.runs.map((kept) => [kept.id, kept.finished]),
      [['r1', true]],
    );
    await store.remove('1');
    loaded = await OrdersStore.inDirectory(folder).load();
    assert.deepEqual(
      loaded.entries.map((entry) => entry.id),
      ['2'],
    );
    await store.clear('history');
    assert.equal((await store.load()).entries.length, 1, 'clearing the history leaves the audit record');
    await store.clear('all');
    assert.deepEqual(await OrdersStore.inDirectory(folder).load(), { entries: [], runs: [], dropped: 0 });
  });

  it('refuses a file over its cap with a message, and leaves it where it is', async () => {
    writeFileSync(auditFile, '');
    truncateSync(auditFile, MAX_AUDIT_BYTES + 1);
    const loaded = await OrdersStore.inDirectory(folder).load();
    assert.match(loaded.auditProblem ?? '', /over the 268,435,456 this extension reads; it was left as it is/);
    assert.equal(statSync(auditFile).size, MAX_AUDIT_BYTES + 1);
  });

  it('skips a line longer than any it writes without holding it, and reads on', async () => {
    writeFileSync(
      auditFile,
      `${'x'.repeat(200_000)}\n${JSON.stringify({ v: 1, event: 'call', time: at(0), call: call('ok', 0) })}\n`,
    );
    const loaded = await OrdersStore.inDirectory(folder).load();
    assert.deepEqual(
      loaded.entries.map((entry) => entry.id),
      ['ok'],
    );
    assert.equal(loaded.auditSkippedLines, 1);
  });
});

describe('bounding the history never drops the audit record', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'sectigo-audit-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('after a real list run and two test runs of 150, every real revocation is there, and the -21 of a test call too', async () => {
    const store = OrdersStore.inDirectory(folder, 10);
    await store.add(call('single-real', 0, { identifier: '1000007' }));
    await store.recordRun(run('real-list', 1));
    for (const [index, id] of ['test-a', 'test-b'].entries()) {
      await store.recordRun(run(id, 2 + index, { test: true, accepted: 145, failed: 5 }));
      for (let target = 0; target < 150; target++)
        await store.add(
          call(`${id}-${target}`, 10 + index * 200 + target, {
            identifier: `37${target}`,
            state: 'test-revoked',
            test: true,
          }),
        );
    }
    // A later test answers -21 for the order revoked for real: a fact too, kept in the record.
    await store.add(call('test-21', 999, { identifier: '1000007', state: 'revoked', test: true, errorCode: -21 }));
    const loaded = await OrdersStore.inDirectory(folder, 10).load();
    const ids = new Set(loaded.entries.map((entry) => entry.id));
    assert.ok(ids.has('single-real') && ids.has('test-21'));
    assert.ok(loaded.runs.some((kept) => kept.id === 'real-list'));
    assert.ok(loaded.dropped > 0, 'the test calls made room');
    assert.equal(groupOrders(loaded.entries).find((order) => order.identifier === '1000007')?.state, 'revoked');
  });

  it("moves the real calls and runs of an earlier version's orders.json into the record on the next change", async () => {
    writeFileSync(
      join(folder, ORDERS_FILE_NAME),
      JSON.stringify({
        version: 1,
        entries: [call('old-real', 1), call('old-test', 2, { state: 'test-revoked', test: true })],
        runs: [run('old-run', 3)],
      }),
    );
    const store = OrdersStore.inDirectory(folder, 1);
    await store.add(call('new-test', 4, { state: 'test-revoked', test: true, identifier: 'n' }));
    const history = JSON.parse(readFileSync(join(folder, ORDERS_FILE_NAME), 'utf8')) as {
      entries: OrderEntry[];
      runs: BulkRunRecord[];
    };
    // Only test calls stay in the bounded file (each the latest of its order: pending, so kept).
    assert.deepEqual(
      history.entries.map((entry) => entry.id),
      ['new-test', 'old-test'],
    );
    assert.deepEqual(history.runs, []);
    const loaded = await OrdersStore.inDirectory(folder, 1).load();
    assert.deepEqual(loaded.entries.map((entry) => entry.id).sort(), ['new-test', 'old-real', 'old-test']);
    assert.deepEqual(
      loaded.runs.map((kept) => kept.id),
      ['old-run'],
    );
  });
});
