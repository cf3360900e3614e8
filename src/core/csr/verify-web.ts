// The signature check without Node: for the browser's web worker extension host. WebCrypto
// (globalThis.crypto.subtle) where it can: RSA PKCS#1 v1.5 and PSS with SHA-1/2, ECDSA on P-256,
// P-384 and P-521, Ed25519 where the browser has it. The rest in plain JavaScript: @noble/hashes
// for MD5 and SHA-224, @noble/curves for secp256k1, brainpool, Ed448 and SM2's curve, the RSA
// operation itself with BigInt, DSA with BigInt, SM3 here (sm3.ts).
//
// Every verdict must equal Node's (verify-node.ts, OpenSSL): the same strict rules on what a
// signature may look like (its exact length for RSA, DER for ECDSA and DSA, r and s in range).
// WebCrypto refuses some keys OpenSSL takes (a large exponent, an odd modulus size); those go
// through the BigInt path (verify-rsa.ts), never to "unknown".
import { ed448 } from '@noble/curves/ed448.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { base64UrlEncode, bigIntToBytes, bytesToBigInt } from './bytes';
import type { HashName } from './oids';
import { parseDerSignature } from './der-signature';
import { sm3 } from './sm3';
import { verifySm2 } from './sm2';
import { errorText, type SignatureVerifier, type VerificationJob, type VerifyOutcome } from './verifier';
import { bitLength, modInverse, modPow, rsaKey, rsaPkcs1, rsaPss } from './verify-rsa';

const hashFunctions: Record<HashName, ((data: Uint8Array) => Uint8Array) | null> = {
  MD2: null,
  MD4: null,
  MD5: (data) => md5(data),
  'SHA-1': (data) => sha1(data),
  'SHA-224': (data) => sha224(data),
  'SHA-256': (data) => sha256(data),
  'SHA-384': (data) => sha384(data),
  'SHA-512': (data) => sha512(data),
  SM3: sm3,
};

function digest(hash: HashName, data: Uint8Array): Uint8Array {
  const run = hashFunctions[hash];
  if (run === null) throw new Error(`${hash} is not computed`);
  return run(data);
}

/** The hashes WebCrypto has. */
const webHashes = new Set<HashName>(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

type Ecdsa = typeof p256;

const nobleCurves: Record<string, { ecdsa: Ecdsa; web: string | null }> = {
  'P-256': { ecdsa: p256, web: 'P-256' },
  'P-384': { ecdsa: p384, web: 'P-384' },
  'P-521': { ecdsa: p521, web: 'P-521' },
  secp256k1: { ecdsa: secp256k1, web: null },
  brainpoolP256r1: { ecdsa: brainpoolP256r1, web: null },
  brainpoolP384r1: { ecdsa: brainpoolP384r1, web: null },
  brainpoolP512r1: { ecdsa: brainpoolP512r1, web: null },
};

const subtle = (): SubtleCrypto | undefined => globalThis.crypto?.subtle;

/** The data as an ArrayBuffer of its own: WebCrypto takes no view into a larger buffer shared with others. */
function own(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data);
}

async function verifyEcdsa(job: VerificationJob & { family: 'ecdsa' }): Promise<VerifyOutcome> {
  const { request } = job;
  const curve = nobleCurves[request.publicKey.curve ?? ''];
  if (curve === undefined)
    return {
      valid: null,
      verifyError: `the public key cannot be loaded: curve ${request.publicKey.curve} is not known here`,
    };
  const point = request.ecPoint ?? new Uint8Array(0);
  try {
    curve.ecdsa.Point.fromBytes(point).assertValidity();
  } catch (error) {
    return { valid: null, verifyError: `the public key cannot be loaded: ${errorText(error)}` };
  }
  const parsed = parseDerSignature(request.signature);
  const n = curve.ecdsa.Point.CURVE().n;
  if (parsed === null || parsed.r <= 0n || parsed.s <= 0n || parsed.r >= n || parsed.s >= n) return { valid: false };
  const size = Math.ceil(bitLength(n) / 8);
  const compact = new Uint8Array([...bigIntToBytes(parsed.r, size), ...bigIntToBytes(parsed.s, size)]);
  const web = subtle();
  if (curve.web !== null && webHashes.has(job.hash) && point[0] === 0x04 && web !== undefined) {
    try {
      const key = await web.importKey('raw', own(point), { name: 'ECDSA', namedCurve: curve.web }, false, ['verify']);
      return {
        valid: await web.verify({ name: 'ECDSA', hash: job.hash }, key, own(compact), own(request.signedBytes)),
      };
    } catch {
      // A browser without this curve: the same check in JavaScript below.
    }
  }
  const hashed = digest(job.hash, request.signedBytes);
  return { valid: curve.ecdsa.verify(compact, hashed, point, { prehash: false, lowS: false, format: 'compact' }) };
}

async function verifyRsa(job: VerificationJob & { family: 'rsa-pkcs1' | 'rsa-pss' }): Promise<VerifyOutcome> {
  const { request } = job;
  const key = rsaKey(request);
  if (typeof key === 'string') return { valid: null, verifyError: `the public key cannot be loaded: ${key}` };
  const web = subtle();
  // WebCrypto's own limits (BoringSSL's in Chromium): a 32-bit exponent, a modulus of whole bytes from 1024 bits.
  const webFits =
    webHashes.has(job.hash) && key.e < 1n << 32n && key.bits % 8 === 0 && key.bytes >= 128 && key.bytes <= 2048;
  if (webFits && web !== undefined && request.signature.length === key.bytes) {
    const algorithm = job.family === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
    const importAs = { name: algorithm, hash: job.hash };
    const fromJwk = (): Promise<CryptoKey> =>
      web.importKey(
        'jwk',
        { kty: 'RSA', n: base64UrlEncode(bigIntToBytes(key.n)), e: base64UrlEncode(bigIntToBytes(key.e)), ext: true },
        importAs,
        false,
        ['verify'],
      );
    try {
      // The request's own SubjectPublicKeyInfo, as it stands: no modulus to bytes and base64 and back.
      // WebCrypto takes only the rsaEncryption OID there (an RSASSA-PSS key goes as a JWK), and a
      // DER it will not read goes as a JWK too, as every key did before.
      const imported =
        request.publicKey.algorithm === 'RSA'
          ? await web.importKey('spki', own(request.spki), importAs, false, ['verify']).catch(fromJwk)
          : await fromJwk();
      const parameters =
        job.family === 'rsa-pss' ? { name: algorithm, saltLength: job.saltLength } : { name: algorithm };
      return { valid: await web.verify(parameters, imported, own(request.signature), own(request.signedBytes)) };
    } catch {
      // A key WebCrypto refuses: the RSA operation below.
    }
  }
  return {
    valid:
      job.family === 'rsa-pss'
        ? rsaPss(key, job.hash, job.saltLength, request.signedBytes, request.signature, digest)
        : rsaPkcs1(key, job.hash, request.signedBytes, request.signature, digest),
  };
}

/** FIPS 186-4 4.7, as OpenSSL checks it: q of 160, 224 or 256 bits, r and s in (0, q), the hash cut to q's bytes. */
function verifyDsa(job: VerificationJob & { family: 'dsa' }): VerifyOutcome {
  const key = job.request.dsaKey;
  if (key === null)
    return { valid: null, verifyError: 'the public key cannot be loaded: its DSA parameters do not read' };
  const { p, q, g, y } = key;
  if (p <= 1n || q <= 1n)
    return { valid: null, verifyError: 'the public key cannot be loaded: its DSA parameters are not positive' };
  const qBits = bitLength(q);
  if (qBits !== 160 && qBits !== 224 && qBits !== 256) return { valid: false };
  const parsed = parseDerSignature(job.request.signature);
  if (parsed === null || parsed.r <= 0n || parsed.s <= 0n || parsed.r >= q || parsed.s >= q) return { valid: false };
  const hashed = digest(job.hash, job.request.signedBytes);
  const m = bytesToBigInt(hashed.subarray(0, Math.min(hashed.length, qBits >> 3)));
  const w = modInverse(parsed.s, q);
  const u1 = (m * w) % q;
  const u2 = (parsed.r * w) % q;
  const v = ((modPow(g, u1, p) * modPow(((y % p) + p) % p, u2, p)) % p) % q;
  return { valid: v === parsed.r };
}

async function verifyEddsa(job: VerificationJob & { family: 'eddsa' }): Promise<VerifyOutcome> {
  const { request } = job;
  const publicKey = request.keyBits;
  const signature = request.signature;
  const ed = request.publicKey.algorithm === 'Ed25519';
  const curve = ed ? ed25519 : ed448;
  // OpenSSL takes any string of the right length as the key; one that is no point fails the check.
  if (publicKey.length !== (ed ? 32 : 57))
    return {
      valid: null,
      verifyError: `the public key cannot be loaded: ${publicKey.length} bytes is no ${request.publicKey.algorithm} key`,
    };
  try {
    curve.Point.fromBytes(publicKey, false);
  } catch {
    return { valid: false };
  }
  const web = subtle();
  if (request.publicKey.algorithm === 'Ed25519' && web !== undefined && signature.length === 64) {
    try {
      const key = await web.importKey('raw', own(publicKey), { name: 'Ed25519' }, false, ['verify']);
      return { valid: await web.verify({ name: 'Ed25519' }, key, own(signature), own(request.signedBytes)) };
    } catch {
      // A browser without Ed25519: @noble/curves below.
    }
  }
  try {
    // RFC 8032's strict encodings, as OpenSSL checks them (not ZIP-215's wider ones).
    return { valid: curve.verify(signature, request.signedBytes, publicKey, { zip215: false }) };
  } catch {
    return { valid: false };
  }
}

async function verifyJob(job: VerificationJob): Promise<VerifyOutcome> {
  try {
    switch (job.family) {
      case 'rsa-pkcs1':
      case 'rsa-pss':
        return await verifyRsa(job);
      case 'ecdsa':
        return await verifyEcdsa(job);
      case 'dsa':
        return verifyDsa(job);
      case 'eddsa':
        return await verifyEddsa(job);
      case 'sm2':
        return verifySm2(job);
    }
  } catch (error) {
    return { valid: null, verifyError: `the signature check could not run: ${errorText(error)}` };
  }
}

export const webSignatureVerifier: SignatureVerifier = { verify: verifyJob };
