// What Sectigo accepts in a CSR, defined once. No imports: the request validators and the
// VS Code adapters read these without loading the analysis.

/** The API's limit on the `csr` parameter, in characters. */
export const maxCsrCharacters = 32767;
/** What Sectigo answers for a csr over that limit (an invalid parameter). */
export const csrTooLongErrorCode = -4;
/** What Sectigo answers for a request whose key it will not certify ("unsupported key size"). */
export const keyRefusedErrorCode = -13;

export const minRsaBits = 2048;
export const maxRsaBits = 8192;
export const acceptedCurves = ['P-256', 'P-384', 'P-521'];
/** The key types Sectigo's document lists; anything else is a likely refusal. */
export const listedKeyTypes = 'RSA, EC';

export const rsaRangeText = `${minRsaBits} to ${maxRsaBits} bits`;
const curves = (conjunction: string): string =>
  `${acceptedCurves.slice(0, -1).join(', ')} ${conjunction} ${acceptedCurves.at(-1) ?? ''}`;
export const acceptedCurvesText = curves('and');
/** What a new key must be, in one phrase: the next step after a key refusal. */
export const acceptedKeysText = `RSA ${rsaRangeText}, or EC on ${curves('or')}`;

/** FIPS 186-4's largest DSA prime; no CA accepts a larger key, so a larger one is not verified. */
export const maxVerifiableDsaBits = 3072;
