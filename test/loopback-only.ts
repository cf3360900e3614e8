// A test process in which no connection can leave loopback: every socket connect to anything but
// 127.0.0.0/8, ::1 or localhost is refused before it is attempted, and recorded. A bug that tries to
// reach a real proxy or server fails the test instead of reaching the network.
import net from 'node:net';

const attempts: string[] = [];
const originalConnect = net.Socket.prototype.connect;

function isLoopbackTarget(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/** Refuses every non-loopback connect in this process from now on. Idempotent. */
export function allowOnlyLoopback(): void {
  if ((net.Socket.prototype.connect as { loopbackOnly?: boolean }).loopbackOnly) return;
  const guarded = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string } | number | string;
    // connect(port, host) or connect({ host, port }); a Unix socket path is local.
    const host =
      typeof options === 'object' && options !== null
        ? options.path !== undefined
          ? undefined
          : (options.host ?? 'localhost')
        : typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))
          ? typeof args[1] === 'string'
            ? args[1]
            : 'localhost'
          : undefined;
    if (!isLoopbackTarget(host)) {
      attempts.push(String(host));
      const error: NodeJS.ErrnoException = new Error(`test guard: connect to ${String(host)} refused (loopback only)`);
      error.code = 'ECONNREFUSED';
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  (guarded as { loopbackOnly?: boolean }).loopbackOnly = true;
  net.Socket.prototype.connect = guarded as typeof net.Socket.prototype.connect;
}

/** Every non-loopback host a connect was attempted to since the guard was installed. */
export function refusedConnects(): readonly string[] {
  return attempts;
}
