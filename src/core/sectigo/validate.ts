// Local validation of every parameter of both endpoints, against the limits and
// values the two documents give. The per-field validators take what a person
// typed (a string) and return a message or undefined, so input boxes can call
// them on every keystroke; the whole-request validators name the parameter and
// the error code Sectigo would have answered (-3 missing, -4 invalid).
import { maxCsrCharacters } from '../csr/limits';
import { SIGNATURE_HASH_OPTIONS } from '../csr/types';
import type {
  Credentials,
  Endpoint,
  LanguageName,
  ReplaceSmimeParams,
  RevocationCode,
  RevokeSslParams,
  SignatureHash,
} from './types';

export const LIMITS = {
  loginName: 64,
  loginPassword: 128,
  orderNumber: 128,
  csr: maxCsrCharacters,
  revocationReason: 1024,
  serialNumberHexDigits: 34,
  certificateIdDigits: 16,
  signatureHash: 64,
} as const;

export const SIGNATURE_HASHES: readonly SignatureHash[] = SIGNATURE_HASH_OPTIONS;
export const LANGUAGE_NAMES: Readonly<Record<LanguageName, string>> = {
  en: 'English',
  zh: 'Chinese-Mandarin',
  da: 'Danish',
  nl: 'Dutch',
  fr: 'French',
  de: 'German',
  it: 'Italian',
  ja: 'Japanese',
  ko: 'Korean',
  pt: 'Portuguese',
  ru: 'Russian',
  es: 'Spanish',
  sv: 'Swedish',
  tr: 'Turkish',
};
/** codeReason values and their labels, capitalised alike (RFC 5280's keyCompromise etc. in words). */
export const REVOCATION_CODES = {
  0: 'Unspecified',
  1: 'Key compromise',
  3: 'Affiliation changed',
  4: 'Superseded',
  5: 'Cessation of operation',
} as const;

export function isRevocationCode(value: number): value is RevocationCode {
  return Object.hasOwn(REVOCATION_CODES, value);
}

export interface ParameterProblem {
  /** The parameter as the document names it. */
  parameter: string;
  /** -3 missing, -4 invalid: what the server would have answered. */
  predictedErrorCode: -3 | -4;
  message: string;
}

type FieldCheck = string | undefined;

function tooLong(label: string, value: string, max: number): FieldCheck {
  return value.length > max
    ? `${label} is ${value.length} characters long; Sectigo accepts at most ${max}.`
    : undefined;
}

function hasControlCharacter(value: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f]/.test(value);
}

export function validateLoginName(value: string): FieldCheck {
  if (value.length === 0) return 'The login name is required.';
  if (hasControlCharacter(value)) return 'The login name contains a control character (a stray newline or tab?).';
  return tooLong('The login name', value, LIMITS.loginName);
}

export function validateLoginPassword(value: string): FieldCheck {
  if (value.length === 0) return 'The password is required.';
  // Never echo the password or its characters back: only its length.
  return value.length > LIMITS.loginPassword
    ? `The password is longer than the ${LIMITS.loginPassword} characters Sectigo accepts.`
    : undefined;
}

const DIGITS = /^[0-9]+$/;

/**
 * AutoReplaceSMIME takes the order number as a string of up to 128 characters;
 * AutoRevokeSSL as an integer. Each endpoint keeps its own rule.
 */
export function validateOrderNumber(raw: string, endpoint: Endpoint = 'AutoReplaceSMIME'): FieldCheck {
  // A number pasted with a space around it is what the user meant: it is trimmed when sent (request.ts).
  const value = raw.trim();
  if (value.length === 0) return 'The order number is required.';
  if (endpoint === 'AutoRevokeSSL') {
    return DIGITS.test(value) ? undefined : 'For a revocation the order number must be digits only.';
  }
  if (hasControlCharacter(value)) return 'The order number contains a control character.';
  return tooLong('The order number', value, LIMITS.orderNumber);
}

export function validateCertificateId(value: string): FieldCheck {
  if (value.length === 0) return 'The certificate ID is required.';
  if (!DIGITS.test(value)) return 'The certificate ID must be digits only.';
  return value.length > LIMITS.certificateIdDigits
    ? `The certificate ID has ${value.length} digits; it has at most ${LIMITS.certificateIdDigits}.`
    : undefined;
}

/** Accepts the ways serials are shown (0x prefix, colons, spaces) and returns bare uppercase hex. */
export function normalizeSerialNumber(value: string): string {
  let hex = value.trim().replace(/[\s:]/g, '');
  if (/^0x/i.test(hex)) hex = hex.slice(2);
  return hex.toUpperCase();
}

export function validateSerialNumber(value: string): FieldCheck {
  const hex = normalizeSerialNumber(value);
  if (hex.length === 0) return 'The serial number is required.';
  if (!/^[0-9A-F]+$/.test(hex)) return 'The serial number must be hexadecimal (0-9, A-F; colons are allowed).';
  return hex.length > LIMITS.serialNumberHexDigits
    ? `The serial number has ${hex.length} hex digits; Sectigo accepts at most ${LIMITS.serialNumberHexDigits}.`
    : undefined;
}

export function validateRevocationReason(value: string): FieldCheck {
  if (value.trim().length === 0) return 'A revocation reason is required (it is kept for your reference).';
  // A newline or an escape sequence would be stored and shown back as if it were text.
  if (hasControlCharacter(value))
    return 'The revocation reason contains a control character (a newline, tab or escape); write it on one line of plain text.';
  return tooLong('The revocation reason', value, LIMITS.revocationReason);
}

/** "0 (Unspecified), 1 (Key compromise), … or 5 (Cessation of operation)", from REVOCATION_CODES. */
const REVOCATION_CODES_PHRASE = ((named: string[]) => `${named.slice(0, -1).join(', ')} or ${named.at(-1) ?? ''}`)(
  Object.entries(REVOCATION_CODES).map(([code, name]) => `${code} (${name})`),
);

/** A codeReason as typed (a flag, a CSV cell) or as given by an automation (a number): one of REVOCATION_CODES. */
export function validateCodeReason(value: string | number): FieldCheck {
  const text = String(value).trim();
  return /^[0-9]$/.test(text) && isRevocationCode(Number(text))
    ? undefined
    : `The reason code must be ${REVOCATION_CODES_PHRASE}.`;
}

/**
 * The CSR as a field: present, and within the API's length, checked before anything reads it.
 * What it holds is judged by the one CSR reading (core/csr, through csr-preflight.ts).
 */
export function validateCsrText(value: string): FieldCheck {
  if (value.trim().length === 0) return 'The CSR is required.';
  if (value.length > LIMITS.csr)
    return `The CSR is ${value.length} characters long; Sectigo accepts at most ${LIMITS.csr}.`;
  return undefined;
}

export function validateSignatureHash(value: string): FieldCheck {
  if (value.length > LIMITS.signatureHash)
    return `The signature hash is longer than ${LIMITS.signatureHash} characters.`;
  return (SIGNATURE_HASHES as readonly string[]).includes(value)
    ? undefined
    : `The signature hash must be one of ${SIGNATURE_HASHES.join(', ')}.`;
}

export function validateLanguageName(value: string): FieldCheck {
  return Object.hasOwn(LANGUAGE_NAMES, value)
    ? undefined
    : `The language must be one of the 14 two-letter codes: ${Object.keys(LANGUAGE_NAMES).join(', ')}.`;
}

/** caCertificateID and the three S/MIME template IDs: a positive integer. */
export function validateIntegerId(value: string, label = 'The ID'): FieldCheck {
  if (!DIGITS.test(value)) return `${label} must be a whole number (digits only).`;
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? undefined : `${label} must be a positive whole number.`;
}
export const validateCaCertificateId = (value: string): FieldCheck => validateIntegerId(value, 'The CA certificate ID');
export const validateTemplateId = (value: string): FieldCheck => validateIntegerId(value, 'The template ID');

/** The responseFormat values each endpoint's document lists: 0 newlines, 1 URL-encoded, 2 JSON (AutoReplaceSMIME only). */
export const RESPONSE_FORMATS = {
  AutoReplaceSMIME: [0, 1, 2],
  AutoRevokeSSL: [0, 1],
} as const satisfies Record<Endpoint, readonly number[]>;
export type ResponseFormatOf<E extends Endpoint> = (typeof RESPONSE_FORMATS)[E][number];

/** When the caller does not choose, ask for URL-encoded answers: both endpoints list format 1, and it survives messages with newlines. */
export const DEFAULT_RESPONSE_FORMAT = 1;

/** The format to ask of an endpoint for the one a person prefers (a setting): that one where the endpoint knows it, else the default. */
export function responseFormatFor<E extends Endpoint>(endpoint: E, preferred: unknown): ResponseFormatOf<E> {
  const known: readonly number[] = RESPONSE_FORMATS[endpoint];
  return (
    typeof preferred === 'number' && known.includes(preferred) ? preferred : DEFAULT_RESPONSE_FORMAT
  ) as ResponseFormatOf<E>;
}

export function validateResponseFormat(value: string, endpoint: Endpoint): FieldCheck {
  const allowed = RESPONSE_FORMATS[endpoint].map(String);
  return allowed.includes(value) ? undefined : `${endpoint} accepts response format ${allowed.join(', ')} only.`;
}

function problem(parameter: string, message: string, predictedErrorCode: -3 | -4 = -4): ParameterProblem {
  return { parameter, predictedErrorCode, message };
}

export function validateCredentials(credentials: Credentials): ParameterProblem | undefined {
  if (credentials.loginName.length === 0) return problem('loginName', 'The login name is required.', -3);
  const nameCheck = validateLoginName(credentials.loginName);
  if (nameCheck) return problem('loginName', nameCheck);
  if (credentials.loginPassword.length === 0) return problem('loginPassword', 'The password is required.', -3);
  const passwordCheck = validateLoginPassword(credentials.loginPassword);
  if (passwordCheck) return problem('loginPassword', passwordCheck);
  return undefined;
}

function checkOptionalInteger(
  parameter: string,
  value: number | undefined,
  label: string,
): ParameterProblem | undefined {
  if (value === undefined) return undefined;
  const check = Number.isInteger(value) ? validateIntegerId(String(value), label) : `${label} must be a whole number.`;
  return check ? problem(parameter, check) : undefined;
}

/** The first problem with an AutoReplaceSMIME request, or undefined when it may be sent. */
export function validateReplaceParams(params: ReplaceSmimeParams): ParameterProblem | undefined {
  if (!params.orderNumber) return problem('orderNumber', 'The order number is required.', -3);
  const order = validateOrderNumber(params.orderNumber, 'AutoReplaceSMIME');
  if (order) return problem('orderNumber', order);
  if (!params.csr || params.csr.trim().length === 0) return problem('csr', 'The CSR is required.', -3);
  const csr = validateCsrText(params.csr);
  if (csr) return problem('csr', csr);
  if (params.signatureHash !== undefined) {
    const check = validateSignatureHash(params.signatureHash);
    if (check) return problem('signatureHash', check);
  }
  const ca = checkOptionalInteger('caCertificateID', params.caCertificateID, 'The CA certificate ID');
  if (ca) return ca;
  if (params.revokeOldOrder !== undefined && typeof params.revokeOldOrder !== 'boolean')
    return problem('revokeOldOrder', 'revokeOldOrder must be yes or no.');
  if (params.responseFormat !== undefined) {
    const check = validateResponseFormat(String(params.responseFormat), 'AutoReplaceSMIME');
    if (check) return problem('responseFormat', check);
  }
  if (params.languageName !== undefined) {
    const check = validateLanguageName(params.languageName);
    if (check) return problem('languageName', check);
  }
  for (const name of ['SMIMEVerificationTemplateID', 'SMIMERequestTemplateID', 'SMIMECollectionTemplateID'] as const) {
    const check = checkOptionalInteger(name, params[name], `${name}`);
    if (check) return check;
  }
  return undefined;
}

/** The first problem with an AutoRevokeSSL request, or undefined when it may be sent. */
export function validateRevokeParams(params: RevokeSslParams): ParameterProblem | undefined {
  const given = (['orderNumber', 'certificateID', 'serialNumber'] as const).filter(
    (name) => params[name] !== undefined && params[name] !== '',
  );
  if (given.length === 0)
    return problem('orderNumber', 'Give exactly one of the order number, certificate ID or serial number.', -3);
  if (given.length > 1)
    return problem(
      given[1] ?? 'orderNumber',
      `Give only one of the order number, certificate ID or serial number (got ${given.join(' and ')}).`,
    );
  if (params.orderNumber !== undefined && params.orderNumber !== '') {
    const check = validateOrderNumber(params.orderNumber, 'AutoRevokeSSL');
    if (check) return problem('orderNumber', check);
  }
  if (params.certificateID !== undefined && params.certificateID !== '') {
    const check = validateCertificateId(params.certificateID);
    if (check) return problem('certificateID', check);
  }
  if (params.serialNumber !== undefined && params.serialNumber !== '') {
    const check = validateSerialNumber(params.serialNumber);
    if (check) return problem('serialNumber', check);
  }
  // The server still accepts an omitted reason (v1.00 compatibility) but the document calls it required.
  if (params.revocationReason === undefined || params.revocationReason.trim().length === 0) {
    return problem('revocationReason', 'A revocation reason is required (it is kept for your reference).', -3);
  }
  const reason = validateRevocationReason(params.revocationReason);
  if (reason) return problem('revocationReason', reason);
  if (params.codeReason !== undefined) {
    const check = validateCodeReason(String(params.codeReason));
    if (check) return problem('codeReason', check);
  }
  if (params.test !== undefined && typeof params.test !== 'boolean') return problem('test', 'test must be yes or no.');
  if (params.responseFormat !== undefined) {
    const check = validateResponseFormat(String(params.responseFormat), 'AutoRevokeSSL');
    if (check) return problem('responseFormat', check);
  }
  return undefined;
}
