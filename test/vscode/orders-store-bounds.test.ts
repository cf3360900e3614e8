// The order history file is read with a cap and only when it is a regular file: a FIFO in its
// place is refused at once (never a hang), and a file larger than the store ever writes is kept
// aside, not read whole.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ORDERS_LIMIT, ORDERS_FILE_NAME, OrdersStore } from '../../src/vscode/calls/orders-store';

describe('the order history file is read within bounds', function () {
  let folder: string;
  beforeEach(function () {
    folder = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
  });
  afterEach(function () {
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a FIFO with no writer in place of the file at once', async function () {
    execFileSync('mkfifo', [join(folder, ORDERS_FILE_NAME)]);
    await assert.rejects(
      () => OrdersStore.inDirectory(folder).load(),
      /cannot be used: is a named pipe \(FIFO\), not a regular file/,
    );
  });

  it('keeps a file larger than 200 entries could be aside, unread', async function () {
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

  it('reads an ordinary file as before', async function () {
    writeFileSync(join(folder, ORDERS_FILE_NAME), JSON.stringify({ version: 1, entries: [] }));
    const outcome = await OrdersStore.inDirectory(folder).load();
    assert.deepEqual(outcome, { entries: [] });
  });
});
