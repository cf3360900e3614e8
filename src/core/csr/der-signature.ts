// The DER an ECDSA, DSA or SM2 signature is, read the way OpenSSL reads it.
import { bytesToBigInt } from './bytes';

/** A DER SEQUENCE { r INTEGER, s INTEGER } read as strictly as OpenSSL does (it re-encodes and compares), or null. */
export function parseDerSignature(signature: Uint8Array): { r: bigint; s: bigint } | null {
  const readLength = (at: number): [number, number] | null => {
    const first = signature[at];
    if (first === undefined) return null;
    if (first < 0x80) return [first, at + 1];
    if (first === 0x81 && (signature[at + 1] ?? 0) >= 0x80) return [signature[at + 1] as number, at + 2];
    if (first === 0x82 && (signature[at + 1] ?? 0) !== 0) {
      const length = ((signature[at + 1] as number) << 8) | (signature[at + 2] ?? 0);
      return length >= 0x100 && at + 2 < signature.length ? [length, at + 3] : null;
    }
    return null;
  };
  if (signature[0] !== 0x30) return null;
  const outer = readLength(1);
  if (outer === null || outer[1] + outer[0] !== signature.length) return null;
  let position = outer[1];
  const values: bigint[] = [];
  for (let i = 0; i < 2; i += 1) {
    if (signature[position] !== 0x02) return null;
    const header = readLength(position + 1);
    if (header === null || header[0] === 0 || header[1] + header[0] > signature.length) return null;
    const value = signature.subarray(header[1], header[1] + header[0]);
    // Negative, or a leading zero octet that is not needed.
    if (((value[0] as number) & 0x80) !== 0) return null;
    if (value.length > 1 && value[0] === 0 && ((value[1] as number) & 0x80) === 0) return null;
    values.push(bytesToBigInt(value));
    position = header[1] + header[0];
  }
  if (position !== signature.length) return null;
  return { r: values[0] as bigint, s: values[1] as bigint };
}
