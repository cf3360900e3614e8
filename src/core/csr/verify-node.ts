// The signature check with Node's crypto (OpenSSL underneath): every algorithm a CSR can carry,
// including MD5, SHA-224, DSA, Ed448 and curves WebCrypto does not know, synchronously (SM2 in
// plain JavaScript, sm2.ts, for the ID OpenSSL cannot be given here).
// The one module of the analysis that needs Node: the browser has verify-web.ts instead.
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { nodeHashNames } from './oids';
import type { DecodedRequest } from './pkcs10';
import { verifySm2 } from './sm2';
import {
  errorText,
  type SignatureVerifier,
  type SyncSignatureVerifier,
  type VerificationJob,
  type VerifyOutcome,
} from './verifier';

function base64Url(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

const jwkCurves: Record<string, { crv: string; bytes: number }> = {
  'P-256': { crv: 'P-256', bytes: 32 },
  'P-384': { crv: 'P-384', bytes: 48 },
  'P-521': { crv: 'P-521', bytes: 66 },
};

const asBuffer = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

// OpenSSL 3's DER decoder costs about half a millisecond per key, twenty times more
// than building the same key from its numbers. The common keys (RSA, uncompressed
// points on the NIST curves) take the fast path; everything else goes through DER.
function loadPublicKey(request: DecodedRequest): KeyObject {
  const key = request.publicKey;
  if (
    key.algorithm === 'RSA' &&
    request.rsaModulus !== null &&
    request.rsaExponent !== null &&
    request.rsaModulus > 0n &&
    request.rsaExponent > 0n
  ) {
    return createPublicKey({
      key: { kty: 'RSA', n: base64Url(request.rsaModulus), e: base64Url(request.rsaExponent) },
      format: 'jwk',
    });
  }
  const curve = key.algorithm === 'EC' ? jwkCurves[key.curve ?? ''] : undefined;
  const point = request.ecPoint;
  if (curve && point && point[0] === 0x04 && point.length === 1 + 2 * curve.bytes) {
    const x = asBuffer(point.subarray(1, 1 + curve.bytes)).toString('base64url');
    const y = asBuffer(point.subarray(1 + curve.bytes)).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: curve.crv, x, y }, format: 'jwk' });
  }
  return createPublicKey({ key: asBuffer(request.spki), format: 'der', type: 'spki' });
}

/**
 * The keys loaded last, by their SubjectPublicKeyInfo, newest at the end: the editor verifies
 * the same request again on every edit, and loading a key costs as much as checking with it.
 */
const loadedKeys = new Map<string, KeyObject>();
const maxLoadedKeys = 64;
const latin1 = new TextDecoder('latin1');

function cachedPublicKey(request: DecodedRequest): KeyObject {
  const id = latin1.decode(request.spki);
  const known = loadedKeys.get(id);
  if (known !== undefined) return known;
  const key = loadPublicKey(request);
  if (loadedKeys.size >= maxLoadedKeys) loadedKeys.delete(loadedKeys.keys().next().value as string);
  loadedKeys.set(id, key);
  return key;
}

/** What OpenSSL is to check for a job: everything crypto.verify takes, or the verdict when the key will not load. */
interface OpenSslCheck {
  hash: string | null;
  data: Buffer;
  key: KeyObject | { key: KeyObject; padding: number; saltLength?: number };
  signature: Buffer;
}

function openSslCheck(job: Exclude<VerificationJob, { family: 'sm2' }>): OpenSslCheck | VerifyOutcome {
  const { request } = job;
  let key: KeyObject;
  try {
    key = cachedPublicKey(request);
  } catch (error) {
    return { valid: null, verifyError: `the public key cannot be loaded: ${errorText(error)}` };
  }
  const data = asBuffer(request.signedBytes);
  const signature = asBuffer(request.signature);
  switch (job.family) {
    case 'eddsa':
      return { hash: null, data, key, signature };
    case 'rsa-pss':
      return {
        hash: nodeHashNames[job.hash],
        data,
        key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: job.saltLength },
        signature,
      };
    case 'rsa-pkcs1':
      return { hash: nodeHashNames[job.hash], data, key: { key, padding: constants.RSA_PKCS1_PADDING }, signature };
    default:
      // ECDSA and DSA signatures are DER SEQUENCE { r, s }, node's default dsaEncoding.
      return { hash: nodeHashNames[job.hash], data, key, signature };
  }
}

const couldNotRun = (error: unknown): VerifyOutcome => ({
  valid: null,
  verifyError: `the signature check could not run: ${errorText(error)}`,
});

function verifyJob(job: VerificationJob): VerifyOutcome {
  // OpenSSL 3 knows only an empty SM2 ID unless one is set, which node:crypto cannot: see sm2.ts.
  if (job.family === 'sm2') return verifySm2(job);
  const check = openSslCheck(job);
  if ('valid' in check) return check;
  try {
    return { valid: verify(check.hash, check.data, check.key, check.signature) };
  } catch (error) {
    return couldNotRun(error);
  }
}

/** The same check in libuv's thread pool: the caller goes on (reading, decoding the next request) meanwhile. */
function verifyJobInThreadPool(job: VerificationJob): VerifyOutcome | Promise<VerifyOutcome> {
  if (job.family === 'sm2') return verifySm2(job);
  const check = openSslCheck(job);
  if ('valid' in check) return check;
  return new Promise((resolve) => {
    try {
      verify(check.hash, check.data, check.key, check.signature, (error, valid) =>
        resolve(error ? couldNotRun(error) : { valid }),
      );
    } catch (error) {
      resolve(couldNotRun(error));
    }
  });
}

export const nodeSignatureVerifier: SyncSignatureVerifier = { verify: verifyJob };

/** Node's verifier with each check in the thread pool: for a run over many requests. */
export const nodeThreadPoolVerifier: SignatureVerifier = { verify: verifyJobInThreadPool };
