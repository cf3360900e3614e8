// The error catalogue, per endpoint. The two documents number some codes the
// same but mean different things (-16: failed login at AutoReplaceSMIME,
// "permission denied" at AutoRevokeSSL; -20: revoked vs rejected), so every
// lookup takes the endpoint first and never falls back to the other one.
import { acceptedKeysText } from '../csr/limits';
import type { Endpoint, ErrorExplanation } from './types';

const misconfiguredBaseUrl =
  'Check the base URL (it must start with https:// and end with /products/) and any proxy between you and Sectigo: a proxy or gateway that rewrites the request can cause this.';

// Entries worded identically at both endpoints.
const getInsteadOfPost: ErrorExplanation = {
  documentedMessage: 'Request used GET rather than POST!',
  meaning: 'Sectigo received the call as GET, not POST.',
  nextStep: `A redirect (for example http:// to https://) or a proxy turned the POST into a GET. ${misconfiguredBaseUrl}`,
  retryable: false,
};

const callLimitReached: ErrorExplanation = {
  documentedMessage: 'Call limit reached! Please try again later',
  meaning: 'The account has made too many API calls.',
  nextStep: 'Wait before calling again (see the time of the next safe try); do not retry in a loop.',
  retryable: true,
};

const replaceCatalogue: Record<number, ErrorExplanation> = {
  [-1]: {
    documentedMessage: 'Request was not made over HTTPS!',
    meaning: 'Sectigo received the call over plain HTTP.',
    nextStep: misconfiguredBaseUrl,
    retryable: false,
  },
  [-2]: {
    documentedMessage: 'Unrecognized argument!',
    meaning: 'The request contained a parameter AutoReplaceSMIME does not know.',
    nextStep: 'Remove the unknown parameter; if this tool sent it, report it as a bug.',
    retryable: false,
  },
  [-3]: {
    documentedMessage: "The 'xxxx' argument is missing!",
    meaning: 'A required parameter was missing from the request.',
    nextStep: 'Supply the parameter named in the message (loginName, loginPassword, orderNumber or csr).',
    retryable: false,
  },
  [-4]: {
    documentedMessage: "The value of the 'xxxx' argument is invalid!",
    meaning: 'A parameter value was refused by Sectigo.',
    nextStep:
      'Correct the parameter named in the message: check the order number and that the CSR is a complete PKCS#10 request.',
    retryable: false,
  },
  [-13]: {
    documentedMessage: 'The CSR uses an unsupported key size!',
    meaning: 'The key in the CSR has a size Sectigo does not accept.',
    nextStep: `Generate a new key and CSR: ${acceptedKeysText}.`,
    retryable: false,
  },
  [-16]: {
    documentedMessage: 'Incorrect login details, account is locked, password has expired or your source IP is blocked.',
    meaning: 'Sectigo refused the login.',
    nextStep:
      "Check the login name and password (both case sensitive); check in the Sectigo portal whether the account is locked or the password has expired; and check that your public IP address is on the account's API allow-list.",
    retryable: false,
  },
  [-17]: getInsteadOfPost,
  [-20]: {
    documentedMessage: 'The Certificate has been Revoked!',
    meaning: 'The certificate of this order is revoked, so the order cannot be replaced.',
    nextStep: 'Place a new order instead of a replacement.',
    retryable: false,
  },
  [-22]: {
    documentedMessage: 'The certificate is currently being issued!',
    meaning: 'The order is still being issued.',
    nextStep: 'Wait until issuance has finished, then try the replacement again.',
    retryable: true,
  },
  [-42]: callLimitReached,
  [-91]: {
    documentedMessage: "Permission denied 'xxxx'",
    meaning: 'This login may not perform this action on this order.',
    nextStep:
      'Check the order belongs to this account, or ask the account administrator for the permission named in the message.',
    retryable: false,
  },
  [-136]: {
    documentedMessage: 'Wrong certificate state',
    meaning: 'The order is not in a state that allows a replacement (for example rejected, or not yet validated).',
    nextStep: 'Check the order status in the Sectigo portal; only an issued certificate can be replaced.',
    retryable: false,
  },
};

const revokeCatalogue: Record<number, ErrorExplanation> = {
  [-1]: {
    documentedMessage: 'Request was not made over https!',
    meaning: 'Sectigo received the call over plain HTTP.',
    nextStep: misconfiguredBaseUrl,
    retryable: false,
  },
  [-2]: {
    documentedMessage: 'Unrecognised argument!',
    meaning: 'The request contained a parameter AutoRevokeSSL does not know.',
    nextStep: 'Remove the unknown parameter; if this tool sent it, report it as a bug.',
    retryable: false,
  },
  [-3]: {
    documentedMessage: "The 'xxxx' argument is missing!",
    meaning: 'A required parameter was missing from the request.',
    nextStep:
      'Supply the parameter named in the message; give exactly one of order number, certificate ID or serial number.',
    retryable: false,
  },
  [-4]: {
    documentedMessage: "The value of the xxxx' argument is invalid!",
    meaning: 'A parameter value was refused by Sectigo.',
    nextStep:
      'Correct the parameter named in the message (order number and certificate ID are digits, the serial number is hexadecimal).',
    retryable: false,
  },
  [-14]: {
    documentedMessage: 'An unknown error occurred!',
    meaning: 'Sectigo failed for a reason it did not say.',
    nextStep:
      'Check the certificate status in the Sectigo portal before trying again; contact Sectigo support if it persists.',
    retryable: false,
  },
  [-16]: {
    documentedMessage: 'Permission denied!',
    meaning: 'This login has no permission for this certificate, or the login itself was refused.',
    nextStep:
      'Check the certificate belongs to this account; check the login name and password, whether the account is locked or its password expired, and that your public IP is on the API allow-list.',
    retryable: false,
  },
  [-17]: getInsteadOfPost,
  [-20]: {
    documentedMessage: 'The certificate request has been rejected!',
    meaning: 'The certificate request was rejected, so there is nothing to revoke.',
    nextStep: 'Nothing to do for this certificate.',
    retryable: false,
  },
  [-21]: {
    documentedMessage: 'The certificate has been revoked!',
    meaning: 'The certificate is already revoked.',
    nextStep: 'Nothing to do: the certificate is already revoked.',
    retryable: false,
  },
  [-23]: {
    documentedMessage: 'The certificate is currently being issued!',
    meaning: 'The certificate is still being issued (answered as -23 because no revocation reason was sent).',
    nextStep: 'Wait until issuance has finished, then revoke again (and give a revocation reason).',
    retryable: true,
  },
  [-26]: {
    documentedMessage: 'The certificate is currently being issued!',
    meaning: 'The certificate is still being issued.',
    nextStep: 'Wait until issuance has finished, then revoke again.',
    retryable: true,
  },
  // Not in the AutoRevokeSSL document, but a call limit is account-wide; explain it if it comes.
  [-42]: callLimitReached,
};

const catalogues: Record<Endpoint, Record<number, ErrorExplanation>> = {
  AutoReplaceSMIME: replaceCatalogue,
  AutoRevokeSSL: revokeCatalogue,
};

/** The documented codes of one endpoint, in the document's order. */
export function documentedErrorCodes(endpoint: Endpoint): number[] {
  const codes = Object.keys(catalogues[endpoint]).map(Number);
  // -42 is listed for AutoRevokeSSL only as a courtesy; it is not in that document.
  return (endpoint === 'AutoRevokeSSL' ? codes.filter((code) => code !== -42) : codes).sort((a, b) => b - a);
}

export function explainError(endpoint: Endpoint, code: number): ErrorExplanation {
  const known = catalogues[endpoint][code];
  if (known) return known;
  return {
    documentedMessage: '',
    meaning: `Error code ${code} is not in the ${endpoint} documentation.`,
    nextStep: 'Read the server message; check the order in the Sectigo portal before trying again.',
    retryable: false,
  };
}

/** Without a Retry-After header, how long to wait after -42 before the next try. */
export const DEFAULT_CALL_LIMIT_WAIT_MS = 10 * 60 * 1000;
/** A Retry-After further away than this is not believed (a server's mistake or a hostile one): the default applies. */
export const MAX_CALL_LIMIT_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * The time a Retry-After header names (milliseconds since the epoch): delta seconds or an HTTP
 * date. Undefined when absent, unreadable, negative or beyond MAX_CALL_LIMIT_WAIT_MS: such a
 * header is not believed. A date already past gives `now`. Never throws.
 */
export function readRetryAfter(header: string | readonly string[] | undefined, now: number): number | undefined {
  const value = (typeof header === 'string' ? header : header?.[0])?.trim() ?? '';
  let waitMs: number | undefined;
  if (/^[0-9]{1,12}$/.test(value)) waitMs = Number(value) * 1000;
  else if (/^[A-Za-z]{3},? /.test(value)) {
    const date = Date.parse(value);
    if (Number.isFinite(date)) waitMs = Math.max(0, date - now);
  }
  return waitMs !== undefined && Number.isFinite(now) && waitMs <= MAX_CALL_LIMIT_WAIT_MS ? now + waitMs : undefined;
}

/** When the next try is sensible: the Retry-After header if it is believed, else the default wait. Always a valid time. */
export function parseRetryAfter(header: string | readonly string[] | undefined, now: number): number {
  return readRetryAfter(header, now) ?? now + DEFAULT_CALL_LIMIT_WAIT_MS;
}
