// The client against the fake Sectigo server: every documented error code of
// both endpoints, every response format, and what the server actually received.
// Codes the client refuses to cause (-2, -3, -4, -17: it validates first and only
// POSTs) are checked twice: the client predicts them locally and sends nothing,
// and a raw request shows the fake answers them and the parser reads them.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { Agent } from 'undici';
import { createSectigoClient } from '../../../src/core/sectigo/client';
import { parseAnswer } from '../../../src/core/sectigo/response';
import { explainError } from '../../../src/core/sectigo/errors';
import { csrRefusals, predictCsrRefusal } from '../../../src/core/sectigo/csr-preflight';
import type { ApiResult, SectigoApi } from '../../../src/core/sectigo/types';
import {
  DEMO_ACCOUNT,
  EXPIRED_PASSWORD_ACCOUNT,
  IP_BLOCKED_ACCOUNT,
  LIMITED_ACCOUNT,
  LIMITED_ACCOUNT_CALLS,
  LOCKED_ACCOUNT,
  ORDERS,
  startFakeSectigo,
  type FakeSectigo,
} from '../../fake-sectigo/server';
import { makeCsrPem } from '../../fake-sectigo/csrs';

let fake: FakeSectigo;
let client: SectigoApi;
let rawAgent: Agent;
let goodCsr: string;
let smallRsaCsr: string;

before(async () => {
  fake = await startFakeSectigo();
  client = createSectigoClient({ baseUrl: fake.url, extraCaCertificates: [fake.caCertificatePem], env: {} });
  rawAgent = new Agent({ connect: { ca: fake.caCertificatePem } });
  [goodCsr, smallRsaCsr] = await Promise.all([
    makeCsrPem({ kind: 'ec', curve: 'P-256' }),
    makeCsrPem({ kind: 'rsa', bits: 1024 }),
  ]);
});
after(async () => {
  await client.close();
  await rawAgent.close();
  await fake.close();
});
beforeEach(() => fake.reset());

function expectApiError(result: ApiResult, code: number): Extract<ApiResult, { kind: 'api-error' }> {
  assert.equal(result.kind, 'api-error', JSON.stringify(result));
  assert.ok(result.kind === 'api-error');
  assert.equal(result.errorCode, code);
  assert.equal(result.explanation.documentedMessage.length > 0, true);
  return result;
}

async function raw(
  endpoint: string,
  body: string,
  method: 'POST' | 'GET' = 'POST',
  base = fake.url,
): Promise<{ code: number; message: string | undefined; format: number }> {
  const response = await request(`${base}!${endpoint}${method === 'GET' ? `?${body}` : ''}`, {
    method,
    dispatcher: rawAgent,
    ...(method === 'POST' && { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  });
  const parsed = parseAnswer(await response.body.text(), response.headers['content-type'] as string);
  assert.equal(parsed.kind, 'answer');
  assert.ok(parsed.kind === 'answer');
  return { code: parsed.errorCode, message: parsed.errorMessage, format: parsed.format };
}

const demoForm = (extra: Record<string, string>): string =>
  new URLSearchParams({ ...DEMO_ACCOUNT, ...extra }).toString();

describe('AutoReplaceSMIME', () => {
  for (const responseFormat of [0, 1, 2] as const) {
    test(`success in response format ${responseFormat} returns the new order number`, async () => {
      const result = await client.replaceSmime(DEMO_ACCOUNT, {
        orderNumber: ORDERS.issued,
        csr: goodCsr,
        responseFormat,
      });
      assert.equal(result.kind, 'success', JSON.stringify(result));
      assert.ok(result.kind === 'success');
      assert.equal(result.responseFormat, responseFormat);
      assert.ok(result.newOrderNumber && fake.orders.get(result.newOrderNumber)?.replaces === ORDERS.issued);
      assert.equal(fake.orders.get(ORDERS.issued)?.state, 'issued');
    });
  }

  test('the password with & = % + space and non-ASCII arrives intact, names as documented', async () => {
    const result = await client.replaceSmime(DEMO_ACCOUNT, {
      orderNumber: ORDERS.issued,
      csr: goodCsr,
      signatureHash: 'PREFER_SHA2',
      languageName: 'de',
    });
    assert.equal(result.kind, 'success');
    const received = fake.requests.at(-1);
    assert.equal(received?.passwordMatched, true);
    assert.equal(received?.contentType, 'application/x-www-form-urlencoded; charset=UTF-8');
    assert.deepEqual(Object.keys(received?.params ?? {}), [
      'loginName',
      'loginPassword',
      'orderNumber',
      'csr',
      'signatureHash',
      'responseFormat',
      'languageName',
    ]);
  });

  test('revokeOldOrder revokes the replaced order', async () => {
    const result = await client.replaceSmime(DEMO_ACCOUNT, {
      orderNumber: ORDERS.issued,
      csr: goodCsr,
      revokeOldOrder: true,
    });
    assert.equal(result.kind, 'success');
    assert.equal(fake.orders.get(ORDERS.issued)?.state, 'revoked');
    assert.equal(fake.requests.at(-1)?.params.revokeOldOrder, 'Y');
  });

  test('parameter names are matched case-insensitively (REVOKEOLDORDER as in the sample)', async () => {
    const answer = await raw(
      'AutoReplaceSMIME',
      demoForm({ ORDERNUMBER: ORDERS.issued, csr: goodCsr, REVOKEOLDORDER: 'Y', responseFormat: '2' }),
    );
    assert.equal(answer.code, 0);
    assert.equal(answer.format, 2);
    assert.equal(fake.orders.get(ORDERS.issued)?.state, 'revoked');
  });

  test('-1 over plain HTTP', async () => {
    const plain = createSectigoClient({ baseUrl: fake.plainHttpUrl, env: {} });
    try {
      const result = expectApiError(
        await plain.replaceSmime(DEMO_ACCOUNT, { orderNumber: ORDERS.issued, csr: goodCsr }),
        -1,
      );
      assert.equal(result.errorMessage, 'Request was not made over HTTPS!');
      assert.match(result.explanation.nextStep, /base URL/);
    } finally {
      await plain.close();
    }
  });

  test('-2 for an unknown argument (raw), never sent by the client', async () => {
    assert.deepEqual(
      await raw('AutoReplaceSMIME', demoForm({ orderNumber: ORDERS.issued, csr: goodCsr, colour: 'blue' })),
      { code: -2, message: 'Unrecognized argument!', format: 0 },
    );
  });

  test('-3 predicted locally, nothing sent; and answered by the server', async () => {
    const result = await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: '', csr: goodCsr });
    assert.deepEqual(result.kind === 'validation-error' && [result.parameter, result.predictedErrorCode], [
      'orderNumber',
      -3,
    ]);
    const noPassword = await client.replaceSmime(
      { loginName: 'x', loginPassword: '' },
      { orderNumber: '1', csr: goodCsr },
    );
    assert.deepEqual(noPassword.kind === 'validation-error' && [noPassword.parameter, noPassword.predictedErrorCode], [
      'loginPassword',
      -3,
    ]);
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(await raw('AutoReplaceSMIME', demoForm({ orderNumber: ORDERS.issued })), {
      code: -3,
      message: "The 'csr' argument is missing!",
      format: 0,
    });
  });

  test('-4 predicted locally, nothing sent; and answered by the server', async () => {
    const tooLong = await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: 'x'.repeat(129), csr: goodCsr });
    assert.deepEqual(tooLong.kind === 'validation-error' && [tooLong.parameter, tooLong.predictedErrorCode], [
      'orderNumber',
      -4,
    ]);
    const badCsr = await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: '1', csr: 'hello world' });
    assert.deepEqual(badCsr.kind === 'validation-error' && [badCsr.parameter, badCsr.predictedErrorCode], ['csr', -4]);
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(
      await raw('AutoReplaceSMIME', demoForm({ orderNumber: ORDERS.issued, csr: goodCsr, signatureHash: 'MD5' })),
      {
        code: -4,
        message: "The value of the 'signatureHash' argument is invalid!",
        format: 0,
      },
    );
    assert.equal((await raw('AutoReplaceSMIME', demoForm({ orderNumber: ORDERS.issued, csr: 'MIIBAA==' }))).code, -4);
  });

  test('-13 predicted from the CSR and nothing sent, unless the user overrides', async () => {
    const predicted = await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: ORDERS.issued, csr: smallRsaCsr });
    assert.deepEqual(predicted.kind === 'validation-error' && [predicted.parameter, predicted.predictedErrorCode], [
      'csr',
      -13,
    ]);
    assert.equal(fake.requests.length, 0);
    const sent = await client.replaceSmime(
      DEMO_ACCOUNT,
      { orderNumber: ORDERS.issued, csr: smallRsaCsr },
      { allowPredictedRefusal: true },
    );
    assert.equal(expectApiError(sent, -13).errorMessage, 'The CSR uses an unsupported key size!');
  });

  for (const [label, account] of [
    ['a wrong password', { ...DEMO_ACCOUNT, loginPassword: `${DEMO_ACCOUNT.loginPassword}x` }],
    ['a locked account', LOCKED_ACCOUNT],
    ['an expired password', EXPIRED_PASSWORD_ACCOUNT],
    ['a source IP not on the allow-list', IP_BLOCKED_ACCOUNT],
  ] as const) {
    test(`-16 for ${label}`, async () => {
      const result = expectApiError(
        await client.replaceSmime(account, { orderNumber: ORDERS.issued, csr: goodCsr }),
        -16,
      );
      assert.match(result.explanation.nextStep, /locked.*expired.*allow-list/s);
    });
  }

  test('-17 for GET (raw), the client only POSTs', async () => {
    assert.deepEqual(await raw('AutoReplaceSMIME', demoForm({ orderNumber: ORDERS.issued }), 'GET'), {
      code: -17,
      message: 'Request used GET rather than POST!',
      format: 0,
    });
    assert.equal(fake.requests.at(-1)?.method, 'GET');
  });

  test("-20 for a revoked order, -22 for one being issued, -91 for another account's order, -136 for the wrong state", async () => {
    expectApiError(await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: ORDERS.revoked, csr: goodCsr }), -20);
    const beingIssued = expectApiError(
      await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: ORDERS.beingIssued, csr: goodCsr, responseFormat: 2 }),
      -22,
    );
    assert.equal(beingIssued.explanation.retryable, true);
    assert.equal(beingIssued.responseFormat, 2);
    expectApiError(await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: ORDERS.noPermission, csr: goodCsr }), -91);
    expectApiError(
      await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: ORDERS.wrongState, csr: goodCsr, responseFormat: 0 }),
      -136,
    );
    expectApiError(await client.replaceSmime(DEMO_ACCOUNT, { orderNumber: ORDERS.rejected, csr: goodCsr }), -136);
  });

  test('-42 after the call limit, with the time of the next safe try', async () => {
    for (let call = 0; call < LIMITED_ACCOUNT_CALLS; call++) {
      expectApiError(await client.replaceSmime(LIMITED_ACCOUNT, { orderNumber: ORDERS.issued, csr: goodCsr }), -91);
    }
    const limited = expectApiError(
      await client.replaceSmime(LIMITED_ACCOUNT, { orderNumber: ORDERS.issued, csr: goodCsr }),
      -42,
    );
    assert.ok(limited.retryAfter && Date.parse(limited.retryAfter) > Date.now());
    assert.equal(limited.explanation.retryable, true);
  });
});

describe('AutoRevokeSSL', () => {
  for (const responseFormat of [0, 1] as const) {
    test(`a real revocation in response format ${responseFormat} revokes the order`, async () => {
      const result = await client.revokeSsl(DEMO_ACCOUNT, {
        orderNumber: ORDERS.issued,
        revocationReason: 'key lost',
        codeReason: 1,
        responseFormat,
      });
      assert.equal(result.kind, 'success', JSON.stringify(result));
      assert.equal(result.kind === 'success' && result.responseFormat, responseFormat);
      assert.deepEqual(fake.orders.get(ORDERS.issued)?.revocation, { reason: 'key lost', code: '1' });
    });
  }

  test('responseFormat 2 is refused locally for revoke and by the server', async () => {
    const result = await client.revokeSsl(DEMO_ACCOUNT, {
      orderNumber: ORDERS.issued,
      revocationReason: 'x',
      responseFormat: 2 as 0,
    });
    assert.deepEqual(result.kind === 'validation-error' && [result.parameter, result.predictedErrorCode], [
      'responseFormat',
      -4,
    ]);
    assert.equal(
      (await raw('AutoRevokeSSL', demoForm({ orderNumber: ORDERS.issued, revocationReason: 'x', responseFormat: '2' })))
        .code,
      -4,
    );
  });

  test('test=Y answers 0 and changes nothing', async () => {
    const result = await client.revokeSsl(DEMO_ACCOUNT, {
      orderNumber: ORDERS.issued,
      revocationReason: 'trying',
      test: true,
    });
    assert.equal(result.kind, 'success');
    assert.equal(fake.orders.get(ORDERS.issued)?.state, 'issued');
    assert.equal(fake.requests.at(-1)?.params.test, 'Y');
  });

  test('by certificate ID and by serial number (colons and lower case accepted)', async () => {
    const spare = fake.orders.get(ORDERS.issuedSpare);
    const issued = fake.orders.get(ORDERS.issued);
    assert.ok(spare && issued);
    assert.equal(
      (await client.revokeSsl(DEMO_ACCOUNT, { certificateID: spare.certificateId, revocationReason: 'x' })).kind,
      'success',
    );
    assert.equal(spare.state, 'revoked');
    const withColons = issued.serialNumber.toLowerCase().replace(/(..)(?=.)/g, '$1:');
    assert.equal(
      (await client.revokeSsl(DEMO_ACCOUNT, { serialNumber: withColons, revocationReason: 'x' })).kind,
      'success',
    );
    assert.equal(issued.state, 'revoked');
  });

  test('-1 over plain HTTP', async () => {
    const plain = createSectigoClient({ baseUrl: fake.plainHttpUrl, env: {} });
    try {
      assert.equal(
        expectApiError(await plain.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.issued, revocationReason: 'x' }), -1)
          .errorMessage,
        'Request was not made over https!',
      );
    } finally {
      await plain.close();
    }
  });

  test('-2, -3, -4 and -17 from the server (raw); the client predicts -3 and -4', async () => {
    assert.deepEqual(
      await raw('AutoRevokeSSL', demoForm({ orderNumber: ORDERS.issued, revocationReason: 'x', reason: 'y' })),
      { code: -2, message: 'Unrecognised argument!', format: 0 },
    );
    assert.deepEqual(await raw('AutoRevokeSSL', demoForm({ revocationReason: 'x', responseFormat: '1' })), {
      code: -3,
      message: "The 'orderNumber' argument is missing!",
      format: 1,
    });
    assert.deepEqual(
      await raw('AutoRevokeSSL', demoForm({ orderNumber: ORDERS.issued, revocationReason: 'x', codeReason: '2' })),
      { code: -4, message: "The value of the codeReason' argument is invalid!", format: 0 },
    );
    assert.equal((await raw('AutoRevokeSSL', demoForm({ orderNumber: ORDERS.issued }), 'GET')).code, -17);
    const none = await client.revokeSsl(DEMO_ACCOUNT, { revocationReason: 'x' });
    assert.equal(none.kind === 'validation-error' && none.predictedErrorCode, -3);
    const two = await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: '1', certificateID: '2', revocationReason: 'x' });
    assert.equal(two.kind === 'validation-error' && two.predictedErrorCode, -4);
    const badSerial = await client.revokeSsl(DEMO_ACCOUNT, { serialNumber: 'XYZ', revocationReason: 'x' });
    assert.equal(badSerial.kind === 'validation-error' && badSerial.parameter, 'serialNumber');
    assert.equal(
      fake.requests.filter((received) => received.method === 'POST' && received.passwordMatched === true).length,
      3,
    );
  });

  test('-14 unknown error', async () => {
    expectApiError(
      await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.unknownError, revocationReason: 'x' }),
      -14,
    );
  });

  test("-16 for another account's certificate and for a refused login", async () => {
    const denied = expectApiError(
      await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.noPermission, revocationReason: 'x' }),
      -16,
    );
    assert.equal(denied.errorMessage, 'Permission denied!');
    assert.match(denied.explanation.meaning, /permission/);
    expectApiError(await client.revokeSsl(LOCKED_ACCOUNT, { orderNumber: ORDERS.issued, revocationReason: 'x' }), -16);
  });

  test('-20 rejected, -21 already revoked, -26 being issued', async () => {
    assert.equal(
      expectApiError(await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.rejected, revocationReason: 'x' }), -20)
        .errorMessage,
      'The certificate request has been rejected!',
    );
    expectApiError(
      await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.revoked, revocationReason: 'x', responseFormat: 1 }),
      -21,
    );
    const issuing = expectApiError(
      await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.beingIssued, revocationReason: 'x' }),
      -26,
    );
    assert.equal(issuing.explanation.retryable, true);
  });

  test('-23 instead of -26 when revocationReason is omitted (v1.00 compatibility, raw)', async () => {
    const answer = await raw('AutoRevokeSSL', demoForm({ orderNumber: ORDERS.beingIssued }));
    assert.equal(answer.code, -23);
    assert.match(explainError('AutoRevokeSSL', answer.code).nextStep, /Wait/);
    assert.equal((await raw('AutoRevokeSSL', demoForm({ orderNumber: ORDERS.issued }))).code, 0);
  });

  test('keep-alive: many calls share few connections', async () => {
    const before = fake.connectionCount();
    for (let call = 0; call < 10; call++)
      await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.issued, revocationReason: 'x', test: true });
    assert.ok(fake.connectionCount() - before <= 2, `${fake.connectionCount() - before} new connections for 10 calls`);
  });
});

describe('CSR pre-flight', () => {
  test('the one CSR reading predicts -13 and -4; what it cannot read is -4, never a second parser', () => {
    assert.equal(predictCsrRefusal(goodCsr), undefined);
    assert.deepEqual(predictCsrRefusal(smallRsaCsr), {
      predictedErrorCode: -13,
      message: 'The RSA key has 1024 bits; Sectigo accepts 2048 to 8192 bits.',
    });
    assert.equal(predictCsrRefusal('MIIBAA==')?.predictedErrorCode, -4);
    assert.match(predictCsrRefusal(`${goodCsr}\n${goodCsr}`)?.message ?? '', /2 blocks/);
    assert.match(
      predictCsrRefusal('-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----')?.message ?? '',
      /certificate, not a certificate request/,
    );
    assert.match(predictCsrRefusal('not base64 !!')?.message ?? '', /cannot be used/);
    assert.match(predictCsrRefusal(`Hello\n${goodCsr}`)?.message ?? '', /other text around its PEM block/);
    assert.equal(predictCsrRefusal(`\n  ${goodCsr}\n\n`), undefined);
  });

  test('a likely refusal (a key type Sectigo does not list) is told, not blocked', () => {
    const dsa = readFileSync(join(__dirname, '..', '..', 'fixtures', 'csr', 'dsa-2048.csr'), 'utf8');
    assert.equal(predictCsrRefusal(dsa), undefined);
    const found = csrRefusals(dsa);
    assert.ok(Array.isArray(found));
    assert.deepEqual(
      found.map((refusal) => [refusal.certainty, refusal.text]),
      [['likely', 'Sectigo may refuse (-13): The key algorithm DSA is not a key type Sectigo lists (RSA, EC).']],
    );
  });
});

describe('fake server options', () => {
  test('callLimit applies to every account; requests are recorded with the password redacted', async () => {
    const limitedFake = await startFakeSectigo({ callLimit: 2 });
    const limitedClient = createSectigoClient({
      baseUrl: limitedFake.url,
      extraCaCertificates: [limitedFake.caCertificatePem],
      env: {},
    });
    try {
      const codes: number[] = [];
      for (let call = 0; call < 3; call++) {
        const result = await limitedClient.revokeSsl(DEMO_ACCOUNT, {
          orderNumber: ORDERS.issued,
          revocationReason: 'x',
          test: true,
        });
        codes.push(result.kind === 'success' ? 0 : result.kind === 'api-error' ? result.errorCode : Number.NaN);
      }
      assert.deepEqual(codes, [0, 0, -42]);
      assert.equal(limitedFake.callCounts.get(DEMO_ACCOUNT.loginName), 3);
      assert.equal(limitedFake.requests[0]?.params.loginPassword, '[redacted]');
      assert.equal(JSON.stringify(limitedFake.requests).includes(DEMO_ACCOUNT.loginPassword), false);
    } finally {
      await limitedClient.close();
      await limitedFake.close();
    }
  });
});
