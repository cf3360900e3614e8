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

/** Set bits of hexadecimal digits hex[from..), and the bit length of the number they spell (leading zero digits skipped). */
function bitCounts(hex: string, from: number): { set: number; length: number } {
  let start = from;
  while (start < hex.length && hex.charCodeAt(start) === 48) start += 1;
  if (start === hex.length) return { set: 0, length: 0 };
  let set = 0;
  for (let i = start; i < hex.length; i += 1) set += digitBits[hex.charCodeAt(i)] as number;
  const top = parseInt(hex[start] as string, 16);
  return { set, length: (hex.length - start - 1) * 4 + (top >= 8 ? 4 : top >= 4 ? 3 : top >= 2 ? 2 : 1) };
}

/**
 * The bit pattern of rsapoly, without its small-factor exclusion (the caller knows the factors).
 * `hex` is the modulus in lower-case hexadecimal, when the caller has it already.
 */
export function hasPolynomialPattern(modulus: bigint, hex: string = modulus.toString(16)): boolean {
  if (modulus <= 0n) return false;
  const { set, length } = bitCounts(hex, 0);
  if (length < smallestPatternModulusBits) return false;
  if (Math.floor((set * 100) / length) >= polynomialPatternPercent) return false;
  // The lower half, length >> 1 bits: whole digits from the end, and the low bits of the digit
  // where the half starts.
  const halfBits = length >> 1;
  const wholeDigits = halfBits >> 2;
  const tail = bitCounts(hex, hex.length - wholeDigits);
  const partBits = halfBits & 3;
  let lower = tail;
  if (partBits > 0) {
    const digit = parseInt(hex[hex.length - wholeDigits - 1] as string, 16) & ((1 << partBits) - 1);
    if (digit !== 0)
      lower = {
        set: tail.set + (digitBits[digit.toString(16).charCodeAt(0)] as number),
        length: wholeDigits * 4 + (32 - Math.clz32(digit)),
      };
  }
  // badkeys' whole percent of set bits, rounded down; 0 for 0.
  return lower.length === 0 || Math.floor((lower.set * 100) / lower.length) < polynomialPatternPercent;
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
