// Why a request got no usable answer, typed and in words: the failure part of the transport
// (transport.ts). The error's own text (which may echo a server or proxy) passes as server text.
import { redactServerText } from './redact';
import { NOT_LOOPBACK } from './transport-connect';
import type { FailureReason } from './transport';

export interface Failure {
  reason: FailureReason;
  message: string;
  /** The failure happened before the connection was usable: nothing reached the server. */
  beforeSending: boolean;
}

export function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** What went wrong, typed and in words; the error's own text (which may echo a server or proxy) passes as server text. */
export function describeNetworkError(
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
