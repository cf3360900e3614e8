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

function isFactoringDenominator(n: bigint, e: bigint, k: bigint, d: bigint): boolean {
  if (k === 0n || d === 0n) return false;
  const ed1 = e * d - 1n;
  if (ed1 % k !== 0n) return false;
  const phi = ed1 / k;
  // p + q = n − φ + 1, and (p − q)² = (p + q)² − 4n must be a square.
  const sum = n - phi + 1n;
  if ((sum & 1n) !== 0n) return false;
  const discriminant = sum * sum - 4n * n;
  if (discriminant < 0n) return false;
  const root = integerSquareRoot(discriminant);
  return root * root === discriminant;
}

/** The private exponent when Wiener's continued fractions find it, else null. */
export function wienerPrivateExponent(n: bigint, e: bigint): bigint | null {
  let [numerator, denominator] = [e, n];
  // Convergents h/k of e/n: h is the guess for k (of e·d = 1 + k·φ), k the guess for d.
  let [h0, h1] = [0n, 1n];
  let [k0, k1] = [1n, 0n];
  for (let step = 0; denominator !== 0n; step += 1) {
    const quotient = numerator / denominator;
    [numerator, denominator] = [denominator, numerator - quotient * denominator];
    const [h, k] = [quotient * h1 + h0, quotient * k1 + k0];
    if (isFactoringDenominator(n, e, h, k)) return k;
    if (step % 2 === 0 && isFactoringDenominator(n, e, h + h1, k + k1)) return k + k1;
    [h0, h1, k0, k1] = [h1, h, k1, k];
  }
  return null;
}

/** The last verdicts, by modulus and exponent: the editor asks again on every edit. */
const judged = new Map<string, bigint | null>();
const maxJudged = 64;

export const rsaSmallPrivateExponent: KeyRule = {
  code: 'rsa-small-private-exponent',
  keys: ['RSA', 'RSASSA-PSS'],
  source: "badkeys smalld (Wiener's attack)",
  check({ request }) {
    const rsa = rsaNumbers(request);
    if (rsa === null || rsa.e < smallestWienerExponent || rsa.e >= rsa.n) return null;
    if ((request.publicKey.size ?? 0) > maxWienerModulusBits) return null;
    const id = `${rsa.n.toString(36)}:${rsa.e.toString(36)}`;
    let d = judged.get(id);
    if (d === undefined) {
      d = wienerPrivateExponent(rsa.n, rsa.e);
      if (judged.size >= maxJudged) judged.delete(judged.keys().next().value as string);
      judged.set(id, d);
    }
    if (d === null) return null;
    return `The RSA private exponent is only ${d.toString(2).length} bits, small enough for Wiener's attack to compute it from the public key, so the key is broken.`;
  },
};
