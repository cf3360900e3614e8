// The Sectigo API client: validation first, then one POST per call over undici,
// with its own connection pool (keep-alive), proxy and trusted CAs. Every outcome
// becomes an ApiResult; nothing here throws for bad input or a bad network.
import { Agent, Dispatcher, ProxyAgent, request } from 'undici';
import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { isIP } from 'node:net';
import type { ApiResult, CallOptions, ClientOptions, Credentials, Endpoint, SectigoApi } from './types';
import { DEFAULT_CALL_LIMIT_WAIT_MS, explainError } from './errors';
import { predictCsrRefusal } from './csr-preflight';
import { redactParams, redactText } from './redact';
import { buildReplaceForm, buildRevokeForm, encodeForm, formToRecord, type FormFields } from './request';
import { parseAnswer } from './response';
import { validateCredentials, validateReplaceParams, validateRevokeParams } from './validate';

export const DEFAULT_BASE_URL = 'https://secure.trust-provider.com/products/';
export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 60 * 60_000;
const BODY_EXCERPT_LENGTH = 300;
/** Large enough for any documented answer; a bigger body is not an API answer. */
const MAX_BODY_BYTES = 1024 * 1024;

export const OUTCOME_UNKNOWN_REPLACE = 'outcome unknown: check the order before trying again';

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/** A message when the base URL cannot be used (for a settings field), else undefined. */
export function validateBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `The base URL "${value}" is not a URL.`;
  }
  if (url.username || url.password) return 'The base URL must not contain a user name or password.';
  if (url.search || url.hash) return 'The base URL must not contain a query (?) or fragment (#).';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? undefined
      : 'The base URL must use https:// (plain http:// is allowed only for a local test server on a loopback address); Sectigo would answer -1.';
  }
  return `The base URL must start with https:// (got ${url.protocol}).`;
}

export function endpointUrl(baseUrl: string, endpoint: Endpoint): string {
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}!${endpoint}`;
}

/** The proxy to use for a URL, from the explicit setting or HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY. */
export function proxyFor(targetUrl: string, explicitProxy: string | undefined, env: Record<string, string | undefined>): string | undefined {
  const url = new URL(targetUrl);
  const fromEnv = (name: string): string | undefined => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
  const proxy = explicitProxy || (url.protocol === 'https:' ? fromEnv('https_proxy') ?? fromEnv('http_proxy') : fromEnv('http_proxy'));
  if (!proxy) return undefined;
  const noProxy = fromEnv('no_proxy');
  if (noProxy && bypassesProxy(url, noProxy)) return undefined;
  return proxy;
}

function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\]$/g, ''));
    let entryHost = (match?.[1] ?? entry).replace(/^\[|\]$/g, '');
    const entryPort = match?.[2];
    if (entryPort && entryPort !== port) continue;
    entryHost = entryHost.replace(/^\*?\./, '.');
    if (entryHost.startsWith('.') ? host.endsWith(entryHost) || host === entryHost.slice(1) : host === entryHost) return true;
  }
  return false;
}

/** Node's own roots, NODE_EXTRA_CA_CERTS and the caller's extra certificates: passing `ca` replaces Node's defaults, so all three are listed. */
function trustedCertificates(options: ClientOptions, env: Record<string, string | undefined>, log: (level: 'warn', message: string) => void): string[] {
  const certificates = [...rootCertificates];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      certificates.push(readFileSync(extraFile, 'utf8'));
    } catch (error) {
      log('warn', `NODE_EXTRA_CA_CERTS names ${extraFile}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); continuing without it.`);
    }
  }
  certificates.push(...(options.extraCaCertificates ?? []));
  return certificates;
}

/** Records whether undici started writing the request: before that, the call certainly had no effect. */
class SendTracker extends Dispatcher {
  requestWritten = false;
  constructor(private readonly inner: Dispatcher) {
    super();
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const markSent = (): void => {
      this.requestWritten = true;
    };
    const tracked = new Proxy(handler, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'onConnect' || property === 'onRequestStart') {
          return (...args: unknown[]) => {
            markSent();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    return this.inner.dispatch(options, tracked);
  }
}

interface TransportFailure {
  message: string;
  /** The failure happened before the connection was usable: a retry is harmless. */
  beforeSending: boolean;
}

function describeNetworkError(error: unknown, url: URL, timeoutMs: number): TransportFailure {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { message: `No complete answer from ${where} within ${Math.round(timeoutMs / 1000)} s.`, beforeSending: false };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { message: `Could not connect to ${where} in time.`, beforeSending: true };
  if (code === 'ECONNREFUSED') return { message: `Nothing is listening at ${where} (connection refused).`, beforeSending: true };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { message: `The host name ${url.hostname} cannot be resolved.`, beforeSending: true };
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return {
      message: `The server's certificate at ${where} is not trusted (${code}). If a company proxy or a test server signs it, add its CA with --ca-file, the caFile setting or NODE_EXTRA_CA_CERTS.`,
      beforeSending: true,
    };
  }
  const text = `${err.message ?? ''}`;
  if (/proxy/i.test(text) && /tunnel|response/i.test(text)) return { message: `The proxy refused to connect to ${where}: ${redactText(text)}.`, beforeSending: true };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { message: `The connection to ${where} was closed before the answer was complete.`, beforeSending: false };
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return { message: `The answer from ${where} was cut off.`, beforeSending: false };
  return { message: `The call to ${where} failed: ${redactText(text || String(error))}${code ? ` (${code})` : ''}.`, beforeSending: false };
}

function retryAfterFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  let waitMs = DEFAULT_CALL_LIMIT_WAIT_MS;
  if (value !== undefined) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) waitMs = seconds * 1000;
    else if (!Number.isNaN(Date.parse(value))) waitMs = Math.max(0, Date.parse(value) - Date.now());
  }
  return new Date(Date.now() + waitMs).toISOString();
}

/** A TLS context from the trusted certificates; a certificate that cannot be read becomes a message, never a throw. */
function buildSecureContext(certificates: string[]): { secureContext: SecureContext; problem?: string } {
  try {
    return { secureContext: createSecureContext({ ca: certificates }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      secureContext: createSecureContext(),
      problem: `The extra CA certificates (the CA file setting, --ca-file or NODE_EXTRA_CA_CERTS) cannot be used: ${reason}. Nothing was sent.`,
    };
  }
}

export function createSectigoClient(options: ClientOptions = {}): SectigoApi {
  const env = options.env ?? process.env;
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, secrets: readonly string[] = []): void => {
    options.log?.(level, redactText(message, secrets));
  };
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  // A setting typed by hand can be 0, negative or absurd; AbortSignal.timeout would throw on some of those.
  const requestedTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutMs = Number.isFinite(requestedTimeout) && requestedTimeout > 0 ? Math.min(requestedTimeout, MAX_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  // One TLS context for every connection: parsing Node's ~150 roots again for each new
  // connection costs more than the handshake itself (see bench/revoke.bench.ts).
  const { secureContext, problem: trustProblem } = buildSecureContext(trustedCertificates(options, env, log));
  const keepAlive = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 10 * 60_000, connections: 8 };
  const reuseConnections = options.keepAlive !== false;
  const direct = new Agent({ ...keepAlive, connect: { secureContext } });
  const proxies = new Map<string, ProxyAgent>();
  let closed = false;

  function dispatcherFor(url: string): Dispatcher | string {
    const proxy = proxyFor(url, options.proxy, env);
    if (!proxy) return direct;
    let agent = proxies.get(proxy);
    if (!agent) {
      try {
        const proxyUrl = new URL(proxy);
        if (proxyUrl.protocol !== 'http:' && proxyUrl.protocol !== 'https:') return `The proxy "${redactText(proxy)}" must be an http:// or https:// URL.`;
        agent = new ProxyAgent({ uri: proxy, ...keepAlive, requestTls: { secureContext }, proxyTls: { secureContext } });
      } catch {
        return `The proxy setting "${redactText(proxy)}" is not a URL.`;
      }
      proxies.set(proxy, agent);
    }
    return agent;
  }

  async function send(endpoint: Endpoint, fields: FormFields, call: CallOptions): Promise<ApiResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const password = fields.find(([name]) => name === 'loginPassword')?.[1] ?? '';
    const secrets = [password];
    const baseProblem = validateBaseUrl(baseUrl);
    if (baseProblem) return { kind: 'validation-error', endpoint, parameter: 'baseUrl', predictedErrorCode: -1, message: baseProblem };
    if (closed) return { kind: 'transport-error', endpoint, outcome: 'not-sent', message: 'The client has been closed.', durationMs: 0 };
    if (trustProblem) return { kind: 'transport-error', endpoint, outcome: 'not-sent', message: trustProblem, durationMs: 0 };
    const url = endpointUrl(baseUrl, endpoint);
    const dispatcher = dispatcherFor(url);
    if (typeof dispatcher === 'string') return { kind: 'validation-error', endpoint, parameter: 'proxy', predictedErrorCode: -1, message: dispatcher };
    if (call.signal?.aborted) return { kind: 'cancelled', endpoint, outcome: 'not-sent', message: 'Cancelled before anything was sent.' };

    log('debug', `POST ${url} ${JSON.stringify(redactParams(formToRecord(fields)))}${dispatcher === direct ? '' : ' via proxy'}`, secrets);
    const tracker = new SendTracker(dispatcher);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let status: number;
    let contentType: string | undefined;
    let retryAfterHeader: string | string[] | undefined;
    let location: string | undefined;
    let body: string;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: tracker,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          accept: 'text/plain, application/x-www-form-urlencoded, application/json;q=0.9, */*;q=0.1',
        },
        body: encodeForm(fields),
        signal,
        // keepAlive: false closes the connection after each call (for comparison, or a proxy that mishandles reuse).
        reset: !reuseConnections,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      const typeHeader = response.headers['content-type'];
      contentType = Array.isArray(typeHeader) ? typeHeader[0] : typeHeader;
      retryAfterHeader = response.headers['retry-after'];
      const locationHeader = response.headers.location;
      location = Array.isArray(locationHeader) ? locationHeader[0] : locationHeader;
      const bytes = Buffer.from(await response.body.arrayBuffer());
      body = bytes.subarray(0, MAX_BODY_BYTES).toString('utf8');
    } catch (error) {
      const outcome = tracker.requestWritten ? 'unknown' : 'not-sent';
      if (call.signal?.aborted) {
        log('info', `${endpoint} cancelled (${outcome === 'unknown' ? 'the request may have reached the server' : 'nothing was sent'})`);
        return {
          kind: 'cancelled',
          endpoint,
          outcome,
          message: outcome === 'unknown' ? 'Cancelled after the request was sent: it may have taken effect.' : 'Cancelled before anything was sent.',
        };
      }
      const failure = describeNetworkError(error, new URL(url), timeoutMs);
      const certainlyNotSent = outcome === 'not-sent' || (failure.beforeSending && !tracker.requestWritten);
      const message = `${failure.message} ${certainlyNotSent ? 'Nothing was sent: the call had no effect.' : 'The request may have reached Sectigo.'}`;
      // 'info', not 'warn': the caller reports the result itself; a warning here would say it twice.
      log('info', `${endpoint} transport failure: ${message}`, secrets);
      return { kind: 'transport-error', endpoint, outcome: certainlyNotSent ? 'not-sent' : 'unknown', message, durationMs: elapsed() };
    }

    if (status >= 300 && status < 400) {
      // Redirects are not followed: a POST turned into a GET would answer -17, and the password must not follow a redirect elsewhere.
      const target = location ? redactText(location, secrets) : 'somewhere unnamed';
      const message = `The server answered with a redirect (HTTP ${status}) to ${target} instead of an API answer. Check the base URL. The request may have reached that server.`;
      log('info', `${endpoint} ${message}`, secrets);
      return { kind: 'transport-error', endpoint, outcome: 'unknown', message, httpStatus: status, durationMs: elapsed() };
    }
    const answer = parseAnswer(body, contentType);
    if (answer.kind === 'unexpected') {
      const excerpt = redactText(body.slice(0, BODY_EXCERPT_LENGTH), secrets);
      const message = `Not an answer from the Sectigo API: ${answer.reason} (HTTP ${status}${contentType ? `, ${contentType.split(';')[0]}` : ''}). The request may have reached Sectigo.`;
      log('info', `${endpoint} ${message} Body starts: ${JSON.stringify(excerpt)}`, secrets);
      return { kind: 'transport-error', endpoint, outcome: 'unknown', message, httpStatus: status, bodyExcerpt: excerpt, durationMs: elapsed() };
    }
    if (status !== 200) log('warn', `${endpoint} answered with HTTP ${status}; reading the API answer anyway.`);
    log('info', `${endpoint} answered errorCode ${answer.errorCode} (format ${answer.format}, HTTP ${status}, ${elapsed()} ms)`);
    if (answer.errorCode === 0) {
      return {
        kind: 'success',
        endpoint,
        errorCode: 0,
        ...(answer.newOrderNumber !== undefined && { newOrderNumber: answer.newOrderNumber }),
        responseFormat: answer.format,
        httpStatus: status,
        durationMs: elapsed(),
      };
    }
    const explanation = explainError(endpoint, answer.errorCode);
    return {
      kind: 'api-error',
      endpoint,
      errorCode: answer.errorCode,
      errorMessage: redactText(answer.errorMessage ?? explanation.documentedMessage, secrets),
      explanation,
      ...(answer.errorCode === -42 && { retryAfter: retryAfterFrom(retryAfterHeader) }),
      ...(answer.errorCode === -42 && retryAfterHeader !== undefined && { retryAfterFromServer: true }),
      responseFormat: answer.format,
      httpStatus: status,
      durationMs: elapsed(),
    };
  }

  function refusedLocally(endpoint: Endpoint, credentials: Credentials): ApiResult | undefined {
    const problem = validateCredentials(credentials);
    return problem && { kind: 'validation-error', endpoint, ...problem };
  }

  return {
    async replaceSmime(credentials, params, call = {}) {
      const endpoint = 'AutoReplaceSMIME';
      const refused = refusedLocally(endpoint, credentials);
      if (refused) return refused;
      const problem = validateReplaceParams(params);
      if (problem) return { kind: 'validation-error', endpoint, ...problem };
      const refusal = predictCsrRefusal(params.csr);
      if (refusal) {
        if (!call.allowPredictedRefusal) return { kind: 'validation-error', endpoint, parameter: 'csr', ...refusal };
        log('warn', `Sending although Sectigo will probably answer ${refusal.predictedErrorCode}: ${refusal.message}`);
      }
      // Never retried: a replacement creates an order, and nothing makes a second one harmless.
      const result = await send(endpoint, buildReplaceForm(credentials, params), call);
      if ((result.kind === 'transport-error' || result.kind === 'cancelled') && result.outcome === 'unknown') {
        return { ...result, message: `${result.message} Replacement ${OUTCOME_UNKNOWN_REPLACE}.` };
      }
      return result;
    },

    async revokeSsl(credentials, params, call = {}) {
      const endpoint = 'AutoRevokeSSL';
      const refused = refusedLocally(endpoint, credentials);
      if (refused) return refused;
      const problem = validateRevokeParams(params);
      if (problem) return { kind: 'validation-error', endpoint, ...problem };
      const fields = buildRevokeForm(credentials, params);
      const first = await send(endpoint, fields, call);
      // A revocation can be repeated safely: a second one answers -21 "already revoked".
      // So retry once when the answer was lost on a broken connection; not after a timeout (the user
      // already waited that long), and not when nothing was sent (refused, untrusted: a retry fails the same way).
      const retrySafe = first.kind === 'transport-error' && first.outcome === 'unknown' && !/within \d+ s/.test(first.message) && !call.signal?.aborted;
      if (!retrySafe) return first;
      log('info', `${endpoint}: retrying once after: ${first.message}`);
      const second = await send(endpoint, fields, call);
      if (second.kind === 'api-error' && second.errorCode === -21 && first.outcome === 'unknown' && params.test !== true) {
        return {
          kind: 'success',
          endpoint,
          errorCode: 0,
          responseFormat: second.responseFormat,
          httpStatus: second.httpStatus,
          durationMs: second.durationMs,
          attempts: 2,
          note: 'The first answer was lost; the retry says the certificate is revoked (-21), so the revocation is in effect (it may have been revoked earlier).',
        };
      }
      return second.kind === 'success' || second.kind === 'api-error' ? { ...second, attempts: 2 } : second;
    },

    async close() {
      closed = true;
      await Promise.all([direct.close(), ...[...proxies.values()].map((agent) => agent.close())]);
    },
  };
}
