// A fake Sectigo reseller API for tests and the demo, written from the two
// documents in ../shared/docs/sectigo-api (not from the client): HTTPS on
// loopback with a throwaway certificate, a plain-HTTP listener that answers -1,
// accounts and orders in memory, and the documented codes and messages.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { makeFakeTls } from './certificate';
import {
  DEMO_ACCOUNT,
  EXPIRED_PASSWORD_ACCOUNT,
  IP_BLOCKED_ACCOUNT,
  LIMITED_ACCOUNT,
  LIMITED_ACCOUNT_CALLS,
  LOCKED_ACCOUNT,
  OTHER_ACCOUNT,
  initialOrders,
  type FakeOrderSeed,
  type FakeOrderState,
} from './accounts';

export * from './accounts';

type EndpointName = 'AutoReplaceSMIME' | 'AutoRevokeSSL';

export interface FakeAccount {
  loginName: string;
  loginPassword: string;
  locked?: boolean;
  passwordExpired?: boolean;
  /** Source IPs allowed to call; undefined allows any. */
  ipAllowList?: string[];
  /** Calls allowed before -42; undefined uses the server's callLimit. */
  callLimit?: number;
}

export interface FakeOrder extends FakeOrderSeed {
  /** For a replacement: the order it replaced. */
  replaces?: string;
  /** The revocation reason and code, once revoked. */
  revocation?: { reason: string | undefined; code: string };
}

export interface ReceivedRequest {
  endpoint: string;
  method: string;
  /** 'https' or 'http' (the plain listener). */
  scheme: 'https' | 'http';
  contentType: string | undefined;
  /** Parameters as received, names as sent; loginPassword replaced, csr replaced by its length. */
  params: Record<string, string>;
  /** Whether the password matched the account's (so tests can check it arrived intact without storing it). */
  passwordMatched: boolean | null;
  answeredCode: number;
}

export interface FakeSectigoOptions {
  /** HTTPS port; 0 (default) picks a free one. */
  port?: number;
  /** Plain-HTTP port; 0 (default) picks a free one. */
  plainHttpPort?: number;
  /** Calls each account may make before -42 (LIMITED_ACCOUNT always has 3). Default: unlimited. */
  callLimit?: number;
  /** With callLimit: the limit counts the calls of each window of this many ms (fixed windows); default: the server's whole life. */
  callWindowMs?: number;
  /** With callWindowMs: -42 carries Retry-After, the whole seconds until the window ends. */
  retryAfter?: boolean;
  /** Added before every answer (after the call took effect), like a slow network. */
  latencyMs?: number;
  /** Extra accounts besides the built-in ones; one with a built-in login name takes its place. */
  accounts?: FakeAccount[];
  /** Host to bind (default 127.0.0.1). */
  host?: string;
  /** Told of every request once it is answered (the demo shows what reached it). */
  onRequest?: (request: ReceivedRequest) => void;
}

export interface FakeSectigo {
  /** https://127.0.0.1:PORT/products/ */
  url: string;
  /** http://127.0.0.1:PORT/products/ : every call answers -1. */
  plainHttpUrl: string;
  caCertificatePem: string;
  /** A PEM file with the throwaway CA, for --ca-file or NODE_EXTRA_CA_CERTS; removed on close(). */
  caFile: string;
  orders: Map<string, FakeOrder>;
  accounts: Map<string, FakeAccount>;
  requests: ReceivedRequest[];
  /** Calls counted per login name (towards the call limit). */
  callCounts: Map<string, number>;
  /** Connections accepted by the HTTPS listener (keep-alive reuse shows as fewer connections than requests). */
  connectionCount(): number;
  addOrder(order: Partial<FakeOrder> & { orderNumber: string; state: FakeOrderState }): FakeOrder;
  /** Back to the initial orders, no requests, no counted calls; new order numbers start again at 2000001. */
  reset(): void;
  close(): Promise<void>;
}

const MESSAGES: Record<EndpointName, Record<number, string>> = {
  AutoReplaceSMIME: {
    [-1]: 'Request was not made over HTTPS!',
    [-2]: 'Unrecognized argument!',
    [-13]: 'The CSR uses an unsupported key size!',
    [-16]: 'Incorrect login details, account is locked, password has expired or your source IP is blocked.',
    [-17]: 'Request used GET rather than POST!',
    [-20]: 'The Certificate has been Revoked!',
    [-22]: 'The certificate is currently being issued!',
    [-42]: 'Call limit reached! Please try again later',
    [-136]: 'Wrong certificate state',
  },
  AutoRevokeSSL: {
    [-1]: 'Request was not made over https!',
    [-2]: 'Unrecognised argument!',
    [-14]: 'An unknown error occurred!',
    [-16]: 'Permission denied!',
    [-17]: 'Request used GET rather than POST!',
    [-20]: 'The certificate request has been rejected!',
    [-21]: 'The certificate has been revoked!',
    [-23]: 'The certificate is currently being issued!',
    [-26]: 'The certificate is currently being issued!',
    // Not in the AutoRevokeSSL document; the call limit is per account, so it answers the same words.
    [-42]: 'Call limit reached! Please try again later',
  },
};

const missing = (name: string): string => `The '${name}' argument is missing!`;
// The two documents differ in one quote; each endpoint answers its own document's text.
const invalid = (endpoint: EndpointName, name: string): string =>
  endpoint === 'AutoReplaceSMIME'
    ? `The value of the '${name}' argument is invalid!`
    : `The value of the ${name}' argument is invalid!`;

/** Parameter names each endpoint's document lists, lower-cased (names match case-insensitively). */
const KNOWN_PARAMETERS: Record<EndpointName, string[]> = {
  AutoReplaceSMIME: [
    'loginName',
    'loginPassword',
    'orderNumber',
    'csr',
    'signatureHash',
    'caCertificateID',
    'revokeOldOrder',
    'responseFormat',
    'languageName',
    'SMIMEVerificationTemplateID',
    'SMIMERequestTemplateID',
    'SMIMECollectionTemplateID',
  ],
  AutoRevokeSSL: [
    'loginName',
    'loginPassword',
    'orderNumber',
    'certificateID',
    'serialNumber',
    'revocationReason',
    'codeReason',
    'test',
    'responseFormat',
  ],
};

class Answer {
  constructor(
    readonly code: number,
    readonly message?: string,
    readonly newOrderNumber?: string,
    readonly retryAfterSeconds?: number,
  ) {}
}

function writeAnswer(res: ServerResponse, answer: Answer, format: number): void {
  let body: string;
  let type: string;
  if (format === 2) {
    type = 'application/json';
    const json: Record<string, string | number> = { errorCode: answer.code };
    if (answer.code !== 0 && answer.message !== undefined) json.errorMessage = answer.message;
    if (answer.newOrderNumber !== undefined) json.newOrderNumber = answer.newOrderNumber;
    body = JSON.stringify(json);
  } else if (format === 1) {
    type = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams({ errorCode: String(answer.code) });
    if (answer.code !== 0 && answer.message !== undefined) form.append('errorMessage', answer.message);
    if (answer.newOrderNumber !== undefined) form.append('newOrderNumber', answer.newOrderNumber);
    body = form.toString();
  } else {
    type = 'text/plain';
    const lines = [String(answer.code)];
    if (answer.code !== 0 && answer.message !== undefined) lines.push(answer.message);
    if (answer.newOrderNumber !== undefined) lines.push(answer.newOrderNumber);
    body = `${lines.join('\n')}\n`;
  }
  res.writeHead(200, {
    'content-type': `${type}; charset=UTF-8`,
    'content-length': Buffer.byteLength(body),
    ...(answer.retryAfterSeconds !== undefined && { 'retry-after': String(answer.retryAfterSeconds) }),
  });
  res.end(body);
}

/** The fake's own reading of a CSR's key: the size Sectigo's CSR rules allow (RSA 2048-8192, EC P-256/384/521). */
async function csrKeyVerdict(csr: string): Promise<'ok' | 'bad-size' | 'unreadable'> {
  let text = csr.trim();
  if (!text.startsWith('-----BEGIN'))
    text = `-----BEGIN CERTIFICATE REQUEST-----\n${text.replace(/\s/g, '')}\n-----END CERTIFICATE REQUEST-----`;
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(text.replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST'));
  } catch {
    return 'unreadable';
  }
  try {
    const key = await request.publicKey.export(webcrypto as unknown as Crypto);
    const algorithm = key.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
    if (algorithm.modulusLength !== undefined)
      return algorithm.modulusLength >= 2048 && algorithm.modulusLength <= 8192 ? 'ok' : 'bad-size';
    if (algorithm.namedCurve !== undefined)
      return ['P-256', 'P-384', 'P-521'].includes(algorithm.namedCurve) ? 'ok' : 'bad-size';
    return 'bad-size';
  } catch {
    // WebCrypto cannot import this key (an unsupported curve or algorithm): Sectigo does not accept it either.
    return 'bad-size';
  }
}

function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function endpointOf(url: string | undefined): EndpointName | undefined {
  const path = decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  if (path === '/products/!AutoReplaceSMIME') return 'AutoReplaceSMIME';
  if (path === '/products/!AutoRevokeSSL') return 'AutoRevokeSSL';
  return undefined;
}

export async function startFakeSectigo(options: FakeSectigoOptions = {}): Promise<FakeSectigo> {
  const tls = await makeFakeTls();
  const host = options.host ?? '127.0.0.1';
  const caDirectory = mkdtempSync(join(tmpdir(), 'fake-sectigo-'));
  const caFile = join(caDirectory, 'fake-sectigo-ca.pem');
  writeFileSync(caFile, tls.caCertificatePem);

  const accounts = new Map<string, FakeAccount>();
  for (const account of [
    { ...DEMO_ACCOUNT },
    { ...OTHER_ACCOUNT },
    { ...LOCKED_ACCOUNT, locked: true },
    { ...EXPIRED_PASSWORD_ACCOUNT, passwordExpired: true },
    { ...IP_BLOCKED_ACCOUNT, ipAllowList: ['203.0.113.7'] },
    { ...LIMITED_ACCOUNT, callLimit: LIMITED_ACCOUNT_CALLS },
    ...(options.accounts ?? []),
  ]) {
    accounts.set(account.loginName, account);
  }
  const orders = new Map<string, FakeOrder>();
  const requests: ReceivedRequest[] = [];
  const callCounts = new Map<string, number>();
  /** Per login name: the current call-limit window (with callWindowMs). */
  const callWindows = new Map<string, { start: number; calls: number }>();
  let nextOrderNumber = 2_000_001;
  let connections = 0;

  function reset(): void {
    orders.clear();
    for (const order of initialOrders()) orders.set(order.orderNumber, { ...order });
    requests.length = 0;
    callCounts.clear();
    callWindows.clear();
    nextOrderNumber = 2_000_001;
  }
  reset();

  function addOrder(order: Partial<FakeOrder> & { orderNumber: string; state: FakeOrderState }): FakeOrder {
    const n = BigInt(order.orderNumber.replace(/\D/g, '') || '0');
    const full: FakeOrder = {
      owner: DEMO_ACCOUNT.loginName,
      certificateId: String(5_000_000_000_000_000n + n),
      serialNumber: (0xfa4e_0000_0000n + n).toString(16).toUpperCase(),
      ...order,
    };
    orders.set(full.orderNumber, full);
    return full;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, scheme: 'https' | 'http'): Promise<void> {
    const endpoint = endpointOf(req.url);
    if (!endpoint) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    const rawBody = (await readBody(req)) ?? '';
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const source = req.method === 'POST' ? new URLSearchParams(rawBody) : query;
    // Parameter names are matched case-insensitively (the sample sends REVOKEOLDORDER); the first of a repeated name wins.
    const params = new Map<string, { name: string; value: string }>();
    const asSent: Record<string, string> = {};
    for (const [name, value] of source) {
      const lower = name.toLowerCase();
      asSent[name] =
        lower === 'loginpassword' ? '[redacted]' : lower === 'csr' ? `[${value.length} characters]` : value;
      if (!params.has(lower)) params.set(lower, { name, value });
    }
    const get = (name: string): string | undefined => params.get(name.toLowerCase())?.value;
    const formatParam = get('responseFormat');
    const allowedFormats = endpoint === 'AutoReplaceSMIME' ? ['0', '1', '2'] : ['0', '1'];
    const format = formatParam !== undefined && allowedFormats.includes(formatParam) ? Number(formatParam) : 0;
    const account = accounts.get(get('loginName') ?? '');
    const record: ReceivedRequest = {
      endpoint,
      method: req.method ?? '',
      scheme,
      contentType: req.headers['content-type'],
      params: asSent,
      passwordMatched: account ? account.loginPassword === get('loginPassword') : null,
      answeredCode: 0,
    };
    requests.push(record);
    const answer = await decide(endpoint, req, scheme, get, [...params.keys()]);
    record.answeredCode = answer.code;
    options.onRequest?.(record);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    writeAnswer(res, answer, format);
  }

  async function decide(
    endpoint: EndpointName,
    req: IncomingMessage,
    scheme: 'https' | 'http',
    get: (name: string) => string | undefined,
    names: string[],
  ): Promise<Answer> {
    const text = MESSAGES[endpoint];
    const fail = (code: number, message = text[code]): Answer => new Answer(code, message);
    if (scheme === 'http') return fail(-1);
    if (req.method !== 'POST') return fail(-17);
    const known = KNOWN_PARAMETERS[endpoint].map((name) => name.toLowerCase());
    if (names.some((name) => !known.includes(name))) return fail(-2);
    const responseFormat = get('responseFormat');
    if (
      responseFormat !== undefined &&
      !(endpoint === 'AutoReplaceSMIME' ? ['0', '1', '2'] : ['0', '1']).includes(responseFormat)
    ) {
      return fail(-4, invalid(endpoint, 'responseFormat'));
    }
    for (const name of ['loginName', 'loginPassword']) if (!get(name)) return fail(-3, missing(name));
    const account = accounts.get(get('loginName') ?? '');
    const sourceIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const loginRefused =
      !account ||
      account.loginPassword !== get('loginPassword') ||
      account.locked === true ||
      account.passwordExpired === true ||
      (account.ipAllowList !== undefined && !account.ipAllowList.includes(sourceIp));
    if (loginRefused || !account) return fail(-16);
    const calls = (callCounts.get(account.loginName) ?? 0) + 1;
    callCounts.set(account.loginName, calls);
    const limit = account.callLimit ?? options.callLimit;
    if (limit !== undefined && options.callWindowMs !== undefined && account.callLimit === undefined) {
      const now = Date.now();
      let window = callWindows.get(account.loginName);
      if (!window || now - window.start >= options.callWindowMs) {
        window = { start: now - ((now - (window?.start ?? now)) % options.callWindowMs), calls: 0 };
        callWindows.set(account.loginName, window);
      }
      window.calls++;
      if (window.calls > limit) {
        const secondsLeft = Math.max(1, Math.ceil((window.start + options.callWindowMs - now) / 1000));
        return new Answer(-42, text[-42], undefined, options.retryAfter ? secondsLeft : undefined);
      }
    } else if (limit !== undefined && calls > limit) return fail(-42);
    return endpoint === 'AutoReplaceSMIME' ? replace(account, get, fail) : revoke(account, get, fail);
  }

  async function replace(
    account: FakeAccount,
    get: (name: string) => string | undefined,
    fail: (code: number, message?: string) => Answer,
  ): Promise<Answer> {
    const bad = (name: string): Answer => fail(-4, invalid('AutoReplaceSMIME', name));
    const orderNumber = get('orderNumber');
    const csr = get('csr');
    if (!orderNumber) return fail(-3, missing('orderNumber'));
    if (!csr) return fail(-3, missing('csr'));
    if (orderNumber.length > 128) return bad('orderNumber');
    if (csr.length > 32767) return bad('csr');
    const signatureHash = get('signatureHash');
    if (
      signatureHash !== undefined &&
      !['NO_PREFERENCE', 'INFER_FROM_CSR', 'PREFER_SHA2', 'REQUIRE_SHA2'].includes(signatureHash)
    )
      return bad('signatureHash');
    for (const name of [
      'caCertificateID',
      'SMIMEVerificationTemplateID',
      'SMIMERequestTemplateID',
      'SMIMECollectionTemplateID',
    ]) {
      const value = get(name);
      if (value !== undefined && !/^[0-9]+$/.test(value)) return bad(name);
    }
    const revokeOldOrder = get('revokeOldOrder');
    if (revokeOldOrder !== undefined && revokeOldOrder !== 'Y' && revokeOldOrder !== 'N') return bad('revokeOldOrder');
    const languageName = get('languageName');
    if (
      languageName !== undefined &&
      !['en', 'zh', 'da', 'nl', 'fr', 'de', 'it', 'ja', 'ko', 'pt', 'ru', 'es', 'sv', 'tr'].includes(languageName)
    )
      return bad('languageName');
    const verdict = await csrKeyVerdict(csr);
    if (verdict === 'unreadable') return bad('csr');
    if (verdict === 'bad-size') return fail(-13);
    const order = orders.get(orderNumber);
    if (!order) return bad('orderNumber');
    if (order.owner !== account.loginName) return fail(-91, "Permission denied 'orderNumber'");
    if (order.state === 'revoked') return fail(-20);
    if (order.state === 'being-issued') return fail(-22);
    if (order.state !== 'issued') return fail(-136);
    const replacement = addOrder({
      orderNumber: String(nextOrderNumber++),
      state: 'being-issued',
      owner: account.loginName,
      replaces: order.orderNumber,
    });
    if (revokeOldOrder === 'Y') {
      order.state = 'revoked';
      order.revocation = { reason: `replaced by ${replacement.orderNumber}`, code: '4' };
    }
    return new Answer(0, undefined, replacement.orderNumber);
  }

  function revoke(
    account: FakeAccount,
    get: (name: string) => string | undefined,
    fail: (code: number, message?: string) => Answer,
  ): Answer {
    const bad = (name: string): Answer => fail(-4, invalid('AutoRevokeSSL', name));
    const identifiers = ['orderNumber', 'certificateID', 'serialNumber'].filter(
      (name) => get(name) !== undefined && get(name) !== '',
    );
    if (identifiers.length === 0) return fail(-3, missing('orderNumber'));
    if (identifiers.length > 1) return bad(identifiers[1] ?? 'serialNumber');
    const reason = get('revocationReason');
    if (reason !== undefined && reason.length > 1024) return bad('revocationReason');
    const codeReason = get('codeReason') ?? '0';
    if (!['0', '1', '3', '4', '5'].includes(codeReason)) return bad('codeReason');
    const testMode = get('test');
    if (testMode !== undefined && testMode !== 'Y' && testMode !== 'N') return bad('test');
    let order: FakeOrder | undefined;
    const orderNumber = get('orderNumber');
    const certificateId = get('certificateID');
    const serialNumber = get('serialNumber');
    if (orderNumber !== undefined && orderNumber !== '') {
      if (!/^[0-9]+$/.test(orderNumber)) return bad('orderNumber');
      order = orders.get(orderNumber);
      if (!order) return bad('orderNumber');
    } else if (certificateId !== undefined && certificateId !== '') {
      if (!/^[0-9]{1,16}$/.test(certificateId)) return bad('certificateID');
      order = [...orders.values()].find((candidate) => candidate.certificateId === certificateId);
      if (!order) return bad('certificateID');
    } else if (serialNumber !== undefined) {
      if (!/^[0-9A-Fa-f]{1,34}$/.test(serialNumber)) return bad('serialNumber');
      const wanted = serialNumber.toUpperCase().replace(/^0+(?=.)/, '');
      order = [...orders.values()].find((candidate) => candidate.serialNumber === wanted);
      if (!order) return bad('serialNumber');
    }
    if (!order) return bad('orderNumber');
    if (order.owner !== account.loginName) return fail(-16);
    if (order.failsUnknown) return fail(-14);
    if (order.state === 'rejected') return fail(-20);
    if (order.state === 'revoked') return fail(-21);
    // v1.00 compatibility: without a revocationReason, a certificate being issued answers -23 instead of -26.
    if (order.state === 'being-issued') return fail(reason === undefined ? -23 : -26);
    if (testMode !== 'Y') {
      // "Revoked or rejected": an issued certificate is revoked, a request not yet issued is rejected.
      order.state = order.state === 'issued' ? 'revoked' : 'rejected';
      order.revocation = { reason, code: codeReason };
    }
    return new Answer(0);
  }

  function serve(scheme: 'https' | 'http') {
    return (req: IncomingMessage, res: ServerResponse): void => {
      handle(req, res, scheme).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body>500 fake server error</body></html>');
      });
    };
  }

  const httpsServer = createHttpsServer(
    { cert: tls.serverCertificatePem, key: tls.serverKeyPem, ca: tls.caCertificatePem },
    serve('https'),
  );
  const httpServer = createHttpServer(serve('http'));
  const sockets = new Set<Socket>();
  httpsServer.on('secureConnection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  httpServer.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (server: Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  const httpsPort = await listen(httpsServer, options.port ?? 0);
  const httpPort = await listen(httpServer, options.plainHttpPort ?? 0);
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  return {
    url: `https://${hostInUrl}:${httpsPort}/products/`,
    plainHttpUrl: `http://${hostInUrl}:${httpPort}/products/`,
    caCertificatePem: tls.caCertificatePem,
    caFile,
    orders,
    accounts,
    requests,
    callCounts,
    connectionCount: () => connections,
    addOrder,
    reset,
    async close() {
      const closing = Promise.all([
        new Promise((resolve) => httpsServer.close(resolve)),
        new Promise((resolve) => httpServer.close(resolve)),
      ]);
      for (const socket of sockets) socket.destroy();
      await closing;
      rmSync(caDirectory, { recursive: true, force: true });
    },
  };
}
