// syncFolder: a folder is synced where the platform can (here, Linux); a folder that is not there
// is an error, not "cannot sync here". Windows's EPERM is tested under Windows Node (test/windows/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncFolder } from '../../src/core/sync-folder';

test('a folder is synced on Linux; a missing one is an error', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'sync-folder-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  assert.equal(await syncFolder(folder), true);
  await assert.rejects(syncFolder(join(folder, 'missing')), { code: 'ENOENT' });
});
