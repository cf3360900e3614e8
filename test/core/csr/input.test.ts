// The input forms the issue lists, and everything that is not a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  analyseCsrText,
  isCsrReport,
  maxInputLength,
  oversizeForOneRequest,
  pemLength,
  toPem,
  type CsrAnalysisResult,
  type CsrReport,
} from '../../../src/core/csr/index';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { hasBinaryCharacters } from '../../../src/core/csr/input';
import { buildRequest, spkiOf, toPemText } from './build-csr';

const certificateDer = Buffer.from(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'csr', 'certificate.pem'), 'utf8').replace(
    /-----[^-]+-----|\s/g,
    '',
  ),
  'base64',
);

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const der = buildRequest({
  spki: spkiOf(key.publicKey),
  privateKey: key.privateKey,
  signatureOid: '1.2.840.10045.4.3.2',
});
const pem = toPemText(der);

function reportOf(results: CsrAnalysisResult[]): CsrReport {
  assert.equal(results.length, 1, JSON.stringify(results));
  const result = results[0];
  assert.ok(result && isCsrReport(result), JSON.stringify(result));
  assert.equal(result.signature.valid, true);
  assert.equal(result.pem, pem, 'the canonical PEM is the same whatever the input form');
  return result;
}

function errorOf(results: CsrAnalysisResult[]): { code: string; error: string } {
  assert.equal(results.length, 1, JSON.stringify(results));
  const result = results[0];
  assert.ok(result && !isCsrReport(result), JSON.stringify(result));
  assert.ok(result.error.length > 0);
  return result;
}

test('every accepted form gives the same request', () => {
  const base64 = Buffer.from(der).toString('base64');
  const forms: [string, string | Uint8Array][] = [
    ['PEM', pem],
    ['PEM as bytes', Buffer.from(pem)],
    ['old header', pem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST')],
    ['mixed armour', pem.replace('BEGIN CERTIFICATE REQUEST', 'BEGIN NEW CERTIFICATE REQUEST')],
    ['CRLF', pem.replace(/\n/g, '\r\n')],
    ['text around', `Dear help desk,\nhere it is:\n\n${pem}\nRegards, Alice\n`],
    [
      'whitespace inside the Base64',
      pem
        .split('\n')
        .map((line) => (line.startsWith('-----') ? line : line.replace(/(.{10})/g, '$1 \t')))
        .join('\n'),
    ],
    ['one Base64 line', `-----BEGIN CERTIFICATE REQUEST-----${base64}-----END CERTIFICATE REQUEST-----`],
    ['bare Base64', base64],
    ['bare Base64 wrapped, CRLF, padded by blank lines', `\r\n\r\n${base64.replace(/(.{64})/g, '$1\r\n')}\r\n\r\n`],
    ['raw DER', der],
    ['UTF-16LE with BOM (PowerShell >)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pem, 'utf16le')])],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(pem, 'utf16le').swap16()])],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pem)])],
  ];
  for (const [label, input] of forms) {
    assert.doesNotThrow(() => reportOf(analyseCsrText(input, label)), label);
  }
});

test('ranges: whole block for the report, the BEGIN line for findings, in UTF-16 columns', () => {
  const text = `naïve preface\r\n  ${pem.replace(/\n/g, '\r\n')}`;
  const report = reportOf(analyseCsrText(text));
  const lines = pem.trimEnd().split('\n').length;
  assert.deepEqual(report.range, {
    startLine: 1,
    startCharacter: 2,
    endLine: lines,
    endCharacter: '-----END CERTIFICATE REQUEST-----'.length,
  });
});

test('several blocks: each analysed on its own, in order, non-requests among them named', () => {
  const text = [
    pem,
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    pem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST'),
  ].join('\nbetween\n');
  const results = analyseCsrText(text, 'mixed.pem');
  assert.deepEqual(
    results.map((result) => [result.index, isCsrReport(result) ? 'report' : result.code]),
    [
      [0, 'report'],
      [1, 'not-a-csr-certificate'],
      [2, 'report'],
    ],
  );
  assert.ok(results.every((result) => result.file === 'mixed.pem'));
  const starts = results.map((result) => result.range.startLine);
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
});

test('things that are not requests get specific messages', () => {
  const cases: [string, string | Uint8Array, string, RegExp][] = [
    ['empty', '', 'empty-input', /empty/],
    ['blank', ' \n\r\n\t', 'empty-input', /empty/],
    ['empty bytes', new Uint8Array(0), 'empty-input', /empty/],
    [
      'certificate',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      'not-a-csr-certificate',
      /certificate, not a certificate request/,
    ],
    [
      'private key',
      '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n',
      'not-a-csr-private-key',
      /private key/,
    ],
    [
      'RSA private key',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n',
      'not-a-csr-private-key',
      /private key/,
    ],
    [
      'public key',
      '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n',
      'not-a-csr-public-key',
      /public key/,
    ],
    ['other PEM', '-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n', 'not-a-csr-crl', /revocation list/],
    ['garbage text', 'hello, world: this is not it!\n', 'no-csr-found', /no certificate request found/],
    ['plain words', 'hello world', 'no-csr-found', /no certificate request found/],
    ['binary', Uint8Array.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x81]), 'binary-input', /binary/],
    ['binary that is valid UTF-8', Buffer.from('\u0001\u0002ELF\u0000\u0000'), 'binary-input', /binary/],
    ['unterminated', pem.split('-----END')[0] as string, 'unterminated-pem', /no matching -----END/],
    ['END without BEGIN', `MIIB\n-----END CERTIFICATE REQUEST-----\n`, 'unterminated-pem', /without a matching/],
    ['bad Base64 character', pem.replace(/M/, '!'), 'bad-base64', /invalid character "!"/],
    [
      'truncated DER',
      toPemText(der.subarray(0, der.length - 20)),
      'bad-der',
      new RegExp(`truncated: .*cut short at byte ${der.length - 20}`),
    ],
    [
      'DER cut short by one byte',
      der.subarray(0, der.length - 1),
      'bad-der',
      new RegExp(`truncated: its header announces ${der.length} bytes .*cut short at byte ${der.length - 1}`),
    ],
    ['DER cut in half', der.subarray(0, 100), 'bad-der', /truncated: .*cut short at byte 100/],
    [
      'DER with bytes after it',
      Uint8Array.from([...der, 0xff, 0xfe]),
      'bad-der',
      /2 bytes of unexpected data follow the request \(from byte \d+\)/,
    ],
    ['trailing bytes', toPemText(Uint8Array.from([...der, 0, 0])), 'bad-der', /bytes of unexpected data/],
    ['DER certificate', certificateDer, 'not-a-csr-certificate', /certificate/],
  ];
  for (const [label, input, code, message] of cases) {
    const error = errorOf(analyseCsrText(input, label));
    assert.equal(error.code, code, `${label}: ${error.error}`);
    assert.match(error.error, message, label);
  }
});

test('a private key block is named without echoing the key', () => {
  const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ';
  const error = errorOf(analyseCsrText(`-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`));
  assert.doesNotMatch(error.error, new RegExp(secret.slice(0, 20)));
});

test('huge input is refused from its size without scanning it', () => {
  const huge = 'A'.repeat(50 * 1024 * 1024);
  const error = errorOf(analyseCsrText(huge, 'huge.txt'));
  assert.equal(error.code, 'input-too-large');
  assert.match(error.error, /52,428,800/);
  assert.equal(errorOf(analyseCsrText(new Uint8Array(maxInputLength + 1))).code, 'input-too-large');
});

test('many BEGIN lines without END lines stay linear and each is reported', () => {
  const text = '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n'.repeat(2000);
  const results = analyseCsrText(text);
  assert.equal(results.length, 2000);
  assert.ok(results.every((result) => !isCsrReport(result) && result.code === 'unterminated-pem'));
});

test('the PEM length of a request is known from its DER size, so a too-long one is refused before decoding', () => {
  for (const size of [1, 2, 3, 47, 48, 49, 700, 24_000, 24_525, 24_600]) {
    const bytes = new Uint8Array(size);
    assert.equal(pemLength(size), toPem(bytes).length, `${size} bytes`);
  }
  assert.equal(oversizeForOneRequest(der), null);
  // 24,600 bytes of DER would be 33,471 characters of PEM; the header says so without any decoding.
  const long = Uint8Array.from([0x30, 0x82, 0x60, 0x14, ...new Uint8Array(24_596).fill(0xff)]);
  assert.match(
    oversizeForOneRequest(long) ?? '',
    /as PEM the request would be 33,\d{3} characters; Sectigo accepts at most 32,767/,
  );
  assert.equal(oversizeForOneRequest(Buffer.from('x'.repeat(65_534))), null);
  assert.match(oversizeForOneRequest(Buffer.from('x'.repeat(65_535))) ?? '', /65,535 bytes, too long for one request/);
});

test('the byte scan for binary characters answers what the expression over the decoded text does', () => {
  const expression = /[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/;
  // Text with any characters, U+FFFD and every control character among them, in UTF-8 and UTF-16.
  const character = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom('\ufffd', '\u007f', '\t', '\n', '\u000b', '\u000c', '\r', '\u0000', '\u001f', '\u0080', '\ufeff'),
    fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  );
  fc.assert(
    fc.property(fc.array(character, { maxLength: 40 }), (characters) => {
      const text = characters.join('');
      for (const bytes of [
        new Uint8Array(Buffer.from(text, 'utf8')),
        new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
      ]) {
        const decoded = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-8', { ignoreBOM: false }).decode(bytes);
        assert.equal(hasBinaryCharacters(bytes, decoded), expression.test(decoded), JSON.stringify(text));
      }
    }),
    { numRuns: 2000 },
  );
});
