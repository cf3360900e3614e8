// How a request reaches Sectigo: the route (direct or through a proxy) and the rule on it, TLS
// trust, one POST with its deadline and body cap, and every failure as a typed reason. It knows
// nothing of the API: the verbs (client.ts) decide what an answer means and whether to retry,
// from the reason, never from wording.
import { Agent, buildConnector, Dispatcher, ProxyAgent, request } from 'undici';
import dns from 'node:dns';
import type { SecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, type ClientOptions } from './types';
import { buildSecureContext, trustedCertificates } from './trust';
import { redactOwnText, redactServerText } from './redact';
import { isLoopbackAddress, proxySecretsOf, routeFor, type Route } from './route';

export { isLoopbackAddress, proxyFor, validateBaseUrl } from './route';

export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;
const MAX_TIMEOUT_MS = MAX_TIMEOUT_SECONDS * 1000;
/** Large enough for any documented answer; a bigger body is not an API answer. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Why a request got no usable answer. The verbs decide on this (retry or not), so a new wording
 * of a message can never change what is done.
 */
export type FailureReason =
  /** The client was closed before the call. */
  | 'closed'
  /** The extra CA certificates cannot be used. */
  | 'trust-setup'
  /** No connection within the deadline (nothing was sent). */
  | 'connect-timeout'
  /** Sent, but no complete answer within the deadline. */
  | 'timeout'
  | 'connection-refused'
  | 'name-unresolved'
  /** Plain HTTP to an address that is not loopback (refused by the connector). */
  | 'not-loopback'
  | 'untrusted-certificate'
  /** A proxy refused the tunnel. */
  | 'proxy-refused'
  /** The connection closed before the answer was complete. */
  | 'connection-lost'
  /** The body was shorter than its Content-Length. */
  | 'cut-off'
  /** The body is over MAX_BODY_BYTES: reading stopped. */
  | 'too-large'
  /** Any other network failure. */
  | 'network';

/** What one POST came to. Every string in it is safe to show (secrets removed). */
export type Exchange =
  | {
      /** A local rule refused the route (scheme, base URL or proxy): nothing was sent. */
      kind: 'refused';
      parameter: 'baseUrl' | 'proxy';
      message: string;
    }
  | {
      kind: 'failed';
      reason: FailureReason;
      outcome: 'not-sent' | 'unknown';
      message: string;
      httpStatus?: number;
      durationMs: number;
    }
  | { kind: 'cancelled'; outcome: 'not-sent' | 'unknown'; message: string }
  | {
      kind: 'answered';
      status: number;
      contentType?: string;
      retryAfter?: string | string[];
      location?: string;
      body: Buffer;
      durationMs: number;
    };

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
 * How one client connects directly: TLS with its own trust; plain HTTP only to loopback, checked on
 * what the name resolves to and again on the address connected to; a connect timeout no longer than
 * a call's deadline. Every connection still being set up is listed in `connecting`, so that a
 * cancelled or timed-out call ends it at once instead of waiting for a TLS handshake that may never
 * complete.
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

interface Failure {
  reason: FailureReason;
  message: string;
  /** The failure happened before the connection was usable: nothing reached the server. */
  beforeSending: boolean;
}

function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** What went wrong, typed and in words; the error's own text (which may echo a server or proxy) passes as server text. */
function describeNetworkError(
  error: unknown,
  url: URL,
  timeoutMs: number,
  proxy: URL | undefined,
  secrets: readonly string[],
): Failure {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  // Through a proxy, this side only ever connects to the proxy: a refused, unresolvable or silent peer is the proxy.
  const proxyWhere = proxy && `the proxy ${proxy.hostname}${proxy.port ? `:${proxy.port}` : ''}`;
  const failure = (reason: FailureReason, message: string, beforeSending: boolean): Failure => ({
    reason,
    message,
    beforeSending,
  });
  if (proxyWhere && code === 'ECONNREFUSED')
    return failure('connection-refused', `Nothing is listening at ${proxyWhere} (connection refused).`, true);
  if (proxyWhere && (code === 'ENOTFOUND' || code === 'EAI_AGAIN'))
    return failure('name-unresolved', `The host name of ${proxyWhere} cannot be resolved.`, true);
  if (proxyWhere && code === 'UND_ERR_CONNECT_TIMEOUT')
    return failure('connect-timeout', `Could not connect to ${proxyWhere} in time.`, true);
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return failure('timeout', `No complete answer from ${where} within ${seconds(timeoutMs)} s.`, false);
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return failure('connect-timeout', `Could not connect to ${where} in time.`, true);
  if (code === NOT_LOOPBACK)
    return failure(
      'not-loopback',
      `Plain http:// is allowed only to a loopback address: ${err.message}. Use https://.`,
      true,
    );
  if (code === 'ECONNREFUSED')
    return failure('connection-refused', `Nothing is listening at ${where} (connection refused).`, true);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return failure('name-unresolved', `The host name ${url.hostname} cannot be resolved.`, true);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
    return failure(
      'untrusted-certificate',
      `The server's certificate at ${where} is not trusted (${code}). If a company proxy or a test server signs it, add its CA with --ca-file, the caFile setting or NODE_EXTRA_CA_CERTS.`,
      true,
    );
  const text = `${err.message ?? ''}`;
  // undici names no code for a refused CONNECT: its message is the only sign.
  if (proxy && /proxy/i.test(text) && /tunnel|response/i.test(text))
    return failure(
      'proxy-refused',
      `The proxy refused to connect to ${where}: ${redactServerText(text, secrets)}.`,
      true,
    );
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return failure('connection-lost', `The connection to ${where} was closed before the answer was complete.`, false);
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')
    return failure('cut-off', `The answer from ${where} was cut off.`, false);
  return failure(
    'network',
    `The call to ${where} failed: ${redactServerText(text || String(error), secrets)}${code ? ` (${code})` : ''}.`,
    false,
  );
}

export interface PostRequest {
  /** What the log lines of this request start with (the endpoint). */
  label: string;
  url: string;
  /** The form body, exactly as previewed. */
  body: string;
  /** Removed from every message and log line of this request (the login password). */
  secrets: readonly string[];
  signal?: AbortSignal;
  /** Date.now() time by which the call ends at the latest: a retry shares its call's deadline. */
  deadlineAt: number;
  /** The request as the debug log shows it (password and CSR masked). */
  preview: string;
}

export interface Transport {
  /** The deadline of one call, after the bounds. */
  readonly timeoutMs: number;
  /** Credentials of every proxy setting: removed from everything the client says. */
  readonly proxySecrets: readonly string[];
  post(request: PostRequest): Promise<Exchange>;
  close(): Promise<void>;
}

export type TransportLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  secrets?: readonly string[],
) => void;

export function createTransport(options: ClientOptions, log: TransportLog): Transport {
  const env = options.env ?? process.env;
  // A setting typed by hand can be 0, negative or absurd; AbortSignal.timeout would throw on some of those.
  const requestedTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutMs =
    Number.isFinite(requestedTimeout) && requestedTimeout > 0
      ? Math.min(requestedTimeout, MAX_TIMEOUT_MS)
      : DEFAULT_TIMEOUT_MS;
  const proxySecrets = proxySecretsOf(options, env);
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

  function dispatcherFor(route: Extract<Route, { kind: 'direct' | 'proxy' }>): Dispatcher {
    if (route.kind === 'direct') return direct;
    const key = route.proxy.href;
    let agent = proxies.get(key);
    if (!agent) {
      // Only for https:// targets (routeFor refuses plain HTTP through a proxy): the proxy sees a tunnel, never the form.
      agent = new ProxyAgent({
        uri: key,
        ...keepAlive,
        requestTls: { secureContext, timeout: timeoutMs },
        proxyTls: { secureContext, timeout: timeoutMs },
      });
      proxies.set(key, agent);
    }
    return agent;
  }

  async function post(call: PostRequest): Promise<Exchange> {
    const { url } = call;
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const secrets = [...call.secrets, ...proxySecrets];
    const route = routeFor(url, options.proxy, env);
    if (route.kind === 'refused') return route;
    if (closed)
      return {
        kind: 'failed',
        reason: 'closed',
        outcome: 'not-sent',
        message: 'The client has been closed.',
        durationMs: 0,
      };
    if (trustProblem)
      return { kind: 'failed', reason: 'trust-setup', outcome: 'not-sent', message: trustProblem, durationMs: 0 };
    if (call.signal?.aborted)
      return { kind: 'cancelled', outcome: 'not-sent', message: 'Cancelled before anything was sent.' };
    const dispatcher = dispatcherFor(route);

    log('debug', `${call.preview}${route.kind === 'proxy' ? `\n(via the proxy ${route.shown})` : ''}`, secrets);
    const tracker = new SendTracker(dispatcher);
    // The deadline is a timer of our own, not AbortSignal.timeout: that one is unref'd, and a call
    // stuck where undici holds no live handle (a proxy that never answers CONNECT) would let the
    // process exit silently instead of reporting the timeout.
    const timeout = new AbortController();
    const remainingMs = Math.max(1, call.deadlineAt - Date.now());
    const deadline = setTimeout(
      () => timeout.abort(new DOMException(`The call took longer than ${timeoutMs} ms.`, 'TimeoutError')),
      remainingMs,
    );
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    // And undici does not always give up when the signal fires: the call stops waiting for it at once.
    // The listener is removed when the call ends: Node keeps a combined (AbortSignal.any) signal that
    // has an abort listener alive until it fires, and with it this call's request and answer (about
    // 8 KB a call, the memory of a 100,000-target bulk run).
    let stopWaiting = (): void => {};
    const ended = new Promise<never>((_resolve, reject) => {
      stopWaiting = () => reject(signal.reason as Error);
      signal.addEventListener('abort', stopWaiting, { once: true });
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
    try {
      const pending = request(url, {
        method: 'POST',
        dispatcher: tracker,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          accept: 'text/plain, application/x-www-form-urlencoded, application/json;q=0.9, */*;q=0.1',
        },
        body: call.body,
        signal,
        // keepAlive: false closes the connection after each call (for comparison, or a proxy that mishandles reuse).
        reset: !reuseConnections,
        headersTimeout: remainingMs,
        bodyTimeout: remainingMs,
      });
      const response = await Promise.race([pending, ended]);
      answerBody = response.body;
      const status = response.statusCode;
      const first = (value: string | string[] | undefined): string | undefined =>
        Array.isArray(value) ? value[0] : value;
      // Streamed and stopped at the cap: a 100 MB answer never costs more than MAX_BODY_BYTES.
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      // Digits only (Number would read 0x10, 1e9 and spaces too); a length too long to be a safe
      // integer is over the cap all the same.
      const declared = first(response.headers['content-length'])?.trim() ?? '';
      if (/^[0-9]+$/.test(declared) && (declared.length > 15 || Number(declared) > MAX_BODY_BYTES)) tooLarge = true;
      else {
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > MAX_BODY_BYTES) {
            tooLarge = true;
            break;
          }
          chunks.push(chunk as Buffer);
        }
      }
      if (tooLarge) {
        response.body.destroy();
        const message = `The answer from ${new URL(url).host} is too large (over ${MAX_BODY_BYTES / 1024 / 1024} MiB): it is not an API answer, so reading stopped there. The request may have reached Sectigo.`;
        log('info', `${call.label} ${message}`, secrets);
        return {
          kind: 'failed',
          reason: 'too-large',
          outcome: 'unknown',
          message,
          httpStatus: status,
          durationMs: elapsed(),
        };
      }
      const contentType = first(response.headers['content-type']);
      const location = first(response.headers.location);
      const retryAfter = response.headers['retry-after'];
      return {
        kind: 'answered',
        status,
        ...(contentType !== undefined && { contentType }),
        ...(location !== undefined && { location }),
        ...(retryAfter !== undefined && { retryAfter }),
        body: Buffer.concat(chunks),
        durationMs: elapsed(),
      };
    } catch (error) {
      const outcome = tracker.requestWritten ? 'unknown' : 'not-sent';
      if (call.signal?.aborted) {
        log(
          'info',
          `${call.label} cancelled (${outcome === 'unknown' ? 'the request may have reached the server' : 'nothing was sent'})`,
        );
        return {
          kind: 'cancelled',
          outcome,
          message:
            outcome === 'unknown'
              ? 'Cancelled after the request was sent: it may have taken effect.'
              : 'Cancelled before anything was sent.',
        };
      }
      const proxy = route.kind === 'proxy' ? route.proxy : undefined;
      const through = proxy === undefined ? '' : ` through the proxy ${proxy.host}`;
      const failure: Failure =
        timeout.signal.aborted && !tracker.requestWritten
          ? {
              reason: 'connect-timeout',
              message: `Could not connect to ${new URL(url).host}${through} within ${seconds(timeoutMs)} s.`,
              beforeSending: true,
            }
          : describeNetworkError(
              timeout.signal.aborted ? timeout.signal.reason : error,
              new URL(url),
              timeoutMs,
              proxy,
              secrets,
            );
      const certainlyNotSent = outcome === 'not-sent' || (failure.beforeSending && !tracker.requestWritten);
      const message = redactOwnText(
        `${failure.message} ${certainlyNotSent ? 'Nothing was sent: the call had no effect.' : 'The request may have reached Sectigo.'}`,
        secrets,
      );
      // 'info', not 'warn': the caller reports the result itself; a warning here would say it twice.
      log('info', `${call.label} transport failure: ${message}`, secrets);
      return {
        kind: 'failed',
        reason: failure.reason,
        outcome: certainlyNotSent ? 'not-sent' : 'unknown',
        message,
        durationMs: elapsed(),
      };
    } finally {
      callsInFlight -= 1;
      signal.removeEventListener('abort', endConnecting);
      signal.removeEventListener('abort', stopWaiting);
      clearTimeout(deadline);
      if (signal.aborted) abandoned = true;
    }
  }

  return {
    timeoutMs,
    proxySecrets,
    post,
    async close() {
      closed = true;
      // After a call given up on, undici may still hold its request: close() would wait for it, destroy() does not.
      await Promise.all([direct, ...proxies.values()].map((agent) => (abandoned ? agent.destroy() : agent.close())));
    },
  };
}
