// RSA signatures in plain JavaScript (BigInt), as OpenSSL checks them: PKCS#1 v1.5 and PSS, with
// the hash function the caller brings. The browser's verifier (verify-web.ts, @noble/hashes) uses it
// where WebCrypto refuses a key; the command line (verify-node-lazy.ts, sha256.ts) for its first
// requests, where loading Node's crypto would cost more than the check. Verdicts equal OpenSSL's:
// test/core/csr/verifiers.test.ts compares them.
import { bigIntToBytes, bytesEqual, bytesToBigInt } from './bytes';
import { children, content, readNode } from './der';
import type { HashName } from './oids';
import type { DecodedRequest } from './pkcs10';
import type { VerificationJob, VerifyOutcome } from './verifier';

/** A hash function by name; throws for one it does not compute. */
export type Digest = (hash: HashName, data: Uint8Array) => Uint8Array;

/** DigestInfo prefixes (PKCS#1 v2.2 9.2 note 1), the DER before the hash value. */
const digestInfoPrefixes: Partial<Record<HashName, string>> = {
  MD5: '3020300c06082a864886f70d020505000410',
  'SHA-1': '3021300906052b0e03021a05000414',
  'SHA-224': '302d300d06096086480165030402040500041c',
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if ((rest & 1n) === 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

export function modInverse(value: bigint, modulus: bigint): bigint {
  let [r0, r1] = [((value % modulus) + modulus) % modulus, modulus];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % modulus) + modulus) % modulus;
}

export function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

export interface RsaKey {
  n: bigint;
  e: bigint;
  /** The modulus's bit length, counted once (a 2048-bit toString(2) is not free). */
  bits: number;
  bytes: number;
}

/**
 * The modulus and exponent as OpenSSL reads them: each INTEGER's content octets unsigned (its
 * bn_c2i ignores the sign), so a modulus encoded without its leading zero is still the modulus
 * and verifies, and a zero or "negative" exponent loads and fails the check.
 */
function unsignedRsaIntegers(request: DecodedRequest): { n: bigint; e: bigint } | null {
  try {
    const [modulus, exponent] = children(request.keyBits, readNode(request.keyBits, 0));
    if (modulus === undefined || exponent === undefined) return null;
    return {
      n: bytesToBigInt(content(request.keyBits, modulus)),
      e: bytesToBigInt(content(request.keyBits, exponent)),
    };
  } catch {
    return null;
  }
}

export function rsaKey(request: DecodedRequest): RsaKey | string {
  let n = request.rsaModulus;
  let e = request.rsaExponent;
  if (n === null || e === null) return 'the RSA key is not a modulus and an exponent';
  // Only a broken or hostile key has a sign bit set; a valid one costs no second reading.
  if (n <= 0n || e <= 0n) {
    const unsigned = unsignedRsaIntegers(request);
    if (unsigned === null) return 'the RSA key is not a modulus and an exponent';
    ({ n, e } = unsigned);
  }
  const bits = bitLength(n);
  return { n, e, bits, bytes: Math.ceil(bits / 8) };
}

/** The RSA operation on the signature, as OpenSSL does it: the length must be the modulus's, the value below it. */
function rsaOpen(key: RsaKey, signature: Uint8Array): Uint8Array | null {
  if (signature.length !== key.bytes) return null;
  const s = bytesToBigInt(signature);
  if (s >= key.n) return null;
  return bigIntToBytes(modPow(s, key.e, key.n), key.bytes);
}

export function rsaPkcs1(
  key: RsaKey,
  hash: HashName,
  data: Uint8Array,
  signature: Uint8Array,
  digest: Digest,
): boolean {
  const opened = rsaOpen(key, signature);
  const prefix = digestInfoPrefixes[hash];
  if (opened === null || prefix === undefined) return false;
  const expectedInfo = new Uint8Array([...hexBytes(prefix), ...digest(hash, data)]);
  const padding = key.bytes - expectedInfo.length - 3;
  if (padding < 8) return false;
  const expected = new Uint8Array(key.bytes);
  expected[1] = 0x01;
  expected.fill(0xff, 2, 2 + padding);
  expected.set(expectedInfo, 3 + padding);
  return bytesEqual(opened, expected);
}

function mgf1(hash: HashName, seed: Uint8Array, length: number, digest: Digest): Uint8Array {
  const out = new Uint8Array(length);
  for (let counter = 0, position = 0; position < length; counter += 1) {
    const block = digest(
      hash,
      new Uint8Array([...seed, counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255]),
    );
    out.set(block.subarray(0, Math.min(block.length, length - position)), position);
    position += block.length;
  }
  return out;
}

/** EMSA-PSS-VERIFY (RFC 8017 9.1.2) with the salt length the parameters give, exactly. */
export function rsaPss(
  key: RsaKey,
  hash: HashName,
  saltLength: number,
  data: Uint8Array,
  signature: Uint8Array,
  digest: Digest,
): boolean {
  const opened = rsaOpen(key, signature);
  if (opened === null) return false;
  const emBits = key.bits - 1;
  const emLength = Math.ceil(emBits / 8);
  const em = opened.subarray(opened.length - emLength);
  if (opened.length > emLength && opened[0] !== 0) return false;
  const mHash = digest(hash, data);
  const hLength = mHash.length;
  if (emLength < hLength + saltLength + 2 || em[emLength - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLength - hLength - 1);
  const h = em.subarray(emLength - hLength - 1, emLength - 1);
  const topBits = 8 * emLength - emBits;
  if (((maskedDb[0] as number) & ~(0xff >>> topBits) & 0xff) !== 0) return false;
  const db = mgf1(hash, h, maskedDb.length, digest).map((octet, i) => octet ^ (maskedDb[i] as number));
  db[0] = (db[0] as number) & (0xff >>> topBits);
  const zeros = emLength - hLength - saltLength - 2;
  for (let i = 0; i < zeros; i += 1) if (db[i] !== 0) return false;
  if (db[zeros] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  const mPrime = new Uint8Array([...new Uint8Array(8), ...mHash, ...salt]);
  return bytesEqual(digest(hash, mPrime), h);
}

/** The check of an RSA job in JavaScript, with OpenSSL's verdict. */
export function verifyRsaJob(
  job: VerificationJob & { family: 'rsa-pkcs1' | 'rsa-pss' },
  digest: Digest,
): VerifyOutcome {
  const { request } = job;
  const key = rsaKey(request);
  if (typeof key === 'string') return { valid: null, verifyError: `the public key cannot be loaded: ${key}` };
  return {
    valid:
      job.family === 'rsa-pss'
        ? rsaPss(key, job.hash, job.saltLength, request.signedBytes, request.signature, digest)
        : rsaPkcs1(key, job.hash, request.signedBytes, request.signature, digest),
  };
}
