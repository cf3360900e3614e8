// Proof of possession: does the request's signature verify with its own public
// key? node:crypto (OpenSSL underneath) handles every algorithm a CSR can carry,
// including MD5, SHA-224, DSA, Ed448 and curves WebCrypto does not know. A check
// that cannot run is reported as "unknown", never as "invalid".
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { nodeHashNames } from './oids';
import type { DecodedRequest } from './pkcs10';

export interface VerifyOutcome {
  valid: boolean | null;
  verifyError?: string;
}

const familyKeys: Record<string, string[]> = {
  'rsa-pkcs1': ['rsa'],
  'rsa-pss': ['rsa', 'rsa-pss'],
  ecdsa: ['ec'],
  dsa: ['dsa'],
  eddsa: ['ed25519', 'ed448'],
};

/** OpenSSL's OPENSSL_RSA_MAX_MODULUS_BITS. */
const maxVerifiableRsaBits = 16384;
/**
 * FIPS 186-4 caps an RSA public exponent below 2^256. OpenSSL checks a longer one bit by bit
 * (for moduli up to 3072 bits it sets no cap): a 4 MB exponent would hold a check for seconds.
 */
const maxVerifiableExponentBits = 256;

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
    const x = Buffer.from(point.subarray(1, 1 + curve.bytes)).toString('base64url');
    const y = Buffer.from(point.subarray(1 + curve.bytes)).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: curve.crv, x, y }, format: 'jwk' });
  }
  return createPublicKey({ key: Buffer.from(request.spki), format: 'der', type: 'spki' });
}

export function verifyRequestSignature(request: DecodedRequest): VerifyOutcome {
  const algorithm = request.signatureAlgorithm;
  if (algorithm.family === null)
    return { valid: null, verifyError: `the signature algorithm ${algorithm.oid} is not known here` };
  if (algorithm.problem !== undefined) return { valid: null, verifyError: algorithm.problem };
  if (
    (request.publicKey.algorithm === 'RSA' || request.publicKey.algorithm === 'RSASSA-PSS') &&
    (request.publicKey.size ?? 0) > maxVerifiableRsaBits
  ) {
    return {
      valid: null,
      verifyError: `an RSA key of ${request.publicKey.size} bits is beyond what OpenSSL verifies (${maxVerifiableRsaBits})`,
    };
  }
  if (request.rsaExponent !== null && request.rsaExponent >= 1n << BigInt(maxVerifiableExponentBits)) {
    return {
      valid: null,
      verifyError: `an RSA public exponent over ${maxVerifiableExponentBits} bits is beyond what FIPS 186-4 allows, so it is not worked with`,
    };
  }
  let key: KeyObject;
  try {
    key = loadPublicKey(request);
  } catch (error) {
    return {
      valid: null,
      verifyError: `the public key cannot be loaded: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const keyType = key.asymmetricKeyType ?? 'unknown';
  if (!(familyKeys[algorithm.family] ?? []).includes(keyType)) {
    // A signature algorithm that does not belong to the key cannot have been made by it.
    return { valid: false, verifyError: `a ${algorithm.name} signature cannot come from a ${keyType} key` };
  }
  const data = Buffer.from(request.signedBytes.buffer, request.signedBytes.byteOffset, request.signedBytes.byteLength);
  const signature = Buffer.from(request.signature.buffer, request.signature.byteOffset, request.signature.byteLength);
  try {
    if (algorithm.family === 'eddsa') return { valid: verify(null, data, key, signature) };
    const hash = algorithm.hash === null ? null : nodeHashNames[algorithm.hash];
    if (hash === null) return { valid: null, verifyError: 'the signature hash is not known' };
    if (algorithm.hash === 'MD2' || algorithm.hash === 'MD4') {
      return { valid: null, verifyError: `OpenSSL 3 no longer computes ${algorithm.hash}` };
    }
    if (algorithm.family === 'rsa-pss') {
      const pss = algorithm.pss;
      if (pss === undefined || pss.mgfHash !== algorithm.hash) {
        return {
          valid: null,
          verifyError: 'RSASSA-PSS with a mask generation hash different from the message hash cannot be checked here',
        };
      }
      if (pss.trailerField !== 1)
        return { valid: false, verifyError: `RSASSA-PSS trailer field ${pss.trailerField} is not allowed` };
      return {
        valid: verify(
          hash,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength },
          signature,
        ),
      };
    }
    if (algorithm.family === 'rsa-pkcs1') {
      return { valid: verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature) };
    }
    // ECDSA and DSA signatures are DER SEQUENCE { r, s }: node's default dsaEncoding.
    return { valid: verify(hash, data, key, signature) };
  } catch (error) {
    return {
      valid: null,
      verifyError: `the signature check could not run: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
