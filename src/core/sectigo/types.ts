// The contract of the Sectigo API client: typed requests for the two endpoints,
// and the one result type every caller (CLI, VS Code) handles. Change it only by
// adding fields.

import type { SignatureHashOption } from '../csr/types';
import type { CallPlan } from './call-plan';

export type Endpoint = 'AutoReplaceSMIME' | 'AutoRevokeSSL';

export interface Credentials {
  loginName: string;
  loginPassword: string;
}

export type SignatureHash = SignatureHashOption;
export type LanguageName =
  'en' | 'zh' | 'da' | 'nl' | 'fr' | 'de' | 'it' | 'ja' | 'ko' | 'pt' | 'ru' | 'es' | 'sv' | 'tr';
/** 0 Unspecified, 1 keyCompromise, 3 affiliationChanged, 4 Superseded, 5 cessationOfOperation. */
export type RevocationCode = 0 | 1 | 3 | 4 | 5;

/** AutoReplaceSMIME parameters (credentials apart). Optional ones are sent only when set. */
export interface ReplaceSmimeParams {
  orderNumber: string;
  /** PEM or bare Base64, as the user has it. */
  csr: string;
  signatureHash?: SignatureHash;
  caCertificateID?: number;
  revokeOldOrder?: boolean;
  responseFormat?: 0 | 1 | 2;
  languageName?: LanguageName;
  SMIMEVerificationTemplateID?: number;
  SMIMERequestTemplateID?: number;
  SMIMECollectionTemplateID?: number;
}

/** AutoRevokeSSL parameters (credentials apart). Exactly one of orderNumber, certificateID, serialNumber. */
export interface RevokeSslParams {
  orderNumber?: string;
  certificateID?: string;
  serialNumber?: string;
  revocationReason: string;
  codeReason?: RevocationCode;
  test?: boolean;
  responseFormat?: 0 | 1;
}

/** What the error catalogue says about a code at one endpoint. */
export interface ErrorExplanation {
  /** The documented message for this code at this endpoint. */
  documentedMessage: string;
  /** Plain-language meaning. */
  meaning: string;
  /** What to do next. */
  nextStep: string;
  /** Whether retrying the same request later can succeed (-42, -22/-23/-26). */
  retryable: boolean;
}

export type ApiResult =
  | {
      kind: 'success';
      endpoint: Endpoint;
      errorCode: 0;
      /** AutoReplaceSMIME: the new order number, where the server returned one. */
      newOrderNumber?: string;
      responseFormat: 0 | 1 | 2;
      httpStatus: number;
      durationMs: number;
      /** How many requests were sent (revoke may retry once where that is safe); absent means 1. */
      attempts?: number;
      /** Something the user should know about how success was established. */
      note?: string;
    }
  | {
      kind: 'api-error';
      endpoint: Endpoint;
      errorCode: number;
      /** The server's own message. */
      errorMessage: string;
      explanation: ErrorExplanation;
      /** For -42: the earliest time a retry is sensible (ISO 8601). */
      retryAfter?: string;
      /** For -42: true when the server sent Retry-After (retryAfter follows it; otherwise it is a default). */
      retryAfterFromServer?: boolean;
      responseFormat: 0 | 1 | 2;
      httpStatus: number;
      durationMs: number;
      /** How many requests were sent; absent means 1. */
      attempts?: number;
    }
  | {
      /** Refused locally; nothing was sent. */
      kind: 'validation-error';
      endpoint: Endpoint;
      parameter: string;
      /** What the server would have answered: -3 missing, -4 invalid, -13 key size (from the CSR analysis). */
      predictedErrorCode: number;
      message: string;
    }
  | {
      kind: 'transport-error';
      endpoint: Endpoint;
      /** 'not-sent': certainly no effect; 'unknown': the request may have reached the server. */
      outcome: 'not-sent' | 'unknown';
      message: string;
      httpStatus?: number;
      /** The first bytes of an unexpected body, secrets removed. */
      bodyExcerpt?: string;
      durationMs: number;
    }
  | {
      kind: 'cancelled';
      endpoint: Endpoint;
      outcome: 'not-sent' | 'unknown';
      message: string;
    };

/** How long one call may take unless the user says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/**
 * The longest a user may let one call take, for the CLI's --timeout and the extension's setting
 * alike. An hour: the CLI has always accepted up to 3600 (its flags are a public interface, so the
 * range is kept), and a slow company proxy in front of a busy API may need far more than a minute;
 * a longer wait would only hide a dead connection.
 */
export const MAX_TIMEOUT_SECONDS = 3600;

export interface ClientOptions {
  /** Default 'https://secure.trust-provider.com/products/'. */
  baseUrl?: string;
  /** Default DEFAULT_TIMEOUT_SECONDS; at most MAX_TIMEOUT_SECONDS. */
  timeoutMs?: number;
  /** Explicit proxy URL; otherwise HTTPS_PROXY/HTTP_PROXY/NO_PROXY from env. */
  proxy?: string;
  /** Extra trusted CA certificates (PEM text), added to Node's defaults and NODE_EXTRA_CA_CERTS. */
  extraCaCertificates?: string[];
  /** Environment to read proxy variables from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Reuse connections between calls (default true); false opens a fresh connection for every call. */
  keepAlive?: boolean;
  /** Receives one redacted line per event; never a password or CSR body. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Send even when the local CSR analysis predicts -13. */
  allowPredictedRefusal?: boolean;
}

export interface SectigoApi {
  /**
   * Sends exactly this plan (planCall for this client's base URL): the request a person confirmed
   * is the request sent, with no second planning. A revocation is retried once after a lost answer,
   * a replace never; a refusal in the plan is the outcome unless allowPredictedRefusal overrides it.
   */
  send(plan: CallPlan, options?: CallOptions): Promise<ApiResult>;
  replaceSmime(credentials: Credentials, params: ReplaceSmimeParams, options?: CallOptions): Promise<ApiResult>;
  revokeSsl(credentials: Credentials, params: RevokeSslParams, options?: CallOptions): Promise<ApiResult>;
  close(): Promise<void>;
}
