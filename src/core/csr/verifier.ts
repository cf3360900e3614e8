// Proof of possession: does the request's signature verify with its own public key?
//
// One interface, two implementations: Node's crypto (verify-node.ts: OpenSSL, synchronous,
// the CLI's and the Node extension host's) and the browser's (verify-web.ts: WebCrypto where it
// can, pure JavaScript for the rest, asynchronous). Everything that decides a verdict without
// computing a signature is here, once, so both give the same verdict on the same request: a
// check that cannot or should not run is "unknown" (null), never "invalid".
import { weierstrassCurves, weierstrassPointProblem } from './curve-points';
import { explicitParametersCurve } from './oids';
import type { DecodedRequest } from './pkcs10';
import type { HashName } from './oids';
import { maxVerifiableDsaBits } from './limits';

export interface VerifyOutcome {
  valid: boolean | null;
  verifyError?: string;
}

/** A request whose signature is to be computed: the policy below found nothing that settles it first. */
export type VerificationJob =
  | { family: 'rsa-pkcs1'; hash: HashName; request: DecodedRequest }
  | { family: 'rsa-pss'; hash: HashName; saltLength: number; request: DecodedRequest }
  | { family: 'ecdsa'; hash: HashName; request: DecodedRequest }
  | { family: 'dsa'; hash: HashName; request: DecodedRequest }
  | { family: 'sm2'; hash: HashName; request: DecodedRequest }
  | { family: 'eddsa'; hash: null; request: DecodedRequest };

/** Synchronous: the analysis calls it inline (Node). */
export interface SyncSignatureVerifier {
  verify(job: VerificationJob): VerifyOutcome;
}

/** Either kind; the asynchronous analysis awaits it (the browser's WebCrypto). */
export interface SignatureVerifier {
  verify(job: VerificationJob): VerifyOutcome | Promise<VerifyOutcome>;
}

/** OpenSSL's OPENSSL_RSA_MAX_MODULUS_BITS. */
export const maxVerifiableRsaBits = 16384;
/**
 * FIPS 186-4 caps an RSA public exponent below 2^256. OpenSSL checks a longer one bit by bit
 * (for moduli up to 3072 bits it sets no cap): a 4 MB exponent would hold a check for seconds.
 */
export const maxVerifiableExponentBits = 256;

/** The key type each signature family belongs to (PublicKeyInfo.algorithm). */
const familyKeys: Record<string, string[]> = {
  'rsa-pkcs1': ['RSA'],
  'rsa-pss': ['RSA', 'RSASSA-PSS'],
  ecdsa: ['EC'],
  sm2: ['EC'],
  dsa: ['DSA'],
  eddsa: ['Ed25519', 'Ed448'],
};

const knownKeys = new Set(Object.values(familyKeys).flat());

/** What the signature algorithm calls the key, for a mismatch message. */
function keyTypeName(algorithm: string): string {
  return algorithm.startsWith('Ed')
    ? algorithm.toLowerCase()
    : algorithm.toLowerCase().replace('rsassa-pss', 'rsa-pss');
}

/** The verdict when it is settled without computing the signature, else the job to compute. */
export function planVerification(request: DecodedRequest): VerifyOutcome | VerificationJob {
  const algorithm = request.signatureAlgorithm;
  const key = request.publicKey;
  if (algorithm.family === null)
    return { valid: null, verifyError: `the signature algorithm ${algorithm.oid} is not known here` };
  if (algorithm.problem !== undefined) return { valid: null, verifyError: algorithm.problem };
  const rsa = key.algorithm === 'RSA' || key.algorithm === 'RSASSA-PSS';
  if (rsa && (key.size ?? 0) > maxVerifiableRsaBits) {
    return {
      valid: null,
      verifyError: `an RSA key of ${key.size} bits is beyond what OpenSSL verifies (${maxVerifiableRsaBits})`,
    };
  }
  if (request.rsaExponent !== null && request.rsaExponent >= 1n << BigInt(maxVerifiableExponentBits)) {
    return {
      valid: null,
      verifyError: `an RSA public exponent over ${maxVerifiableExponentBits} bits is beyond what FIPS 186-4 allows, so it is not worked with`,
    };
  }
  // Keys no CA accepts are not worth the work: a 10,000-bit DSA prime or a curve given by its
  // parameters costs eight times more per byte to check than RSA-2048, for an answer that changes nothing.
  if (key.algorithm === 'DSA' && (key.size ?? 0) > maxVerifiableDsaBits) {
    return {
      valid: null,
      verifyError: `a DSA key of ${key.size} bits is not verified: FIPS 186-4 stops at ${maxVerifiableDsaBits} bits, and no CA accepts a larger one`,
    };
  }
  if (key.algorithm === 'EC' && key.curve === explicitParametersCurve) {
    return {
      valid: null,
      verifyError:
        'a key with explicit curve parameters is not verified: RFC 5480 requires a named curve, and no CA accepts one',
    };
  }
  // OpenSSL refuses such a signature before any arithmetic (ASN1_R_INVALID_BIT_STRING_BITS_LEFT).
  if (request.signatureUnusedBits !== 0)
    return {
      valid: false,
      verifyError: `the signature BIT STRING has ${request.signatureUnusedBits} unused bits, and a signature is whole octets`,
    };
  // Montgomery arithmetic, which OpenSSL's RSA uses, needs an odd modulus: it reports an even one's
  // signature as not verifying, whatever it is. Worked by hand such a signature can verify, so the
  // check is said not to have run (the key itself is broken: rsa-small-factor says so).
  if (rsa && request.rsaModulus !== null && request.rsaModulus > 0n && (request.rsaModulus & 1n) === 0n)
    return {
      valid: null,
      verifyError:
        'an even RSA modulus is not worked with (the arithmetic OpenSSL uses needs an odd one), and such a key is broken anyway',
    };
  // No private key belongs to a point off its curve: OpenSSL refuses some such keys and takes
  // others (the point at infinity), so the verdict is settled here, the same everywhere.
  const curve = key.algorithm === 'EC' ? weierstrassCurves[key.curve ?? ''] : undefined;
  const pointProblem =
    curve !== undefined && request.ecPoint !== null ? weierstrassPointProblem(curve, request.ecPoint) : null;
  if (pointProblem !== null)
    return {
      valid: null,
      verifyError: `the public key cannot be loaded: it is no point of ${key.curve} (${pointProblem})`,
    };
  if (!knownKeys.has(key.algorithm))
    return { valid: null, verifyError: `the public key algorithm ${key.algorithm} is not known here` };
  if (!(familyKeys[algorithm.family] ?? []).includes(key.algorithm)) {
    // A signature algorithm that does not belong to the key cannot have been made by it.
    return {
      valid: false,
      verifyError: `a ${algorithm.name} signature cannot come from a ${keyTypeName(key.algorithm)} key`,
    };
  }
  if (algorithm.family === 'sm2' && key.curve !== 'SM2')
    return { valid: false, verifyError: `an SM2 signature cannot come from a key on curve ${key.curve}` };
  if (algorithm.family === 'eddsa') {
    if (algorithm.name !== key.algorithm)
      return {
        valid: false,
        verifyError: `a ${algorithm.name} signature cannot come from a ${keyTypeName(key.algorithm)} key`,
      };
    return { family: 'eddsa', hash: null, request };
  }
  const hash = algorithm.hash;
  if (hash === null) return { valid: null, verifyError: 'the signature hash is not known' };
  if (hash === 'MD2' || hash === 'MD4') return { valid: null, verifyError: `OpenSSL 3 no longer computes ${hash}` };
  if (algorithm.family === 'rsa-pss') {
    const pss = algorithm.pss;
    if (pss === undefined || pss.mgfHash !== hash) {
      return {
        valid: null,
        verifyError: 'RSASSA-PSS with a mask generation hash different from the message hash cannot be checked here',
      };
    }
    if (pss.trailerField !== 1)
      return { valid: false, verifyError: `RSASSA-PSS trailer field ${pss.trailerField} is not allowed` };
    return { family: 'rsa-pss', hash, saltLength: pss.saltLength, request };
  }
  switch (algorithm.family) {
    case 'rsa-pkcs1':
      return { family: 'rsa-pkcs1', hash, request };
    case 'ecdsa':
      return { family: 'ecdsa', hash, request };
    case 'dsa':
      return { family: 'dsa', hash, request };
    default:
      return { family: 'sm2', hash, request };
  }
}

export function isVerifyOutcome(plan: VerifyOutcome | VerificationJob): plan is VerifyOutcome {
  return 'valid' in plan;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
