// Wiener's attack (1990): when the private exponent d is below about n^(1/4)/3, d is the
// denominator of a convergent of the continued fraction of e/n, and trying each convergent
// factors n. badkeys smalld runs it when e has more than 32 bits (a small e forces a large d);
// here the same bound, and the convergents it tries (the plain ones and, at even steps, the sum
// of two neighbours, which reaches a little past Wiener's bound).
import { integerSquareRoot } from '../rsa-weakness';
import type { KeyRule } from './rule';
import { rsaNumbers } from './rule';

/** badkeys smalld tries exponents longer than 32 bits only. */
export const smallestWienerExponent = 1n << 32n;
/** Moduli past this size are refused for their size, and the expansion grows with them. */
const maxWienerModulusBits = 16384;

/**
 * Whether k/d factors n, given t = e·d − k·n (which the expansion carries along, so that no
 * product of e and d is made): e·d − 1 = k·φ with φ = n + (t − 1)/k, and p + q = n − φ + 1 must
 * give a square (p − q)² = (p + q)² − 4n.
 */
function isFactoringDenominator(n: bigint, t: bigint, k: bigint, d: bigint): boolean {
  if (k === 0n || d === 0n) return false;
  const rest = t - 1n;
  if (rest % k !== 0n) return false;
  const sum = 1n - rest / k;
  if ((sum & 1n) !== 0n) return false;
  const discriminant = sum * sum - 4n * n;
  if (discriminant < 0n) return false;
  const root = integerSquareRoot(discriminant);
  return root * root === discriminant;
}

const magnitude = (value: bigint): bigint => (value < 0n ? -value : value);

/**
 * The private exponent when Wiener's continued fractions find it, else null. A convergent k/d
 * that factors n has |e·d − k·n| = k(p + q − 1) − 1, at least 2√n − 2 (as |p + q| ≥ 2√n, from the
 * square above); these differences are Euclid's remainders of e and n, which only shrink, so the
 * expansion stops once they are below that: about half of its steps for a full-size e (16 ms
 * there for RSA-2048 before, on this project's machine), and none is skipped that could factor.
 */
export function wienerPrivateExponent(n: bigint, e: bigint): bigint | null {
  /** |e·d − k·n| below this cannot factor n (|p + q| ≤ |t| + 2, and 2·isqrt(n) ≤ 2√n). */
  const least = 2n * integerSquareRoot(n) - 2n;
  let [numerator, denominator] = [e, n];
  // Convergents h/k of e/n: h is the guess for k (of e·d = 1 + k·φ), k the guess for d; t is
  // e·k − n·h, which follows the same recurrence.
  let [h0, h1] = [0n, 1n];
  let [k0, k1] = [1n, 0n];
  let [t0, t1] = [e, -n];
  for (let step = 0; denominator !== 0n; step += 1) {
    // This step's convergent and the sum of two neighbours are at most |t1| and 2·|t1| away.
    if (2n * magnitude(t1) < least) break;
    const quotient = numerator / denominator;
    [numerator, denominator] = [denominator, numerator - quotient * denominator];
    const [h, k, t] = [quotient * h1 + h0, quotient * k1 + k0, quotient * t1 + t0];
    if (magnitude(t) >= least && isFactoringDenominator(n, t, h, k)) return k;
    if (step % 2 === 0 && magnitude(t + t1) >= least && isFactoringDenominator(n, t + t1, h + h1, k + k1))
      return k + k1;
    [h0, h1, k0, k1, t0, t1] = [h1, h, k1, k, t1, t];
  }
  return null;
}

/** The last verdicts, by modulus (with the exponent they were for): the editor asks again on every edit. */
const judged = new Map<bigint, { e: bigint; d: bigint | null }>();
const maxJudged = 64;

export const rsaSmallPrivateExponent: KeyRule = {
  code: 'rsa-small-private-exponent',
  keys: ['RSA', 'RSASSA-PSS'],
  source: "badkeys smalld (Wiener's attack)",
  check({ request }) {
    const rsa = rsaNumbers(request);
    if (rsa === null || rsa.e < smallestWienerExponent || rsa.e >= rsa.n) return null;
    if ((request.publicKey.size ?? 0) > maxWienerModulusBits) return null;
    const known = judged.get(rsa.n);
    let d = known?.e === rsa.e ? known.d : undefined;
    if (d === undefined) {
      d = wienerPrivateExponent(rsa.n, rsa.e);
      judged.delete(rsa.n);
      if (judged.size >= maxJudged) judged.delete(judged.keys().next().value as bigint);
      judged.set(rsa.n, { e: rsa.e, d });
    }
    if (d === null) return null;
    return `The RSA private exponent is only ${d.toString(2).length} bits, small enough for Wiener's attack to compute it from the public key, so the key is broken.`;
  },
};
