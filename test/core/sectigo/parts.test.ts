// The pieces of the client that need no network: validation, form encoding,
// answer parsing, the error catalogue and redaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainText, textParts } from '../../../src/core/outside-text';
import { refusalSentence } from '../../../src/core/sectigo/call-plan';
import {
  DEFAULT_RESPONSE_FORMAT,
  REVOCATION_CODES,
  RESPONSE_FORMATS,
  normalizeSerialNumber,
  responseFormatFor,
  validateCertificateId,
  validateCodeReason,
  validateCsrText,
  validateLanguageName,
  validateLoginName,
  validateLoginPassword,
  validateOrderNumber,
  validateReplaceParams,
  validateResponseFormat,
  validateRevokeParams,
  validateSerialNumber,
  validateSignatureHash,
  validateTemplateId,
} from '../../../src/core/sectigo/validate';
import { buildReplaceForm, buildRevokeForm, encodeForm } from '../../../src/core/sectigo/request';
import { parseAnswer } from '../../../src/core/sectigo/response';
import { documentedErrorCodes, explainError } from '../../../src/core/sectigo/errors';
import { redactOwnText } from '../../../src/core/sectigo/redact';
import { proxyFor, validateBaseUrl } from '../../../src/core/sectigo/client';

const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----';
const credentials = { loginName: 'user', loginPassword: 'p&s=w%d+ x ü' };

test('field validators enforce the documented lengths at the boundary', () => {
  assert.equal(validateLoginName('a'.repeat(64)), undefined);
  assert.match(validateLoginName('a'.repeat(65)) ?? '', /at most 64/);
  assert.equal(validateLoginPassword('p'.repeat(128)), undefined);
  assert.match(validateLoginPassword('p'.repeat(129)) ?? '', /128/);
  assert.equal(validateOrderNumber('x'.repeat(128)), undefined);
  assert.match(validateOrderNumber('x'.repeat(129)) ?? '', /128/);
  assert.equal(validateCertificateId('1'.repeat(16)), undefined);
  assert.match(validateCertificateId('1'.repeat(17)) ?? '', /16/);
  assert.equal(validateSerialNumber('A'.repeat(34)), undefined);
  assert.match(validateSerialNumber('A'.repeat(35)) ?? '', /34/);
  assert.match(validateCsrText(`${'A'.repeat(32768)}`) ?? '', /32767/);
  assert.match(validateSignatureHash('X'.repeat(65)) ?? '', /64/);
});

test('field validators refuse values outside the documented sets', () => {
  for (const hash of ['NO_PREFERENCE', 'INFER_FROM_CSR', 'PREFER_SHA2', 'REQUIRE_SHA2'])
    assert.equal(validateSignatureHash(hash), undefined);
  assert.ok(validateSignatureHash('PREFER_SHA1'));
  for (const code of ['en', 'zh', 'da', 'nl', 'fr', 'de', 'it', 'ja', 'ko', 'pt', 'ru', 'es', 'sv', 'tr'])
    assert.equal(validateLanguageName(code), undefined);
  assert.ok(validateLanguageName('pl'));
  assert.ok(validateLanguageName('toString'));
  for (const code of ['0', '1', '3', '4', '5']) assert.equal(validateCodeReason(code), undefined);
  assert.ok(validateCodeReason('2'));
  assert.ok(validateCodeReason('6'));
  assert.equal(validateResponseFormat('2', 'AutoReplaceSMIME'), undefined);
  assert.ok(validateResponseFormat('2', 'AutoRevokeSSL'));
  assert.ok(validateTemplateId('12a'));
  assert.ok(validateTemplateId('0'));
  assert.equal(validateOrderNumber('ABC-1', 'AutoReplaceSMIME'), undefined);
  assert.ok(validateOrderNumber('ABC-1', 'AutoRevokeSSL'));
  assert.ok(validateSerialNumber('0xZZ'));
  assert.equal(normalizeSerialNumber('0a:1b:2c'), '0A1B2C');
  // The field check is presence and length only; what the text holds is the CSR analysis's to judge (csr-preflight).
  assert.ok(validateCsrText('  \n'));
  assert.equal(validateCsrText(csr), undefined);
});

test('whole-request validation names the parameter and the predicted code', () => {
  assert.deepEqual(validateReplaceParams({ orderNumber: '', csr }), {
    parameter: 'orderNumber',
    predictedErrorCode: -3,
    message: 'The order number is required.',
  });
  assert.equal(validateReplaceParams({ orderNumber: '1', csr: ' ' })?.predictedErrorCode, -3);
  assert.equal(validateReplaceParams({ orderNumber: '1', csr, caCertificateID: 1.5 })?.parameter, 'caCertificateID');
  assert.equal(
    validateReplaceParams({ orderNumber: '1', csr, SMIMERequestTemplateID: -1 })?.parameter,
    'SMIMERequestTemplateID',
  );
  assert.equal(validateReplaceParams({ orderNumber: '1', csr }), undefined);
  assert.equal(validateRevokeParams({ revocationReason: 'x' })?.predictedErrorCode, -3);
  assert.equal(
    validateRevokeParams({ orderNumber: '1', serialNumber: 'AB', revocationReason: 'x' })?.parameter,
    'serialNumber',
  );
  assert.equal(validateRevokeParams({ orderNumber: '1', revocationReason: '' })?.parameter, 'revocationReason');
  assert.equal(validateRevokeParams({ orderNumber: '1', revocationReason: 'r'.repeat(1025) })?.predictedErrorCode, -4);
  assert.equal(
    validateRevokeParams({ orderNumber: '1', revocationReason: 'x', codeReason: 2 as 0 })?.parameter,
    'codeReason',
  );
  assert.equal(
    validateRevokeParams({ orderNumber: '1', revocationReason: 'x', responseFormat: 2 as 0 })?.parameter,
    'responseFormat',
  );
  assert.equal(
    validateRevokeParams({ certificateID: '1234', revocationReason: 'x', codeReason: 4, test: true }),
    undefined,
  );
});

test('forms use the documented names, send optional fields only when set, and escape every special character', () => {
  const replace = buildReplaceForm(credentials, {
    orderNumber: '7',
    csr,
    languageName: 'de',
    SMIMECollectionTemplateID: 3,
  });
  const names = replace.map(([name]) => name);
  assert.deepEqual(names, [
    'loginName',
    'loginPassword',
    'orderNumber',
    'csr',
    'responseFormat',
    'SMIMECollectionTemplateID',
  ]);
  const decoded = new URLSearchParams(encodeForm(replace));
  assert.equal(decoded.get('loginPassword'), credentials.loginPassword);
  assert.equal(decoded.get('csr'), csr);
  assert.doesNotMatch(encodeForm(replace), /p&s/);
  const revoke = buildRevokeForm(credentials, { serialNumber: '0a:bc', revocationReason: 'moved', test: true });
  assert.deepEqual(revoke.slice(2), [
    ['serialNumber', '0ABC'],
    ['revocationReason', 'moved'],
    ['codeReason', '0'],
    ['test', 'Y'],
    ['responseFormat', '1'],
  ]);
});

test('answers are read in all three formats, by body rather than by Content-Type', () => {
  assert.deepEqual(parseAnswer('0\n1234567\n', 'text/plain'), {
    kind: 'answer',
    format: 0,
    errorCode: 0,
    newOrderNumber: '1234567',
    extra: {},
  });
  assert.deepEqual(parseAnswer('-20\r\nThe certificate request has been rejected!', 'text/plain'), {
    kind: 'answer',
    format: 0,
    errorCode: -20,
    errorMessage: 'The certificate request has been rejected!',
    extra: {},
  });
  assert.deepEqual(parseAnswer('0', undefined), { kind: 'answer', format: 0, errorCode: 0, extra: {} });
  assert.deepEqual(parseAnswer('errorCode=-16&errorMessage=Incorrect+login+details%2C+account', 'text/plain'), {
    kind: 'answer',
    format: 1,
    errorCode: -16,
    errorMessage: 'Incorrect login details, account',
    extra: {},
  });
  assert.deepEqual(parseAnswer('{"errorCode":0,"newOrderNumber":99}', 'text/plain'), {
    kind: 'answer',
    format: 2,
    errorCode: 0,
    newOrderNumber: '99',
    extra: {},
  });
  assert.equal(parseAnswer('{"errorCode":0,"newOrd', 'application/json').kind, 'unexpected');
  assert.equal(parseAnswer('<html><body>502 Bad Gateway</body></html>', 'text/html').kind, 'unexpected');
  assert.equal(parseAnswer('', 'text/plain').kind, 'unexpected');
  assert.equal(parseAnswer('OK', 'text/plain').kind, 'unexpected');
  assert.equal(parseAnswer('errorMessage=x', 'application/x-www-form-urlencoded').kind, 'unexpected');
});

test("the catalogue keeps each endpoint's meaning of -16 and -20", () => {
  assert.match(explainError('AutoReplaceSMIME', -16).nextStep, /allow-list/);
  assert.equal(explainError('AutoRevokeSSL', -16).documentedMessage, 'Permission denied!');
  assert.match(explainError('AutoReplaceSMIME', -20).meaning, /revoked/);
  assert.match(explainError('AutoRevokeSSL', -20).meaning, /rejected/);
  assert.equal(explainError('AutoReplaceSMIME', -42).retryable, true);
  for (const code of [-22]) assert.equal(explainError('AutoReplaceSMIME', code).retryable, true);
  for (const code of [-23, -26]) assert.equal(explainError('AutoRevokeSSL', code).retryable, true);
  assert.match(explainError('AutoReplaceSMIME', -17).nextStep, /base URL/);
  assert.match(explainError('AutoRevokeSSL', -1).nextStep, /proxy/);
  assert.match(explainError('AutoRevokeSSL', -999).meaning, /not in the AutoRevokeSSL documentation/);
  assert.deepEqual(documentedErrorCodes('AutoReplaceSMIME'), [-1, -2, -3, -4, -13, -16, -17, -20, -22, -42, -91, -136]);
  assert.deepEqual(documentedErrorCodes('AutoRevokeSSL'), [-1, -2, -3, -4, -14, -16, -17, -20, -21, -23, -26]);
});

test('redaction removes the password in every encoding and the CSR body', () => {
  const form = encodeForm(buildReplaceForm(credentials, { orderNumber: '7', csr }));
  const safe = redactOwnText(`body: ${form}`, [credentials.loginPassword]);
  assert.doesNotMatch(safe, /p%26s|p&s|MIIBAA/);
  assert.match(safe, /orderNumber=7/);
  assert.equal(
    redactOwnText(`said ${credentials.loginPassword} twice ${encodeURIComponent(credentials.loginPassword)}`, [
      credentials.loginPassword,
    ]),
    'said [redacted] twice [redacted]',
  );
  assert.equal(redactOwnText('{"loginPassword":"a\\"b","x":1}'), '{"loginPassword":"[redacted]","x":1}');
  assert.equal(
    redactOwnText('proxy http://me:s3cret@proxy.example:3128 failed'),
    'proxy http://[redacted]@proxy.example:3128 failed',
  );
});

test('base URLs: https anywhere, http only on loopback', () => {
  assert.equal(validateBaseUrl('https://secure.trust-provider.com/products/'), undefined);
  assert.equal(validateBaseUrl('http://127.0.0.1:8080/products/'), undefined);
  assert.equal(validateBaseUrl('http://[::1]:8080/products/'), undefined);
  assert.match(validateBaseUrl('http://secure.trust-provider.com/products/') ?? '', /-1/);
  assert.match(validateBaseUrl('http://127.0.0.1.evil.example/products/') ?? '', /https/);
  assert.ok(validateBaseUrl('ftp://x/'));
  assert.ok(validateBaseUrl('not a url'));
});

test('proxies come from the explicit setting or the environment, and NO_PROXY is honoured', () => {
  const target = 'https://secure.trust-provider.com/products/!AutoRevokeSSL';
  assert.equal(proxyFor(target, undefined, {}), undefined);
  assert.equal(proxyFor(target, undefined, { HTTPS_PROXY: 'http://p:3128' }), 'http://p:3128');
  assert.equal(proxyFor(target, undefined, { https_proxy: 'http://lower:1' }), 'http://lower:1');
  assert.equal(proxyFor(target, undefined, { HTTP_PROXY: 'http://h:1' }), 'http://h:1');
  assert.equal(proxyFor(target, 'http://explicit:2', { HTTPS_PROXY: 'http://p:3128' }), 'http://explicit:2');
  assert.equal(
    proxyFor(target, undefined, { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'localhost,.trust-provider.com' }),
    undefined,
  );
  assert.equal(
    proxyFor(target, undefined, { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'trust-provider.com:8443' }),
    'http://p:3128',
  );
  assert.equal(proxyFor(target, undefined, { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*' }), undefined);
  assert.equal(
    proxyFor('http://127.0.0.1:9/products/!AutoRevokeSSL', undefined, { HTTPS_PROXY: 'http://p:3128' }),
    undefined,
  );
});

test('the codeReason rule is one: typed or given as a number, every listed code passes and its words name them all', () => {
  for (const code of Object.keys(REVOCATION_CODES)) {
    assert.equal(validateCodeReason(code), undefined);
    assert.equal(validateCodeReason(Number(code)), undefined);
  }
  for (const bad of [2, 6, -1, 1.5, 10, Number.NaN, '01', ' 1x', '']) {
    const problem = validateCodeReason(bad);
    assert.ok(problem, `${String(bad)} accepted`);
    for (const [code, name] of Object.entries(REVOCATION_CODES))
      assert.ok(problem.includes(`${code} (${name})`), problem);
  }
});

test('the response format asked of an endpoint is one it lists, else the default', () => {
  assert.deepEqual(
    [0, 1, 2, 3, '2', undefined].map((preferred) => responseFormatFor('AutoReplaceSMIME', preferred)),
    [0, 1, 2, DEFAULT_RESPONSE_FORMAT, DEFAULT_RESPONSE_FORMAT, DEFAULT_RESPONSE_FORMAT],
  );
  // AutoRevokeSSL has no JSON answers: a preference for 2 (set for replacements) asks for the default.
  assert.deepEqual(
    [0, 1, 2].map((preferred) => responseFormatFor('AutoRevokeSSL', preferred)),
    [0, 1, DEFAULT_RESPONSE_FORMAT],
  );
  for (const endpoint of ['AutoReplaceSMIME', 'AutoRevokeSSL'] as const)
    for (const format of [0, 1, 2, 3])
      assert.equal(
        validateResponseFormat(String(format), endpoint) === undefined,
        (RESPONSE_FORMATS[endpoint] as readonly number[]).includes(format),
      );
});

test('a refusal before sending is one sentence, its message and parameter kept as outside text', () => {
  const sentence = refusalSentence({ parameter: 'orderNumber', predictedErrorCode: -4, message: 'Bad {0} order.' });
  assert.equal(plainText(sentence), 'Bad {0} order. (orderNumber; Sectigo would answer -4.)');
  assert.deepEqual(
    textParts(sentence).filter((part) => 'outside' in part),
    [{ outside: 'Bad {0} order.' }, { outside: 'orderNumber' }],
  );
});
