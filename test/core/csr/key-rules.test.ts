// Issue 32: every weak key Sectigo's pre-issuance checks refuse, on requests made for each rule
// (test/fixtures/weak-keys/, scripts/make-weak-key-fixtures.ts, signed wherever a private key
// exists), keys just inside and just outside each bound, healthy controls that stay clean, the
// browser build's verdicts equal to Node's on every one, and the batch's shared primes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, generatePrimeSync, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  analyseCsrText,
  findingCodes,
  isCsrReport,
  type CsrAnalysisResult,
  type CsrReport,
} from '../../../src/core/csr/index';
import { analyseCsrTextInBrowser } from '../../../src/core/csr/browser';
import {
  edwardsCurves,
  edwardsPointProblem,
  smallOrderEncodings,
  weierstrassCurves,
  weierstrassPointProblem,
} from '../../../src/core/csr/curve-points';
import { keyRules } from '../../../src/core/csr/key-rules/all-rules';
import { brokenKeyFindingCodes } from '../../../src/core/csr/finding-help';
import { explainCode } from '../../../src/core/csr/finding-guide';
import { isSparseDsaPrime } from '../../../src/core/csr/key-rules/dsa-sparse-prime';
import { hasPolynomialPattern } from '../../../src/core/csr/key-rules/rsa-modulus-polynomial-pattern';
import { wienerPrivateExponent } from '../../../src/core/csr/key-rules/rsa-small-private-exponent';
import { knownKeys } from '../../../src/core/csr/known-keys-data';
import { findSharedPrimes, withSharedPrimeFindings } from '../../../src/core/csr/shared-primes';
import { bitString, buildRequest, oid, rsaKeyFromPrimes, rsaSpki, sequence, toPemText } from './build-csr';

const root = join(__dirname, '..', '..', '..');
const dir = join(root, 'test', 'fixtures', 'weak-keys');
const exercised = new Set<string>();
const issueCodes = [...keyRules.map((rule) => rule.code), 'rsa-shared-prime'];

function analysed(input: string | Uint8Array, label = 'test.csr'): CsrReport {
  const [result, ...rest] = analyseCsrText(input, label);
  assert.equal(rest.length, 0);
  assert.ok(result && isCsrReport(result), JSON.stringify(result));
  for (const finding of result.findings) {
    exercised.add(finding.code);
    assert.equal(finding.severity, findingCodes[finding.code as keyof typeof findingCodes], finding.code);
    assert.match(finding.message, /^[A-Z].*\.$/, `${finding.code}: one sentence, capitalised, ending with a full stop`);
  }
  return result;
}
const fixture = (name: string): Buffer => readFileSync(join(dir, `${name}.csr`));
const codesOf = (report: CsrReport): string[] => report.findings.map((finding) => finding.code).sort();

/** Each fixture: its findings exactly, and its signature verdict (null: not checked, with why). */
const expected: Record<string, { codes: string[]; valid: boolean | null }> = {
  // Small factors up to 65537 (badkeys smallfactors); 65539 is past the bound.
  'small-factor-757': { codes: ['rsa-small-factor'], valid: true },
  'small-factor-31337': { codes: ['rsa-small-factor'], valid: true },
  'small-factor-65537': { codes: ['rsa-small-factor'], valid: true },
  'small-factor-65539': { codes: [], valid: true },
  // Wiener (badkeys smalld): d just below n^(1/4)/3 is found, d = 2^8 n^(1/4) is not. An exponent
  // over 256 bits is not worked with by the signature check (FIPS 186-4), as before.
  'wiener-inside': {
    codes: [
      'rsa-exponent-not-65537',
      'rsa-exponent-out-of-range',
      'rsa-small-private-exponent',
      'signature-unverifiable',
    ],
    valid: null,
  },
  'wiener-outside': {
    codes: ['rsa-exponent-not-65537', 'rsa-exponent-out-of-range', 'signature-unverifiable'],
    valid: null,
  },
  // e ≥ n (badkeys rsainvalid) and its control, the largest usable e below n.
  'exponent-above-modulus': {
    codes: [
      'rsa-exponent-not-65537',
      'rsa-exponent-not-below-modulus',
      'rsa-exponent-out-of-range',
      'signature-unverifiable',
    ],
    valid: null,
  },
  'exponent-below-modulus': {
    codes: ['rsa-exponent-not-65537', 'rsa-exponent-out-of-range', 'signature-unverifiable'],
    valid: null,
  },
  // S/MIME BR 6.1.6: 2^16+1 to 2^256−1.
  'exponent-65535': { codes: ['rsa-exponent-not-65537', 'rsa-exponent-out-of-range'], valid: true },
  'exponent-largest-below-2-256': { codes: ['rsa-exponent-not-65537'], valid: true },
  'exponent-above-2-256': {
    codes: ['rsa-exponent-not-65537', 'rsa-exponent-out-of-range', 'signature-unverifiable'],
    valid: null,
  },
  'polynomial-pattern': { codes: ['rsa-modulus-polynomial-pattern'], valid: true },
  // The two bugs: an even modulus is "not checked" (and broken: 2 divides it); a signature BIT
  // STRING of 7 unused bits is read, fails its check, and the request's other finding appears.
  'even-modulus': { codes: ['rsa-small-factor', 'signature-unverifiable'], valid: null },
  'seven-unused-bits': { codes: ['attribute-malformed', 'signature-invalid'], valid: false },
  'ec-point-off-curve': { codes: ['ec-point-invalid', 'signature-unverifiable'], valid: null },
  'ec-point-infinity': { codes: ['ec-point-invalid', 'signature-unverifiable'], valid: null },
  'ec-point-compressed-no-point': { codes: ['ec-point-invalid', 'signature-unverifiable'], valid: null },
  'ec-point-compressed': { codes: [], valid: true },
  'ed25519-small-order': {
    codes: ['eddsa-point-invalid', 'key-algorithm-unlisted', 'signature-invalid'],
    valid: false,
  },
  'ed25519-non-canonical': {
    codes: ['eddsa-point-invalid', 'key-algorithm-unlisted', 'signature-invalid'],
    valid: false,
  },
  'ed25519-no-point': { codes: ['eddsa-point-invalid', 'key-algorithm-unlisted', 'signature-invalid'], valid: false },
  // No private key exists for a patterned prime: the signature cannot verify.
  'dsa-sparse-prime': {
    codes: ['dsa-sparse-prime', 'key-algorithm-unlisted', 'signature-invalid', 'smime-key-encoding-not-allowed'],
    valid: false,
  },
  'dsa-sparse-prime-outside': {
    codes: ['key-algorithm-unlisted', 'signature-invalid', 'smime-key-encoding-not-allowed'],
    valid: false,
  },
  'known-rfc9500-rsa2048': { codes: ['key-known-compromised'], valid: true },
  'known-rfc9500-p256': { codes: ['key-known-compromised'], valid: true },
  'rsa-parameters-absent': { codes: ['smime-key-encoding-not-allowed'], valid: true },
  'healthy-rsa-2048': { codes: [], valid: true },
  // Found before issue 32; here for the editor's quick fix test.
  'close-primes': { codes: ['rsa-close-primes'], valid: true },
  roca: { codes: ['rsa-roca-vulnerable'], valid: true },
};

test('every weak-key fixture gives exactly its findings and signature verdict', () => {
  const files = readdirSync(dir).map((name) => name.replace(/\.csr$/, ''));
  assert.deepEqual(files.sort(), Object.keys(expected).sort(), 'a fixture for each case, a case for each fixture');
  for (const [name, want] of Object.entries(expected)) {
    const report = analysed(fixture(name), name);
    assert.deepEqual(codesOf(report), [...want.codes].sort(), name);
    assert.equal(report.signature.valid, want.valid, `${name}: ${report.signature.verifyError ?? ''}`);
    if (want.valid === null) assert.ok(report.signature.verifyError, `${name} says why it was not checked`);
  }
});

test('the browser build gives the verdicts and reports Node gives on every weak-key fixture', async () => {
  const withoutReasons = (results: CsrAnalysisResult[]): unknown =>
    JSON.parse(JSON.stringify(results), (key, value: unknown) => (key === 'verifyError' ? undefined : value));
  for (const name of Object.keys(expected)) {
    const input = fixture(name);
    const node = analyseCsrText(input, name);
    const browser = await analyseCsrTextInBrowser(input, name);
    assert.deepEqual(withoutReasons(browser), withoutReasons(node), name);
  }
});

test('the two bugs: a 7-unused-bit signature fails only its check; its padding set is not strict DER; an even modulus says why it is not checked', () => {
  const seven = analysed(fixture('seven-unused-bits'));
  assert.match(seven.signature.verifyError ?? '', /7 unused bits/);
  // The same request with a padding bit set: BER, not DER.
  const text = fixture('seven-unused-bits').toString('utf8');
  const der = Buffer.from(text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  assert.deepEqual([...der.subarray(der.length - 4)], [0x03, 0x02, 0x07, 0x80]);
  der[der.length - 1] = 0x81;
  const padded = analysed(der);
  assert.ok(codesOf(padded).includes('der-not-strict'), codesOf(padded).join());
  assert.equal(padded.signature.valid, false);
  const even = analysed(fixture('even-modulus'));
  assert.match(even.signature.verifyError ?? '', /even RSA modulus/);
  assert.match(even.findings.find((finding) => finding.code === 'rsa-small-factor')?.message ?? '', /divisible by 2,/);
});

test('Wiener: the continued fractions find d below the bound and not above it', () => {
  const p = generatePrimeSync(512, { bigint: true });
  const q = generatePrimeSync(512, { bigint: true });
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const inverse = (a: bigint, m: bigint): bigint => {
    let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
    while (r1 !== 0n) {
      const quotient = r0 / r1;
      [r0, r1, s0, s1] = [r1, r0 - quotient * r1, s1, s0 - quotient * s1];
    }
    return ((s0 % m) + m) % m;
  };
  const coprime = (d: bigint): bigint => {
    let candidate = d | 1n;
    for (;;) {
      const [a, b] = [candidate, phi];
      let [x, y] = [a, b];
      while (y !== 0n) [x, y] = [y, x % y];
      if (x === 1n) return candidate;
      candidate -= 2n;
    }
  };
  const small = coprime(1n << 250n);
  assert.equal(wienerPrivateExponent(n, inverse(small, phi)), small);
  const large = coprime(1n << 300n);
  assert.equal(wienerPrivateExponent(n, inverse(large, phi)), null);
  // An ordinary key: e = 65537, d as large as n.
  assert.equal(wienerPrivateExponent(n, 65537n), null);
});

test('e ≥ n and the exponent range, at their bounds', () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const n = BigInt(
    `0x${Buffer.from(key.publicKey.export({ format: 'jwk' }).n as string, 'base64url').toString('hex')}`,
  );
  const codes = (e: bigint): string[] => codesOf(analysed(buildRequest({ spki: rsaSpki(n, e) })));
  assert.ok(codes(n).includes('rsa-exponent-not-below-modulus'), 'e = n');
  assert.ok(!codes(n - 2n).includes('rsa-exponent-not-below-modulus'), 'e = n − 2');
  assert.ok(codes(65535n).includes('rsa-exponent-out-of-range'));
  assert.ok(!codes(65537n).includes('rsa-exponent-out-of-range'));
  assert.ok(!codes((1n << 256n) - 1n).includes('rsa-exponent-out-of-range'));
  assert.ok(codes((1n << 256n) + 1n).includes('rsa-exponent-out-of-range'));
  // An even exponent and one below 3 have their own errors, not this warning.
  assert.ok(!codes(65536n).includes('rsa-exponent-out-of-range'));
});

test('rsapoly: under 40 % of bits set in the modulus and its lower half, and not at 40 %', () => {
  /** A number of `bits` bits with `set` bits set, spread evenly. */
  const spread = (bits: number, set: number): bigint => {
    let value = 1n << BigInt(bits - 1);
    for (let i = 1; i < set; i += 1) value |= 1n << BigInt(Math.floor(((bits - 1) * i) / set));
    return value;
  };
  const count = (value: bigint): number => [...value.toString(2)].filter((bit) => bit === '1').length;
  const inside = spread(2048, 810); // 39.55 %
  const outside = spread(2048, 820); // 40.04 %
  assert.equal(count(inside), 810);
  assert.equal(hasPolynomialPattern(inside), true);
  assert.equal(hasPolynomialPattern(outside), false);
  // A sparse upper half over a random lower half: a vanity key, not this pattern.
  const vanity = (1n << 2047n) | BigInt(`0x${randomBytes(128).toString('hex')}`);
  assert.equal(hasPolynomialPattern(vanity), false);
  // Below 500 bits badkeys does not judge.
  assert.equal(hasPolynomialPattern(spread(496, 10)), false);
});

test('dsasparse: the pattern, and one bit set outside it', () => {
  let p = (1n << 1023n) | 1n;
  for (const bit of [168n, 168n + 32n * 7n + 28n]) p |= 1n << bit;
  assert.equal(isSparseDsaPrime(p), true);
  assert.equal(isSparseDsaPrime(p | (1n << (168n + 32n * 7n + 4n))), false, 'bit 4 of a word');
  assert.equal(isSparseDsaPrime(p | (1n << (168n + 32n * 7n + 23n))), false, 'bit 23 of a word');
  assert.equal(isSparseDsaPrime(p | (1n << (168n + 32n * 7n + 24n))), true, 'bit 24 is allowed');
  assert.equal(isSparseDsaPrime(p | (1n << 167n)), true, 'below bit 168 anything goes');
  assert.equal(isSparseDsaPrime(p >> 1n), false, '1,023 bits');
  assert.equal(isSparseDsaPrime(p | (1n << 1000n)), false, 'top bits not 0x800000');
});

test('curve constants are those of @noble/curves; real points pass, altered ones do not', () => {
  const noble = {
    'P-256': p256,
    'P-384': p384,
    'P-521': p521,
    secp256k1,
    brainpoolP256r1,
    brainpoolP384r1,
    brainpoolP512r1,
  };
  for (const [name, curve] of Object.entries(noble)) {
    const constants = curve.Point.CURVE();
    const ours = weierstrassCurves[name];
    assert.ok(ours, name);
    assert.deepEqual([ours.p, ours.a, ours.b], [constants.p, constants.a, constants.b], name);
    assert.equal(constants.h, 1n, `${name}: cofactor 1, so infinity is the only point of small order`);
    const point = curve.getPublicKey(curve.utils.randomSecretKey(), false);
    assert.equal(weierstrassPointProblem(ours, point), null, name);
    assert.equal(weierstrassPointProblem(ours, curve.getPublicKey(curve.utils.randomSecretKey(), true)), null, name);
    const altered = Uint8Array.from(point);
    altered[altered.length - 1] = (altered[altered.length - 1] as number) ^ 1;
    assert.match(weierstrassPointProblem(ours, altered) ?? '', /equation/, name);
  }
  for (const [name, curve] of [
    ['Ed25519', ed25519],
    ['Ed448', ed448],
  ] as const) {
    const constants = curve.Point.CURVE();
    const ours = edwardsCurves[name];
    assert.deepEqual(
      [ours.p, ours.a, ours.d, BigInt(ours.cofactor)],
      [constants.p, constants.a, constants.d, constants.h],
    );
    for (let i = 0; i < 20; i += 1)
      assert.equal(edwardsPointProblem(name, curve.getPublicKey(curve.utils.randomSecretKey())), null, name);
    // Every listed encoding is a point of small order, and there are as many as the cofactor.
    assert.equal(smallOrderEncodings[name].size, ours.cofactor, name);
    for (const encoding of smallOrderEncodings[name]) {
      assert.ok(curve.Point.fromHex(encoding).isSmallOrder(), `${name} ${encoding}`);
      assert.match(edwardsPointProblem(name, Buffer.from(encoding, 'hex')) ?? '', /small order/, encoding);
    }
  }
});

test('known keys: the data is what data/known-keys/ gives, and each key is found in any encoding', () => {
  const rebuilt = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts', 'make-known-keys.ts'), '--check'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  assert.equal(rebuilt.status, 0, rebuilt.stderr);
  assert.ok(knownKeys.length >= 20);
  assert.ok(knownKeys.some(([, , name]) => name.startsWith('RFC 9500 testRSA2048')));
  // The RFC 9500 P-256 key with its point compressed: the same key.
  const der = Buffer.from(
    fixture('known-rfc9500-p256')
      .toString('utf8')
      .replace(/-----[A-Z ]+-----/g, '')
      .replace(/\s+/g, ''),
    'base64',
  );
  const report = analysed(der);
  assert.ok(report.findings[0]?.message.includes('RFC 9500 testECCP256'));
  const point = Buffer.from(
    p256.Point.fromHex(
      Buffer.from(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }))
        .subarray(-65)
        .toString('hex'),
    ).toBytes(true),
  );
  assert.deepEqual(codesOf(analysed(buildRequest({ spki: ecSpki(point) }))), ['signature-invalid']);
  const known = knownEcPoint();
  assert.deepEqual(codesOf(analysed(buildRequest({ spki: ecSpki(known) }))), [
    'key-known-compromised',
    'signature-invalid',
  ]);
});

function ecSpki(point: Uint8Array): Uint8Array {
  return sequence(sequence(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')), bitString(point));
}
/** The RFC 9500 P-256 key's point, compressed. */
function knownEcPoint(): Uint8Array {
  const der = Buffer.from(
    fixture('known-rfc9500-p256')
      .toString('utf8')
      .replace(/-----[A-Z ]+-----/g, '')
      .replace(/\s+/g, ''),
    'base64',
  );
  const start = der.indexOf(Buffer.from('034200', 'hex')) + 3;
  return p256.Point.fromHex(der.subarray(start, start + 65).toString('hex')).toBytes(true);
}

test('S/MIME key encodings: P-521 is said to be disputed, P-256 and P-384 are not; RSA without NULL is refused', () => {
  const p521 = analysed(readFileSync(join(root, 'test', 'fixtures', 'csr', 'ec-P-521.csr')));
  assert.deepEqual(codesOf(p521), ['smime-key-p521-disputed']);
  assert.match(p521.findings[0]?.message ?? '', /pkilint/);
  for (const name of ['ec-P-256.csr', 'ec-P-384.csr', 'ed25519.csr'])
    assert.ok(
      !codesOf(analysed(readFileSync(join(root, 'test', 'fixtures', 'csr', name)))).some((code) =>
        code.startsWith('smime-'),
      ),
      name,
    );
  assert.match(analysed(fixture('rsa-parameters-absent')).findings[0]?.message ?? '', /without NULL parameters/);
});

test('shared primes across a batch: found, named on both sides, the same key twice is not one', () => {
  const shared = generatePrimeSync(1024, { bigint: true });
  const [a, b, c, d] = Array.from({ length: 4 }, () => generatePrimeSync(1024, { bigint: true }));
  const moduli = [shared * (a as bigint), (b as bigint) * (c as bigint), shared * (d as bigint)];
  const outcome = findSharedPrimes(moduli);
  assert.deepEqual(outcome, { kind: 'compared', keys: 3, pairs: [[0, 2]] });
  assert.deepEqual(findSharedPrimes([moduli[1] as bigint]), { kind: 'compared', keys: 1, pairs: [] });
  // Bounded in count and in time (the clock is the test's).
  assert.deepEqual(findSharedPrimes(moduli, { maxKeys: 2 }), { kind: 'too-many', keys: 3 });
  let clock = 0;
  assert.deepEqual(findSharedPrimes(moduli, { deadlineMs: 5, now: () => (clock += 10) }), {
    kind: 'too-slow',
    keys: 3,
  });

  // As requests: each with a valid signature; the same key again (a renewal) shares nothing new.
  const keyOf = (p: bigint, q: bigint): Uint8Array => {
    const n = p * q;
    return buildRequest({ spki: rsaSpki(n, 65537n), privateKey: rsaKeyFromPrimes(p, q) });
  };
  const files: [string, Uint8Array][] = [
    ['alice.csr', keyOf(shared, a as bigint)],
    ['bob.csr', keyOf(b as bigint, c as bigint)],
    ['carol.csr', keyOf(shared, d as bigint)],
    ['alice-renewal.csr', keyOf(shared, a as bigint)],
  ];
  const results = files.flatMap(([name, der]) => analyseCsrText(toPemText(der), name));
  assert.ok(results.every((result) => isCsrReport(result) && result.signature.valid === true));
  const { results: withShared, outcome: asRequests } = withSharedPrimeFindings(results);
  assert.deepEqual(asRequests, { kind: 'compared', keys: 3, pairs: [[0, 2]] });
  const messages = (file: string): string[] =>
    withShared
      .filter((result): result is CsrReport => isCsrReport(result) && result.file === file)
      .flatMap((report) => report.findings.filter((f) => f.code === 'rsa-shared-prime').map((f) => f.message));
  for (const finding of withShared.flatMap((result) => (isCsrReport(result) ? result.findings : [])))
    exercised.add(finding.code);
  assert.deepEqual(messages('bob.csr'), []);
  assert.equal(messages('alice.csr').length, 1);
  assert.match(messages('alice.csr')[0] ?? '', /carol\.csr/);
  assert.deepEqual(messages('carol.csr').length, 2, 'carol shares with alice and with her renewal');
  assert.equal(messages('alice-renewal.csr').length, 1);
  // Moduli with a small factor share it with each other: said once each as rsa-small-factor, not per pair.
  const evens = [fixture('even-modulus'), buildRequest({ spki: rsaSpki(2n * (a as bigint) * (b as bigint), 65537n) })];
  const evenResults = evens.flatMap((input, i) => analyseCsrText(input, `even-${i}.csr`));
  assert.deepEqual(withSharedPrimeFindings(evenResults).outcome, { kind: 'compared', keys: 0, pairs: [] });
  // The inputs are not changed.
  assert.ok(results.every((result) => !isCsrReport(result) || result.findings.length === 0));
});

test('the editor offers a new key on every weak-key error, and the guide says the same fix for each', () => {
  const errors = issueCodes.filter((code) => findingCodes[code as keyof typeof findingCodes] === 'error');
  for (const code of [...errors, 'rsa-small-factor', 'rsa-roca-vulnerable', 'rsa-close-primes']) {
    assert.ok(brokenKeyFindingCodes.has(code), `${code}: the quick fix is offered`);
    assert.ok(explainCode(code)?.fix?.editor.startsWith('Create a compliant key'), `${code}: the guide names the fix`);
  }
  for (const code of brokenKeyFindingCodes)
    assert.equal(findingCodes[code as keyof typeof findingCodes], 'error', code);
});

after(() => {
  // Every code of issue 32 was produced by a request above.
  assert.deepEqual(
    issueCodes.filter((code) => !exercised.has(code)),
    [],
  );
});
