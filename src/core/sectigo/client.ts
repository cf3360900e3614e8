// The Sectigo API client: validation first, then one POST per call over undici,
// with its own connection pool (keep-alive), proxy and trusted CAs. Every outcome
// becomes an ApiResult; nothing here throws for bad input or a bad network.
import { Agent, buildConnector, Dispatcher, ProxyAgent, request } from 'undici';
import { MAX_INPUT_FILE_BYTES, readBoundedFileSync } from '../bounded-read';
import dns from 'node:dns';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import {
  DEFAULT_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
  type ApiResult,
  type CallOptions,
  type ClientOptions,
  type SectigoApi,
} from './types';
import { explainError, parseRetryAfter, readRetryAfter } from './errors';
import { predictCsrRefusal } from './csr-preflight';
import { redactedServerPrefix, redactOwnText, redactServerText, urlSecrets } from './redact';
import { encodeForm } from './request';
import { parseAnswer } from './response';
import { PRODUCTION_BASE_URL, planCall, previewText, type CallPlan } from './call-plan';

export const DEFAULT_BASE_URL = PRODUCTION_BASE_URL;
export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;
const MAX_TIMEOUT_MS = MAX_TIMEOUT_SECONDS * 1000;
const BODY_EXCERPT_LENGTH = 300;
/** Large enough for any documented answer; a bigger body is not an API answer. */
const MAX_BODY_BYTES = 1024 * 1024;

export const OUTCOME_UNKNOWN_REPLACE = 'outcome unknown: check the order before trying again';

/** Whether an IP address is loopback: 127.0.0.0/8 or ::1, in any spelling (IPv4-mapped included). */
export function isLoopbackAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) !== 6) return false;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
  if (mapped !== undefined) return mapped.startsWith('127.');
  // isIP accepted it, so it has at most one '::' and words of up to four hex digits.
  const [head = '', tail] = host.split('::');
  const words = (text: string): number[] => (text ? text.split(':').map((word) => Number.parseInt(word, 16)) : []);
  const first = words(head);
  const last = tail === undefined ? [] : words(tail);
  const all =
    tail === undefined ? first : [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
  return all.length === 8 && all.slice(0, 7).every((word) => word === 0) && all[7] === 1;
}

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

/** The proxy to use for a URL, from the explicit setting or HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY. */
export function proxyFor(
  targetUrl: string,
  explicitProxy: string | undefined,
  env: Record<string, string | undefined>,
): string | undefined {
  const url = new URL(targetUrl);
  const fromEnv = (name: string): string | undefined => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
  const proxy =
    explicitProxy ||
    (url.protocol === 'https:' ? (fromEnv('https_proxy') ?? fromEnv('http_proxy')) : fromEnv('http_proxy'));
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
    if (entryHost.startsWith('.') ? host.endsWith(entryHost) || host === entryHost.slice(1) : host === entryHost)
      return true;
  }
  return false;
}

/** Node's own roots, NODE_EXTRA_CA_CERTS and the caller's extra certificates: passing `ca` replaces Node's defaults, so all three are listed. */
function trustedCertificates(
  options: ClientOptions,
  env: Record<string, string | undefined>,
  log: (level: 'warn', message: string) => void,
): string[] {
  const certificates = [...rootCertificates];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    const read = readBoundedFileSync(extraFile, MAX_INPUT_FILE_BYTES);
    if (read.kind === 'ok') certificates.push(read.bytes.toString('utf8'));
    else
      log(
        'warn',
        `NODE_EXTRA_CA_CERTS names ${extraFile}, which cannot be used (${read.reason}); continuing without it.`,
      );
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

const NOT_LOOPBACK = 'ERR_SECTIGO_NOT_LOOPBACK';

/** Plain HTTP to an address that is not loopback: refused before anything is sent. */
function notLoopback(hostname: string, address: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${address}, which is not a loopback address`);
  error.code = NOT_LOOPBACK;
  return error;
}

/** A DNS lookup that fails unless every address of the name is loopback: plain HTTP must not leave the machine. */
const loopbackOnlyLookup = ((
  hostname: string,
  options: dns.LookupOptions,
  callback: (...args: unknown[]) => void,
): void => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error);
      return;
    }
    const outside = addresses.find((entry) => !isLoopbackAddress(entry.address));
    const first = addresses[0];
    if (outside || !first) callback(notLoopback(hostname, outside?.address ?? 'no address'));
    else if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
}) as unknown as typeof dns.lookup;

/**
 * How one client connects: TLS with its own trust; plain HTTP only to loopback, checked on what the
 * name resolves to and again on the address connected to; a connect timeout no longer than a call's
 * deadline. Every connection still being set up is listed in `connecting`, so that a cancelled or
 * timed-out call ends it at once instead of waiting for a TLS handshake that may never complete.
 */
function connectorFor(
  secureContext: SecureContext,
  timeoutMs: number,
  connecting: Set<Socket>,
): buildConnector.connector {
  const secure = buildConnector({ secureContext, timeout: timeoutMs });
  const plain = buildConnector({ timeout: timeoutMs, lookup: loopbackOnlyLookup });
  return (options, callback) => {
    const isPlain = options.protocol === 'http:';
    // A holder rather than a const: the callback may in principle run before the socket is returned.
    const pending: { socket?: Socket } = {};
    const done: buildConnector.Callback = (...args) => {
      if (pending.socket) connecting.delete(pending.socket);
      const [error, connected] = args;
      if (error) callback(error, null);
      else if (isPlain && !isLoopbackAddress(connected.remoteAddress ?? '')) {
        connected.destroy();
        callback(notLoopback(options.hostname, connected.remoteAddress ?? 'an unknown address'), null);
      } else callback(null, connected);
    };
    // undici's connector returns the socket it is setting up, although its type says void.
    const socket = (isPlain ? plain : secure)(options, done) as unknown as Socket | undefined;
    pending.socket = socket;
    if (socket && !socket.destroyed) connecting.add(socket);
  };
}

interface TransportFailure {
  message: string;
  /** The failure happened before the connection was usable: a retry is harmless. */
  beforeSending: boolean;
}

function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** What went wrong, in words; the error's own text (which may echo a server or proxy) passes as server text. */
function describeNetworkError(
  error: unknown,
  url: URL,
  timeoutMs: number,
  proxy: URL | undefined,
  secrets: readonly string[],
): TransportFailure {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  // Through a proxy, this side only ever connects to the proxy: a refused, unresolvable or silent peer is the proxy.
  const proxyWhere = proxy && `the proxy ${proxy.hostname}${proxy.port ? `:${proxy.port}` : ''}`;
  if (proxyWhere && code === 'ECONNREFUSED')
    return { message: `Nothing is listening at ${proxyWhere} (connection refused).`, beforeSending: true };
  if (proxyWhere && (code === 'ENOTFOUND' || code === 'EAI_AGAIN'))
    return { message: `The host name of ${proxyWhere} cannot be resolved.`, beforeSending: true };
  if (proxyWhere && code === 'UND_ERR_CONNECT_TIMEOUT')
    return { message: `Could not connect to ${proxyWhere} in time.`, beforeSending: true };
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { message: `No complete answer from ${where} within ${seconds(timeoutMs)} s.`, beforeSending: false };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return { message: `Could not connect to ${where} in time.`, beforeSending: true };
  if (code === NOT_LOOPBACK)
    return {
      message: `Plain http:// is allowed only to a loopback address: ${err.message}. Use https://.`,
      beforeSending: true,
    };
  if (code === 'ECONNREFUSED')
    return { message: `Nothing is listening at ${where} (connection refused).`, beforeSending: true };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { message: `The host name ${url.hostname} cannot be resolved.`, beforeSending: true };
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return {
      message: `The server's certificate at ${where} is not trusted (${code}). If a company proxy or a test server signs it, add its CA with --ca-file, the caFile setting or NODE_EXTRA_CA_CERTS.`,
      beforeSending: true,
    };
  }
  const text = `${err.message ?? ''}`;
  if (/proxy/i.test(text) && /tunnel|response/i.test(text))
    return {
      message: `The proxy refused to connect to ${where}: ${redactServerText(text, secrets)}.`,
      beforeSending: true,
    };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { message: `The connection to ${where} was closed before the answer was complete.`, beforeSending: false };
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')
    return { message: `The answer from ${where} was cut off.`, beforeSending: false };
  return {
    message: `The call to ${where} failed: ${redactServerText(text || String(error), secrets)}${code ? ` (${code})` : ''}.`,
    beforeSending: false,
  };
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
  // A proxy's user name and password (from the setting or the environment) are secrets as well as the login password.
  const proxySecrets = [options.proxy, env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy].flatMap(
    (value) => (value ? urlSecrets(value) : []),
  );
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, secrets: readonly string[] = []): void => {
    options.log?.(level, redactOwnText(message, [...secrets, ...proxySecrets]));
  };
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  // A setting typed by hand can be 0, negative or absurd; AbortSignal.timeout would throw on some of those.
  const requestedTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutMs =
    Number.isFinite(requestedTimeout) && requestedTimeout > 0
      ? Math.min(requestedTimeout, MAX_TIMEOUT_MS)
      : DEFAULT_TIMEOUT_MS;
  // One TLS context for every connection: parsing Node's ~150 roots again for each new
  // connection costs more than the handshake itself (see bench/revoke.bench.ts).
  const { secureContext, problem: trustProblem } = buildSecureContext(trustedCertificates(options, env, log));
  const keepAlive = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 10 * 60_000, connections: 8 };
  const reuseConnections = options.keepAlive !== false;
  const connecting = new Set<Socket>();
  let callsInFlight = 0;
  const direct = new Agent({ ...keepAlive, connect: connectorFor(secureContext, timeoutMs, connecting) });
  const proxies = new Map<string, ProxyAgent>();
  let closed = false;
  /** Whether a call ended by its deadline or a cancellation: undici may still hold its request. */
  let abandoned = false;

  function dispatcherFor(url: string): Dispatcher | string {
    const proxy = proxyFor(url, options.proxy, env);
    if (!proxy) return direct;
    let agent = proxies.get(proxy);
    if (!agent) {
      try {
        const proxyUrl = new URL(proxy);
        if (proxyUrl.protocol !== 'http:' && proxyUrl.protocol !== 'https:')
          return `The proxy "${redactOwnText(proxy, proxySecrets)}" must be an http:// or https:// URL.`;
        agent = new ProxyAgent({
          uri: proxy,
          ...keepAlive,
          requestTls: { secureContext, timeout: timeoutMs },
          proxyTls: { secureContext, timeout: timeoutMs },
        });
      } catch {
        return `The proxy setting "${redactOwnText(proxy, proxySecrets)}" is not a URL.`;
      }
      proxies.set(proxy, agent);
    }
    return agent;
  }

  /**
   * Sends exactly plan.form to plan.url (what the preview showed is what goes out), ended at
   * `deadlineAt` (Date.now() time) at the latest: a retry shares its call's deadline.
   */
  async function send(plan: CallPlan, call: CallOptions, deadlineAt = Date.now() + timeoutMs): Promise<ApiResult> {
    const { endpoint, form: fields, url } = plan;
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const password = fields.find(([name]) => name === 'loginPassword')?.[1] ?? '';
    const secrets = [password, ...proxySecrets];
    const baseProblem = validateBaseUrl(baseUrl);
    if (baseProblem)
      return { kind: 'validation-error', endpoint, parameter: 'baseUrl', predictedErrorCode: -1, message: baseProblem };
    if (closed)
      return {
        kind: 'transport-error',
        endpoint,
        outcome: 'not-sent',
        message: 'The client has been closed.',
        durationMs: 0,
      };
    if (trustProblem)
      return { kind: 'transport-error', endpoint, outcome: 'not-sent', message: trustProblem, durationMs: 0 };
    const dispatcher = dispatcherFor(url);
    if (typeof dispatcher === 'string')
      return { kind: 'validation-error', endpoint, parameter: 'proxy', predictedErrorCode: -1, message: dispatcher };
    if (call.signal?.aborted)
      return { kind: 'cancelled', endpoint, outcome: 'not-sent', message: 'Cancelled before anything was sent.' };

    log('debug', `${previewText(plan)}${dispatcher === direct ? '' : '\n(via proxy)'}`, secrets);
    const tracker = new SendTracker(dispatcher);
    // The deadline is a timer of our own, not AbortSignal.timeout: that one is unref'd, and a call
    // stuck where undici holds no live handle (a proxy that never answers CONNECT) would let the
    // process exit silently instead of reporting the timeout.
    const timeout = new AbortController();
    const remainingMs = Math.max(1, deadlineAt - Date.now());
    const deadline = setTimeout(
      () => timeout.abort(new DOMException(`The call took longer than ${timeoutMs} ms.`, 'TimeoutError')),
      remainingMs,
    );
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    // And undici does not always give up when the signal fires: the call stops waiting for it at once.
    const ended = new Promise<never>((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    ended.catch(() => undefined);
    // undici does not abandon a connection being set up when the signal fires: end it here, in every phase.
    // Destroyed with an error: undici learns of a failed connection only through its 'error' event.
    // The body too: its end must not depend on undici honouring the signal.
    let answerBody: { destroy(error?: Error): unknown } | undefined;
    // A connection being set up is not yet any one call's (undici gives it to whichever request is
    // queued): while other calls share this client (a bulk run, the editor's pooled client), they
    // keep it, and their own deadlines bound it. This call stops waiting at once either way.
    const endConnecting = (): void => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error('The call was ended.');
      if (callsInFlight === 1) for (const socket of connecting) socket.destroy(reason);
      answerBody?.destroy(reason);
    };
    signal.addEventListener('abort', endConnecting, { once: true });
    callsInFlight += 1;
    let answerTooLarge = false;
    let status: number;
    let contentType: string | undefined;
    let retryAfterHeader: string | string[] | undefined;
    let location: string | undefined;
    let body: string;
    try {
      const pending = request(url, {
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
        headersTimeout: remainingMs,
        bodyTimeout: remainingMs,
      });
      const response = await Promise.race([pending, ended]);
      answerBody = response.body;
      status = response.statusCode;
      const typeHeader = response.headers['content-type'];
      contentType = Array.isArray(typeHeader) ? typeHeader[0] : typeHeader;
      retryAfterHeader = response.headers['retry-after'];
      const locationHeader = response.headers.location;
      location = Array.isArray(locationHeader) ? locationHeader[0] : locationHeader;
      // Streamed and stopped at the cap: a 100 MB answer never costs more than MAX_BODY_BYTES.
      const chunks: Buffer[] = [];
      let size = 0;
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) answerTooLarge = true;
      else {
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > MAX_BODY_BYTES) {
            answerTooLarge = true;
            break;
          }
          chunks.push(chunk as Buffer);
        }
      }
      if (answerTooLarge) response.body.destroy();
      body = Buffer.concat(chunks).toString('utf8');
    } catch (error) {
      const outcome = tracker.requestWritten ? 'unknown' : 'not-sent';
      if (call.signal?.aborted) {
        log(
          'info',
          `${endpoint} cancelled (${outcome === 'unknown' ? 'the request may have reached the server' : 'nothing was sent'})`,
        );
        return {
          kind: 'cancelled',
          endpoint,
          outcome,
          message:
            outcome === 'unknown'
              ? 'Cancelled after the request was sent: it may have taken effect.'
              : 'Cancelled before anything was sent.',
        };
      }
      const proxy = dispatcher === direct ? undefined : proxyFor(url, options.proxy, env);
      const through = proxy === undefined ? '' : ` through the proxy ${new URL(proxy).host}`;
      const failure =
        timeout.signal.aborted && !tracker.requestWritten
          ? {
              message: `Could not connect to ${new URL(url).host}${through} within ${seconds(timeoutMs)} s.`,
              beforeSending: true,
            }
          : describeNetworkError(
              timeout.signal.aborted ? timeout.signal.reason : error,
              new URL(url),
              timeoutMs,
              proxy === undefined ? undefined : new URL(proxy),
              secrets,
            );
      const certainlyNotSent = outcome === 'not-sent' || (failure.beforeSending && !tracker.requestWritten);
      const message = redactOwnText(
        `${failure.message} ${certainlyNotSent ? 'Nothing was sent: the call had no effect.' : 'The request may have reached Sectigo.'}`,
        secrets,
      );
      // 'info', not 'warn': the caller reports the result itself; a warning here would say it twice.
      log('info', `${endpoint} transport failure: ${message}`, secrets);
      return {
        kind: 'transport-error',
        endpoint,
        outcome: certainlyNotSent ? 'not-sent' : 'unknown',
        message,
        durationMs: elapsed(),
      };
    } finally {
      callsInFlight -= 1;
      signal.removeEventListener('abort', endConnecting);
      clearTimeout(deadline);
      if (signal.aborted) abandoned = true;
    }

    // An answer that is no API answer: the request was sent, so its outcome is unknown.
    const notAnApiAnswer = (message: string, logged: string, bodyExcerpt?: string): ApiResult => {
      log('info', `${endpoint} ${logged}`, secrets);
      return {
        kind: 'transport-error',
        endpoint,
        outcome: 'unknown',
        message,
        httpStatus: status,
        ...(bodyExcerpt !== undefined && { bodyExcerpt }),
        durationMs: elapsed(),
      };
    };

    if (answerTooLarge) {
      const message = `The answer from ${new URL(url).host} is too large (over ${MAX_BODY_BYTES / 1024 / 1024} MiB): it is not an API answer, so reading stopped there. The request may have reached Sectigo.`;
      return notAnApiAnswer(message, message);
    }

    if (status >= 300 && status < 400) {
      // Redirects are not followed: a POST turned into a GET would answer -17, and the password must not follow a redirect elsewhere.
      const target = location ? redactServerText(location, secrets) : 'somewhere unnamed';
      const message = `The server answered with a redirect (HTTP ${status}) to ${target} instead of an API answer. Check the base URL. The request may have reached that server.`;
      return notAnApiAnswer(message, message);
    }
    const answer = parseAnswer(body, contentType);
    if (answer.kind === 'unexpected') {
      const excerpt = redactedServerPrefix(body, BODY_EXCERPT_LENGTH, secrets);
      const message = `Not an answer from the Sectigo API: ${answer.reason} (HTTP ${status}${contentType ? `, ${redactServerText(contentType.split(';')[0] ?? '', secrets)}` : ''}). The request may have reached Sectigo.`;
      return notAnApiAnswer(message, `${message} Body starts: ${JSON.stringify(excerpt)}`, excerpt);
    }
    if (status !== 200) log('warn', `${endpoint} answered with HTTP ${status}; reading the API answer anyway.`);
    log(
      'info',
      `${endpoint} answered errorCode ${answer.errorCode} (format ${answer.format}, HTTP ${status}, ${elapsed()} ms)`,
    );
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
      errorMessage: redactServerText(answer.errorMessage ?? explanation.documentedMessage, secrets),
      explanation,
      ...(answer.errorCode === -42 && {
        retryAfter: new Date(parseRetryAfter(retryAfterHeader, Date.now())).toISOString(),
      }),
      // Whether the wait came from the server (a believable Retry-After) or is our default: a bulk run paces itself by the first.
      ...(answer.errorCode === -42 &&
        readRetryAfter(retryAfterHeader, Date.now()) !== undefined && { retryAfterFromServer: true }),
      responseFormat: answer.format,
      httpStatus: status,
      durationMs: elapsed(),
    };
  }

  return {
    async replaceSmime(credentials, params, call = {}) {
      const endpoint = 'AutoReplaceSMIME';
      const plan = planCall(
        { endpoint, params },
        { loginName: credentials.loginName, baseUrl },
        credentials,
        predictCsrRefusal,
      );
      const refusal = plan.refusal;
      if (refusal) {
        const { overridable, ...problem } = refusal;
        if (!overridable || !call.allowPredictedRefusal) return { kind: 'validation-error', endpoint, ...problem };
        log('warn', `Sending although Sectigo will probably answer ${refusal.predictedErrorCode}: ${refusal.message}`);
      }
      // Never retried: a replacement creates an order, and nothing makes a second one harmless.
      const result = await send(plan, call);
      if ((result.kind === 'transport-error' || result.kind === 'cancelled') && result.outcome === 'unknown') {
        return { ...result, message: `${result.message} Replacement ${OUTCOME_UNKNOWN_REPLACE}.` };
      }
      return result;
    },

    async revokeSsl(credentials, params, call = {}) {
      const endpoint = 'AutoRevokeSSL';
      const plan = planCall({ endpoint, params }, { loginName: credentials.loginName, baseUrl }, credentials);
      if (plan.refusal)
        return {
          kind: 'validation-error',
          endpoint,
          parameter: plan.refusal.parameter,
          predictedErrorCode: plan.refusal.predictedErrorCode,
          message: plan.refusal.message,
        };
      const deadlineAt = Date.now() + timeoutMs;
      const first = await send(plan, call, deadlineAt);
      // A revocation can be repeated safely: a second one answers -21 "already revoked".
      // So retry once when the answer was lost on a broken connection; not after a timeout (the user
      // already waited that long), and not when nothing was sent (refused, untrusted: a retry fails the same way).
      // The retry shares the first attempt's deadline: one --timeout bounds the whole revocation.
      const retrySafe =
        first.kind === 'transport-error' &&
        first.outcome === 'unknown' &&
        !/within \d+ s|too large/.test(first.message) &&
        !call.signal?.aborted &&
        Date.now() < deadlineAt;
      if (!retrySafe) return first;
      log('info', `${endpoint}: retrying once after: ${first.message}`);
      const second = await send(plan, call, deadlineAt);
      if (
        second.kind === 'api-error' &&
        second.errorCode === -21 &&
        first.outcome === 'unknown' &&
        params.test !== true
      ) {
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
      // After a call given up on, undici may still hold its request: close() would wait for it, destroy() does not.
      await Promise.all([direct, ...proxies.values()].map((agent) => (abandoned ? agent.destroy() : agent.close())));
    },
  };
}
