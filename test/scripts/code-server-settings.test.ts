// The demo and the browser tests write their settings where code-server's window reads them: it is
// a remote window, so a machine-scoped sectigo.* setting must be in the Machine settings (the
// "Remote" tab), or Set Credentials would offer production instead of the fake server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineScopedSettings, writeCodeServerSettings } from '../../scripts/vscode/code-server';

test("package.json's machine-scoped sectigo settings are found", () => {
  const machine = machineScopedSettings();
  for (const name of ['sectigo.baseUrl', 'sectigo.caFile', 'sectigo.proxy', 'sectigo.timeoutSeconds'])
    assert.ok(machine.has(name), name);
  assert.ok(!machine.has('workbench.startupEditor'));
});

test('machine-scoped settings go to Machine/settings.json, the rest to User/settings.json, over what each held', () => {
  const userData = mkdtempSync(join(tmpdir(), 'code-server-settings-'));
  try {
    mkdirSync(join(userData, 'User'));
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'editor.fontSize': 15 }));
    writeCodeServerSettings(userData, {
      'sectigo.baseUrl': 'https://127.0.0.1:8443/products/',
      'sectigo.caFile': '/tmp/ca.pem',
      'workbench.startupEditor': 'readme',
    });
    const read = (folder: string): unknown => JSON.parse(readFileSync(join(userData, folder, 'settings.json'), 'utf8'));
    assert.deepEqual(read('Machine'), {
      'sectigo.baseUrl': 'https://127.0.0.1:8443/products/',
      'sectigo.caFile': '/tmp/ca.pem',
    });
    assert.deepEqual(read('User'), { 'editor.fontSize': 15, 'workbench.startupEditor': 'readme' });
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
});
