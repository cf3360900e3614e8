// The account model: an account keeps the endpoint it was saved for; accounts stored before
// that are pinned once to the defaults; a secret saved for another endpoint is never used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAccountList, secretFor, withAccount, type AccountEndpoint } from '../../../src/core/sectigo/accounts';

const TEST_ENDPOINT: AccountEndpoint = {
  baseUrl: 'https://127.0.0.1:8443/products/',
  caFile: '/tmp/ca.pem',
  proxy: '',
};
const PRODUCTION: AccountEndpoint = { baseUrl: 'https://secure.trust-provider.com/products/', caFile: '', proxy: '' };

test('accounts stored before they had an endpoint are pinned to the defaults, once', () => {
  const old = {
    accounts: [
      { id: 'a', loginName: 'demo' },
      { id: 'b', loginName: 'other', baseUrl: PRODUCTION.baseUrl },
    ],
    activeId: 'a',
  };
  const { list, needsMigration, pinnedIds } = parseAccountList(old, TEST_ENDPOINT);
  assert.ok(needsMigration);
  assert.deepEqual(pinnedIds, ['a']);
  assert.deepEqual(list.accounts, [
    { id: 'a', loginName: 'demo', ...TEST_ENDPOINT },
    { id: 'b', loginName: 'other', ...PRODUCTION },
  ]);
  assert.equal(list.activeId, 'a');
  // Written back, the list no longer depends on the defaults: other defaults change nothing.
  const again = parseAccountList(JSON.parse(JSON.stringify(list)), PRODUCTION);
  assert.equal(again.needsMigration, false);
  assert.deepEqual(again.list, list);
});

test('malformed stored lists are read as far as they are usable', () => {
  for (const stored of [undefined, null, 42, 'x', { accounts: 'no' }, { accounts: [null, 1, { id: 1 }] }]) {
    assert.deepEqual(parseAccountList(stored, TEST_ENDPOINT), {
      list: { accounts: [], activeId: undefined },
      needsMigration: false,
      pinnedIds: [],
    });
  }
  const dangling = parseAccountList(
    { accounts: [{ id: 'a', loginName: 'x', baseUrl: PRODUCTION.baseUrl }], activeId: 'gone' },
    TEST_ENDPOINT,
  );
  assert.equal(dangling.list.activeId, 'a');
});

test('a password is only used for the endpoint (and login) it was saved for', () => {
  const account = { id: 'a', loginName: 'demo', ...TEST_ENDPOINT };
  const saved = JSON.stringify({ loginName: 'demo', loginPassword: 'pw', baseUrl: TEST_ENDPOINT.baseUrl });
  assert.deepEqual(secretFor(account, saved), { loginName: 'demo', loginPassword: 'pw' });
  assert.equal(
    secretFor({ ...account, baseUrl: PRODUCTION.baseUrl }, saved),
    undefined,
    'a secret saved for the test server must not go to production',
  );
  assert.equal(secretFor({ ...account, loginName: 'other' }, saved), undefined);
  // Secrets from before accounts had endpoints belong to the account they are stored under.
  assert.deepEqual(secretFor(account, JSON.stringify({ loginName: 'demo', loginPassword: 'pw' })), {
    loginName: 'demo',
    loginPassword: 'pw',
  });
  for (const bad of [undefined, '', '{', 'null', '{"loginName":"demo"}', '{"loginName":"demo","loginPassword":1}'])
    assert.equal(secretFor(account, bad), undefined);
});

test('the same login at another endpoint is another account; setting one again updates it and makes it active', () => {
  let id = 0;
  const newId = (): string => `id${(id += 1)}`;
  const first = withAccount({ accounts: [], activeId: undefined }, 'demo', TEST_ENDPOINT, newId);
  const second = withAccount(first.list, 'demo', PRODUCTION, newId);
  assert.equal(second.list.accounts.length, 2);
  assert.equal(second.list.activeId, second.account.id);
  const again = withAccount(second.list, 'demo', { ...TEST_ENDPOINT, caFile: '/tmp/other.pem' }, newId);
  assert.equal(again.account.id, first.account.id);
  assert.equal(again.list.accounts.length, 2);
  assert.equal(again.list.accounts.find((account) => account.id === first.account.id)?.caFile, '/tmp/other.pem');
  assert.equal(again.list.activeId, first.account.id);
});

test('the defaults, given as a function, are read only for an account stored without an endpoint', () => {
  let reads = 0;
  const defaults = (): AccountEndpoint => {
    reads += 1;
    return TEST_ENDPOINT;
  };
  const current = { accounts: [{ id: 'b', loginName: 'other', baseUrl: PRODUCTION.baseUrl }], activeId: 'b' };
  assert.equal(parseAccountList(current, defaults).list.accounts[0]?.baseUrl, PRODUCTION.baseUrl);
  assert.equal(reads, 0, 'no legacy account: the settings are not read');
  const legacy = {
    accounts: [
      { id: 'a', loginName: 'demo' },
      { id: 'c', loginName: 'more' },
    ],
  };
  const { list } = parseAccountList(legacy, defaults);
  assert.deepEqual(
    list.accounts.map((account) => account.baseUrl),
    [TEST_ENDPOINT.baseUrl, TEST_ENDPOINT.baseUrl],
  );
  assert.equal(reads, 1, 'two legacy accounts: the settings are read once');
});
