// Writes test/fixtures/weak-keys/: one request per weak key Sectigo's pre-issuance checks
// refuse (issue 32), each beside a request just on the other side of the check's bound, with a
// valid signature wherever a private key exists (keys are made from their primes, so a small
// factor, a small private exponent or a sparse modulus can still sign). Run again to make new
// keys; the tests read the files and state what each must give.
// Usage: node --import tsx scripts/make-weak-key-fixtures.ts
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  generatePrimeSync,
  checkPrimeSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { children, readNode } from '../src/core/csr/der';
import { edwardsCurves, smallOrderEncodings } from '../src/core/csr/curve-points';
import { integerSquareRoot, rocaPrimeBound, rocaPrimes } from '../src/core/csr/rsa-weakness';
import {
  bitString,
  buildRequest,
  integer,
  oid,
  rsaKeyFromPrimes,
  rsaSpki,
  sequence,
  set,
  spkiOf,
  tlv,
  toPemText,
  type RequestParts,
} from '../test/core/csr/build-csr';

const root = join(__dirname, '..');
const out = join(root, 'test', 'fixtures', 'weak-keys');
mkdirSync(out, { recursive: true });

const write = (name: string, der: Uint8Array): void => writeFileSync(join(out, `${name}.csr`), toPemText(der));
const subject = (name: string): RequestParts['subject'] => [
  ['2.5.4.3', name],
  ['1.2.840.113549.1.9.1', `${name}@example.com`],
];
const request = (name: string, parts: Omit<RequestParts, 'subject'>): void =>
  write(name, buildRequest({ subject: subject(name), ...parts }));

const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const prime = (bits: number): bigint => generatePrimeSync(bits, { bigint: true });
function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if ((rest & 1n) === 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}
/** Two primes of `bits` each whose φ is prime to e, so that e is a valid exponent. */
function primesFor(bits: number, e: bigint): [bigint, bigint] {
  for (;;) {
    const p = prime(bits);
    const q = prime(bits);
    if (p !== q && gcd(e, (p - 1n) * (q - 1n)) === 1n && (p * q).toString(2).length === 2 * bits) return [p, q];
  }
}
function signedRsa(name: string, p: bigint, q: bigint, e: bigint): void {
  request(name, { spki: rsaSpki(p * q, e), privateKey: rsaKeyFromPrimes(p, q, e) });
}

// Small factors: badkeys tries every prime up to 65537; 65539 is the first one past it. The other
// prime is drawn from the range that makes the modulus exactly 2048 bits.
const sievePrimes = [3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n];
function primeIn(low: bigint, high: bigint): bigint {
  const span = high - low;
  for (;;) {
    const candidate = (low + (toBigInt(randomBytes(Math.ceil(span.toString(16).length / 2) + 8)) % span)) | 1n;
    if (sievePrimes.some((small) => candidate % small === 0n)) continue;
    if (checkPrimeSync(candidate)) return candidate;
  }
}
for (const small of [757n, 31337n, 65537n, 65539n]) {
  for (;;) {
    const big = primeIn((1n << 2047n) / small + 1n, (1n << 2048n) / small - 1n);
    if (gcd(65537n, (small - 1n) * (big - 1n)) === 1n) {
      signedRsa(`small-factor-${small}`, small, big, 65537n);
      break;
    }
  }
}

// Wiener: d below n^(1/4)/3 is found; d 2^8 times n^(1/4) is not.
{
  const [p, q] = primesFor(1024, 65537n);
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const fourthRoot = integerSquareRoot(integerSquareRoot(n));
  const usable = (d: bigint): bigint => {
    let candidate = d | 1n;
    while (gcd(candidate, phi) !== 1n) candidate -= 2n;
    return candidate;
  };
  for (const [name, d] of [
    ['wiener-inside', usable(fourthRoot / 3n - 1n)],
    ['wiener-outside', usable(fourthRoot << 8n)],
  ] as const) {
    const e = modInverse(d, phi);
    signedRsa(name, p, q, e);
  }
}

// e ≥ n (badkeys rsainvalid): e = n + 2 and, just inside, the largest odd e below n that works.
{
  const [p, q] = primesFor(1024, 65537n);
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  let above = n + 2n;
  while (gcd(above, phi) !== 1n) above += 2n;
  let below = n - 2n;
  while (gcd(below, phi) !== 1n) below -= 2n;
  signedRsa('exponent-above-modulus', p, q, above);
  signedRsa('exponent-below-modulus', p, q, below);
}

// Exponent range (S/MIME BR 6.1.6): 2^16+1 and the largest prime below 2^256 are inside,
// 65535 and the first prime above 2^256 outside.
{
  const nextPrime = (from: bigint, step: bigint): bigint => {
    let candidate = from | 1n;
    while (!checkPrimeSync(candidate)) candidate += step;
    return candidate;
  };
  const below2to256 = nextPrime((1n << 256n) - 1n, -2n);
  const above2to256 = nextPrime((1n << 256n) + 1n, 2n);
  for (const [name, e] of [
    ['exponent-65535', 65535n],
    ['exponent-largest-below-2-256', below2to256],
    ['exponent-above-2-256', above2to256],
  ] as const) {
    const [p, q] = primesFor(1024, e);
    signedRsa(name, p, q, e);
  }
}

// rsapoly: primes 2^1023 + a few sparse powers of two, whose product has few bits set.
{
  const sparsePrime = (): bigint => {
    for (;;) {
      // The top two bits set: the product of two has 2048 bits.
      let candidate = (1n << 1023n) | (1n << 1022n) | 1n;
      for (let i = 0; i < 6; i += 1) candidate |= 1n << BigInt(1 + (randomBytes(2).readUInt16BE() % 1000));
      if (checkPrimeSync(candidate)) return candidate;
    }
  };
  const [p, q] = [sparsePrime(), sparsePrime()];
  if (gcd(65537n, (p - 1n) * (q - 1n)) === 1n) signedRsa('polynomial-pattern', p, q, 65537n);
  else throw new Error('run again: the sparse primes did not take e = 65537');
}

// The weak keys found before issue 32, for the editor's quick fix test: primes close enough for
// Fermat's method, and primes of Infineon's form (ROCA, CVE-2017-15361).
{
  const p = prime(1024);
  let q = p + (1n << 20n);
  while (!checkPrimeSync(q)) q += 2n;
  signedRsa('close-primes', p, q, 65537n);
  const product = rocaPrimes
    .filter((small) => small <= rocaPrimeBound(2048))
    .reduce((acc, small) => acc * BigInt(small), 2n);
  const rocaPrime = (): bigint => {
    const low = (3n << 1022n) / product + 1n;
    const high = (1n << 1024n) / product;
    for (;;) {
      const k = low + (toBigInt(randomBytes(128)) % (high - low));
      const candidate = k * product + modPow(65537n, toBigInt(randomBytes(8)), product);
      if (candidate < 1n << 1024n && checkPrimeSync(candidate)) return candidate;
    }
  };
  for (;;) {
    const [r1, r2] = [rocaPrime(), rocaPrime()];
    if (gcd(65537n, (r1 - 1n) * (r2 - 1n)) === 1n && (r1 * r2).toString(2).length === 2048) {
      signedRsa('roca', r1, r2, 65537n);
      break;
    }
  }
}

// The two bugs of issue 32. An even modulus (2 times a prime): OpenSSL will not sign with it, so
// the signature is computed by hand (PKCS#1 v1.5, SHA-256): it verifies when worked by hand.
{
  const q = prime(2047);
  const n = 2n * q;
  const e = 65537n;
  const d = modInverse(e, q - 1n);
  const spki = rsaSpki(n, e);
  const unsigned = buildRequest({ subject: subject('even-modulus'), spki });
  const top = readNode(unsigned, 0);
  const [info, algorithm] = children(unsigned, top);
  const infoDer = unsigned.subarray(info!.start, info!.end);
  const digestInfo = Buffer.concat([
    Buffer.from('3031300d060960864801650304020105000420', 'hex'),
    createHash('sha256').update(infoDer).digest(),
  ]);
  const size = Math.ceil(n.toString(16).length / 2);
  const em = Buffer.concat([
    Buffer.from([0, 1]),
    Buffer.alloc(size - digestInfo.length - 3, 0xff),
    Buffer.from([0]),
    digestInfo,
  ]);
  const signature = modPow(toBigInt(em), d, n);
  if (modPow(signature, e, n) !== toBigInt(em)) throw new Error('the hand-made signature does not verify');
  const signatureBytes = Buffer.from(signature.toString(16).padStart(size * 2, '0'), 'hex');
  write(
    'even-modulus',
    sequence(infoDer, unsigned.subarray(algorithm!.start, algorithm!.end), bitString(signatureBytes)),
  );
}
// A signature BIT STRING of one octet with 7 unused bits (03 02 07 80), and an extensionRequest
// holding two lists: the finding the README promises must appear.
{
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const twoLists = sequence(
    oid('1.2.840.113549.1.9.14'),
    set(
      sequence(sequence(oid('2.5.29.17'), tlv(0x04, sequence(tlv(0x81, Buffer.from('a@example.com')))))),
      sequence(sequence(oid('2.5.29.15'), tlv(0x04, Uint8Array.of(0x03, 0x02, 0x05, 0xa0)))),
    ),
  );
  const signed = buildRequest({
    subject: subject('seven-unused-bits'),
    spki: spkiOf(key.publicKey),
    privateKey: key.privateKey,
    rawAttributes: [twoLists],
  });
  const [info, algorithm] = children(signed, readNode(signed, 0));
  write(
    'seven-unused-bits',
    sequence(
      signed.subarray(info!.start, info!.end),
      signed.subarray(algorithm!.start, algorithm!.end),
      Uint8Array.of(0x03, 0x02, 0x07, 0x80),
    ),
  );
}

// EC: a point off the curve, the point at infinity, a compressed point (valid) and a compressed
// x of no point; signed by the real key where there is one.
{
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = spkiOf(ec.publicKey);
  const point = spki.subarray(spki.length - 65);
  const ecSpki = (bytes: Uint8Array): Uint8Array =>
    sequence(sequence(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')), bitString(bytes));
  const ecdsa = { privateKey: ec.privateKey, signatureOid: '1.2.840.10045.4.3.2' };
  const offCurve = Uint8Array.from(point);
  offCurve[64] = (offCurve[64] as number) ^ 1;
  request('ec-point-off-curve', { spki: ecSpki(offCurve), ...ecdsa });
  request('ec-point-infinity', { spki: ecSpki(Uint8Array.of(0)), ...ecdsa });
  const compressed = Uint8Array.from([2 + ((point[64] as number) & 1), ...point.subarray(1, 33)]);
  request('ec-point-compressed', { spki: ecSpki(compressed), ...ecdsa });
  // An x whose right-hand side is no square: try x until one is found.
  const p = (1n << 256n) - (1n << 224n) + (1n << 192n) + (1n << 96n) - 1n;
  const b = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
  let x = toBigInt(point.subarray(1, 33));
  for (;;) {
    x = (x + 1n) % p;
    const rhs = (((x * x - 3n) % p) * x + b) % p;
    if (modPow((rhs + p) % p, (p - 1n) / 2n, p) === p - 1n) break;
  }
  request('ec-point-compressed-no-point', {
    spki: ecSpki(Uint8Array.from([2, ...Buffer.from(x.toString(16).padStart(64, '0'), 'hex')])),
    ...ecdsa,
  });
}

// EdDSA: a point of small order (order 8), a non-canonical y (p + 1), a y of no point.
{
  const ed = generateKeyPairSync('ed25519');
  const edSpki = (key: Uint8Array): Uint8Array => sequence(sequence(oid('1.3.101.112')), bitString(key));
  const eddsa = { privateKey: ed.privateKey, hash: null, signatureOid: '1.3.101.112' };
  const [, , , , orderEight] = [...smallOrderEncodings.Ed25519];
  request('ed25519-small-order', { spki: edSpki(Buffer.from(orderEight as string, 'hex')), ...eddsa });
  const { p, d } = edwardsCurves.Ed25519;
  const littleEndian = (value: bigint): Uint8Array =>
    Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse();
  request('ed25519-non-canonical', { spki: edSpki(littleEndian(p + 1n)), ...eddsa });
  let y = 2n;
  for (;;) {
    const u = (y * y - 1n + p) % p;
    const v = (d * y * y + 1n) % p;
    if (modPow((u * v) % p, (p - 1n) / 2n, p) === p - 1n) break;
    y += 1n;
  }
  request('ed25519-no-point', { spki: edSpki(littleEndian(y)), ...eddsa });
}

// DSA: badkeys' sparse 1,024-bit prime (no private key exists for it: the signature cannot verify),
// and the same with one bit set in a window the pattern keeps clear.
{
  let p = (1n << 1023n) | 1n;
  // Above bit 168 only the low 4 and the high 8 bits of each 32-bit word may be set.
  for (const bit of [3n, 100n, 168n, 170n, 168n + 32n * 3n + 26n, 168n + 32n * 10n + 1n, 168n + 32n * 20n + 30n])
    p |= 1n << bit;
  const q = prime(160);
  const dsaSpki = (prime1024: bigint): Uint8Array =>
    sequence(
      sequence(oid('1.2.840.10040.4.1'), sequence(integer(prime1024), integer(q), integer(2n))),
      bitString(integer(toBigInt(randomBytes(127)))),
    );
  const dsa = { signatureOid: '2.16.840.1.101.3.4.3.2' };
  request('dsa-sparse-prime', { spki: dsaSpki(p), ...dsa });
  request('dsa-sparse-prime-outside', { spki: dsaSpki(p | (1n << (168n + 32n * 5n + 10n))), ...dsa });
}

// Keys printed in RFC 9500, signed with their published private keys.
for (const [file, name, signatureOid, hash] of [
  ['rfc9500-testRSA2048.pem', 'known-rfc9500-rsa2048', undefined, undefined],
  ['rfc9500-testECCP256.pem', 'known-rfc9500-p256', '1.2.840.10045.4.3.2', 'sha256'],
] as const) {
  const privateKey: KeyObject = createPrivateKey(readFileSync(join(root, 'data', 'known-keys', file), 'utf8'));
  request(name, {
    spki: spkiOf(createPublicKey(privateKey)),
    privateKey,
    ...(signatureOid === undefined ? {} : { signatureOid, hash }),
  });
}

// S/MIME BR 7.1.3.1.1: RSA without the NULL parameters, signed by its key.
{
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = spkiOf(key.publicKey);
  const keyBits = children(der, readNode(der, 0))[1]!;
  request('rsa-parameters-absent', {
    spki: sequence(sequence(oid('1.2.840.113549.1.1.1')), der.subarray(keyBits.start, keyBits.end)),
    privateKey: key.privateKey,
  });
  request('healthy-rsa-2048', { spki: der, privateKey: key.privateKey });
}
process.stdout.write(`make-weak-key-fixtures: written to ${out}\n`);
