// badkeys dsasparse: DSA keys whose 1,024-bit prime p is mostly zero bits (p = 2^1023 + a few
// sparse terms, found in the wild), for which discrete logarithms are easy. badkeys' pattern:
// the top 24 bits of p are 0x800000, and above bit 168, every 32-bit word of p (its top bit
// aside) has bits 4 to 23 clear.
import type { KeyRule } from './rule';

const sparseTop = 0x800000n;

export function isSparseDsaPrime(p: bigint): boolean {
  if (p.toString(2).length !== 1024 || p >> 1000n !== sparseTop) return false;
  let rest = (p >> 168n) ^ (1n << 855n);
  while (rest !== 0n) {
    if ((rest & 0x00fffff0n) !== 0n) return false;
    rest >>= 32n;
  }
  return true;
}

export const dsaSparsePrime: KeyRule = {
  code: 'dsa-sparse-prime',
  keys: ['DSA'],
  source: 'badkeys dsasparse',
  check({ request }) {
    const key = request.dsaKey;
    if (request.publicKey.algorithm !== 'DSA' || key === null || !isSparseDsaPrime(key.p)) return null;
    return 'The DSA prime p is a sparse 1,024-bit number of a known weak pattern, for which the private key can be computed, so the key is broken.';
  },
};
