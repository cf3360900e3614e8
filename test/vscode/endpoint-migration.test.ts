// Accounts stored before accounts carried an endpoint are pinned once to this window's endpoint
// settings, and the user is told where each now goes: the log and a one-time notification name
// "login @ host" (marked when not production), with Keep first and Change Endpoint… second.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CredentialStore } from '../../src/vscode/calls/credentials';
import { capturingLog } from './capturing-log';
import { renderMessage } from '../../src/core/message-text';
import { pinLegacyAccounts } from '../../src/vscode/calls/endpoint-migration';

/** A Memento in memory. */
function memoryState(initial: Record<string, unknown>): vscode.Memento {
  const values = new Map(Object.entries(initial));
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => {
      values.set(key, value);
    },
  } as vscode.Memento;
}

/** SecretStorage in memory. */
function memorySecrets(initial: Record<string, string>): vscode.SecretStorage {
  const values = new Map(Object.entries(initial));
  const changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    get: async (key: string) => values.get(key),
    store: async (key: string, value: string) => {
      values.set(key, value);
    },
    delete: async (key: string) => {
      values.delete(key);
    },
    onDidChange: changed.event,
  } as unknown as vscode.SecretStorage;
}

describe('pinning accounts stored before they had an endpoint', function () {
  const TEST_ENDPOINT = { baseUrl: 'https://127.0.0.1:8443/products/', caFile: '', proxy: '' };

  it("pins a legacy account to this window's endpoint and says so once, Keep first", async function () {
    const state = memoryState({
      'sectigo.accounts': { accounts: [{ id: 'old', loginName: 'legacy-login' }], activeId: 'old' },
    });
    // A secret as stored before accounts had endpoints: no baseUrl in it.
    const secrets = memorySecrets({
      'sectigo.account.old': JSON.stringify({ loginName: 'legacy-login', loginPassword: 'Old-Pass-1234' }),
    });
    const { log, lines } = capturingLog();
    const credentials = new CredentialStore(
      secrets,
      state,
      (password) => log.addSecret(password),
      () => TEST_ENDPOINT,
    );
    const shown: Array<{ message: string; buttons: string[] }> = [];
    const notice = await pinLegacyAccounts(credentials, log, async (message, ...buttons) => {
      shown.push({ message: renderMessage(message), buttons: buttons.map((button) => renderMessage(button)) });
      return buttons[0];
    });
    assert.ok(notice, 'a legacy account was pinned');
    await notice.answered;
    assert.deepEqual(
      notice.pinned.map((account) => [account.loginName, account.baseUrl]),
      [['legacy-login', TEST_ENDPOINT.baseUrl]],
    );
    assert.equal(shown.length, 1);
    assert.match(shown[0]?.message ?? '', /legacy-login @ 127\.0\.0\.1:8443 \(not production\)/);
    assert.deepEqual(shown[0]?.buttons, ['Keep', 'Change Endpoint…']);
    assert.ok(
      lines.some((line) =>
        /Pinned 1 stored Sectigo account to an endpoint: legacy-login @ 127\.0\.0\.1:8443 \(not production\) \(https:\/\/127\.0\.0\.1:8443\/products\/\)/.test(
          line,
        ),
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((line) => /Pinned endpoints: kept/.test(line)),
      lines.join('\n'),
    );
    // Once only: the next activation has nothing to pin and shows nothing.
    assert.equal(await pinLegacyAccounts(credentials, log, async () => assert.fail('shown twice')), undefined);
    credentials.dispose();
  });

  it('says nothing when every account already keeps its endpoint', async function () {
    const state = memoryState({
      'sectigo.accounts': { accounts: [{ id: 'new', loginName: 'x', ...TEST_ENDPOINT }], activeId: 'new' },
    });
    const { log, lines } = capturingLog();
    const credentials = new CredentialStore(
      memorySecrets({}),
      state,
      () => undefined,
      () => ({ baseUrl: 'https://secure.trust-provider.com/products/', caFile: '', proxy: '' }),
    );
    assert.equal(await pinLegacyAccounts(credentials, log, async () => assert.fail('nothing to say')), undefined);
    assert.deepEqual(lines, []);
    credentials.dispose();
  });
});
