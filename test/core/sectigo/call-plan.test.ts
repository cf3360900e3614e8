// The call plan: over every option combination of both endpoints, the preview names exactly
// the fields the body carries (same names, same order, same values but the masked password
// and the named CSR), never shows the password, and the URL is built in one place. A few
// plans are then sent through the real client to the fake server, which must receive exactly
// the previewed parameters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASSWORD_MASK,
  PRODUCTION_BASE_URL,
  accountLabel,
  isProductionBaseUrl,
  planCall,
  previewRecord,
  previewText,
  type CallAnswers,
  type CallPlan,
} from '../../../src/core/sectigo/call-plan';
import { encodeForm } from '../../../src/core/sectigo/request';
import { createSectigoClient } from '../../../src/core/sectigo/client';
import { SIGNATURE_HASHES } from '../../../src/core/sectigo/validate';
import type {
  Credentials,
  LanguageName,
  ReplaceSmimeParams,
  RevocationCode,
  RevokeSslParams,
  SignatureHash,
} from '../../../src/core/sectigo/types';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../../fake-sectigo/server';
import { makeCsrPem } from '../../fake-sectigo/csrs';

// A password with every character a form, URL, JSON or HTML encoding changes.
const credentials: Credentials = { loginName: 'demo-reseller', loginPassword: 'p&ss=w rd+%"<>\'ü' };
const account = { loginName: credentials.loginName, baseUrl: 'https://127.0.0.1:8443/products' };
const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----';

function* product<T extends Record<string, readonly unknown[]>>(axes: T): Generator<{ [K in keyof T]: T[K][number] }> {
  const names = Object.keys(axes);
  const counters = names.map(() => 0);
  for (;;) {
    yield Object.fromEntries(names.map((name, index) => [name, axes[name]?.[counters[index] ?? 0]])) as {
      [K in keyof T]: T[K][number];
    };
    let position = 0;
    while (position < names.length) {
      counters[position] = (counters[position] ?? 0) + 1;
      if ((counters[position] ?? 0) < (axes[names[position] ?? '']?.length ?? 0)) break;
      counters[position] = 0;
      position += 1;
    }
    if (position === names.length) return;
  }
}

function replaceCombinations(): ReplaceSmimeParams[] {
  const all: ReplaceSmimeParams[] = [];
  for (const c of product({
    signatureHash: [undefined, ...SIGNATURE_HASHES] as (SignatureHash | undefined)[],
    caCertificateID: [undefined, 7],
    revokeOldOrder: [undefined, false, true],
    responseFormat: [undefined, 0, 1, 2] as (0 | 1 | 2 | undefined)[],
    languageName: [undefined, 'de'] as (LanguageName | undefined)[],
    verification: [undefined, 11],
    request: [undefined, 12],
    collection: [undefined, 13],
    orderNumber: ['1000001', ' 1000001 '],
  })) {
    const params: ReplaceSmimeParams = { orderNumber: c.orderNumber, csr: CSR };
    if (c.signatureHash !== undefined) params.signatureHash = c.signatureHash;
    if (c.caCertificateID !== undefined) params.caCertificateID = c.caCertificateID;
    if (c.revokeOldOrder !== undefined) params.revokeOldOrder = c.revokeOldOrder;
    if (c.responseFormat !== undefined) params.responseFormat = c.responseFormat;
    if (c.languageName !== undefined) params.languageName = c.languageName;
    if (c.verification !== undefined) params.SMIMEVerificationTemplateID = c.verification;
    if (c.request !== undefined) params.SMIMERequestTemplateID = c.request;
    if (c.collection !== undefined) params.SMIMECollectionTemplateID = c.collection;
    all.push(params);
  }
  return all;
}

function revokeCombinations(): RevokeSslParams[] {
  const all: RevokeSslParams[] = [];
  for (const c of product({
    kind: ['orderNumber', 'certificateID', 'serialNumber'] as const,
    codeReason: [undefined, 0, 1, 3, 4, 5] as (RevocationCode | undefined)[],
    test: [undefined, false, true],
    responseFormat: [undefined, 0, 1] as (0 | 1 | undefined)[],
  })) {
    const params: RevokeSslParams = {
      revocationReason: 'a reason & more',
      [c.kind]: c.kind === 'serialNumber' ? '0a:1b:2c' : '1000001',
    };
    if (c.codeReason !== undefined) params.codeReason = c.codeReason;
    if (c.test !== undefined) params.test = c.test;
    if (c.responseFormat !== undefined) params.responseFormat = c.responseFormat;
    all.push(params);
  }
  return all;
}

/** The body as the server will parse it. */
function sentFields(plan: CallPlan): [string, string][] {
  return [...new URLSearchParams(encodeForm(plan.form)).entries()];
}

function assertPreviewIsTheRequest(plan: CallPlan, answers: CallAnswers): void {
  const sent = sentFields(plan);
  assert.deepEqual(
    plan.preview.map((line) => line.name),
    sent.map(([name]) => name),
    'the preview names exactly the sent fields, in order',
  );
  for (const [index, [name, value]] of sent.entries()) {
    const shown = plan.preview[index]?.shown;
    if (name === 'loginPassword') assert.equal(shown, PASSWORD_MASK);
    else if (name === 'csr')
      assert.equal(
        shown,
        `${answers.endpoint === 'AutoReplaceSMIME' ? answers.csrName : ''} (${value.length} characters)`,
      );
    else assert.equal(shown, value, `${name} is shown as sent`);
  }
  const text = previewText(plan) + JSON.stringify(previewRecord(plan));
  for (const form of [
    credentials.loginPassword,
    encodeURIComponent(credentials.loginPassword),
    new URLSearchParams({ p: credentials.loginPassword }).toString().slice(2),
    JSON.stringify(credentials.loginPassword).slice(1, -1),
    Buffer.from(credentials.loginPassword).toString('base64'),
  ]) {
    assert.ok(!text.includes(form), `the preview holds the password as ${form}`);
  }
  assert.ok(!text.includes('MIIB'), 'the preview does not show the CSR text');
  assert.ok(previewText(plan).startsWith(`POST ${plan.url}\n`));
  assert.equal(plan.url, `https://127.0.0.1:8443/products/!${answers.endpoint}`);
}

describe('call plan', () => {
  test('AutoReplaceSMIME: for every option combination the preview is the body', () => {
    const combinations = replaceCombinations();
    assert.equal(combinations.length, 5 * 2 * 3 * 4 * 2 * 2 * 2 * 2 * 2);
    for (const params of combinations) {
      const answers: CallAnswers = { endpoint: 'AutoReplaceSMIME', params, csrName: 'alice.csr' };
      const plan = planCall(answers, account, credentials);
      assertPreviewIsTheRequest(plan, answers);
      const names = new Set(plan.preview.map((line) => line.name));
      const anyTemplate =
        params.SMIMEVerificationTemplateID !== undefined ||
        params.SMIMERequestTemplateID !== undefined ||
        params.SMIMECollectionTemplateID !== undefined;
      // languageName is dropped once a template ID is set: the preview must not list it then.
      assert.equal(names.has('languageName'), params.languageName !== undefined && !anyTemplate);
      assert.equal(names.has('revokeOldOrder'), params.revokeOldOrder !== undefined);
      assert.equal(plan.irreversible, params.revokeOldOrder === true);
      assert.equal(
        plan.preview.find((line) => line.name === 'orderNumber')?.shown,
        '1000001',
        'a pasted space is trimmed, not sent',
      );
      assert.equal(plan.refusal, undefined, `${JSON.stringify(params)} is valid`);
    }
  });

  test('AutoRevokeSSL: for every option combination the preview is the body', () => {
    const combinations = revokeCombinations();
    assert.equal(combinations.length, 3 * 6 * 3 * 3);
    for (const params of combinations) {
      const answers: CallAnswers = { endpoint: 'AutoRevokeSSL', params };
      const plan = planCall(answers, account, credentials);
      assertPreviewIsTheRequest(plan, answers);
      assert.equal(plan.irreversible, params.test !== true);
      assert.equal(
        plan.preview.find((line) => line.name === 'test')?.shown,
        params.test === undefined ? undefined : params.test ? 'Y' : 'N',
      );
      assert.equal(plan.refusal, undefined);
    }
  });

  test('the refusal prediction: validation first, then the injected CSR pre-flight (overridable)', () => {
    const bad = planCall({ endpoint: 'AutoRevokeSSL', params: { revocationReason: 'x' } }, account, credentials);
    assert.equal(bad.refusal?.parameter, 'orderNumber');
    assert.equal(bad.refusal?.overridable, undefined);
    const predicted = planCall(
      { endpoint: 'AutoReplaceSMIME', params: { orderNumber: '1', csr: CSR } },
      account,
      credentials,
      () => ({ predictedErrorCode: -13, message: 'small key' }),
    );
    assert.deepEqual(predicted.refusal, {
      parameter: 'csr',
      predictedErrorCode: -13,
      message: 'small key',
      overridable: true,
    });
  });

  test('account label and production', () => {
    assert.equal(accountLabel('demo', 'http://127.0.0.1:39275/products/'), 'demo @ 127.0.0.1:39275');
    assert.ok(isProductionBaseUrl(PRODUCTION_BASE_URL));
    assert.ok(isProductionBaseUrl('https://SECURE.trust-provider.com/products'));
    assert.ok(!isProductionBaseUrl('https://127.0.0.1/products/'));
    assert.ok(!isProductionBaseUrl('https://secure.trust-provider.com.evil.test/products/'));
  });
});

describe('call plan against the fake server: what was previewed is what arrived', () => {
  let fake: FakeSectigo;
  let csr: string;
  before(async () => {
    fake = await startFakeSectigo();
    csr = await makeCsrPem({ kind: 'ec', curve: 'P-256' });
  });
  after(async () => fake.close());

  test('one plan per endpoint shape, sent by the client', async () => {
    const real = { loginName: DEMO_ACCOUNT.loginName, loginPassword: DEMO_ACCOUNT.loginPassword };
    const client = createSectigoClient({ baseUrl: fake.url, extraCaCertificates: [fake.caCertificatePem], env: {} });
    try {
      const cases: CallAnswers[] = [
        {
          endpoint: 'AutoReplaceSMIME',
          params: { orderNumber: `${ORDERS.issued} `, csr, languageName: 'de', SMIMERequestTemplateID: 5 },
          csrName: 'a.csr',
        },
        {
          endpoint: 'AutoReplaceSMIME',
          params: {
            orderNumber: ORDERS.issued,
            csr,
            signatureHash: 'PREFER_SHA2',
            languageName: 'fr',
            responseFormat: 2,
          },
          csrName: 'a.csr',
        },
        {
          endpoint: 'AutoRevokeSSL',
          params: { orderNumber: ORDERS.issuedSpare, revocationReason: 'test', codeReason: 1, test: true },
        },
      ];
      for (const answers of cases) {
        fake.reset();
        const plan = planCall(answers, { loginName: real.loginName, baseUrl: fake.url }, real);
        const result =
          answers.endpoint === 'AutoReplaceSMIME'
            ? await client.replaceSmime(real, answers.params)
            : await client.revokeSsl(real, answers.params);
        assert.notEqual(result.kind, 'transport-error', JSON.stringify(result));
        const received = fake.requests[0];
        assert.ok(received);
        assert.equal(received.endpoint, answers.endpoint);
        const expected = Object.fromEntries(
          plan.preview.map((line) => [
            line.name,
            line.name === 'loginPassword'
              ? '[redacted]'
              : line.name === 'csr'
                ? `[${/\((\d+) characters\)/.exec(line.shown)?.[1]} characters]`
                : line.shown,
          ]),
        );
        assert.deepEqual(received.params, expected);
        assert.equal(received.passwordMatched, true);
      }
    } finally {
      await client.close();
    }
  });
});
