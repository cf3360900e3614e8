// What each finding code means, defined once, and where it is explained: its own anchor in the
// project's README (the repository URL is package.json's "repository"; a test keeps them equal).
// The README's table of finding codes (its "When" column, word for word) and the rules of
// `check --format sarif` (names, descriptions; their help adds the finding guide's why and what to
// do, finding-guide.ts) are both read from this table: test/core/finding-texts.test.ts compares
// them. A new code is one entry below (its type makes it required) and one row in the README. Only
// the import-free limits are imported: the editor's diagnostics read this without loading the analysis.
import { formatCount } from '../format-count';
import type { FindingCode } from './findings';
import {
  acceptedCurves,
  listedKeyTypes,
  maxCsrCharacters,
  maxRsaBits,
  maxVerifiableDsaBits,
  minRsaBits,
} from './limits';

export const projectHomepage = 'https://github.com/sectigo-csr-tools/sectigo-csr-tools';

export function findingHelpUri(code: string): string {
  return `${projectHomepage}#finding-${code}`;
}

/**
 * What a finding code is called and when it is reported, for the surfaces that list codes: the
 * README's table and SARIF's rules. Why it matters, what to do and the Sectigo code it predicts are
 * the finding guide's (finding-guide.ts).
 */
export interface FindingText {
  /** One short sentence: what is wrong (SARIF shortDescription, the title of a code-scanning alert). Plain text. */
  short: string;
  /** When the code is reported: the README table's "When" cell, word for word (Markdown). */
  when: string;
}

// Made by a call marked pure, so that a bundle using only findingHelpUri (the editor's diagnostics)
// leaves the table out: esbuild keeps a plain object whose texts call functions even when unused.
export const findingTexts: Record<FindingCode, FindingText> = /* @__PURE__ */ (() => ({
  'rsa-key-too-small': {
    short: `RSA key shorter than ${minRsaBits} bits.`,
    when: `RSA modulus below ${minRsaBits} bits`,
  },
  'rsa-key-too-large': {
    short: `RSA key longer than ${maxRsaBits} bits.`,
    when: `RSA modulus above ${maxRsaBits} bits`,
  },
  'rsa-modulus-not-multiple-of-8': {
    short: 'RSA modulus length not a multiple of 8.',
    when: 'modulus length not a multiple of 8 (S/MIME Baseline Requirements 6.1.5)',
  },
  'ec-curve-unsupported': {
    short: 'EC curve Sectigo does not accept.',
    when: `EC curve other than ${acceptedCurves.join(', ')} (secp256k1, brainpool, SM2, …), or a curve given by explicit parameters instead of a name (RFC 5480 forbids them; the size shown is the group order's bits, as openssl counts them)`,
  },
  'key-algorithm-unlisted': {
    short: 'Key type Sectigo does not list.',
    when: `DSA, Ed25519, Ed448, an RSASSA-PSS key or an unknown algorithm: not among the key types Sectigo lists (${listedKeyTypes}); a DSA key over ${maxVerifiableDsaBits} bits (beyond FIPS 186-4) says so`,
  },
  'rsa-exponent-even': {
    short: 'Even RSA public exponent.',
    when: 'even public exponent',
  },
  'rsa-exponent-too-small': {
    short: 'RSA public exponent below 3.',
    when: 'public exponent below 3',
  },
  'rsa-exponent-not-65537': {
    short: 'RSA public exponent other than 65537.',
    when: 'odd exponent other than 65537',
  },
  'rsa-small-factor': {
    short: 'RSA modulus with a small prime factor.',
    when: 'modulus divisible by a prime up to 65537 (badkeys `smallfactors`; boulder stops at 752)',
  },
  'rsa-roca-vulnerable': {
    short: 'RSA key with the ROCA fingerprint.',
    when: 'modulus has the ROCA fingerprint (Infineon, CVE-2017-15361)',
  },
  'rsa-close-primes': {
    short: 'RSA primes close enough to factor.',
    when: "Fermat's method factors the modulus within 100 steps",
  },
  'signature-hash-md2': {
    short: 'Request signed with MD2.',
    when: 'signed with MD2; the message says what each `signatureHash` option would do; the signature cannot be checked (OpenSSL 3 has no MD2)',
  },
  'signature-hash-md4': {
    short: 'Request signed with MD4.',
    when: 'signed with MD4; same explanation; the signature cannot be checked (OpenSSL 3 has no MD4)',
  },
  'signature-hash-md5': {
    short: 'Request signed with MD5.',
    when: 'signed with MD5; the message says what each `signatureHash` option would do (`INFER_FROM_CSR` → `PREFER_SHA1`)',
  },
  'signature-hash-sha1': {
    short: 'Request signed with SHA-1.',
    when: 'signed with SHA-1; same explanation',
  },
  'signature-invalid': {
    short: 'Request signature does not verify.',
    when: "the signature does not verify with the request's own key (no proof of possession)",
  },
  'signature-unverifiable': {
    short: 'Request signature not checked.',
    when: `the signature could not be checked (unknown algorithm or key, MD2/MD4, an RSA exponent over 256 bits), or was not, on purpose: a DSA key over ${maxVerifiableDsaBits} bits or explicit EC curve parameters, which no CA accepts, are not worth the work (SM2 signatures are checked, with the standard default ID 1234567812345678 or the empty ID OpenSSL signs with by default)`,
  },
  'no-email-address': {
    short: 'No email address in the request.',
    when: 'no email in the subject or the SANs: an S/MIME certificate certifies a mailbox',
  },
  'subject-field-too-long': {
    short: 'Subject field longer than Sectigo accepts.',
    when: 'CN, O, OU over 64 characters; L, ST, street over 128; postal code, PO box over 40',
  },
  'subject-country-invalid': {
    short: 'Subject country not a two-letter code.',
    when: 'C is not exactly two letters',
  },
  'csr-too-long': {
    short: 'Request longer than the API accepts.',
    when: `the request as PEM is over the API's ${formatCount(maxCsrCharacters)} characters for \`csr\``,
  },
  'csr-version-unexpected': {
    short: 'Request version other than v1.',
    when: 'version field other than 0 (v1)',
  },
  'challenge-password-present': {
    short: 'Challenge password in the request.',
    when: 'a challenge password is present (readable by anyone who sees the request; its value is never shown)',
  },
  'microsoft-template-copied': {
    short: 'Microsoft template copied into the certificate.',
    when: 'a Microsoft template extension is present: Sectigo copies it into the certificate',
  },
  'extension-duplicate': {
    short: 'Extension present more than once.',
    when: 'an extension appears more than once (RFC 5280 §4.2); one finding per extension, with the count',
  },
  'extension-value-invalid': {
    short: 'Malformed subjectAltName, keyUsage or basicConstraints.',
    when: 'a malformed subjectAltName, keyUsage or basicConstraints value (also one whose length runs past its list, named by its OID; a keyUsage with no bit set): these decide what the certificate says',
  },
  'extension-value-malformed': {
    short: 'Malformed extension value.',
    when: 'a malformed value of any other extension, or an extension OID that cannot be read (an arc over 20 octets, an OID over 128)',
  },
  'attribute-malformed': {
    short: 'Malformed request attribute.',
    when: 'a malformed attribute (not an OID and a SET, an unreadable value, an extensionRequest with more than one list)',
  },
  'der-not-strict': {
    short: 'DER a strict CA may refuse.',
    when: 'DER openssl tolerates but a strict CA may not: a DEFAULT written out (`critical FALSE`, `cA FALSE`), TRUE not 0xff, a long-form length where the short one fits, at any level (the outer SEQUENCE, the signature algorithm, the subject, the public key and the RSA key inside it, attributes, extensions; one finding per part, naming the byte), a request in BER with an indefinite-length outer SEQUENCE, a keyUsage with trailing zero bits, an empty extensionRequest',
  },
  'ia5-string-not-ascii': {
    short: 'Non-ASCII byte in an IA5String.',
    when: "a non-ASCII byte in an IA5String (the subject's emailAddress, a SAN email, DNS name or URI), most often an IDN or mailbox written as raw UTF-8: the value is shown as that UTF-8, and a DNS name also as its IDN A-label (`xn--…`, as the URL parser of Node and of browsers writes it), or said to be no valid IDN when IDNA refuses a label",
  },
  'key-known-compromised': {
    short: 'The key is a published example key.',
    when: "the key is a published example key whose private key anyone can read (RFC 9500's test keys, the examples of RFC 6605, 6979, 7515, 7520, 8080, 8696, 9216, 9635): see [Known-bad keys](#known-bad-keys)",
  },
  'rsa-exponent-not-below-modulus': {
    short: 'RSA public exponent not below the modulus.',
    when: 'public exponent e ≥ the modulus n, which no valid key has (badkeys `rsainvalid`)',
  },
  'rsa-small-private-exponent': {
    short: "RSA private exponent small enough for Wiener's attack.",
    when: "the private exponent is small enough for Wiener's attack to compute it from the public key (badkeys `smalld`: tried when e has more than 32 bits; d below n^¼/3 is always found, and a little above)",
  },
  'rsa-modulus-polynomial-pattern': {
    short: 'RSA modulus with the sparse bits of a weak generator.',
    when: "under 40 % of the modulus's bits and of its lower half's are set, the mark of a weak prime generator (badkeys `rsapoly`, moduli of 500 bits or more without a small factor)",
  },
  'rsa-exponent-out-of-range': {
    short: 'RSA public exponent outside 2^16+1 to 2^256-1.',
    when: 'an odd exponent outside 2^16+1 to 2^256−1, the range S/MIME Baseline Requirements 6.1.6 recommend (pkilint `cabf.rsa_exponent_not_in_recommended_range` and zlint warn); `rsa-exponent-not-65537` is said too',
  },
  'rsa-shared-prime': {
    short: 'RSA key sharing a prime with another request.',
    when: 'two requests given together (`check`/`inspect` over many files, or *Find Shared Primes* over a workspace) have RSA keys that share a prime: both factor at once. On each of the two, naming the other; see [Shared primes across requests](#shared-primes-across-requests)',
  },
  'dsa-sparse-prime': {
    short: 'DSA prime of a known weak sparse pattern.',
    when: 'a 1,024-bit DSA prime of the sparse pattern badkeys `dsasparse` finds',
  },
  'ec-point-invalid': {
    short: 'EC public key not a usable point of its curve.',
    when: 'the EC public key is not a point of its curve, is the point at infinity (every curve here has cofactor 1, so the only point of small order), or is no point encoding (SEC 1 3.2.2.1); its signature is then not checked',
  },
  'eddsa-point-invalid': {
    short: 'Ed25519 or Ed448 public key unusable.',
    when: 'an Ed25519 or Ed448 key not canonically encoded (RFC 8032 5.1.3, 5.2.3), no point of the curve, or a point of small order (8 of them on Ed25519, 4 on Ed448)',
  },
  'smime-key-encoding-not-allowed': {
    short: 'Key encoding the S/MIME Baseline Requirements do not allow.',
    when: "the key's AlgorithmIdentifier is not one the S/MIME Baseline Requirements 7.1.3.1.1 allow byte for byte (RSA with NULL parameters; P-256, P-384, P-521 by name; Ed25519, Ed448 without parameters; ML-DSA, ML-KEM): RSA without NULL, an RSASSA-PSS key, DSA, an unknown algorithm (pkilint `cabf.smime.prohibited_spki_algorithm_encoding`). A curve Sectigo does not take is `ec-curve-unsupported` alone",
  },
  'smime-key-p521-disputed': {
    short: 'P-521 key, on which the linters Sectigo runs disagree.',
    when: "a P-521 key: the S/MIME Baseline Requirements (7.1.3.1.1) and zlint allow it, pkilint's S/MIME list leaves it out, and Sectigo runs both; said rather than decided",
  },
}))();

/** 'rsa-key-too-small' → 'RsaKeyTooSmall': SARIF's friendly rule name, one Pascal-case word. */
export function friendlyName(code: string): string {
  return code
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The text of Markdown as written here (backticks for code, asterisks for UI names), without its marks. */
export function plainText(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1').replace(/\*([^*]+)\*/g, '$1');
}

/**
 * The findings only a new key fixes beyond Sectigo's -13 refusals: weak keys Sectigo's checks
 * before issuing refuse (issue 32). The editor offers *Create a compliant key and CSR…* on each
 * (src/vscode/csr-editor/new-key-fix.ts). Their meaning and what to do are the guide's
 * (finding-guide.ts); a test holds the two together. No imports: the editor reads this without
 * loading the analysis.
 */
export const brokenKeyFindingCodes: ReadonlySet<string> = new Set([
  'rsa-small-factor',
  'rsa-roca-vulnerable',
  'rsa-close-primes',
  'key-known-compromised',
  'rsa-exponent-not-below-modulus',
  'rsa-small-private-exponent',
  'rsa-modulus-polynomial-pattern',
  'rsa-shared-prime',
  'dsa-sparse-prime',
  'ec-point-invalid',
  'eddsa-point-invalid',
  'smime-key-encoding-not-allowed',
]);
