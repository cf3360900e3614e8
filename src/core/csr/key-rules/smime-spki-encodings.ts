// The AlgorithmIdentifier encodings of a subject public key that the S/MIME Baseline
// Requirements 7.1.3.1.1 allow, byte for byte (RSA with NULL parameters, EC by named curve, EdDSA
// with no parameters, ML-DSA and ML-KEM), and the one pkilint's S/MIME list leaves out: P-521,
// which zlint accepts.
import { children, readNode } from '../der';

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
const allowed = new Set(Object.values(smimeSpkiEncodings));

/** The DER of the SubjectPublicKeyInfo's algorithm, in hex; null when it does not read. */
export function spkiAlgorithmHex(spki: Uint8Array): string | null {
  try {
    const algorithm = children(spki, readNode(spki, 0))[0];
    if (algorithm === undefined) return null;
    let text = '';
    for (let i = algorithm.start; i < algorithm.end; i += 1) text += (spki[i] as number).toString(16).padStart(2, '0');
    return text;
  } catch {
    return null;
  }
}

export function isAllowedSmimeEncoding(hex: string): boolean {
  return allowed.has(hex);
}
