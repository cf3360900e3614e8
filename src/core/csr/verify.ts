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

export function verifyRequestSignature(request: DecodedRequest): VerifyOutcome {
  const algorithm = request.signatureAlgorithm;
  if (algorithm.family === null) return { valid: null, verifyError: `the signature algorithm ${algorithm.oid} is not known here` };
  if (algorithm.problem !== undefined) return { valid: null, verifyError: algorithm.problem };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(request.spki), format: 'der', type: 'spki' });
  } catch (error) {
    return { valid: null, verifyError: `the public key cannot be loaded: ${error instanceof Error ? error.message : String(error)}` };
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
    if (algorithm.family === 'rsa-pss') {
      const pss = algorithm.pss;
      if (pss === undefined || pss.mgfHash !== algorithm.hash) {
        return { valid: null, verifyError: 'RSASSA-PSS with a mask generation hash different from the message hash cannot be checked here' };
      }
      if (pss.trailerField !== 1) return { valid: false, verifyError: `RSASSA-PSS trailer field ${pss.trailerField} is not allowed` };
      return { valid: verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature) };
    }
    if (algorithm.family === 'rsa-pkcs1') {
      return { valid: verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature) };
    }
    // ECDSA and DSA signatures are DER SEQUENCE { r, s }: node's default dsaEncoding.
    return { valid: verify(hash, data, key, signature) };
  } catch (error) {
    return { valid: null, verifyError: `the signature check could not run: ${error instanceof Error ? error.message : String(error)}` };
  }
}
