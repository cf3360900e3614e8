// The rules: what Sectigo (or a careful CA) will refuse, and what it will do.
// Codes are a public interface: scripts and the editor match on them.
import { explicitParametersCurve } from './oids';
import type { DecodedRequest } from './pkcs10';
import { keyRulesFor } from './key-rules/all-rules';
import { rsaWeaknesses, type RsaWeaknesses } from './rsa-weakness';
import type { Finding, SignatureHashOption, SignatureInfo, SourceRange, SubjectPart } from './types';
import {
  acceptedCurves,
  acceptedCurvesText as curveList,
  csrTooLongErrorCode,
  keyRefusedErrorCode,
  listedKeyTypes,
  maxCsrCharacters,
  maxRsaBits,
  maxVerifiableDsaBits,
  minRsaBits,
  rsaRangeText as rsaRange,
} from './limits';
import { formatCount } from '../format-count';

export { acceptedCurves, acceptedKeysText, listedKeyTypes, maxCsrCharacters, maxRsaBits, minRsaBits } from './limits';
/** RSA moduli above this size are not tested for weaknesses (they are refused for their size). */
export const maxWeaknessCheckBits = 16384;

/** Sectigo's subject field limits, in characters. */
export const subjectLengthLimits: Record<string, number> = {
  CN: 64,
  O: 64,
  OU: 64,
  L: 128,
  ST: 128,
  street: 128,
  postalCode: 40,
  postOfficeBox: 40,
};

/** Every finding code with its severity, for documentation and tests. */
export const findingCodes = {
  'rsa-key-too-small': 'error',
  'rsa-key-too-large': 'error',
  'rsa-modulus-not-multiple-of-8': 'error',
  'ec-curve-unsupported': 'error',
  'key-algorithm-unlisted': 'warning',
  'rsa-exponent-even': 'error',
  'rsa-exponent-too-small': 'error',
  'rsa-exponent-not-65537': 'warning',
  'rsa-small-factor': 'error',
  'rsa-roca-vulnerable': 'error',
  'rsa-close-primes': 'error',
  'signature-hash-md2': 'error',
  'signature-hash-md4': 'error',
  'signature-hash-md5': 'error',
  'signature-hash-sha1': 'warning',
  'signature-invalid': 'error',
  'signature-unverifiable': 'warning',
  'no-email-address': 'warning',
  'subject-field-too-long': 'error',
  'subject-country-invalid': 'error',
  'csr-too-long': 'error',
  'csr-version-unexpected': 'warning',
  'challenge-password-present': 'info',
  'microsoft-template-copied': 'info',
  'extension-duplicate': 'error',
  'extension-value-invalid': 'error',
  'extension-value-malformed': 'warning',
  'attribute-malformed': 'warning',
  'der-not-strict': 'warning',
  'ia5-string-not-ascii': 'error',
  // Issue 32: what Sectigo's pre-issuance key checks refuse (key-rules/, one file each).
  'key-known-compromised': 'error',
  'rsa-exponent-not-below-modulus': 'error',
  'rsa-small-private-exponent': 'error',
  'rsa-modulus-polynomial-pattern': 'error',
  'rsa-exponent-out-of-range': 'warning',
  'rsa-shared-prime': 'error',
  'dsa-sparse-prime': 'error',
  'ec-point-invalid': 'error',
  'eddsa-point-invalid': 'error',
  'smime-key-encoding-not-allowed': 'error',
  'smime-key-p521-disputed': 'warning',
} as const;

export type FindingCode = keyof typeof findingCodes;

/** Hashes older than SHA-2: INFER_FROM_CSR treats a request signed with one as asking for SHA-1. */
function isPreSha2(hash: string | null): boolean {
  return hash === 'SHA-1' || hash === 'MD5' || hash === 'MD4' || hash === 'MD2';
}

const weakHashCodes = {
  MD2: 'signature-hash-md2',
  MD4: 'signature-hash-md4',
  MD5: 'signature-hash-md5',
  'SHA-1': 'signature-hash-sha1',
} as const;

/** The signatureHash value Sectigo ends up applying (INFER_FROM_CSR resolves to one of the others). */
export function effectiveSignatureHashOption(
  hash: string | null,
  option: SignatureHashOption,
): 'NO_PREFERENCE' | 'PREFER_SHA1' | 'PREFER_SHA2' | 'REQUIRE_SHA2' {
  if (option === 'INFER_FROM_CSR') return isPreSha2(hash) ? 'PREFER_SHA1' : 'PREFER_SHA2';
  return option;
}

/** What AutoReplaceSMIME's signatureHash option does with a CSR signed with `hash`, per Sectigo's document. */
export function explainSignatureHash(hash: string | null, option: SignatureHashOption): string {
  const signedWith = hash === null ? 'no separate hash (or an unknown one)' : hash;
  switch (option) {
    case 'NO_PREFERENCE':
      return 'NO_PREFERENCE (the default): Sectigo decides which hash signs the certificate.';
    case 'INFER_FROM_CSR':
      return isPreSha2(hash)
        ? `INFER_FROM_CSR: the CSR is signed with ${signedWith}, so Sectigo applies PREFER_SHA1 and may issue a SHA-1 certificate.`
        : `INFER_FROM_CSR: the CSR is signed with ${signedWith}, so Sectigo applies PREFER_SHA2: SHA-2 if a suitable SHA-2 capable Sub-CA is available, otherwise SHA-1.`;
    case 'PREFER_SHA2':
      return 'PREFER_SHA2: Sectigo uses SHA-2 if a suitable SHA-2 capable Sub-CA is available, otherwise it falls back to SHA-1.';
    case 'REQUIRE_SHA2':
      return 'REQUIRE_SHA2: Sectigo uses SHA-2 if a suitable SHA-2 capable Sub-CA is available; otherwise issuance is blocked until one becomes available.';
  }
}

export interface RuleContext {
  request: DecodedRequest;
  signature: SignatureInfo;
  subjectParts: SubjectPart[];
  /** Length of the canonical PEM a client sends as `csr`. */
  pemLength: number;
  anchor: SourceRange;
}

function hexBitLength(hex: string): number {
  return (hex.length - 1) * 4 + parseInt(hex[0] ?? '0', 16).toString(2).length;
}

export function evaluateRules(context: RuleContext): Finding[] {
  const { request, signature, anchor } = context;
  const findings: Finding[] = [];
  const add = (code: FindingCode, message: string, sectigoErrorCode: number | null): void => {
    findings.push({ severity: findingCodes[code], code, message, sectigoErrorCode, range: anchor });
  };

  if (context.pemLength > maxCsrCharacters) {
    add(
      'csr-too-long',
      `The request is ${formatCount(context.pemLength)} characters as PEM, over the API's limit of ${formatCount(maxCsrCharacters)} for csr.`,
      csrTooLongErrorCode,
    );
  }
  if (request.version !== 0) {
    add(
      'csr-version-unexpected',
      `The request's version field is ${request.version ?? 'out of range'}, where PKCS#10 defines only 0 (v1).`,
      null,
    );
  }

  const key = request.publicKey;
  let judged: RsaWeaknesses | null | undefined;
  /** The modulus's weak-key verdicts, once: past OpenSSL's 16,384-bit ceiling the key is refused anyway, and Fermat's square roots grow quadratically. */
  const judgedRsa = (): RsaWeaknesses | null => {
    if (judged !== undefined) return judged;
    const modulus = request.rsaModulus ?? 0n;
    const rsa = key.algorithm === 'RSA' || key.algorithm === 'RSASSA-PSS';
    judged =
      rsa && modulus > 1n && (key.size ?? 0) <= maxWeaknessCheckBits ? rsaWeaknesses(modulus, key.size ?? 0) : null;
    return judged;
  };
  if (key.algorithm === 'RSA' || key.algorithm === 'RSASSA-PSS') {
    const bits = key.size ?? 0;
    if (key.algorithm === 'RSASSA-PSS') {
      add(
        'key-algorithm-unlisted',
        `The key is an RSASSA-PSS key, which is not a key type Sectigo lists (${listedKeyTypes}).`,
        keyRefusedErrorCode,
      );
    }
    if (bits < minRsaBits)
      add('rsa-key-too-small', `The RSA key has ${bits} bits; Sectigo accepts ${rsaRange}.`, keyRefusedErrorCode);
    if (bits > maxRsaBits)
      add('rsa-key-too-large', `The RSA key has ${bits} bits; Sectigo accepts ${rsaRange}.`, keyRefusedErrorCode);
    if (bits % 8 !== 0)
      add(
        'rsa-modulus-not-multiple-of-8',
        `The RSA modulus is ${bits} bits, not a multiple of 8, which the S/MIME Baseline Requirements forbid.`,
        keyRefusedErrorCode,
      );
    const exponent = request.rsaExponent ?? 0n;
    // Said by size when long: a message is one sentence, and decimal conversion of a huge number is slow.
    const exponentText =
      exponent < 0n
        ? 'negative'
        : exponent >= 1n << 64n
          ? `a ${hexBitLength(exponent.toString(16))}-bit number`
          : exponent.toString();
    if (exponent % 2n === 0n)
      add('rsa-exponent-even', `The RSA public exponent ${exponentText} is even, so the key cannot work.`, null);
    if (exponent < 3n)
      add(
        'rsa-exponent-too-small',
        `The RSA public exponent ${exponentText} is below 3, which the Baseline Requirements forbid.`,
        null,
      );
    else if (exponent !== 65537n && exponent % 2n === 1n) {
      add(
        'rsa-exponent-not-65537',
        `The RSA public exponent is ${exponentText}, not the usual 65537; some CAs refuse it.`,
        null,
      );
    }
    const weaknesses = judgedRsa();
    if (weaknesses !== null) {
      const factor = weaknesses.smallFactor;
      if (factor !== null)
        add('rsa-small-factor', `The RSA modulus is divisible by ${factor}, so the key is trivially broken.`, null);
      if (weaknesses.roca)
        add(
          'rsa-roca-vulnerable',
          'The RSA modulus has the ROCA fingerprint (Infineon key generation, CVE-2017-15361), so its private key can be recovered.',
          null,
        );
      if (weaknesses.closePrimes)
        add(
          'rsa-close-primes',
          'The RSA primes are so close that Fermat factoring breaks the key in a few steps.',
          null,
        );
    }
  } else if (key.algorithm === 'EC') {
    if (key.curve === explicitParametersCurve) {
      add(
        'ec-curve-unsupported',
        `The EC key gives its curve as explicit parameters${key.size === null ? '' : ` (${key.size} bits)`} instead of a name, which RFC 5480 forbids; Sectigo accepts only ${curveList}.`,
        keyRefusedErrorCode,
      );
    } else if (!acceptedCurves.includes(key.curve ?? '')) {
      add(
        'ec-curve-unsupported',
        `The EC key uses curve ${key.curve}; Sectigo accepts only ${curveList}.`,
        keyRefusedErrorCode,
      );
    }
  } else if (key.algorithm === 'DSA' && (key.size ?? 0) > maxVerifiableDsaBits) {
    add(
      'key-algorithm-unlisted',
      `The key is DSA with ${key.size} bits, beyond FIPS 186-4's ${maxVerifiableDsaBits} bits, which no CA accepts; DSA is not a key type Sectigo lists (${listedKeyTypes}).`,
      keyRefusedErrorCode,
    );
  } else {
    add(
      'key-algorithm-unlisted',
      `The key algorithm ${key.algorithm} is not a key type Sectigo lists (${listedKeyTypes}).`,
      keyRefusedErrorCode,
    );
  }

  const keyContext = { request, rsa: judgedRsa };
  for (const rule of keyRulesFor(key.algorithm)) {
    const message = rule.check(keyContext);
    if (message !== null) add(rule.code, message, null);
  }

  const weakHash = signature.hash === null ? undefined : weakHashCodes[signature.hash as keyof typeof weakHashCodes];
  if (weakHash !== undefined) {
    // Short sentences; explainSignatureHash gives the full wording per option (hover, --json consumers).
    add(
      weakHash,
      `The request is signed with ${signature.hash}, which modern CAs refuse. Re-sign it with SHA-256, or send signatureHash REQUIRE_SHA2, which blocks issuance until a SHA-2 Sub-CA is available. With INFER_FROM_CSR, Sectigo applies PREFER_SHA1. NO_PREFERENCE lets Sectigo choose. PREFER_SHA2 falls back to SHA-1 when no SHA-2 Sub-CA is available.`,
      null,
    );
  }
  if (signature.valid === false) {
    add(
      'signature-invalid',
      `The request's signature does not verify with its own public key${signature.verifyError ? ` (${signature.verifyError})` : ''}, so it proves no possession of the private key.`,
      null,
    );
  } else if (signature.valid === null) {
    add(
      'signature-unverifiable',
      `The request's signature could not be checked: ${signature.verifyError ?? 'unknown reason'}.`,
      null,
    );
  }

  const subjectEmails = context.subjectParts.filter((part) => part.type === 'E' && part.value.includes('@'));
  if (request.sanEmails.length === 0 && subjectEmails.length === 0) {
    add(
      'no-email-address',
      'The request holds no email address (neither in the subject nor in the subject alternative names), and an S/MIME certificate certifies a mailbox.',
      null,
    );
  }
  for (const part of context.subjectParts) {
    const limit = subjectLengthLimits[part.type];
    const length = [...part.value].length;
    if (limit !== undefined && length > limit) {
      add(
        'subject-field-too-long',
        `The subject ${part.type} is ${length} characters, over Sectigo's limit of ${limit}.`,
        null,
      );
    }
    if (part.type === 'C' && !/^[A-Za-z]{2}$/.test(part.value)) {
      add(
        'subject-country-invalid',
        `The subject C is ${JSON.stringify(part.value.slice(0, 20))}; it must be exactly two letters (ISO 3166 code).`,
        null,
      );
    }
  }
  if (request.challengePassword) {
    add(
      'challenge-password-present',
      'The request carries a challenge password, which travels readable by anyone who sees the request and which the Sectigo API does not use.',
      null,
    );
  }
  for (const problem of request.problems) add(problem.code, problem.message, null);
  const template = request.microsoftTemplate;
  if (template !== null) {
    const named = template.v1 ? ` "${template.v1.name}"` : template.v2 ? ` ${template.v2.templateId}` : '';
    add(
      'microsoft-template-copied',
      `Sectigo copies the Microsoft certificate template extension${named} from the request into the certificate.`,
      null,
    );
  }
  return findings;
}
