// The route a call takes and the one rule on it: "may this password go there?", decided on the
// scheme, the proxy (from the setting or the environment, after NO_PROXY) and, for plain HTTP,
// the address (checked again on the address actually connected to, in transport.ts).
import { isIP } from 'node:net';
import type { ClientOptions } from './types';
import { REDACTED, redactOwnText, urlSecrets } from './redact';

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
  return isLoopbackAddress(host);
}

/** A message when the base URL cannot be used (for a settings field), else undefined. */
export function validateBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `The base URL "${redactOwnText(value, urlSecrets(value))}" is not a URL.`;
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

interface ProxySetting {
  value: string;
  /** Where it came from, for a message: "the proxy setting" or an environment variable's name. */
  source: string;
}

function proxySettingFor(
  url: URL,
  explicitProxy: string | undefined,
  env: Record<string, string | undefined>,
): ProxySetting | undefined {
  const fromEnv = (name: string): ProxySetting | undefined => {
    for (const spelling of [name.toLowerCase(), name.toUpperCase()]) {
      const value = env[spelling];
      if (value) return { value, source: spelling };
    }
    return undefined;
  };
  const proxy = explicitProxy
    ? { value: explicitProxy, source: 'the proxy setting' }
    : url.protocol === 'https:'
      ? (fromEnv('https_proxy') ?? fromEnv('http_proxy'))
      : fromEnv('http_proxy');
  if (!proxy) return undefined;
  const noProxy = fromEnv('no_proxy')?.value;
  if (noProxy && bypassesProxy(url, noProxy)) return undefined;
  return proxy;
}

/** The proxy to use for a URL, from the explicit setting or HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY. */
export function proxyFor(
  targetUrl: string,
  explicitProxy: string | undefined,
  env: Record<string, string | undefined>,
): string | undefined {
  return proxySettingFor(new URL(targetUrl), explicitProxy, env)?.value;
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

/**
 * A proxy setting as it may be shown: any user name and password replaced, whether or not the
 * setting parses as a URL (a "/" in a password breaks parsing; curl accepts user:pass@host:port
 * without a scheme). Everything up to the last "@" before the host is credentials.
 */
export function proxyDisplay(value: string): string {
  const text = value.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  return at === -1 ? `${scheme}${rest}` : `${scheme}${REDACTED}@${rest.slice(at + 1)}`;
}

/** A proxy setting as a URL (no scheme means http://, as curl reads it), or why it cannot be used. */
function parseProxy(setting: ProxySetting): URL | string {
  const text = setting.value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return `The proxy "${proxyDisplay(text)}" (from ${setting.source}) is not a URL.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `The proxy "${proxyDisplay(text)}" (from ${setting.source}) must be an http:// or https:// URL.`;
  return url;
}

/** The rule on plain HTTP, named in its refusal. */
export const PLAIN_HTTP_RULE =
  'Plain http:// is sent only straight to a loopback address, never through a proxy, because the password would cross it unencrypted';

/** How a call to `targetUrl` goes out, or why it must not. Decided once, before anything is sent. */
export type Route =
  | { kind: 'direct' }
  | { kind: 'proxy'; proxy: URL; shown: string }
  | { kind: 'refused'; parameter: 'baseUrl' | 'proxy'; message: string };

/**
 * "May the password go there?" on the whole route: the scheme, the proxy, and (for plain HTTP)
 * the address connected to, which the connector checks again once connected.
 */
export function routeFor(
  targetUrl: string,
  explicitProxy: string | undefined,
  env: Record<string, string | undefined>,
): Route {
  const baseProblem = validateBaseUrl(targetUrl);
  if (baseProblem) return { kind: 'refused', parameter: 'baseUrl', message: baseProblem };
  const url = new URL(targetUrl);
  const setting = proxySettingFor(url, explicitProxy, env);
  if (!setting) return { kind: 'direct' };
  const shown = proxyDisplay(setting.value);
  if (url.protocol !== 'https:')
    return {
      kind: 'refused',
      parameter: 'proxy',
      message: `${PLAIN_HTTP_RULE}: the proxy ${shown} (from ${setting.source}) would carry this call to ${url.host}. Use https://, or add ${url.hostname} to NO_PROXY. Nothing was sent.`,
    };
  const proxy = parseProxy(setting);
  if (typeof proxy === 'string') return { kind: 'refused', parameter: 'proxy', message: proxy };
  return { kind: 'proxy', proxy, shown };
}

/** The user names and passwords of every proxy setting a client may use: secrets like the login password. */
export function proxySecretsOf(options: ClientOptions, env: Record<string, string | undefined>): string[] {
  return [options.proxy, env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy].flatMap((value) =>
    value ? urlSecrets(value) : [],
  );
}
