// The signature checks give the same verdict: Node's crypto (the Node extension host), the
// browser's (WebCrypto where it can, plain JavaScript for the rest), and the command line's
// (JavaScript for RSA with SHA-256, here for every such request, and OpenSSL in the thread pool for
// the rest), over every fixture and the fuzz corpus. Node 20 has globalThis.crypto.subtle, so all
// run here for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, generatePrimeSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyseCsrText, isCsrReport, type CsrAnalysisResult } from '../../../src/core/csr/index';
import { analyseCsrTextInBrowser } from '../../../src/core/csr/browser';
import { analyseCsrTextAsync } from '../../../src/core/csr/analyse';
import { lazyNodeVerifier } from '../../../src/core/csr/verify-node-lazy';
import { sm3 } from '../../../src/core/csr/sm3';
import { bitString, buildRequest, nullValue, oid, rsaKeyFromPrimes, sequence, spkiOf, tlv } from './build-csr';
import { flips, indefiniteInner, indefiniteOuter, nonMinimalLengths, splices } from './corpus';

const dir = join(__dirname, '..', '..', 'fixtures', 'csr');

type Verdict = { index: number; valid: boolean | null } | { index: number; code: string };

const verdicts = (results: CsrAnalysisResult[]): Verdict[] =>
  results.map((result) =>
    isCsrReport(result)
      ? { index: result.index, valid: result.signature.valid }
      : { index: result.index, code: result.code },
  );

async function assertSameVerdicts(input: string | Uint8Array, label: string): Promise<Verdict[]> {
  const node = analyseCsrText(input, label);
  const browser = await analyseCsrTextInBrowser(input, label);
  assert.deepEqual(verdicts(browser), verdicts(node), label);
  const commandLine = await analyseCsrTextAsync(
    lazyNodeVerifier({ threadPool: true, jsFirst: Infinity }),
    input,
    label,
  );
  assert.deepEqual(verdicts(commandLine), verdicts(node), `${label}: the command line's verifier`);
  // Everything but the signature check is the same code: the whole report agrees too, reasons aside.
  const withoutReasons = (results: CsrAnalysisResult[]): unknown =>
    JSON.parse(JSON.stringify(results), (key, value: unknown) =>
      key === 'verifyError' || (key === 'message' && typeof value === 'string' && /signature/.test(value))
        ? undefined
        : value,
    );
  assert.deepEqual(withoutReasons(browser), withoutReasons(node), `${label}: reports`);
  assert.deepEqual(withoutReasons(commandLine), withoutReasons(node), `${label}: the command line's reports`);
  return verdicts(node);
}

test('every fixture: the browser verifier gives the verdict Node gives', async () => {
  const seen = new Set<string>();
  for (const file of readdirSync(dir).filter(
    (name) => !name.endsWith('.openssl.txt') && !name.endsWith('.asn1parse.txt'),
  )) {
    for (const verdict of await assertSameVerdicts(readFileSync(join(dir, file)), file))
      seen.add('valid' in verdict ? String(verdict.valid) : 'error');
  }
  // All three verdicts occurred: true (most), false (broken-signature), null (MD4, exotic keys).
  assert.deepEqual([...seen].sort(), ['error', 'false', 'null', 'true']);
});

test('every algorithm each path handles: built requests verify the same, and a changed byte fails the same', async () => {
  const data: [string, Parameters<typeof buildRequest>[0]][] = [];
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  for (const [hash, oid] of [
    ['md5', '1.2.840.113549.1.1.4'],
    ['sha1', '1.2.840.113549.1.1.5'],
    ['sha224', '1.2.840.113549.1.1.14'],
    ['sha512', '1.2.840.113549.1.1.13'],
  ] as const)
    data.push([`RSA ${hash}`, { spki: spkiOf(rsa.publicKey), privateKey: rsa.privateKey, hash, signatureOid: oid }]);
  // An exponent and a modulus size WebCrypto refuses: the BigInt path.
  // 1,030 bits: not a whole number of bytes, and an exponent over 32 bits, which WebCrypto refuses.
  const odd = rsaKeyFromPrimes(
    generatePrimeSync(515, { bigint: true }),
    generatePrimeSync(515, { bigint: true }),
    (1n << 40n) + 15n,
  );
  data.push(['RSA exponent 2^40+15', { spki: spkiOf(odd), privateKey: odd, hash: 'sha256' }]);
  for (const [curve, hash, oid] of [
    ['P-256', 'sha224', '1.2.840.10045.4.3.1'],
    ['P-384', 'sha384', '1.2.840.10045.4.3.3'],
    ['P-521', 'sha512', '1.2.840.10045.4.3.4'],
    ['secp256k1', 'sha256', '1.2.840.10045.4.3.2'],
    ['brainpoolP384r1', 'sha384', '1.2.840.10045.4.3.3'],
    ['brainpoolP512r1', 'sha512', '1.2.840.10045.4.3.4'],
  ] as const) {
    const ec = generateKeyPairSync('ec', { namedCurve: curve });
    data.push([`EC ${curve}`, { spki: spkiOf(ec.publicKey), privateKey: ec.privateKey, hash, signatureOid: oid }]);
  }
  const ed = generateKeyPairSync('ed448');
  data.push([
    'Ed448',
    { spki: spkiOf(ed.publicKey), privateKey: ed.privateKey, hash: null, signatureOid: '1.3.101.113' },
  ]);
  const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 224 });
  data.push([
    'DSA-224',
    { spki: spkiOf(dsa.publicKey), privateKey: dsa.privateKey, hash: 'sha224', signatureOid: '2.16.840.1.101.3.4.3.1' },
  ]);
  for (const [label, parts] of data) {
    const der = Buffer.from(buildRequest(parts));
    assert.deepEqual(await assertSameVerdicts(der, label), [{ index: 0, valid: true }], label);
    const broken = Buffer.from(der);
    broken[broken.length - 5] = (broken[broken.length - 5] as number) ^ 1;
    assert.deepEqual(await assertSameVerdicts(broken, `${label}, changed`), [{ index: 0, valid: false }], label);
  }
});

test('an RSA key whose INTEGERs have the sign bit set is read as OpenSSL reads it: unsigned', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = rsa.publicKey.export({ format: 'jwk' });
  const modulus = Buffer.from(jwk.n ?? '', 'base64url');
  const rawInteger = (octets: Uint8Array): Uint8Array => tlv(0x02, octets);
  const spkiWith = (n: Uint8Array, e: Uint8Array): Uint8Array =>
    sequence(sequence(oid('1.2.840.113549.1.1.1'), nullValue()), bitString(sequence(rawInteger(n), rawInteger(e))));
  const cases: Array<[string, Uint8Array, boolean]> = [
    // Without its leading zero the modulus reads as negative in two's complement; OpenSSL takes its octets, so it verifies.
    ['modulus without its leading zero', spkiWith(modulus, Uint8Array.of(1, 0, 1)), true],
    [
      'exponent with the sign bit set',
      spkiWith(Buffer.concat([Uint8Array.of(0), modulus]), Uint8Array.of(0xff, 0xc9, 0xff)),
      false,
    ],
    ['exponent zero', spkiWith(Buffer.concat([Uint8Array.of(0), modulus]), Uint8Array.of(0)), false],
    ['modulus zero', spkiWith(Uint8Array.of(0), Uint8Array.of(1, 0, 1)), false],
  ];
  for (const [label, spki, expected] of cases) {
    const der = buildRequest({ spki, privateKey: rsa.privateKey, hash: 'sha256' });
    assert.deepEqual(await assertSameVerdicts(der, label), [{ index: 0, valid: expected }], label);
  }
});

test('the fuzz corpus: flips, splices, long-form lengths and BER give the same verdicts', async () => {
  for (const { label, der } of flips(300)) await assertSameVerdicts(der, label);
  for (const { label, der } of splices(200)) await assertSameVerdicts(der, label);
  for (const { label, der } of nonMinimalLengths()) await assertSameVerdicts(der, label);
  for (const { label, der } of indefiniteOuter()) await assertSameVerdicts(der, label);
  for (const { label, der } of indefiniteInner()) await assertSameVerdicts(der, label);
});

test('SM3 is the hash Node computes', () => {
  for (const message of ['', 'abc', 'abcd'.repeat(16), 'x'.repeat(1000)]) {
    const expected = createHash('sm3').update(message).digest('hex');
    assert.equal(Buffer.from(sm3(Buffer.from(message))).toString('hex'), expected);
  }
});
