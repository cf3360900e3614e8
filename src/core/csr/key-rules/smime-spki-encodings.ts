// The AlgorithmIdentifier encodings of a subject public key that the S/MIME Baseline
// Requirements 7.1.3.1.1 allow, byte for byte (RSA with NULL parameters, EC by named curve, EdDSA
// with no parameters, ML-DSA and ML-KEM), and the one pkilint's S/MIME list leaves out: P-521,
// which zlint accepts.
import { readNode } from '../der';

export const smimeSpkiEncodings: Record<string, string> = {
  RSA: '300d06092a864886f70d0101010500',
  'P-256': '301306072a8648ce3d020106082a8648ce3d030107',
  'P-384': '301006072a8648ce3d020106052b81040022',
  'P-521': '301006072a8648ce3d020106052b81040023',
  Ed25519: '300506032b6570',
  Ed448: '300506032b6571',
  'ML-DSA-44': '300b0609608648016503040311',
  'ML-DSA-65': '300b0609608648016503040312',
  'ML-DSA-87': '300b0609608648016503040313',
  'ML-KEM-512': '300b0609608648016503040401',
  'ML-KEM-768': '300b0609608648016503040402',
  'ML-KEM-1024': '300b0609608648016503040403',
};

export const disputedSmimeEncoding = smimeSpkiEncodings['P-521'] as string;
function bytesOfHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
const allowed = Object.values(smimeSpkiEncodings).map(bytesOfHex);
const disputed = allowed[Object.keys(smimeSpkiEncodings).indexOf('P-521')] as Uint8Array;

/** The DER of the SubjectPublicKeyInfo's algorithm (a view into it); null when it does not read. */
export function spkiAlgorithm(spki: Uint8Array): Uint8Array | null {
  try {
    // The SPKI's first element: read by its header alone, every request pays for this.
    const algorithm = readNode(spki, readNode(spki, 0).contentStart);
    return spki.subarray(algorithm.start, algorithm.end);
  } catch {
    return null;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export function isAllowedSmimeEncoding(algorithm: Uint8Array): boolean {
  return allowed.some((one) => sameBytes(one, algorithm));
}

export function isDisputedSmimeEncoding(algorithm: Uint8Array): boolean {
  return sameBytes(disputed, algorithm);
}
