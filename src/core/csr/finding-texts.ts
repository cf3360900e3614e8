// What each finding code means, in words, defined once: the README's table of finding codes
// (its "Sectigo code" and "When" columns, word for word: test/core/finding-texts.test.ts compares
// them) and the rules of `check --format sarif` (name, descriptions and help, which GitHub code
// scanning shows beside an alert) are both read from here. A new code is one entry below (the
// type makes it required) and one row in the README.
import { csrTooLongErrorCode, keyRefusedErrorCode, listedKeyTypes, maxVerifiableDsaBits } from './limits';
import {
  acceptedCurves,
  findingCodes,
  maxCsrCharacters,
  maxRsaBits,
  minRsaBits,
  subjectLengthLimits,
  type FindingCode,
} from './findings';
import { fermatRounds, smallFactorBound } from './rsa-weakness';
import type { Severity } from './types';
import { maxVerifiableExponentBits } from './verifier';

export interface FindingText {
  /** A few words, the title of a code-scanning alert (SARIF shortDescription). Plain text. */
  title: string;
  /** When the code is reported: the README table's "When" cell, Markdown (backticks for code). */
  when: string;
  /** The errorCode Sectigo answers a request with this finding, or null: the README's "Sectigo code" column. */
  sectigoErrorCode: number | null;
  /** What to do about it, Markdown. */
  remedy: string;
}

// What to do, shared by the codes that need the same step.
const newKey =
  'Make a new key and request: `sectigo-csr new --from OLD.csr --out NEW.csr --key-out NEW.key`, or *Create a compliant key and CSR…* above the request in VS Code.';
const brokenKey =
  'The private key can be recovered from the public key: make a new key and request (`sectigo-csr new`), and revoke every certificate issued for this key.';
const resign =
  'Sign the request again with SHA-256 (`openssl req -new -sha256 …`), or make a new key and request with `sectigo-csr new`.';
const remake = 'Make the request again with a tool that writes strict DER (openssl does).';

/** 32767 → '32,767', as toLocaleString('en-US') writes it; that call costs 10-30 ms the first time (ICU), at every start. */
function groupDigits(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const lengthText = (types: string[], suffix: string): string =>
  `${types.join(', ')} over ${subjectLengthLimits[types[0] as string]}${suffix}`;

export const findingTexts: Record<FindingCode, FindingText> = {
  'rsa-key-too-small': {
    title: `RSA key shorter than ${minRsaBits} bits`,
    when: `RSA modulus below ${minRsaBits} bits`,
    sectigoErrorCode: keyRefusedErrorCode,
    remedy: newKey,
  },
  'rsa-key-too-large': {
    title: `RSA key longer than ${maxRsaBits} bits`,
    when: `RSA modulus above ${maxRsaBits} bits`,
    sectigoErrorCode: keyRefusedErrorCode,
    remedy: newKey,
  },
  'rsa-modulus-not-multiple-of-8': {
    title: 'RSA modulus length not a multiple of 8',
    when: 'modulus length not a multiple of 8 (S/MIME Baseline Requirements 6.1.5)',
    sectigoErrorCode: keyRefusedErrorCode,
    remedy: newKey,
  },
  'ec-curve-unsupported': {
    title: 'EC curve Sectigo does not accept',
    when: `EC curve other than ${acceptedCurves.join(', ')} (secp256k1, brainpool, SM2, …), or a curve given by explicit parameters instead of a name (RFC 5480 forbids them; the size shown is the group order's bits, as openssl counts them)`,
    sectigoErrorCode: keyRefusedErrorCode,
    remedy: newKey,
  },
  'key-algorithm-unlisted': {
    title: 'Key type Sectigo does not list',
    when: `DSA, Ed25519, Ed448, an RSASSA-PSS key or an unknown algorithm: not among the key types Sectigo lists (${listedKeyTypes}); a DSA key over ${maxVerifiableDsaBits} bits (beyond FIPS 186-4) says so`,
    sectigoErrorCode: keyRefusedErrorCode,
    remedy: newKey,
  },
  'rsa-exponent-even': {
    title: 'Even RSA public exponent',
    when: 'even public exponent',
    sectigoErrorCode: null,
    remedy: newKey,
  },
  'rsa-exponent-too-small': {
    title: 'RSA public exponent below 3',
    when: 'public exponent below 3',
    sectigoErrorCode: null,
    remedy: newKey,
  },
  'rsa-exponent-not-65537': {
    title: 'RSA public exponent other than 65537',
    when: 'odd exponent other than 65537',
    sectigoErrorCode: null,
    remedy: newKey,
  },
  'rsa-small-factor': {
    title: 'RSA modulus with a small prime factor',
    when: `modulus divisible by a prime below ${smallFactorBound}`,
    sectigoErrorCode: null,
    remedy: brokenKey,
  },
  'rsa-roca-vulnerable': {
    title: 'RSA key with the ROCA fingerprint',
    when: 'modulus has the ROCA fingerprint (Infineon, CVE-2017-15361)',
    sectigoErrorCode: null,
    remedy: brokenKey,
  },
  'rsa-close-primes': {
    title: 'RSA primes close enough to factor',
    when: `Fermat's method factors the modulus within ${fermatRounds} steps`,
    sectigoErrorCode: null,
    remedy: brokenKey,
  },
  'signature-hash-md2': {
    title: 'Request signed with MD2',
    when: 'signed with MD2; the message says what each `signatureHash` option would do; the signature cannot be checked (OpenSSL 3 has no MD2)',
    sectigoErrorCode: null,
    remedy: resign,
  },
  'signature-hash-md4': {
    title: 'Request signed with MD4',
    when: 'signed with MD4; same explanation; the signature cannot be checked (OpenSSL 3 has no MD4)',
    sectigoErrorCode: null,
    remedy: resign,
  },
  'signature-hash-md5': {
    title: 'Request signed with MD5',
    when: 'signed with MD5; the message says what each `signatureHash` option would do (`INFER_FROM_CSR` → `PREFER_SHA1`)',
    sectigoErrorCode: null,
    remedy: resign,
  },
  'signature-hash-sha1': {
    title: 'Request signed with SHA-1',
    when: 'signed with SHA-1; same explanation',
    sectigoErrorCode: null,
    remedy: resign,
  },
  'signature-invalid': {
    title: 'Request signature does not verify',
    when: "the signature does not verify with the request's own key (no proof of possession)",
    sectigoErrorCode: null,
    remedy:
      'Make the request again with the private key of its public key: a request whose signature does not verify was changed after it was signed, or signed with another key.',
  },
  'signature-unverifiable': {
    title: 'Request signature not checked',
    when: `the signature could not be checked (unknown algorithm or key, MD2/MD4, an RSA exponent over ${maxVerifiableExponentBits} bits), or was not, on purpose: a DSA key over ${maxVerifiableDsaBits} bits or explicit EC curve parameters, which no CA accepts, are not worth the work (SM2 signatures are checked, with the standard default ID 1234567812345678 or the empty ID OpenSSL signs with by default)`,
    sectigoErrorCode: null,
    remedy: `Check the request with another tool (\`openssl req -verify -noout -in FILE\`), or ${newKey.charAt(0).toLowerCase()}${newKey.slice(1)}`,
  },
  'no-email-address': {
    title: 'No email address in the request',
    when: 'no email in the subject or the SANs: an S/MIME certificate certifies a mailbox',
    sectigoErrorCode: null,
    remedy:
      "Make the request again with the mailbox to certify, in the subject's emailAddress or as a subjectAltName email (`sectigo-csr new --email ADDRESS`).",
  },
  'subject-field-too-long': {
    title: 'Subject field longer than Sectigo accepts',
    when: [
      lengthText(['CN', 'O', 'OU'], ' characters'),
      lengthText(['L', 'ST', 'street'], ''),
      `postal code, PO box over ${subjectLengthLimits.postalCode}`,
    ].join('; '),
    sectigoErrorCode: null,
    remedy: 'Shorten the field and make the request again.',
  },
  'subject-country-invalid': {
    title: 'Subject country not a two-letter code',
    when: 'C is not exactly two letters',
    sectigoErrorCode: null,
    remedy: 'Use the two-letter ISO 3166 country code (GB, DE, US) and make the request again.',
  },
  'csr-too-long': {
    title: 'Request longer than the API accepts',
    when: `the request as PEM is over the API's ${groupDigits(maxCsrCharacters)} characters for \`csr\``,
    sectigoErrorCode: csrTooLongErrorCode,
    remedy:
      'Make a request with fewer or shorter names and extensions: `sectigo-csr new --from OLD.csr` keeps the subject and e-mail addresses alone.',
  },
  'csr-version-unexpected': {
    title: 'Request version other than v1',
    when: 'version field other than 0 (v1)',
    sectigoErrorCode: null,
    remedy:
      'Make the request again with a standard tool (openssl, `sectigo-csr new`): PKCS#10 defines version 0 alone.',
  },
  'challenge-password-present': {
    title: 'Challenge password in the request',
    when: 'a challenge password is present (readable by anyone who sees the request; its value is never shown)',
    sectigoErrorCode: null,
    remedy:
      "Treat the password as disclosed. Sectigo does not use it: make the request again without one (leave openssl's prompt empty).",
  },
  'microsoft-template-copied': {
    title: 'Microsoft template copied into the certificate',
    when: 'a Microsoft template extension is present: Sectigo copies it into the certificate',
    sectigoErrorCode: null,
    remedy:
      'Nothing to do if the certificate should carry the template; otherwise make the request again without it (outside Windows certificate enrollment).',
  },
  'extension-duplicate': {
    title: 'Extension present more than once',
    when: 'an extension appears more than once (RFC 5280 §4.2); one finding per extension, with the count',
    sectigoErrorCode: null,
    remedy: remake,
  },
  'extension-value-invalid': {
    title: 'Malformed subjectAltName, keyUsage or basicConstraints',
    when: 'a malformed subjectAltName, keyUsage or basicConstraints value (also one whose length runs past its list, named by its OID; a keyUsage with no bit set): these decide what the certificate says',
    sectigoErrorCode: null,
    remedy: remake,
  },
  'extension-value-malformed': {
    title: 'Malformed extension value',
    when: 'a malformed value of any other extension, or an extension OID that cannot be read (an arc over 20 octets, an OID over 128)',
    sectigoErrorCode: null,
    remedy: remake,
  },
  'attribute-malformed': {
    title: 'Malformed request attribute',
    when: 'a malformed attribute (not an OID and a SET, an unreadable value, an extensionRequest with more than one list)',
    sectigoErrorCode: null,
    remedy: remake,
  },
  'der-not-strict': {
    title: 'DER a strict CA may refuse',
    when: 'DER openssl tolerates but a strict CA may not: a DEFAULT written out (`critical FALSE`, `cA FALSE`), TRUE not 0xff, a long-form length where the short one fits, at any level (the outer SEQUENCE, the signature algorithm, the subject, the public key and the RSA key inside it, attributes, extensions; one finding per part, naming the byte), a request in BER with an indefinite-length outer SEQUENCE, a keyUsage with trailing zero bits, an empty extensionRequest',
    sectigoErrorCode: null,
    remedy: remake,
  },
  'ia5-string-not-ascii': {
    title: 'Non-ASCII byte in an IA5String',
    when: "a non-ASCII byte in an IA5String (the subject's emailAddress, a SAN email, DNS name or URI), most often an IDN or mailbox written as raw UTF-8: the value is shown as that UTF-8, and a DNS name also as its IDN A-label (`xn--…`)",
    sectigoErrorCode: null,
    remedy:
      'Make the request again with ASCII values: a domain name as its IDN A-label (`xn--…`); a mailbox whose local part is not ASCII cannot be certified in an IA5String.',
  },
};

/** The text of Markdown as written here (backticks for code, asterisks for UI names), without its marks. */
export function plainText(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1').replace(/\*([^*]+)\*/g, '$1');
}

/** 'rsa-key-too-small' → 'RsaKeyTooSmall': SARIF's friendly rule name, one Pascal-case word. */
export function friendlyName(code: string): string {
  return code
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Everything said about one code, in the forms SARIF and the README use. */
export interface FindingDescription {
  code: FindingCode;
  severity: Severity;
  name: string;
  title: string;
  /** The "When" cell as a sentence, Markdown and plain. */
  fullMarkdown: string;
  fullText: string;
  helpMarkdown: string;
  helpText: string;
  sectigoErrorCode: number | null;
}

const sentence = (text: string): string =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** The description of one code; `helpUri` is where the README explains it. */
export function describeFinding(code: FindingCode, helpUri: string): FindingDescription {
  const text = findingTexts[code];
  const severity = findingCodes[code];
  const fullMarkdown = sentence(text.when);
  const refusal =
    text.sectigoErrorCode === null
      ? ''
      : severity === 'error'
        ? ` Sectigo refuses such a request (errorCode ${text.sectigoErrorCode}).`
        : ` Sectigo may refuse such a request (errorCode ${text.sectigoErrorCode}).`;
  const helpMarkdown = [
    `**${text.title}** (\`${code}\`, ${severity})`,
    '',
    `Reported when: ${fullMarkdown}${refusal}`,
    '',
    `What to do: ${text.remedy}`,
    '',
    `[${code} in the sectigo-csr README](${helpUri})`,
  ].join('\n');
  const helpText = [
    `${text.title} (${code}, ${severity}).`,
    `Reported when: ${plainText(fullMarkdown)}${refusal}`,
    `What to do: ${plainText(text.remedy)}`,
    `More: ${helpUri}`,
  ].join('\n');
  return {
    code,
    severity,
    name: friendlyName(code),
    title: text.title,
    fullMarkdown,
    fullText: plainText(fullMarkdown),
    helpMarkdown,
    helpText,
    sectigoErrorCode: text.sectigoErrorCode,
  };
}
