// How a request reaches Sectigo: the route (direct or through a proxy) and the rule on it, TLS
// trust, one POST with its deadline and body cap, and every failure as a typed reason. It knows
// nothing of the API: the verbs (client.ts) decide what an answer means and whether to retry,
// from the reason, never from wording.
//
// Three parts: connect (transport-connect.ts: the agents, the loopback rule, whether a request was
// written), send (here: the route's rule, the deadline and cancellation, the POST) and read
// (transport-read.ts: the answer under its cap, or the failure as a typed reason).
import { request, type Dispatcher } from 'undici';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, type ClientOptions } from './types';
import { buildSecureContext, trustedCertificates } from './trust';
import { proxySecretsOf, routeFor } from './route';
import { SendTracker, createDispatchers } from './transport-connect';
import { failedExchange, readResponse } from './transport-read';

export { isLoopbackAddress, proxyFor, validateBaseUrl } from './route';
export { MAX_BODY_BYTES } from './transport-read';

export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;
const MAX_TIMEOUT_MS = MAX_TIMEOUT_SECONDS * 1000;

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

/** One call's deadline (a timer of our own) and its cancellation as one signal, and a promise rejected when it fires. */
interface CallSignal {
  signal: AbortSignal;
  /** The deadline's own signal: whether the call ended by its deadline, and why. */
  deadline: AbortSignal;
  remainingMs: number;
  /** Rejects when the signal fires: the call stops waiting for undici at once. */
  ended: Promise<never>;
  /** Removes the listener and the timer (the call is over). */
  dispose(): void;
}

function callSignal(call: PostRequest, timeoutMs: number): CallSignal {
  // The deadline is a timer of our own, not AbortSignal.timeout: that one is unref'd, and a call
  // stuck where undici holds no live handle (a proxy that never answers CONNECT) would let the
  // process exit silently instead of reporting the timeout.
  const timeout = new AbortController();
  const remainingMs = Math.max(1, call.deadlineAt - Date.now());
  const timer = setTimeout(
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
  return {
    signal,
    deadline: timeout.signal,
    remainingMs,
    ended,
    dispose() {
      signal.removeEventListener('abort', stopWaiting);
      clearTimeout(timer);
    },
  };
}

/** The POST itself, exactly the form as previewed, bounded by the call's signal. */
function send(
  call: PostRequest,
  dispatcher: Dispatcher,
  armed: CallSignal,
  reuseConnections: boolean,
): Promise<Dispatcher.ResponseData> {
  return request(call.url, {
    method: 'POST',
    dispatcher,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
      accept: 'text/plain, application/x-www-form-urlencoded, application/json;q=0.9, */*;q=0.1',
    },
    body: call.body,
    signal: armed.signal,
    // keepAlive: false closes the connection after each call (for comparison, or a proxy that mishandles reuse).
    reset: !reuseConnections,
    headersTimeout: armed.remainingMs,
    bodyTimeout: armed.remainingMs,
  });
}

/** A setting typed by hand can be 0, negative or absurd; AbortSignal.timeout would throw on some of those. */
function boundedTimeout(requested: number | undefined): number {
  const value = requested ?? DEFAULT_TIMEOUT_MS;
  return Number.isFinite(value) && value > 0 ? Math.min(value, MAX_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
}

export function createTransport(options: ClientOptions, log: TransportLog): Transport {
  const env = options.env ?? process.env;
  const timeoutMs = boundedTimeout(options.timeoutMs);
  const proxySecrets = proxySecretsOf(options, env);
  // One TLS context for every connection: parsing Node's ~150 roots again for each new
  // connection costs more than the handshake itself (see bench/revoke.bench.ts).
  const { secureContext, problem: trustProblem } = buildSecureContext(trustedCertificates(options, env, log));
  const reuseConnections = options.keepAlive !== false;
  const dispatchers = createDispatchers(secureContext, timeoutMs);
  let callsInFlight = 0;
  let closed = false;
  /** Whether a call ended by its deadline or a cancellation: undici may still hold its request. */
  let abandoned = false;

  /** Why a call on a usable route cannot start, or undefined when it can. */
  function notStarted(call: PostRequest): Exchange | undefined {
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
    return undefined;
  }

  async function post(call: PostRequest): Promise<Exchange> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const secrets = [...call.secrets, ...proxySecrets];
    const route = routeFor(call.url, options.proxy, env);
    if (route.kind === 'refused') return route;
    const refusal = notStarted(call);
    if (refusal) return refusal;

    log('debug', `${call.preview}${route.kind === 'proxy' ? `\n(via the proxy ${route.shown})` : ''}`, secrets);
    const tracker = new SendTracker(dispatchers.dispatcherFor(route));
    const armed = callSignal(call, timeoutMs);
    const { signal } = armed;
    // undici does not abandon a connection being set up when the signal fires: end it here, in every phase.
    // Destroyed with an error: undici learns of a failed connection only through its 'error' event.
    // The body too: its end must not depend on undici honouring the signal.
    let answerBody: { destroy(error?: Error): unknown } | undefined;
    // A connection being set up is not yet any one call's (undici gives it to whichever request is
    // queued): while other calls share this client (a bulk run, the editor's pooled client), they
    // keep it, and their own deadlines bound it. This call stops waiting at once either way.
    const endConnecting = (): void => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error('The call was ended.');
      if (callsInFlight === 1) for (const socket of dispatchers.connecting) socket.destroy(reason);
      answerBody?.destroy(reason);
    };
    signal.addEventListener('abort', endConnecting, { once: true });
    callsInFlight += 1;
    try {
      const response = await Promise.race([send(call, tracker, armed, reuseConnections), armed.ended]);
      answerBody = response.body;
      return await readResponse(response, call, { log, secrets, elapsed });
    } catch (error) {
      return failedExchange(error, call, {
        requestWritten: tracker.requestWritten,
        deadline: armed.deadline,
        proxy: route.kind === 'proxy' ? route.proxy : undefined,
        timeoutMs,
        secrets,
        log,
        elapsed,
      });
    } finally {
      callsInFlight -= 1;
      signal.removeEventListener('abort', endConnecting);
      armed.dispose();
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
      await dispatchers.close(abandoned);
    },
  };
}
