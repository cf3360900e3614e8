// The public functions of src/core/csr over requests assembled in the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  analyseCsrText,
  explainSignatureHash,
  effectiveSignatureHashOption,
  isCsrReport,
  summariseCsr,
  type CsrReport,
} from '../../../src/core/csr/index';
import { buildRequest, emailOid, integer, sanEmail, sanExtension, spkiOf, toPemText } from './build-csr';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const goodDer = buildRequest({
  subject: [
    ['2.5.4.6', 'GB'],
    ['2.5.4.3', 'Alice'],
    [emailOid, 'alice@example.com'],
  ],
  spki: spkiOf(rsa.publicKey),
  privateKey: rsa.privateKey,
  extensions: [sanExtension([sanEmail('alice@example.com')])],
});

function only(input: string | Uint8Array): CsrReport {
  const results = analyseCsrText(input, 'x.csr');
  assert.equal(results.length, 1);
  const result = results[0];
  assert.ok(result && isCsrReport(result), JSON.stringify(result));
  return result;
}

test('a well-formed RSA-2048 request is reported without findings', () => {
  const report = only(toPemText(goodDer));
  assert.equal(report.file, 'x.csr');
  assert.equal(report.index, 0);
  assert.equal(report.subject.text, 'E=alice@example.com,CN=Alice,C=GB');
  assert.deepEqual(report.subjectAltNames, ['email:alice@example.com']);
  assert.deepEqual(report.publicKey, { algorithm: 'RSA', size: 2048, curve: null, exponent: '65537' });
  assert.deepEqual(report.signature, { algorithm: 'sha256WithRSAEncryption', hash: 'SHA-256', valid: true });
  assert.deepEqual(report.findings, []);
  assert.equal(report.pem, toPemText(goodDer));
});

test('summariseCsr gives key, hash, verdict and mailbox', () => {
  assert.equal(summariseCsr(only(toPemText(goodDer))), 'RSA 2048 · SHA-256 · signature OK · alice@example.com');
});

test('explainSignatureHash follows the AutoReplaceSMIME document', () => {
  assert.match(explainSignatureHash('SHA-1', 'INFER_FROM_CSR'), /PREFER_SHA1/);
  assert.match(explainSignatureHash('MD5', 'INFER_FROM_CSR'), /PREFER_SHA1/);
  assert.match(explainSignatureHash('SHA-256', 'INFER_FROM_CSR'), /PREFER_SHA2/);
  assert.match(explainSignatureHash(null, 'NO_PREFERENCE'), /Sectigo decides/);
  assert.match(explainSignatureHash('SHA-1', 'REQUIRE_SHA2'), /blocked/);
  assert.match(explainSignatureHash('SHA-1', 'PREFER_SHA2'), /otherwise it falls back to SHA-1/);
  assert.equal(effectiveSignatureHashOption('SHA-1', 'INFER_FROM_CSR'), 'PREFER_SHA1');
  assert.equal(effectiveSignatureHashOption('SHA-384', 'INFER_FROM_CSR'), 'PREFER_SHA2');
  assert.equal(effectiveSignatureHashOption('MD5', 'REQUIRE_SHA2'), 'REQUIRE_SHA2');
});

test('subject text follows RFC 4514: last RDN first, special characters escaped, non-strings as #hex', () => {
  const der = buildRequest({
    subject: [
      ['2.5.4.6', 'GB'],
      ['2.5.4.10', 'Smith, Jones + Co "Ltd"'],
      ['2.5.4.3', '#not hex'],
      ['2.5.4.5', integer(1n)],
      ['2.5.4.11', ' padded '],
    ],
    spki: spkiOf(rsa.publicKey),
    privateKey: rsa.privateKey,
  });
  const report = only(toPemText(der));
  assert.equal(
    report.subject.text,
    'OU=\\ padded\\ ,serialNumber=#020101,CN=\\#not hex,O=Smith\\, Jones \\+ Co \\"Ltd\\",C=GB',
  );
  assert.deepEqual(
    report.subject.parts.map((part) => part.value),
    ['GB', 'Smith, Jones + Co "Ltd"', '#not hex', '#020101', ' padded '],
  );
});
