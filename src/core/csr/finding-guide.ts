// What each code means for the person who holds the request: what Sectigo will answer, why, and what
// to do, naming the fix the product offers. One entry per finding code (the compiler holds the table
// to findings.ts's list) and per input problem code (a test holds it to the README's table). The
// assistants' explain tool reads it; the README's tables say the same in fewer words.
import { findingCodes, type FindingCode } from './findings';
import { findingHelpUri } from './finding-help';
import { acceptedCurvesText, acceptedKeysText, listedKeyTypes, maxCsrCharacters, rsaRangeText } from './limits';
import type { Severity } from './types';
import { formatCount } from '../format-count';

/** The editor's quick fix and CodeLens for a request whose key Sectigo refuses (src/vscode/csr-editor/new-key-fix.ts shows it). */
export const COMPLIANT_CSR_FIX_TITLE = 'Create a compliant key and CSR…';
/** The same fix on the command line. */
export const COMPLIANT_CSR_COMMAND =
  'sectigo-csr new --from OLD.csr --out NEW.csr --key-out NEW.key --passphrase-env VAR';

/** The product's own way out of a finding, by name. */
export interface NamedFix {
  /** The quick fix and CodeLens in the editor. */
  readonly editor: string;
  /** The command line that does the same. */
  readonly commandLine: string;
}

export interface FindingGuide {
  /** Why the finding matters: what is wrong and what Sectigo (or any careful CA) does about it. */
  readonly why: string;
  /** What to do, in a sentence or two. */
  readonly whatToDo: string;
  /** The product's fix, when one applies. */
  readonly fix: NamedFix | null;
}

const newKeyFix: NamedFix = { editor: COMPLIANT_CSR_FIX_TITLE, commandLine: COMPLIANT_CSR_COMMAND };
const NEW_KEY = `Make a new key and request: the quick fix "${COMPLIANT_CSR_FIX_TITLE}" (on the problem or above the request) keeps the subject and e-mail addresses, as does \`${COMPLIANT_CSR_COMMAND}\`. The new key must be ${acceptedKeysText}.`;
const BROKEN_KEY = `Treat the private key as known to others: stop using it anywhere, and ${NEW_KEY.charAt(0).toLowerCase()}${NEW_KEY.slice(1)}`;
const RE_SIGN =
  'Sign the request again with SHA-256 (openssl: `openssl req -new -sha256 -key KEY.pem -out NEW.csr` with the same subject), or make a new key and request.';
const STRICT_DER =
  'Make the request again with a tool that writes strict DER (openssl does), or with the same quick fix as a refused key when a new key is acceptable.';
const NEW_REQUEST_SAME_KEY =
  'Make the request again with the field corrected (the same key can stay), or use the quick fix, which asks for the subject again.';

const keyGuide = (why: string): FindingGuide => ({ why, whatToDo: NEW_KEY, fix: newKeyFix });
const brokenKeyGuide = (why: string): FindingGuide => ({ why, whatToDo: BROKEN_KEY, fix: newKeyFix });
const hashGuide = (why: string): FindingGuide => ({ why, whatToDo: RE_SIGN, fix: newKeyFix });
const structureGuide = (why: string): FindingGuide => ({ why, whatToDo: STRICT_DER, fix: null });

/** Every finding code. Adding a code to findings.ts without a line here does not compile. */
export const findingGuides = {
  'rsa-key-too-small': keyGuide(
    `Sectigo certifies RSA keys of ${rsaRangeText} only and answers -13 (unsupported key) for a smaller one, which is also too weak to protect mail.`,
  ),
  'rsa-key-too-large': keyGuide(`Sectigo certifies RSA keys of ${rsaRangeText} only and answers -13 for a larger one.`),
  'rsa-modulus-not-multiple-of-8': keyGuide(
    'The S/MIME Baseline Requirements (6.1.5) require an RSA modulus whose length is a multiple of 8 bits; Sectigo refuses the key (-13).',
  ),
  'ec-curve-unsupported': keyGuide(
    `Sectigo certifies EC keys on ${acceptedCurvesText} only, named by their OID; another curve (secp256k1, brainpool, SM2) or a curve given by explicit parameters is refused (-13).`,
  ),
  'key-algorithm-unlisted': keyGuide(
    `Sectigo's documents list ${listedKeyTypes} keys only; DSA, Ed25519, Ed448 and RSASSA-PSS keys are expected to be refused (-13), though the documents do not promise it.`,
  ),
  'rsa-exponent-even': brokenKeyGuide(
    'An RSA key with an even public exponent cannot encrypt or verify: the key does not work.',
  ),
  'rsa-exponent-too-small': keyGuide(
    'The Baseline Requirements forbid an RSA public exponent below 3; a CA refuses the key.',
  ),
  'rsa-exponent-not-65537': keyGuide(
    'The public exponent is odd but not the usual 65537; the S/MIME Baseline Requirements want at least 65537 and some CAs refuse anything else. A new key is the safe way; keep this one only if the CA accepts it.',
  ),
  'rsa-small-factor': brokenKeyGuide(
    'The modulus has a prime factor up to 65537, so anyone can factor it at once and compute the private key; Sectigo runs badkeys, which tries every such prime, before it issues.',
  ),
  'rsa-roca-vulnerable': brokenKeyGuide(
    "The modulus has the fingerprint of Infineon's flawed key generation (ROCA, CVE-2017-15361): the private key can be computed from the public key, and CAs refuse such keys.",
  ),
  'rsa-close-primes': brokenKeyGuide(
    "The two primes are so close that Fermat's method factors the modulus in a few steps; CAs refuse such keys.",
  ),
  'signature-hash-md2': hashGuide(
    'The request is signed with MD2, a broken hash that no CA accepts; OpenSSL 3 cannot even check it.',
  ),
  'signature-hash-md4': hashGuide(
    'The request is signed with MD4, a broken hash that no CA accepts; OpenSSL 3 cannot even check it.',
  ),
  'signature-hash-md5': hashGuide('The request is signed with MD5, a broken hash that modern CAs refuse.'),
  'signature-hash-sha1': hashGuide(
    "The request is signed with SHA-1, which modern CAs refuse or accept reluctantly; with AutoReplaceSMIME's signatureHash set to INFER_FROM_CSR, Sectigo applies PREFER_SHA1 and may issue a SHA-1 certificate (REQUIRE_SHA2 prevents that).",
  ),
  'signature-invalid': {
    why: "The request's signature does not verify with the request's own public key, so it proves no possession of the private key; a CA refuses it. Often the file was edited after it was signed.",
    whatToDo:
      'Sign the request again with its private key (or restore the original file); if the private key is lost, make a new key and request.',
    fix: newKeyFix,
  },
  'signature-unverifiable': {
    why: "The signature could not be checked here (an unknown algorithm or key, MD2/MD4, or a key no CA accepts, which is not worth the work); Sectigo's own check decides.",
    whatToDo:
      'Nothing is wrong for certain. If the key type is unusual, a new key of a listed type avoids the question.',
    fix: newKeyFix,
  },
  'no-email-address': {
    why: 'An S/MIME certificate certifies a mailbox, and the request names none (neither an emailAddress in the subject nor an e-mail subject alternative name).',
    whatToDo: `Make the request again with the mailbox in it: the quick fix "${COMPLIANT_CSR_FIX_TITLE}" asks for it, as does \`sectigo-csr new --email ADDRESS\`.`,
    fix: newKeyFix,
  },
  'subject-field-too-long': {
    why: "Sectigo limits the subject's fields: CN, O and OU to 64 characters, L, ST and street to 128, postal code and PO box to 40; a longer one is refused.",
    whatToDo: NEW_REQUEST_SAME_KEY,
    fix: newKeyFix,
  },
  'subject-country-invalid': {
    why: "The subject's C (country) must be exactly two letters, an ISO 3166 code such as GB or DE; anything else is refused.",
    whatToDo: NEW_REQUEST_SAME_KEY,
    fix: newKeyFix,
  },
  'csr-too-long': keyGuide(
    `As PEM the request is over ${formatCount(maxCsrCharacters)} characters, the API's limit for csr; Sectigo answers -4 (invalid parameter). An oversized key or many attributes is the usual cause.`,
  ),
  'csr-version-unexpected': structureGuide(
    'PKCS#10 defines only version 0 (v1); a request with another version was made by a non-standard tool and a strict CA may refuse it.',
  ),
  'challenge-password-present': {
    why: 'The request carries a challenge password: anyone who sees the request can read it, and the Sectigo API does not use it. Its value is never shown by this product.',
    whatToDo:
      'Nothing is required for Sectigo. If that password is used anywhere else, change it there, and leave it out of future requests.',
    fix: null,
  },
  'microsoft-template-copied': {
    why: 'The request carries a Microsoft certificate template extension, which Sectigo copies into the certificate.',
    whatToDo:
      'Nothing, if the certificate should carry it (Active Directory enrolment). Otherwise make the request without the template extension.',
    fix: null,
  },
  'extension-duplicate': structureGuide(
    'An extension appears more than once, which RFC 5280 (4.2) forbids; which copy a CA reads is undefined.',
  ),
  'extension-value-invalid': structureGuide(
    'A subjectAltName, keyUsage or basicConstraints value is malformed: these decide what the certificate says, so a CA refuses or misreads the request.',
  ),
  'extension-value-malformed': structureGuide(
    'The value of another extension (or its OID) cannot be read; a strict CA may refuse the request.',
  ),
  'attribute-malformed': structureGuide(
    'An attribute of the request is malformed; a strict CA may refuse the request.',
  ),
  'der-not-strict': structureGuide(
    'The request is encoded in a way openssl tolerates but DER forbids (a DEFAULT written out, a long-form length, BER); a strict CA may refuse it.',
  ),
  'ia5-string-not-ascii': {
    why: 'An IA5String (an emailAddress, an e-mail, DNS name or URI alternative name) holds a non-ASCII byte, usually an internationalised name written as raw UTF-8; CAs refuse it.',
    whatToDo:
      'Make the request again with a DNS name as its IDN A-label (xn--…, shown in the message) and an ASCII mailbox; the same key can stay.',
    fix: newKeyFix,
  },
  // Issue 32: what Sectigo's checks before issuing refuse (key-rules/, one file each).
  'key-known-compromised': brokenKeyGuide(
    "The key is one whose private key is printed in a standard (RFC 9500's test keys, the example keys of other RFCs): anyone can sign as its holder. Sectigo runs badkeys with its blocklists before it issues.",
  ),
  'rsa-exponent-not-below-modulus': brokenKeyGuide(
    'The public exponent is not smaller than the modulus, which no valid RSA key has (badkeys rsainvalid); Sectigo refuses the key before it issues.',
  ),
  'rsa-small-private-exponent': brokenKeyGuide(
    "The private exponent is small enough for Wiener's attack to compute it from the public key (badkeys smalld); Sectigo refuses the key before it issues.",
  ),
  'rsa-modulus-polynomial-pattern': brokenKeyGuide(
    'Fewer than 40 % of the bits of the modulus and of its lower half are set: its primes come from a weak generator of sparse terms, and the modulus factors (badkeys rsapoly).',
  ),
  'rsa-exponent-out-of-range': keyGuide(
    "The public exponent is outside 2^16+1 to 2^256-1, the range the S/MIME Baseline Requirements (6.1.6) recommend; Sectigo's linters (pkilint, zlint) warn. Make the next key with 65537.",
  ),
  'rsa-shared-prime': brokenKeyGuide(
    'Two requests given together have RSA keys that share a prime: the greatest common divisor of their moduli factors both at once. Both keys need replacing, and the generator that made them fixing.',
  ),
  'dsa-sparse-prime': brokenKeyGuide(
    'The 1,024-bit DSA prime has the sparse pattern badkeys dsasparse finds, for which discrete logarithms are easy.',
  ),
  'ec-point-invalid': brokenKeyGuide(
    'The EC public key is not a point of its curve, or is the point at infinity: no private key belongs to it, and its signature proves nothing (SEC 1 3.2.2.1).',
  ),
  'eddsa-point-invalid': brokenKeyGuide(
    'The Ed25519 or Ed448 key is not canonically encoded, is no point of the curve, or is a point of small order, for which signatures prove nothing (RFC 8032).',
  ),
  'smime-key-encoding-not-allowed': keyGuide(
    "The key's algorithm identifier is not one of the encodings the S/MIME Baseline Requirements (7.1.3.1.1) allow byte for byte (RSA with NULL parameters, P-256, P-384 or P-521 by name, Ed25519 and Ed448 without parameters); Sectigo's S/MIME linting (pkilint) refuses the certificate.",
  ),
  'smime-key-p521-disputed': {
    why: "The key is on P-521: the S/MIME Baseline Requirements (7.1.3.1.1) and zlint allow it, but pkilint's S/MIME list leaves it out, and Sectigo runs both before it issues.",
    whatToDo:
      'The certificate may be issued; to avoid the question, make the next key on P-256 or P-384 (the quick fix asks which).',
    fix: null,
  },
} as const satisfies Record<FindingCode, FindingGuide>;

const INPUT_AGAIN =
  'Give the request itself: the PEM block from -----BEGIN CERTIFICATE REQUEST----- to its END line, its Base64, or its DER file.';

/** Every code an input that is not a request gets instead of findings (the README's "Input problem codes"). */
export const inputProblemGuides = {
  'empty-input': { why: 'The input is empty.', whatToDo: INPUT_AGAIN, fix: null },
  'input-too-large': {
    why: 'The input is over 4 MiB, so it is not read (a request itself is at most 32,767 characters as PEM).',
    whatToDo: 'Give the request alone, not a whole archive or log.',
    fix: null,
  },
  'binary-input': { why: 'The input is binary but not the DER of a request.', whatToDo: INPUT_AGAIN, fix: null },
  'no-csr-found': {
    why: 'The input holds no PEM block, bare Base64 or DER of a certificate request.',
    whatToDo: INPUT_AGAIN,
    fix: null,
  },
  'unterminated-pem': {
    why: 'A -----BEGIN …----- line has no matching -----END …----- line (or the other way round): the request was cut when copied.',
    whatToDo: 'Copy the whole block again, both armour lines included.',
    fix: null,
  },
  'bad-base64': {
    why: 'The Base64 body of the block cannot be decoded.',
    whatToDo: 'Copy the block again; a character was changed or lost.',
    fix: null,
  },
  'bad-der': {
    why: "The request's outer structure is not well-formed DER, or it is cut short, or data follows its end.",
    whatToDo: 'Copy or export the request again; if it still fails, make it again with another tool.',
    fix: null,
  },
  'not-a-csr-certificate': {
    why: 'This is a certificate, not a certificate request.',
    whatToDo:
      "To replace it, find the request that goes with a new key; to revoke it, use the extension's Revoke commands (which confirm first).",
    fix: null,
  },
  'not-a-csr-private-key': {
    why: 'This is a private key, not a certificate request. It is secret: never paste it into a chat or send it anywhere. This product never shows or returns it.',
    whatToDo: `Give the request instead; to make one for a new key, use "${COMPLIANT_CSR_FIX_TITLE}" or \`sectigo-csr new\`.`,
    fix: newKeyFix,
  },
  'not-a-csr-public-key': { why: 'This is a public key, not a certificate request.', whatToDo: INPUT_AGAIN, fix: null },
  'not-a-csr-crl': {
    why: 'This is a certificate revocation list, not a certificate request.',
    whatToDo: INPUT_AGAIN,
    fix: null,
  },
  'not-a-csr-pkcs7': {
    why: 'This is a PKCS#7/CMS structure, not a certificate request.',
    whatToDo: INPUT_AGAIN,
    fix: null,
  },
  'not-a-csr-pem': {
    why: 'This PEM block is of another kind, not a certificate request.',
    whatToDo: INPUT_AGAIN,
    fix: null,
  },
  'too-many-blocks': {
    why: 'The input holds more PEM blocks than are read from one input; the rest were skipped.',
    whatToDo: 'Split the input into several files.',
    fix: null,
  },
  unreadable: {
    why: 'The file could not be read: missing, no permission, a directory, or not a regular file (a named pipe or a device is refused without waiting for it).',
    whatToDo: 'Check the path and the permissions.',
    fix: null,
  },
} as const satisfies Record<string, FindingGuide>;

export type InputProblemCode = keyof typeof inputProblemGuides;

/** A code explained: its guide, and what the analysis says of it (severity, the Sectigo error code it predicts). */
export interface ExplainedCode extends FindingGuide {
  readonly code: string;
  readonly kind: 'finding' | 'input-problem';
  /** A finding's severity; null for an input problem (which stops the analysis of that input). */
  readonly severity: Severity | null;
  /** The errorCode Sectigo answers for a request with this finding, or null when it names none. */
  readonly sectigoErrorCode: number | null;
  /** The README section of the code. */
  readonly helpUri: string;
}

/**
 * The Sectigo error code each finding predicts, where it predicts one: the findings that say
 * "Sectigo will answer" (findings.ts passes these codes when it adds them; a test holds both equal).
 */
export const predictedSectigoErrorCodes: Partial<Record<FindingCode, number>> = {
  'rsa-key-too-small': -13,
  'rsa-key-too-large': -13,
  'rsa-modulus-not-multiple-of-8': -13,
  'ec-curve-unsupported': -13,
  'key-algorithm-unlisted': -13,
  'csr-too-long': -4,
};

function isFindingCode(code: string): code is FindingCode {
  return Object.hasOwn(findingGuides, code);
}

function isInputProblemCode(code: string): code is InputProblemCode {
  return Object.hasOwn(inputProblemGuides, code);
}

/** The guide to one code, or undefined when the code is not one of this product's. */
export function explainCode(code: string): ExplainedCode | undefined {
  if (isFindingCode(code)) {
    return {
      code,
      kind: 'finding',
      severity: findingCodes[code],
      sectigoErrorCode: predictedSectigoErrorCodes[code] ?? null,
      helpUri: findingHelpUri(code),
      ...findingGuides[code],
    };
  }
  if (isInputProblemCode(code)) {
    return {
      code,
      kind: 'input-problem',
      severity: null,
      sectigoErrorCode: null,
      helpUri: findingHelpUri(code),
      ...inputProblemGuides[code],
    };
  }
  return undefined;
}

/** Every code explainCode knows, findings first. */
export function explainedCodes(): string[] {
  return [...Object.keys(findingGuides), ...Object.keys(inputProblemGuides)];
}

/** The finding codes that predict `sectigoErrorCode` (e.g. -13), in the catalogue's order. */
export function findingCodesPredicting(sectigoErrorCode: number): FindingCode[] {
  return (Object.keys(findingGuides) as FindingCode[]).filter(
    (code) => predictedSectigoErrorCodes[code] === sectigoErrorCode,
  );
}
