// What identifies a public key whatever its encoding: the RSA modulus, the x coordinate of an EC
// point (a compressed and an uncompressed encoding of one key agree), the raw EdDSA key, the DSA
// public value. The known-keys data (known-keys-data.ts) holds the last 8 bytes of it, to look a
// key up in one step, and the start of its SHA-256, to be sure. scripts/make-known-keys.ts makes
// the data with these same definitions.
import { bigIntToBytes } from './bytes';
import type { DecodedRequest } from './pkcs10';

/** How many bytes of the key material the quick look-up uses. */
export const knownKeyTailBytes = 8;

export function keyMaterial(request: DecodedRequest): Uint8Array | null {
  const key = request.publicKey;
  if ((key.algorithm === 'RSA' || key.algorithm === 'RSASSA-PSS') && request.rsaModulus !== null)
    return request.rsaModulus > 0n ? bigIntToBytes(request.rsaModulus) : null;
  if (key.algorithm === 'EC' && request.ecPoint !== null) {
    const point = request.ecPoint;
    if (point[0] === 0x04 && point.length % 2 === 1) return point.subarray(1, 1 + (point.length - 1) / 2);
    if ((point[0] === 0x02 || point[0] === 0x03) && point.length > 1) return point.subarray(1);
    return null;
  }
  if (key.algorithm === 'Ed25519' || key.algorithm === 'Ed448') return request.keyBits;
  if (key.algorithm === 'DSA' && request.dsaKey !== null && request.dsaKey.y > 0n)
    return bigIntToBytes(request.dsaKey.y);
  return null;
}

export function hexOf(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

/** The quick look-up's key: the material's last bytes, in hex. */
export function keyMaterialTail(material: Uint8Array): string {
  return hexOf(material.subarray(Math.max(0, material.length - knownKeyTailBytes)));
}

const tailMask = (1n << BigInt(8 * knownKeyTailBytes)) - 1n;

/**
 * The same tail without making the whole material (for RSA, a modulus to bytes costs more than
 * the rest of the look-up): what every request pays. Null when the key has no material.
 */
export function requestKeyTail(request: DecodedRequest): string | null {
  const modulus = request.rsaModulus;
  if (modulus !== null && (request.publicKey.algorithm === 'RSA' || request.publicKey.algorithm === 'RSASSA-PSS')) {
    if (modulus <= 0n) return null;
    // Every real modulus is longer than the tail: no conversion of the whole number.
    if (modulus > tailMask) return (modulus & tailMask).toString(16).padStart(2 * knownKeyTailBytes, '0');
    return keyMaterialTail(bigIntToBytes(modulus));
  }
  const material = keyMaterial(request);
  return material === null ? null : keyMaterialTail(material);
}
