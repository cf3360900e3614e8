// e ≥ n: no RSA key has one (e is invertible modulo φ(n) < n only when reduced below it; a key
// generator never makes it). badkeys rsainvalid, subtest e_too_large.
import type { KeyRule } from './rule';
import { rsaNumbers } from './rule';

export const rsaExponentNotBelowModulus: KeyRule = {
  code: 'rsa-exponent-not-below-modulus',
  keys: ['RSA', 'RSASSA-PSS'],
  source: 'badkeys rsainvalid (e_too_large)',
  check({ request }) {
    const rsa = rsaNumbers(request);
    if (rsa === null || rsa.e < rsa.n) return null;
    return "The RSA public exponent is not smaller than the modulus, which no valid key has, so Sectigo's key checks (badkeys rsainvalid) refuse it.";
  },
};
