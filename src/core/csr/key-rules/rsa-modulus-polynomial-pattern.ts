// badkeys rsapoly: a modulus whose bits are mostly zero, in its upper and its lower half, comes
// from a prime generator that builds primes from a few sparse terms; such moduli factor as
// polynomials. badkeys' bounds: under 40 % of the modulus's bits set and under 40 % of its lower
// half's, a modulus of at least 500 bits, no small factor (those are reported as such).
import type { KeyRule } from './rule';

/** badkeys rsapoly: percentages of set bits at or above this are ordinary. */
export const polynomialPatternPercent = 40;
const smallestPatternModulusBits = 500;

/** Set bits of each hexadecimal digit, by its character code ('0'-'9', 'a'-'f'). */
const digitBits = new Uint8Array(128);
for (let digit = 0; digit < 16; digit += 1) {
  let set = 0;
  for (let bit = digit; bit > 0; bit >>= 1) set += bit & 1;
  digitBits[digit.toString(16).charCodeAt(0)] = set;
}

/** Set bits and bit length of a positive number, from its hexadecimal digits (one string, no per-digit parsing). */
function bitCounts(value: bigint): { set: number; length: number } {
  const hex = value.toString(16);
  let set = 0;
  for (let i = 0; i < hex.length; i += 1) set += digitBits[hex.charCodeAt(i)] as number;
  const top = parseInt(hex[0] as string, 16);
  return { set, length: (hex.length - 1) * 4 + (top >= 8 ? 4 : top >= 4 ? 3 : top >= 2 ? 2 : 1) };
}

/** Whole percent of set bits, rounded down as badkeys does; 0 for 0. */
function percentSet(value: bigint): number {
  if (value <= 0n) return 0;
  const { set, length } = bitCounts(value);
  return Math.floor((set * 100) / length);
}

/** The bit pattern of rsapoly, without its small-factor exclusion (the caller knows the factors). */
export function hasPolynomialPattern(modulus: bigint): boolean {
  if (modulus <= 0n) return false;
  const { set, length } = bitCounts(modulus);
  if (length < smallestPatternModulusBits) return false;
  if (Math.floor((set * 100) / length) >= polynomialPatternPercent) return false;
  const lowerHalf = modulus & ((1n << BigInt(length >> 1)) - 1n);
  return percentSet(lowerHalf) < polynomialPatternPercent;
}

export const rsaModulusPolynomialPattern: KeyRule = {
  code: 'rsa-modulus-polynomial-pattern',
  keys: ['RSA', 'RSASSA-PSS'],
  source: 'badkeys rsapoly',
  check({ rsa }) {
    if (rsa()?.polynomialPattern !== true) return null;
    return 'The RSA modulus has far fewer bits set than a random number, the mark of a weak prime generator whose moduli factor as polynomials, so the key is broken.';
  },
};
