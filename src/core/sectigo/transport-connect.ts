// How one client connects: directly (TLS with its own trust; plain HTTP only to loopback) or
// through a proxy's tunnel, and whether undici started writing a request (before that, a call
// certainly had no effect). The connect part of the transport (transport.ts).
import { Agent, buildConnector, Dispatcher, ProxyAgent } from 'undici';
import dns from 'node:dns';
import type { SecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import { isLoopbackAddress, type Route } from './route';

/** Records whether undici started writing the request: before that, the call certainly had no effect. */
export class SendTracker extends Dispatcher {
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

/** The error code of a plain-HTTP connection refused because it would leave the machine. */
export const NOT_LOOPBACK = 'ERR_SECTIGO_NOT_LOOPBACK';

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

/** The connections of one client: one direct agent and one agent per proxy, all sharing its TLS trust and keep-alive. */
export interface Dispatchers {
  /** Every connection still being set up (a cancelled call ends them). */
  readonly connecting: Set<Socket>;
  dispatcherFor(route: Extract<Route, { kind: 'direct' | 'proxy' }>): Dispatcher;
  /** Closes every agent; after a call given up on, destroys them (undici may still hold its request). */
  close(abandoned: boolean): Promise<void>;
}

export function createDispatchers(secureContext: SecureContext, timeoutMs: number): Dispatchers {
  const keepAlive = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 10 * 60_000, connections: 8 };
  const connecting = new Set<Socket>();
  const direct = new Agent({ ...keepAlive, connect: connectorFor(secureContext, timeoutMs, connecting) });
  const proxies = new Map<string, ProxyAgent>();
  return {
    connecting,
    dispatcherFor(route) {
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
    },
    async close(abandoned) {
      await Promise.all([direct, ...proxies.values()].map((agent) => (abandoned ? agent.destroy() : agent.close())));
    },
  };
}
