// Every finding code, triggered by a request built for it (openssl cannot make
// most of these keys), and kept quiet where the rule does not apply.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkPrimeSync, generateKeyPairSync, generatePrimeSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseCsrText, findingCodes, isCsrReport, type CsrReport } from '../../../src/core/csr/index';
import {
  fermatFactor,
  hasRocaFingerprint,
  integerSquareRoot,
  rocaPrimeBound,
  rocaPrimes,
  smallPrimeFactor,
} from '../../../src/core/csr/rsa-weakness';
import {
  bitString,
  buildRequest,
  emailOid,
  integer,
  octetString,
  oid,
  rsaKeyFromPrimes,
  rsaSpki,
  sanEmail,
  sanExtension,
  sequence,
  set,
  spkiOf,
  tlv,
  toPemText,
  utf8,
  type RequestParts,
} from './build-csr';
import { findingSentence, refusals } from '../../../src/core/csr/index';
import { keyRules } from '../../../src/core/csr/key-rules/all-rules';

const exercised = new Set<string>();
const fixtures = join(__dirname, '..', '..', 'fixtures', 'csr');

function report(input: string | Uint8Array): CsrReport {
  const [result, ...rest] = analyseCsrText(input, 'test.csr');
  assert.equal(rest.length, 0);
  assert.ok(result && isCsrReport(result), JSON.stringify(result));
  for (const finding of result.findings) {
    exercised.add(finding.code);
    assert.equal(finding.severity, findingCodes[finding.code as keyof typeof findingCodes], finding.code);
    assert.match(finding.message, /^[A-Z].*\.$/, 'one sentence, capitalised, ending with a full stop');
  }
  return result;
}
const codes = (input: string | Uint8Array): string[] =>
  report(input)
    .findings.map((finding) => finding.code)
    .sort();
const build = (parts: RequestParts): Uint8Array => buildRequest(parts);
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));

const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa2048Modulus = BigInt(
  `0x${Buffer.from(rsa2048.publicKey.export({ format: 'jwk' }).n as string, 'base64url').toString('hex')}`,
);
const signedRsa = (parts: Partial<RequestParts> = {}): Uint8Array =>
  build({ spki: spkiOf(rsa2048.publicKey), privateKey: rsa2048.privateKey, ...parts });

function randomBigInt(bits: number): bigint {
  const bytes = randomBytes(Math.ceil(bits / 8));
  let value = BigInt(`0x${bytes.toString('hex')}`) & ((1n << BigInt(bits)) - 1n);
  value |= 1n << BigInt(bits - 1);
  return value;
}
const bitLength = (value: bigint): number => value.toString(2).length;

test('the openssl fixtures give the findings their keys and signatures call for', () => {
  const expected: Record<string, string[]> = {
    'rsa-1024.csr': ['rsa-key-too-small'],
    'rsa-2048.csr': [],
    'rsa-3072.csr': [],
    'rsa-4096.csr': [],
    'rsa-8192.csr': [],
    'ec-P-256.csr': [],
    'ec-P-384.csr': [],
    // The linters disagree on P-521 (S/MIME BR and zlint allow it, pkilint does not): a warning says so.
    'ec-P-521.csr': ['smime-key-p521-disputed'],
    'ec-secp256k1.csr': ['ec-curve-unsupported'],
    'ec-brainpoolP256r1.csr': ['ec-curve-unsupported'],
    'ed25519.csr': ['key-algorithm-unlisted'],
    'ed448.csr': ['key-algorithm-unlisted'],
    'dsa-2048.csr': ['key-algorithm-unlisted', 'smime-key-encoding-not-allowed'],
    'rsa-pss-key.csr': ['key-algorithm-unlisted', 'smime-key-encoding-not-allowed'],
    'rsa-2048-pss-signature.csr': [],
    'rsa-2048-md5.csr': ['signature-hash-md5'],
    'rsa-2048-sha1.csr': ['signature-hash-sha1'],
    'rsa-2048-sha224.csr': [],
    'rsa-2048-sha384.csr': [],
    'rsa-2048-sha512.csr': [],
    'broken-signature.csr': ['signature-invalid'],
    'no-email.csr': ['no-email-address'],
    'many-sans.csr': [],
    'ms-template-v1.csr': ['microsoft-template-copied'],
    'ms-template-v2.csr': ['microsoft-template-copied'],
    'challenge-password.csr': ['challenge-password-present'],
  };
  for (const [name, codeList] of Object.entries(expected))
    assert.deepEqual(codes(fixture(name)), codeList.sort(), name);
});

test('RSA key size: 2048 to 8192 bits, a multiple of 8', () => {
  assert.deepEqual(codes(signedRsa()), []);
  const tooSmall = report(fixture('rsa-1024.csr')).findings[0];
  assert.equal(tooSmall?.sectigoErrorCode, -13);
  assert.equal(tooSmall?.severity, 'error');
  // openssl rounds odd sizes; primes with their top two bits set make the product exactly 1024 + 1025 bits.
  const odd = rsaKeyFromPrimes(generatePrimeSync(1024, { bigint: true }), generatePrimeSync(1025, { bigint: true }));
  const oddReport = report(build({ spki: spkiOf(odd), privateKey: odd }));
  assert.equal(oddReport.publicKey.size, 2049);
  assert.deepEqual(
    oddReport.findings.map((finding) => finding.code),
    ['rsa-modulus-not-multiple-of-8'],
  );
  const huge = randomBigInt(8200);
  const large = report(build({ spki: rsaSpki(huge, 65537n) }));
  assert.equal(large.publicKey.size, 8200);
  assert.ok(large.findings.some((finding) => finding.code === 'rsa-key-too-large' && finding.sectigoErrorCode === -13));
});

test('RSA exponent: even, below 3, or not 65537', () => {
  const three = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
  // 3 is also below the 2^16+1 the S/MIME Baseline Requirements recommend (6.1.6).
  assert.deepEqual(codes(build({ spki: spkiOf(three.publicKey), privateKey: three.privateKey })), [
    'rsa-exponent-not-65537',
    'rsa-exponent-out-of-range',
  ]);
  const even = codes(build({ spki: rsaSpki(rsa2048Modulus, 65536n) }));
  assert.ok(
    even.includes('rsa-exponent-even') &&
      !even.includes('rsa-exponent-too-small') &&
      !even.includes('rsa-exponent-not-65537'),
    even.join(),
  );
  const one = codes(build({ spki: rsaSpki(rsa2048Modulus, 1n) }));
  assert.ok(one.includes('rsa-exponent-too-small') && !one.includes('rsa-exponent-even'), one.join());
  const two = codes(build({ spki: rsaSpki(rsa2048Modulus, 2n) }));
  assert.ok(two.includes('rsa-exponent-too-small') && two.includes('rsa-exponent-even'), two.join());
  const big = report(build({ spki: rsaSpki(rsa2048Modulus, (1n << 100n) + 1n) }));
  assert.equal(big.publicKey.exponent, ((1n << 100n) + 1n).toString());
  assert.match(
    big.findings.find((finding) => finding.code === 'rsa-exponent-not-65537')?.message ?? '',
    /a 101-bit number/,
  );
});

test('a modulus with a prime factor up to 65537 is caught, and only then', () => {
  assert.equal(smallPrimeFactor(rsa2048Modulus), null);
  // A real modulus times one small prime: that prime is its only factor below the bound.
  // badkeys' bound, past boulder's 752: every prime up to 65537.
  for (const prime of [3n, 5n, 101n, 743n, 751n, 757n, 31337n, 65521n, 65537n])
    assert.equal(smallPrimeFactor(prime * rsa2048Modulus), Number(prime));
  assert.equal(smallPrimeFactor(65539n * 65543n), null, '65539 is the first prime past the bound');
  assert.equal(smallPrimeFactor(65537n), null, 'a prime is not its own small factor');
  const modulus = 751n * ((rsa2048Modulus >> 10n) | 1n);
  const found = codes(build({ spki: rsaSpki(modulus, 65537n) }));
  assert.ok(found.includes('rsa-small-factor'), found.join());
});

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** A prime of Infineon's form k*M + (65537^a mod M), as in the ROCA paper. */
function rocaPrime(bits: number): bigint {
  // M as Infineon chose it for a modulus of twice these bits (the primes up to 701 for RSA-2048).
  const product = rocaPrimes
    .filter((prime) => prime <= rocaPrimeBound(2 * bits))
    .reduce((acc, prime) => acc * BigInt(prime), 2n);
  // k is drawn so that the prime lies in [1.5 * 2^(bits-1), 2^bits): two of them make exactly 2 * bits.
  const low = (3n << BigInt(bits - 2)) / product + 1n;
  const high = (1n << BigInt(bits)) / product;
  for (;;) {
    const base = modPow(65537n, randomBigInt(64), product);
    const k = low + (randomBigInt(bits) % (high - low));
    const candidate = k * product + base;
    if (candidate < 1n << BigInt(bits) && checkPrimeSync(candidate)) return candidate;
  }
}

test('a ROCA-shaped key (Infineon prime structure) is flagged; ordinary keys are not', () => {
  const p = rocaPrime(1024);
  const q = rocaPrime(1024);
  assert.equal(bitLength(p * q), 2048);
  assert.equal(hasRocaFingerprint(p * q), true);
  const key = rsaKeyFromPrimes(p, q);
  const roca = report(build({ spki: spkiOf(key), privateKey: key }));
  assert.equal(roca.signature.valid, true);
  assert.deepEqual(
    roca.findings.map((finding) => finding.code),
    ['rsa-roca-vulnerable'],
  );
  assert.equal(hasRocaFingerprint(rsa2048Modulus), false);
  for (let i = 0; i < 20; i += 1) assert.equal(hasRocaFingerprint(randomBigInt(2048)), false);
  // The bound follows the key size: a modulus built only over the primes up to 167 is a
  // ROCA fingerprint for a 1024-bit key but almost surely not for a 2048-bit one.
  assert.equal(rocaPrimeBound(1024), 353);
  assert.equal(rocaPrimeBound(2048), 701);
});

test('primes close enough for Fermat factoring are flagged and the factors found', () => {
  const p = generatePrimeSync(1024, { bigint: true });
  let q = p + (1n << 500n); // p is odd, so q stays odd
  while (!checkPrimeSync(q)) q += 2n;
  assert.deepEqual(fermatFactor(p * q), [p, q]);
  assert.equal(fermatFactor(rsa2048Modulus), null);
  const key = rsaKeyFromPrimes(p, q);
  const close = report(build({ spki: spkiOf(key), privateKey: key }));
  assert.equal(close.signature.valid, true);
  const expected =
    bitLength(p * q) % 8 === 0 ? ['rsa-close-primes'] : ['rsa-close-primes', 'rsa-modulus-not-multiple-of-8'];
  assert.deepEqual(close.findings.map((finding) => finding.code).sort(), expected.sort());
  for (const n of [0n, 1n, 2n, 15n, 10n ** 40n, (1n << 2048n) - 1n]) {
    const root = integerSquareRoot(n);
    assert.ok(root * root <= n && (root + 1n) * (root + 1n) > n, `isqrt(${n})`);
  }
});

test('absurd RSA keys (a 2-megabit modulus and exponent) are reported, not worked on for minutes', () => {
  // n is 1 modulo every prime below 752, so no small factor short-cuts the weakness checks.
  const smallPrimesProduct = [...Array(752).keys()]
    .filter((p) => p > 1 && [...Array(p).keys()].slice(2).every((d) => p % d !== 0))
    .reduce((acc, p) => acc * BigInt(p), 1n);
  const modulus = (randomBigInt(2_000_000) / smallPrimesProduct) * smallPrimesProduct + 1n;
  const exponent = randomBigInt(2_000_000) | 1n;
  const huge = report(build({ spki: rsaSpki(modulus, exponent) }));
  assert.equal(huge.publicKey.size, 2_000_000);
  assert.match(huge.publicKey.exponent ?? '', /^0x[0-9a-f]+$/, 'too long for decimal');
  assert.equal(huge.signature.valid, null);
  assert.match(huge.signature.verifyError ?? '', /beyond what OpenSSL verifies/);
  assert.deepEqual(
    huge.findings.map((finding) => finding.code).sort(),
    [
      'csr-too-long',
      ...(exponent >= modulus ? ['rsa-exponent-not-below-modulus'] : []),
      'rsa-exponent-not-65537',
      'rsa-exponent-out-of-range',
      'rsa-key-too-large',
      'signature-unverifiable',
    ].sort(),
  );
  assert.match(
    huge.findings.find((finding) => finding.code === 'rsa-exponent-not-65537')?.message ?? '',
    /a 2000000-bit number/,
  );
  // A usual modulus with a huge exponent: OpenSSL would check it bit by bit, for seconds.
  const longExponent = report(build({ spki: rsaSpki(rsa2048Modulus, randomBigInt(80_000) | 1n) }));
  assert.equal(longExponent.signature.valid, null);
  assert.match(longExponent.signature.verifyError ?? '', /exponent over 256 bits/);
});

test('EC curves other than P-256, P-384 and P-521 are refused with -13', () => {
  const p192 = generateKeyPairSync('ec', { namedCurve: 'prime192v1' });
  const found = report(
    build({ spki: spkiOf(p192.publicKey), privateKey: p192.privateKey, signatureOid: '1.2.840.10045.4.3.2' }),
  );
  assert.equal(found.publicKey.curve, 'P-192');
  assert.equal(found.signature.valid, true);
  assert.deepEqual(
    found.findings.map((finding) => [finding.code, finding.sectigoErrorCode]),
    [['ec-curve-unsupported', -13]],
  );
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  assert.deepEqual(
    codes(build({ spki: spkiOf(p256.publicKey), privateKey: p256.privateKey, signatureOid: '1.2.840.10045.4.3.2' })),
    [],
  );
});

test('unlisted key algorithms warn with -13; an unknown key is unverifiable, never invalid', () => {
  const ed = generateKeyPairSync('ed25519');
  const eddsa = report(
    build({ spki: spkiOf(ed.publicKey), privateKey: ed.privateKey, hash: null, signatureOid: '1.3.101.112' }),
  );
  assert.equal(eddsa.signature.valid, true);
  assert.equal(eddsa.signature.hash, null);
  assert.deepEqual(
    eddsa.findings.map((finding) => [finding.code, finding.severity, finding.sectigoErrorCode]),
    [['key-algorithm-unlisted', 'warning', -13]],
  );
  const unknown = report(build({ spki: sequence(sequence(oid('1.2.3.4.5')), bitString(Uint8Array.of(1, 2, 3))) }));
  assert.equal(unknown.publicKey.algorithm, '1.2.3.4.5');
  assert.equal(unknown.signature.valid, null);
  assert.ok(unknown.signature.verifyError);
  assert.deepEqual(unknown.findings.map((finding) => finding.code).sort(), [
    'key-algorithm-unlisted',
    'signature-unverifiable',
    'smime-key-encoding-not-allowed',
  ]);
});

test('a verifier that throws gives "unverifiable", not "invalid" (curve node cannot load)', () => {
  const point = Uint8Array.from([4, ...randomBytes(64)]);
  const spki = sequence(sequence(oid('1.2.840.10045.2.1'), oid('1.2.3.4.5.6')), bitString(point));
  const result = report(build({ spki, signatureOid: '1.2.840.10045.4.3.2' }));
  assert.equal(result.publicKey.curve, '1.2.3.4.5.6');
  assert.equal(result.publicKey.size, 256);
  assert.equal(result.signature.valid, null);
  assert.ok(result.findings.some((finding) => finding.code === 'signature-unverifiable'));
  assert.ok(!result.findings.some((finding) => finding.code === 'signature-invalid'));
  const unknownAlgorithm = report(signedRsa({ signatureOid: '1.2.840.113549.1.1.2' }));
  assert.equal(unknownAlgorithm.signature.valid, null);
});

test('signatures that do not verify: a changed byte, a foreign key, an algorithm of another key type', () => {
  const good = signedRsa();
  const tampered = Uint8Array.from(good);
  const at = Buffer.from(tampered).indexOf(Buffer.from('Test'));
  tampered[at] = 'B'.charCodeAt(0);
  assert.deepEqual(codes(tampered), ['signature-invalid']);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.deepEqual(codes(build({ spki: spkiOf(rsa2048.publicKey), privateKey: other.privateKey })), [
    'signature-invalid',
  ]);
  const mismatch = report(signedRsa({ signatureOid: '1.2.840.10045.4.3.2' }));
  assert.equal(mismatch.signature.valid, false);
});

test('MD5 and SHA-1 signatures name what each signatureHash option does', () => {
  for (const [hash, code] of [
    ['md5', 'signature-hash-md5'],
    ['sha1', 'signature-hash-sha1'],
  ] as const) {
    const result = report(
      signedRsa({ hash, signatureOid: hash === 'md5' ? '1.2.840.113549.1.1.4' : '1.2.840.113549.1.1.5' }),
    );
    assert.equal(result.signature.valid, true);
    const finding = result.findings.find((f) => f.code === code);
    assert.ok(finding, code);
    for (const option of ['INFER_FROM_CSR', 'PREFER_SHA1', 'NO_PREFERENCE', 'PREFER_SHA2', 'REQUIRE_SHA2'])
      assert.match(finding.message, new RegExp(option));
  }
  const ecdsaSha1 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  assert.deepEqual(
    codes(
      build({
        spki: spkiOf(ecdsaSha1.publicKey),
        privateKey: ecdsaSha1.privateKey,
        hash: 'sha1',
        signatureOid: '1.2.840.10045.4.1',
      }),
    ),
    ['signature-hash-sha1'],
  );
});

test('a request without any mailbox is warned about; one in the subject or the SAN is enough', () => {
  assert.deepEqual(codes(signedRsa({ subject: [['2.5.4.3', 'Nobody']] })), ['no-email-address']);
  assert.deepEqual(
    codes(signedRsa({ subject: [['2.5.4.3', 'A']], extensions: [sanExtension([sanEmail('a@example.com')])] })),
    [],
  );
  assert.deepEqual(codes(signedRsa({ subject: [[emailOid, 'a@example.com']] })), []);
});

test('subject fields over Sectigo limits, and a country that is not two letters', () => {
  const limits: [string, string, number][] = [
    ['2.5.4.3', 'CN', 64],
    ['2.5.4.10', 'O', 64],
    ['2.5.4.11', 'OU', 64],
    ['2.5.4.7', 'L', 128],
    ['2.5.4.8', 'ST', 128],
    ['2.5.4.9', 'street', 128],
    ['2.5.4.17', 'postalCode', 40],
    ['2.5.4.18', 'postOfficeBox', 40],
  ];
  for (const [id, type, limit] of limits) {
    assert.deepEqual(
      codes(
        signedRsa({
          subject: [
            [emailOid, 'a@example.com'],
            [id, 'x'.repeat(limit)],
          ],
        }),
      ),
      [],
      `${type} at the limit`,
    );
    const over = report(
      signedRsa({
        subject: [
          [emailOid, 'a@example.com'],
          [id, 'x'.repeat(limit + 1)],
        ],
      }),
    );
    assert.deepEqual(
      over.findings.map((finding) => finding.code),
      ['subject-field-too-long'],
      `${type} over the limit`,
    );
    assert.match(over.findings[0]?.message ?? '', new RegExp(`${type} is ${limit + 1} characters`));
  }
  // Characters, not bytes or UTF-16 units.
  assert.deepEqual(
    codes(
      signedRsa({
        subject: [
          [emailOid, 'a@example.com'],
          ['2.5.4.3', '😀'.repeat(64)],
        ],
      }),
    ),
    [],
  );
  for (const country of ['GBR', 'G', '12', 'gb ']) {
    assert.deepEqual(
      codes(
        signedRsa({
          subject: [
            [emailOid, 'a@example.com'],
            ['2.5.4.6', country],
          ],
        }),
      ),
      ['subject-country-invalid'],
      country,
    );
  }
  assert.deepEqual(
    codes(
      signedRsa({
        subject: [
          [emailOid, 'a@example.com'],
          ['2.5.4.6', 'DE'],
        ],
      }),
    ),
    [],
  );
});

test('a request over 32,767 characters is refused with -4', () => {
  const emails = Array.from({ length: 1100 }, (_, i) => sanEmail(`mailbox-number-${i}@example.com`));
  const long = report(signedRsa({ extensions: [sanExtension(emails)] }));
  assert.ok(long.pem.length > 32767);
  assert.deepEqual(
    long.findings.map((finding) => [finding.code, finding.sectigoErrorCode]),
    [['csr-too-long', -4]],
  );
  assert.equal(long.subjectAltNames.length, 1100);
  const fits = report(signedRsa({ extensions: [sanExtension(emails.slice(0, 600))] }));
  assert.ok(fits.pem.length < 32767);
  assert.deepEqual(fits.findings, []);
});

test('information: a challenge password (never its value) and a template Sectigo will copy', () => {
  const withPassword = report(signedRsa({ challengePassword: 'hunter2-secret' }));
  assert.deepEqual(
    withPassword.findings.map((finding) => [finding.code, finding.severity]),
    [['challenge-password-present', 'info']],
  );
  assert.doesNotMatch(JSON.stringify(withPassword), /hunter2-secret/);
  const v1 = report(fixture('ms-template-v1.csr')).findings.find(
    (finding) => finding.code === 'microsoft-template-copied',
  );
  assert.match(v1?.message ?? '', /"SmimeUser"/);
  const v2 = report(fixture('ms-template-v2.csr')).findings.find(
    (finding) => finding.code === 'microsoft-template-copied',
  );
  assert.match(v2?.message ?? '', /1\.3\.6\.1\.4\.1\.311\.21\.8\./);
});

test('a version other than v1 (0) is warned about', () => {
  assert.deepEqual(codes(signedRsa({ version: 1n })), ['csr-version-unexpected']);
});

test('findings point at the BEGIN line of their own block', () => {
  const text = `notes\n${toPemText(signedRsa())}\nmore notes\n\n${toPemText(signedRsa({ subject: [['2.5.4.3', 'x']] }))}`;
  const results = analyseCsrText(text, 'two.txt');
  assert.equal(results.length, 2);
  const second = results[1];
  assert.ok(second && isCsrReport(second));
  const beginLine = text.split('\n').findIndex((line, index) => index > 2 && line.startsWith('-----BEGIN'));
  assert.deepEqual(second.findings[0]?.range, {
    startLine: beginLine,
    startCharacter: 0,
    endLine: beginLine,
    endCharacter: '-----BEGIN CERTIFICATE REQUEST-----'.length,
  });
});

const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const smallRsa = (parts: Partial<RequestParts> = {}): Uint8Array =>
  build({ spki: spkiOf(rsa1024.publicKey), privateKey: rsa1024.privateKey, ...parts });
const findingFor = (result: CsrReport, code: string): string =>
  result.findings.find((finding) => finding.code === code)?.message ?? '';

test('MD2 and MD4 signatures are named and are errors like MD5', () => {
  for (const [signatureOid, hash, code] of [
    ['1.2.840.113549.1.1.2', 'MD2', 'signature-hash-md2'],
    ['1.2.840.113549.1.1.3', 'MD4', 'signature-hash-md4'],
  ] as const) {
    const result = report(signedRsa({ signatureOid }));
    assert.equal(result.signature.hash, hash);
    assert.match(result.signature.algorithm, new RegExp(`^${hash.toLowerCase()}WithRSAEncryption$`));
    assert.deepEqual(result.findings.map((finding) => finding.code).sort(), [code, 'signature-unverifiable'].sort());
    assert.match(findingFor(result, code), new RegExp(`signed with ${hash}`));
  }
});

test('a repeated extension is an error, and both are still reported', () => {
  const result = report(
    signedRsa({ extensions: [sanExtension([sanEmail('a@example.com')]), sanExtension([sanEmail('b@example.com')])] }),
  );
  assert.deepEqual(
    result.findings.map((finding) => finding.code),
    ['extension-duplicate'],
  );
  assert.match(findingFor(result, 'extension-duplicate'), /subjectAltName \(2\.5\.29\.17\) appears 2 times/);
  assert.deepEqual(result.subjectAltNames, ['email:a@example.com', 'email:b@example.com']);
});

test('a malformed value inside an extension is a finding naming it; key, signature and -13 are still reported', () => {
  // A SAN whose inner element claims more bytes than it has.
  const brokenSan: [string, boolean, Uint8Array] = [
    '2.5.29.17',
    false,
    Uint8Array.of(0x30, 0x05, 0x81, 0x09, 0x61, 0x40, 0x62),
  ];
  const withSan = report(smallRsa({ extensions: [brokenSan] }));
  assert.equal(withSan.signature.valid, true);
  assert.equal(withSan.publicKey.size, 1024);
  assert.deepEqual(withSan.findings.map((finding) => finding.code).sort(), [
    'extension-value-invalid',
    'rsa-key-too-small',
  ]);
  assert.match(findingFor(withSan, 'extension-value-invalid'), /subjectAltName \(2\.5\.29\.17\) is malformed: .*byte/);
  assert.deepEqual(withSan.subjectAltNames, []);
  // A Microsoft template v2 with wrong inner lengths: a warning, the rest of the request intact.
  const brokenTemplate: [string, boolean, Uint8Array] = [
    '1.3.6.1.4.1.311.21.7',
    false,
    sequence(Uint8Array.of(0x06, 0x20, 0x2b, 0x06), integer(100n)),
  ];
  const withTemplate = report(signedRsa({ extensions: [brokenTemplate, sanExtension([sanEmail('a@example.com')])] }));
  assert.equal(withTemplate.signature.valid, true);
  assert.deepEqual(
    withTemplate.findings.map((finding) => finding.code),
    ['extension-value-malformed'],
  );
  assert.match(
    findingFor(withTemplate, 'extension-value-malformed'),
    /msCertificateTemplate \(1\.3\.6\.1\.4\.1\.311\.21\.7\)/,
  );
  assert.deepEqual(withTemplate.subjectAltNames, ['email:a@example.com']);
  // keyUsage and basicConstraints decide what the certificate says: errors too.
  const badKeyUsage = report(signedRsa({ extensions: [['2.5.29.15', true, tlv(0x03, Uint8Array.of(9, 0x80))]] }));
  assert.deepEqual(
    badKeyUsage.findings.map((finding) => finding.code),
    ['extension-value-invalid'],
  );
  const badConstraints = report(signedRsa({ extensions: [['2.5.29.19', true, sequence(integer(-1n))]] }));
  assert.deepEqual(
    badConstraints.findings.map((finding) => finding.code),
    ['extension-value-invalid'],
  );
  // Bytes after the value inside its OCTET STRING.
  const trailing = report(
    signedRsa({
      extensions: [['2.5.29.37', false, Buffer.concat([sequence(oid('1.3.6.1.5.5.7.3.4')), Uint8Array.of(0, 0)])]],
    }),
  );
  assert.match(
    findingFor(trailing, 'extension-value-malformed'),
    /extKeyUsage \(2\.5\.29\.37\) is malformed: 2 bytes of unexpected data follow the value/,
  );
});

test('DER that openssl tolerates but a strict CA may not: explicit DEFAULTs and an empty extensionRequest', () => {
  const explicitFalse = sequence(
    oid('2.5.29.37'),
    Uint8Array.of(0x01, 0x01, 0x00),
    octetString(sequence(oid('1.3.6.1.5.5.7.3.4'))),
  );
  const result = report(signedRsa({ rawExtensions: [explicitFalse] }));
  assert.deepEqual(
    result.findings.map((finding) => finding.code),
    ['der-not-strict'],
  );
  assert.match(findingFor(result, 'der-not-strict'), /extKeyUsage \(2\.5\.29\.37\) encodes critical FALSE/);
  assert.deepEqual(result.extensions, [{ oid: '2.5.29.37', name: 'extKeyUsage', critical: false }]);
  const caFalse = report(signedRsa({ extensions: [['2.5.29.19', true, sequence(Uint8Array.of(0x01, 0x01, 0x00))]] }));
  assert.match(findingFor(caFalse, 'der-not-strict'), /encodes cA FALSE/);
  // A length in the long form where the short one fits (openssl reads it; Go and pyca refuse it).
  const longLength = Uint8Array.of(0x30, 0x81, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04);
  const longForm = report(signedRsa({ extensions: [['2.5.29.37', false, longLength]] }));
  assert.deepEqual(
    longForm.findings.map((finding) => finding.code),
    ['der-not-strict'],
  );
  assert.match(
    findingFor(longForm, 'der-not-strict'),
    /extKeyUsage \(2\.5\.29\.37\) writes the length at byte \d+ in more octets than DER allows/,
  );
  const attributeLongForm = report(
    signedRsa({
      rawAttributes: [sequence(oid('1.3.6.1.4.1.99999.4'), set(Uint8Array.of(0x0c, 0x82, 0x00, 0x02, 0x68, 0x69)))],
    }),
  );
  assert.match(
    findingFor(attributeLongForm, 'der-not-strict'),
    /attribute 1\.3\.6\.1\.4\.1\.99999\.4 writes the length/,
  );
  const emptySet = report(signedRsa({ rawAttributes: [sequence(oid('1.2.840.113549.1.9.14'), set())] }));
  assert.match(findingFor(emptySet, 'der-not-strict'), /empty set of values/);
  const emptyList = report(signedRsa({ rawAttributes: [sequence(oid('1.2.840.113549.1.9.14'), set(sequence()))] }));
  assert.match(findingFor(emptyList, 'der-not-strict'), /empty list of extensions/);
});

test('a high-tag-number attribute value is legal DER: the request is read and its -13 reported', () => {
  // [APPLICATION 1234] IMPLICIT UTF8String, under a private attribute OID.
  const highTag = Buffer.concat([Uint8Array.of(0x5f, 0x89, 0x52, 0x02), Buffer.from('hi')]);
  const result = report(smallRsa({ rawAttributes: [sequence(oid('1.3.6.1.4.1.99999.1'), set(highTag))] }));
  assert.equal(result.signature.valid, true);
  assert.deepEqual(result.otherAttributes, ['1.3.6.1.4.1.99999.1']);
  assert.deepEqual(
    result.findings.map((finding) => finding.code),
    ['rsa-key-too-small'],
  );
});

test('a malformed attribute is a finding naming its OID', () => {
  const notASet = sequence(oid('1.3.6.1.4.1.99999.2'), utf8('value'));
  const result = report(signedRsa({ rawAttributes: [notASet] }));
  assert.deepEqual(
    result.findings.map((finding) => finding.code),
    ['attribute-malformed'],
  );
  assert.match(findingFor(result, 'attribute-malformed'), /1\.3\.6\.1\.4\.1\.99999\.2 is malformed/);
  const nested = sequence(oid('1.3.6.1.4.1.99999.3'), set(Uint8Array.of(0x30, 0x03, 0x04, 0x05, 0x00)));
  assert.deepEqual(codes(signedRsa({ rawAttributes: [nested] })), ['attribute-malformed']);
});

test('an OID arc longer than any real one is a finding inside extensions, bad-der outside, and never slow', () => {
  const longArc = (octets: number): Uint8Array =>
    tlv(0x06, Uint8Array.from([0x2b, ...Array.from({ length: octets - 1 }, () => 0xff), 0x01]));
  // 20 octets: the cap itself, still read.
  const atCap = sequence(longArc(20), octetString(Uint8Array.of(0x05, 0x00)));
  assert.deepEqual(report(signedRsa({ rawExtensions: [atCap] })).findings, []);
  const arc = report(signedRsa({ rawExtensions: [sequence(longArc(21), octetString(Uint8Array.of(0x05, 0x00)))] }));
  assert.match(findingFor(arc, 'extension-value-malformed'), /arc longer than 20 octets, longer than any real one/);
  const result = report(
    signedRsa({ rawExtensions: [sequence(longArc(200_000), octetString(Uint8Array.of(0x05, 0x00)))] }),
  );
  assert.match(findingFor(result, 'extension-value-malformed'), /200001 octets long, longer than any real one/);
  assert.equal(result.signature.valid, true);
  // In the signature algorithm the outer structure is unreadable: a clean bad-der.
  const der = Buffer.from(signedRsa());
  const hostile = Buffer.concat([
    der.subarray(0, 0),
    sequence(sequence(), sequence(longArc(100_000)), bitString(Uint8Array.of(1))),
  ]);
  const [outer] = analyseCsrText(hostile);
  assert.ok(outer && !isCsrReport(outer));
  assert.equal(outer.code, 'bad-der');
});

test('the refusal rule: error findings with a code are certain, others likely, in the same words everywhere', () => {
  const small = report(fixture('rsa-1024.csr'));
  const [certain, ...none] = refusals(small);
  assert.equal(none.length, 0);
  assert.deepEqual(
    { ...certain, text: undefined },
    {
      certainty: 'certain',
      sectigoErrorCode: -13,
      findingCode: 'rsa-key-too-small',
      short: 'RSA 1024 bits: Sectigo refuses (-13)',
      text: undefined,
      message: 'The RSA key has 1024 bits; Sectigo accepts 2048 to 8192 bits.',
    },
  );
  assert.equal(certain?.text, 'Sectigo will answer -13: The RSA key has 1024 bits; Sectigo accepts 2048 to 8192 bits.');
  assert.doesNotMatch(small.findings[0]?.message ?? '', /-13/, 'the message does not repeat the code');
  const dsa = refusals(report(fixture('dsa-2048.csr')));
  assert.deepEqual(
    dsa.map((refusal) => [refusal.certainty, refusal.short]),
    [['likely', 'DSA 2048 bits: Sectigo may refuse (-13)']],
  );
  assert.equal(
    dsa[0]?.text,
    'Sectigo may refuse (-13): The key algorithm DSA is not a key type Sectigo lists (RSA, EC).',
  );
  const curve = refusals(report(fixture('ec-secp256k1.csr')));
  assert.equal(curve[0]?.short, 'EC secp256k1: Sectigo refuses (-13)');
  assert.deepEqual(refusals(report(fixture('rsa-2048.csr'))), []);
  const noCode = small.findings.find((finding) => finding.sectigoErrorCode === null);
  if (noCode) assert.equal(findingSentence(noCode), noCode.message);
});

after(() => {
  // Every documented code must have been produced by at least one test above.
  // The key rules of issue 32 and the batch's shared primes have their own file (key-rules.test.ts), which checks the same.
  const testedElsewhere = new Set<string>([...keyRules.map((rule) => rule.code), 'rsa-shared-prime']);
  assert.deepEqual(
    Object.keys(findingCodes).filter((code) => !exercised.has(code) && !testedElsewhere.has(code)),
    [],
  );
});

test('a non-ASCII byte in an IA5String is an error, and the value is shown as what it most likely is', () => {
  const withEmail = (value: Uint8Array): CsrReport =>
    report(
      build({
        subject: [
          ['2.5.4.3', 'IDN'],
          [emailOid, tlv(0x16, value)],
        ],
        spki: spkiOf(rsa2048.publicKey),
        privateKey: rsa2048.privateKey,
      }),
    );
  const utf8Mail = withEmail(Buffer.from('jörg@example.com', 'utf8'));
  assert.equal(utf8Mail.subject.parts[1]?.value, 'jörg@example.com');
  const finding = utf8Mail.findings.find((one) => one.code === 'ia5-string-not-ascii');
  assert.match(
    finding?.message ?? '',
    /^The subject E is an IA5String with a non-ASCII byte at byte \d+, most likely raw UTF-8 for "jörg@example\.com"/,
  );
  // Bytes that are not UTF-8 read as Latin-1, still an error.
  const latin1Mail = withEmail(Buffer.from('j\xf6rg@example.com', 'latin1'));
  assert.equal(latin1Mail.subject.parts[1]?.value, 'jörg@example.com');
  assert.ok(latin1Mail.findings.some((one) => one.code === 'ia5-string-not-ascii'));
  assert.ok(
    !codes(build({ spki: spkiOf(rsa2048.publicKey), privateKey: rsa2048.privateKey })).includes('ia5-string-not-ascii'),
  );
});

test('a keyUsage with no bit set is invalid; one with trailing zero bits is not strict DER', () => {
  const keyUsage = (value: Uint8Array): string[] =>
    codes(
      build({
        spki: spkiOf(rsa2048.publicKey),
        privateKey: rsa2048.privateKey,
        extensions: [['2.5.29.15', true, value]],
      }),
    );
  assert.deepEqual(keyUsage(Uint8Array.of(0x03, 0x02, 0x05, 0xa0)), []);
  assert.deepEqual(keyUsage(Uint8Array.of(0x03, 0x02, 0x00, 0x00)), ['extension-value-invalid']);
  assert.deepEqual(keyUsage(Uint8Array.of(0x03, 0x03, 0x00, 0xa0, 0x00)), ['der-not-strict']);
  assert.deepEqual(keyUsage(Uint8Array.of(0x03, 0x02, 0x00, 0xa0)), ['der-not-strict']);
});
