// The writer for file systems other than Node's (VS Code's workspace.fs in a browser or a
// virtual folder): both files or neither, never over an existing file, nothing left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PairWriteError, writePairThrough, type PairFileSystem } from '../../../src/core/csr-new/pair-through-any-fs';

/** A flat in-memory file system of "folder/name" paths; `hooks.beforeRename` runs before each rename. */
function memoryFs(folders: string[], initial: Record<string, string> = {}) {
  const files = new Map<string, Uint8Array>(
    Object.entries(initial).map(([name, text]) => [name, new TextEncoder().encode(text)]),
  );
  const hooks: { beforeRename?: (to: string) => void } = {};
  const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));
  const fs: PairFileSystem<string> = {
    exists: async (path) => files.has(path),
    folderExists: async (path) => folders.includes(folderOf(path)),
    write: async (path, bytes) => {
      if (!folders.includes(folderOf(path))) throw new Error('no such folder');
      files.set(path, bytes);
    },
    renameWithoutReplacing: async (from, to) => {
      hooks.beforeRename?.(to);
      if (files.has(to)) throw new Error('file exists');
      files.set(to, files.get(from) as Uint8Array);
      files.delete(from);
    },
    remove: async (path) => void files.delete(path),
    sibling: (path, name) => `${folderOf(path)}/${name}`,
    baseName: (path) => path.slice(path.lastIndexOf('/') + 1),
    show: (path) => path,
    same: (a, b) => a === b,
  };
  const text = (path: string): string | undefined =>
    files.has(path) ? new TextDecoder().decode(files.get(path)) : undefined;
  return { fs, files, hooks, text };
}

test('both files are written under their names, and nothing else is left', async () => {
  const { fs, files, text } = memoryFs(['/w']);
  await writePairThrough(fs, { csr: '/w/a.csr', key: '/w/a.key' }, 'CSR', 'KEY');
  assert.equal(text('/w/a.csr'), 'CSR');
  assert.equal(text('/w/a.key'), 'KEY');
  assert.deepEqual([...files.keys()].sort(), ['/w/a.csr', '/w/a.key']);
});

test('an existing target is refused before anything is written, and stays as it was', async () => {
  const { fs, files, text } = memoryFs(['/w'], { '/w/a.key': 'OLD KEY' });
  await assert.rejects(writePairThrough(fs, { csr: '/w/a.csr', key: '/w/a.key' }, 'CSR', 'KEY'), (error) => {
    assert.ok(error instanceof PairWriteError);
    assert.equal(error.existing, true);
    assert.match(error.message, /a\.key already exists; it is never overwritten/);
    return true;
  });
  assert.equal(text('/w/a.key'), 'OLD KEY');
  assert.deepEqual([...files.keys()], ['/w/a.key']);
});

test('a key that appears while the pair is written is kept, and the request written is taken back', async () => {
  const { fs, files, hooks, text } = memoryFs(['/w']);
  hooks.beforeRename = (to) => {
    if (to === '/w/a.key') files.set('/w/a.key', new TextEncoder().encode('SOMEONE ELSE'));
  };
  await assert.rejects(writePairThrough(fs, { csr: '/w/a.csr', key: '/w/a.key' }, 'CSR', 'KEY'), (error) => {
    assert.ok(error instanceof PairWriteError);
    assert.equal(error.existing, true);
    assert.match(error.message, /nothing was overwritten/);
    return true;
  });
  assert.equal(text('/w/a.key'), 'SOMEONE ELSE');
  assert.deepEqual([...files.keys()], ['/w/a.key']);
});

test('a missing folder and one name for both files are refused', async () => {
  const { fs, files } = memoryFs(['/w']);
  await assert.rejects(writePairThrough(fs, { csr: '/w/a.csr', key: '/x/a.key' }, 'C', 'K'), /folder of \/x\/a\.key/);
  await assert.rejects(writePairThrough(fs, { csr: '/w/a.csr', key: '/w/a.csr' }, 'C', 'K'), /same file/);
  assert.equal(files.size, 0);
});
