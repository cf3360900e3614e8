// The key rules, one file each, in the order their findings are listed.
import { dsaSparsePrime } from './dsa-sparse-prime';
import { ecPointInvalid } from './ec-point-invalid';
import { eddsaPointInvalid } from './eddsa-point-invalid';
import { keyKnownCompromised } from './key-known-compromised';
import { rsaExponentNotBelowModulus } from './rsa-exponent-not-below-modulus';
import { rsaExponentOutOfRange } from './rsa-exponent-out-of-range';
import { rsaModulusPolynomialPattern } from './rsa-modulus-polynomial-pattern';
import { rsaSmallPrivateExponent } from './rsa-small-private-exponent';
import { smimeKeyEncodingNotAllowed } from './smime-key-encoding-not-allowed';
import { smimeKeyP521Disputed } from './smime-key-p521-disputed';
import type { KeyRule } from './rule';

export type { KeyRule, KeyRuleContext } from './rule';

export const keyRules: readonly KeyRule[] = [
  keyKnownCompromised,
  rsaExponentNotBelowModulus,
  rsaSmallPrivateExponent,
  rsaModulusPolynomialPattern,
  rsaExponentOutOfRange,
  dsaSparsePrime,
  ecPointInvalid,
  eddsaPointInvalid,
  smimeKeyEncodingNotAllowed,
  smimeKeyP521Disputed,
];

const byAlgorithm = new Map<string, readonly KeyRule[]>();

/** The rules that judge a key of this algorithm, in order (made once per algorithm). */
export function keyRulesFor(algorithm: string): readonly KeyRule[] {
  let rules = byAlgorithm.get(algorithm);
  if (rules === undefined) {
    rules = keyRules.filter((rule) => rule.keys === 'any' || rule.keys.includes(algorithm));
    if (byAlgorithm.size < 32) byAlgorithm.set(algorithm, rules);
  }
  return rules;
}
