// The shape of one key rule: a check on the request's public key, in a file of its own with its
// source (the badkeys check, the Baseline Requirements section, the linter that implements it),
// zlint style. Its severity is the finding table's (findings.ts findingCodes), its texts the help
// table's (finding-help.ts): one place each.
import type { FindingCode } from '../findings';
import type { DecodedRequest } from '../pkcs10';
import type { RsaWeaknesses } from '../rsa-weakness';

export interface KeyRuleContext {
  request: DecodedRequest;
  /** The remembered verdicts on the RSA modulus (computed on first ask), or null when the key is not RSA or too large to judge. */
  rsa(): RsaWeaknesses | null;
}

export interface KeyRule {
  code: FindingCode;
  /** The key algorithms (PublicKeyInfo.algorithm) it judges, or any: the others skip it without a call. */
  keys: readonly string[] | 'any';
  /** Where the rule comes from, as a person would look it up. */
  source: string;
  /** The finding's message (one sentence), or null when the key passes. */
  check(context: KeyRuleContext): string | null;
}

/** The RSA modulus and exponent when the key is RSA (or RSASSA-PSS) with a positive modulus. */
export function rsaNumbers(request: DecodedRequest): { n: bigint; e: bigint } | null {
  const algorithm = request.publicKey.algorithm;
  if (algorithm !== 'RSA' && algorithm !== 'RSASSA-PSS') return null;
  if (request.rsaModulus === null || request.rsaExponent === null || request.rsaModulus <= 1n) return null;
  return { n: request.rsaModulus, e: request.rsaExponent };
}

/** A number as a person reads it: decimal when short, else its size in bits (from hex: a 4 MB exponent is no 32-million-digit string). */
export function numberText(value: bigint): string {
  if (value < 1n << 64n && value > -(1n << 64n)) return value.toString();
  const hex = (value < 0n ? -value : value).toString(16);
  const top = parseInt(hex[0] ?? '0', 16);
  return `a ${(hex.length - 1) * 4 + (top >= 8 ? 4 : top >= 4 ? 3 : top >= 2 ? 2 : 1)}-bit number`;
}
