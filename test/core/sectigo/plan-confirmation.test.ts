// A confirmation with two buttons shows one plan in full and the other as its difference
// (sameRequestExcept). The words must be exactly the second request: read back (test/plan-text.ts)
// they give what the fake server receives when the client sends that plan (client.send, the one
// planning of a call). A plan is sent as planned or refused whole, never re-planned.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  certainCsrRefusal,
  planCall,
  planChanges,
  previewText,
  sameRequestExcept,
  type CallPlan,
} from '../../../src/core/sectigo/call-plan';
import { createSectigoClient } from '../../../src/core/sectigo/client';
import type { ReplaceSmimeParams, RevokeSslParams } from '../../../src/core/sectigo/types';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../../fake-sectigo/server';
import { makeCsrPem } from '../../fake-sectigo/csrs';
import { applyDifference, asFakeServerRecords, readPreview } from '../../plan-text';

const credentials = { loginName: DEMO_ACCOUNT.loginName, loginPassword: DEMO_ACCOUNT.loginPassword };
const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----';

function replacePlan(baseUrl: string, params: Partial<ReplaceSmimeParams>, csr = CSR): CallPlan {
  return planCall(
    { endpoint: 'AutoReplaceSMIME', params: { orderNumber: ORDERS.issued, csr, ...params }, csrName: 'alice.csr' },
    { loginName: credentials.loginName, baseUrl },
    credentials,
  );
}

function revokePlan(baseUrl: string, params: Partial<RevokeSslParams>): CallPlan {
  return planCall(
    {
      endpoint: 'AutoRevokeSSL',
      params: { orderNumber: ORDERS.issuedSpare, revocationReason: 'key lost', codeReason: 1, ...params },
    },
    { loginName: credentials.loginName, baseUrl },
    credentials,
  );
}

describe('a second button said as its difference from the request shown', () => {
  const base = 'https://127.0.0.1:8443/products/';

  test('replace: keep old is the form as sent (no revokeOldOrder); replace and revoke adds revokeOldOrder = Y', () => {
    const keep = replacePlan(base, {});
    const revoke = replacePlan(base, { revokeOldOrder: true });
    assert.ok(!keep.preview.some((line) => line.name === 'revokeOldOrder'), 'keep old sends no revokeOldOrder');
    assert.equal(sameRequestExcept(keep, revoke), 'the same request with revokeOldOrder = Y');
    assert.equal(sameRequestExcept(revoke, keep), 'the same request without revokeOldOrder = Y');
    assert.deepEqual(planChanges(keep, revoke), [{ name: 'revokeOldOrder', to: 'Y' }]);
    // Had keep old sent N, the words would say so: they follow the plans, not a fixed sentence.
    const keepN = replacePlan(base, { revokeOldOrder: false });
    assert.equal(
      sameRequestExcept(keepN, revoke),
      'the same request with revokeOldOrder = Y instead of revokeOldOrder = N',
    );
  });

  test('revoke: the real revocation is the test request with test = N instead of test = Y', () => {
    assert.equal(
      sameRequestExcept(revokePlan(base, { test: true }), revokePlan(base, { test: false })),
      'the same request with test = N instead of test = Y',
    );
  });

  test('several differences, none, and another destination', () => {
    const a = replacePlan(base, { signatureHash: 'PREFER_SHA2', languageName: 'de' });
    const b = replacePlan(base, { languageName: 'fr', revokeOldOrder: true });
    assert.equal(
      sameRequestExcept(a, b),
      'the same request without signatureHash = PREFER_SHA2, with languageName = fr instead of languageName = de, with revokeOldOrder = Y',
    );
    assert.equal(
      sameRequestExcept(a, replacePlan(base, { signatureHash: 'PREFER_SHA2', languageName: 'de' })),
      'the same request',
    );
    const elsewhere = replacePlan('https://other.test/products/', {});
    assert.equal(sameRequestExcept(a, elsewhere), `this request:\n${previewText(elsewhere)}`);
  });

  test('the words never hold the password or the CSR text', () => {
    const text = [
      sameRequestExcept(replacePlan(base, {}), replacePlan(base, { revokeOldOrder: true })),
      sameRequestExcept(replacePlan(base, {}), replacePlan('https://other.test/', {})),
    ].join('\n');
    assert.ok(!text.includes(credentials.loginPassword));
    assert.ok(!text.includes('MIIB'));
  });

  test('the reading is strict: a difference the shown request cannot have is an error', () => {
    const shown = readPreview(previewText(replacePlan(base, {})));
    assert.throws(() => applyDifference(shown, 'the same request without revokeOldOrder = N'), /has no revokeOldOrder/);
    assert.throws(() => applyDifference(shown, 'the same with revokeOldOrder=N'), /not a difference/);
  });
});

describe('certainCsrRefusal: the refusal a plan carries for a CSR', () => {
  test('the first certain refusal, mapped to -4 or -13; a likely one carries none', () => {
    assert.equal(certainCsrRefusal([]), undefined);
    assert.equal(certainCsrRefusal([{ certainty: 'likely', sectigoErrorCode: -13, message: 'maybe' }]), undefined);
    assert.deepEqual(
      certainCsrRefusal([
        { certainty: 'likely', sectigoErrorCode: -4, message: 'maybe' },
        { certainty: 'certain', sectigoErrorCode: -13, message: 'RSA 1024 bits' },
      ]),
      { predictedErrorCode: -13, message: 'RSA 1024 bits' },
    );
    assert.deepEqual(certainCsrRefusal([{ certainty: 'certain', sectigoErrorCode: -4, message: 'bad' }]), {
      predictedErrorCode: -4,
      message: 'bad',
    });
  });
});

describe('client.send: the plan confirmed is the request sent', () => {
  let fake: FakeSectigo;
  let csr: string;
  before(async () => {
    fake = await startFakeSectigo();
    csr = await makeCsrPem({ kind: 'ec', curve: 'P-256' });
  });
  after(async () => fake.close());

  test('each button of the replace dialog: its words read back are what arrived', async () => {
    const logged: string[] = [];
    const client = createSectigoClient({
      baseUrl: fake.url,
      extraCaCertificates: [fake.caCertificatePem],
      env: {},
      log: (_level, message) => logged.push(message),
    });
    try {
      const keep = replacePlan(fake.url, {}, csr);
      const revoke = replacePlan(fake.url, { revokeOldOrder: true }, csr);
      const shown = readPreview(previewText(keep));
      const told = { keep: shown, revoke: applyDifference(shown, sameRequestExcept(keep, revoke)) };
      for (const [button, plan] of [
        ['keep', keep],
        ['revoke', revoke],
      ] as const) {
        fake.reset();
        const result = await client.send(plan);
        assert.equal(result.kind, 'success', JSON.stringify(result));
        assert.equal(fake.requests.length, 1, `${button}: one request`);
        assert.equal(fake.requests[0]?.endpoint, 'AutoReplaceSMIME');
        assert.equal(told[button].url, plan.url);
        assert.deepEqual(fake.requests[0]?.params, asFakeServerRecords(told[button]), `${button}: as the dialog says`);
        assert.equal(fake.requests[0]?.passwordMatched, true);
      }
      assert.equal(fake.orders.get(ORDERS.issued)?.state, 'revoked', 'the second replace revoked the old certificate');
      assert.ok(!logged.join('\n').includes(DEMO_ACCOUNT.loginPassword));
    } finally {
      await client.close();
    }
  });

  test('a plan for another base URL, or with a refusal, is refused whole and nothing is sent', async () => {
    const logged: string[] = [];
    const client = createSectigoClient({
      baseUrl: fake.url,
      extraCaCertificates: [fake.caCertificatePem],
      env: {},
      log: (_level, message) => logged.push(message),
    });
    try {
      fake.reset();
      const elsewhere = await client.send(replacePlan('https://127.0.0.1:1/products/', {}, csr));
      assert.equal(elsewhere.kind, 'validation-error');
      assert.match(elsewhere.kind === 'validation-error' ? elsewhere.message : '', /Nothing was sent/);
      const invalid = await client.send(revokePlan(fake.url, { orderNumber: 'x' }));
      assert.equal(invalid.kind, 'validation-error');
      const predicted = planCall(
        { endpoint: 'AutoReplaceSMIME', params: { orderNumber: ORDERS.issuedSpare, csr }, csrName: 'weak.csr' },
        { loginName: credentials.loginName, baseUrl: fake.url },
        credentials,
        () => ({ predictedErrorCode: -13, message: 'RSA 1024 bits' }),
      );
      assert.equal((await client.send(predicted)).kind, 'validation-error', 'a predicted refusal is not sent');
      assert.equal(fake.requests.length, 0, 'nothing reached the server');
      // Insisting sends it, and the log says what the rest of the product says: Sectigo will refuse.
      assert.equal((await client.send(predicted, { allowPredictedRefusal: true })).kind, 'success');
      assert.equal(fake.requests.length, 1);
      const warning = logged.find((line) => line.startsWith('Sending although'));
      assert.equal(warning, 'Sending although Sectigo will answer -13: RSA 1024 bits');
    } finally {
      await client.close();
    }
  });
});
