// Where each finding code is explained: its own anchor in the project's README. Used by the
// SARIF output (helpUri); the repository URL is package.json's "repository" (a test keeps them equal).

export const projectHomepage = 'https://github.com/sectigo-csr-tools/sectigo-csr-tools';

export function findingHelpUri(code: string): string {
  return `${projectHomepage}#finding-${code}`;
}

/**
 * What a finding code means, for the surfaces that explain a code rather than one finding: SARIF's
 * rule texts (name, shortDescription, fullDescription, help), the README's table. One row per
 * code; `newKey` marks a finding only a new key fixes (the editor offers *Create a compliant key
 * and CSR…* on it). No imports: the editor's diagnostics read it without loading the analysis.
 */
export interface FindingText {
  /** A friendly name, Pascal case (SARIF reportingDescriptor.name). */
  name: string;
  /** One short sentence: what is wrong. */
  short: string;
  /** What it means for the user, and where the rule comes from. */
  full: string;
  /** What to do. */
  help: string;
  newKey?: true;
}

const makeNewKey =
  'Make a new key and request: `sectigo-csr new`, or *Create a compliant key and CSR…* in the editor. Never reuse this key.';

/** Issue 32's codes and the weak-key codes before them; the others are added beside them (one table). */
export const findingTexts: Partial<Record<string, FindingText>> = {
  'rsa-small-factor': {
    name: 'RsaSmallFactor',
    short: 'The RSA modulus has a prime factor up to 65537.',
    full: "A prime up to 65537 divides the modulus, so the key is broken (badkeys smallfactors tries every such prime; Let's Encrypt's boulder those below 752). Such moduli are usually corrupted.",
    help: makeNewKey,
    newKey: true,
  },
  'rsa-roca-vulnerable': {
    name: 'RsaRocaVulnerable',
    short: 'The RSA modulus has the ROCA fingerprint.',
    full: "The key was made by Infineon's flawed generator (CVE-2017-15361): its private key can be recovered. Sectigo runs rocacheck and badkeys before issuing.",
    help: `${makeNewKey} Update the smart card or TPM firmware that made it first.`,
    newKey: true,
  },
  'rsa-close-primes': {
    name: 'RsaClosePrimes',
    short: "The RSA primes are close enough for Fermat's method.",
    full: "Fermat's method factors the modulus within 100 steps (badkeys fermat; boulder): the two primes are too close.",
    help: makeNewKey,
    newKey: true,
  },
  'key-known-compromised': {
    name: 'KeyKnownCompromised',
    short: 'The public key is a published example key.',
    full: 'The key is one whose private key is printed in a standard (RFC 9500 test keys, the example keys of other RFCs), so anyone can sign as its holder. Sectigo runs badkeys with its blocklists before issuing.',
    help: makeNewKey,
    newKey: true,
  },
  'rsa-exponent-not-below-modulus': {
    name: 'RsaExponentNotBelowModulus',
    short: 'The RSA public exponent is not smaller than the modulus.',
    full: 'No valid RSA key has e ≥ n (badkeys rsainvalid).',
    help: makeNewKey,
    newKey: true,
  },
  'rsa-small-private-exponent': {
    name: 'RsaSmallPrivateExponent',
    short: "The RSA private exponent is small enough for Wiener's attack.",
    full: "The private exponent can be computed from the public key by Wiener's continued fractions (badkeys smalld, run on exponents over 32 bits).",
    help: makeNewKey,
    newKey: true,
  },
  'rsa-modulus-polynomial-pattern': {
    name: 'RsaModulusPolynomialPattern',
    short: 'The RSA modulus has the sparse bits of a weak prime generator.',
    full: 'Fewer than 40 % of the bits of the modulus and of its lower half are set: its primes come from a generator of a few sparse terms, and the modulus factors (badkeys rsapoly).',
    help: makeNewKey,
    newKey: true,
  },
  'rsa-exponent-out-of-range': {
    name: 'RsaExponentOutOfRange',
    short: 'The RSA public exponent is outside 2^16+1 to 2^256-1.',
    full: "The S/MIME Baseline Requirements (6.1.6) recommend an exponent from 2^16+1 to 2^256-1; Sectigo's linters (pkilint, zlint) warn outside it.",
    help: 'Make the next key with the exponent 65537 (the default of every common tool).',
  },
  'rsa-shared-prime': {
    name: 'RsaSharedPrime',
    short: 'Two requests have RSA keys that share a prime factor.',
    full: 'The greatest common divisor of the two moduli is a prime of both, so both keys factor at once (found across the requests given together: a batch GCD).',
    help: `${makeNewKey} Both keys need replacing, and the generator that made them fixing.`,
    newKey: true,
  },
  'dsa-sparse-prime': {
    name: 'DsaSparsePrime',
    short: 'The DSA prime is a sparse number of a known weak pattern.',
    full: 'The 1,024-bit prime p has the sparse pattern badkeys dsasparse finds, for which discrete logarithms are easy.',
    help: makeNewKey,
    newKey: true,
  },
  'ec-point-invalid': {
    name: 'EcPointInvalid',
    short: 'The EC public key is not a usable point of its curve.',
    full: 'The point is off the curve, the point at infinity, or not a point encoding: no private key belongs to it (SEC 1 3.2.2.1).',
    help: makeNewKey,
    newKey: true,
  },
  'eddsa-point-invalid': {
    name: 'EddsaPointInvalid',
    short: 'The Ed25519 or Ed448 public key is unusable.',
    full: 'The key is not canonically encoded, is no point of the curve, or is a point of small order, for which signatures prove nothing (RFC 8032 5.1.3, 5.2.3).',
    help: makeNewKey,
    newKey: true,
  },
  'smime-key-encoding-not-allowed': {
    name: 'SmimeKeyEncodingNotAllowed',
    short: 'The key is encoded in a way the S/MIME Baseline Requirements do not allow.',
    full: "The S/MIME Baseline Requirements (7.1.3.1.1) allow a closed list of key encodings: RSA with NULL parameters, EC on P-256, P-384 or P-521 by name, Ed25519 and Ed448 without parameters, ML-DSA and ML-KEM. Sectigo's S/MIME linting (pkilint) refuses any other.",
    help: makeNewKey,
    newKey: true,
  },
  'smime-key-p521-disputed': {
    name: 'SmimeKeyP521Disputed',
    short: 'P-521: the linters Sectigo runs disagree on it.',
    full: "The S/MIME Baseline Requirements (7.1.3.1.1) and zlint allow P-521; pkilint's S/MIME key list leaves it out. Sectigo runs both before issuing.",
    help: 'To avoid the question, make the next key on P-256 or P-384.',
  },
};
