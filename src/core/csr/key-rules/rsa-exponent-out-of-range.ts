// S/MIME Baseline Requirements 6.1.6 (and the TLS BR 6.1.6): the public exponent SHOULD be from
// 2^16+1 to 2^256−1. pkilint warns (cabf.rsa_exponent_not_in_recommended_range), zlint too
// (w_rsa_public_exponent_not_in_range). An even exponent or one below 3 has its own error.
import type { KeyRule } from './rule';
import { numberText, rsaNumbers } from './rule';

export const smallestRecommendedExponent = (1n << 16n) + 1n;
export const largestRecommendedExponent = (1n << 256n) - 1n;

export const rsaExponentOutOfRange: KeyRule = {
  code: 'rsa-exponent-out-of-range',
  keys: ['RSA', 'RSASSA-PSS'],
  source: 'S/MIME Baseline Requirements 6.1.6; pkilint cabf.rsa_exponent_not_in_recommended_range',
  check({ request }) {
    const rsa = rsaNumbers(request);
    if (rsa === null || rsa.e < 3n || (rsa.e & 1n) === 0n) return null;
    if (rsa.e >= smallestRecommendedExponent && rsa.e <= largestRecommendedExponent) return null;
    return `The RSA public exponent ${numberText(rsa.e)} is outside 2^16+1 to 2^256-1, the range the S/MIME Baseline Requirements (6.1.6) recommend, and Sectigo's linters warn about it.`;
  },
};
