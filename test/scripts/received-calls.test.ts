// The demo shows what reached the practice server (scripts/received-calls.ts): each call, as the
// fake server received it, is a line in a file of the demo workspace and on the demo's terminal,
// with its endpoint, its answer and every parameter, and the password in no form at all (a
// password slipped into another parameter included). Real calls of the real client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSectigoClient } from '../../src/core/sectigo/client';
import { ORDERS, TYPED_DEMO_ACCOUNT, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { findSecret } from '../secret-forms';
import { RECEIVED_CALLS_FILE, receivedCallsRecorder } from '../../scripts/received-calls';

let fake: FakeSectigo;
let dir: string;
const said: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'received-calls-'));
  fake = await startFakeSectigo({
    accounts: [TYPED_DEMO_ACCOUNT],
    onRequest: receivedCallsRecorder(join(dir, RECEIVED_CALLS_FILE), [TYPED_DEMO_ACCOUNT.loginPassword], (line) =>
      said.push(line),
    ),
  });
});

after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every call that reaches the practice server is a line the demo user can read, the password masked', async () => {
  const client = createSectigoClient({ baseUrl: fake.url, extraCaCertificates: [fake.caCertificatePem], env: {} });
  const tested = await client.revokeSsl(TYPED_DEMO_ACCOUNT, {
    orderNumber: ORDERS.issuedSpare,
    revocationReason: 'demo test',
    test: true,
  });
  assert.equal(tested.kind, 'success');
  // A password typed into the reason by mistake reaches the server; the demo's list never shows it.
  const refused = await client.revokeSsl(TYPED_DEMO_ACCOUNT, {
    orderNumber: ORDERS.revoked,
    revocationReason: `oops ${TYPED_DEMO_ACCOUNT.loginPassword}`,
    test: false,
  });
  assert.equal(refused.kind, 'api-error');
  const lines = readFileSync(join(dir, RECEIVED_CALLS_FILE), 'utf8').trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^# Every call the practice server received/);
  const [first, second] = lines.slice(1);
  assert.match(
    first ?? '',
    new RegExp(
      `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  POST AutoRevokeSSL  answered 0  loginName=${TYPED_DEMO_ACCOUNT.loginName} loginPassword=•••••••• orderNumber=${ORDERS.issuedSpare} revocationReason="demo test" codeReason=0 test=Y responseFormat=1$`,
    ),
  );
  assert.match(second ?? '', /answered -21 .*test=N/);
  assert.deepEqual(said, lines.slice(1), 'the terminal says the same lines');
  // The demo password holds the word "password": the header's English and the parameter's own name are left out of the search.
  const calls = lines.slice(1).join('\n').replaceAll('loginPassword=', '');
  assert.equal(findSecret(calls, TYPED_DEMO_ACCOUNT.loginPassword), undefined);
});
