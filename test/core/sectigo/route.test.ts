// The one transport rule, on every route: plain HTTP goes only straight to loopback, never through a
// proxy; HTTPS may use one; a proxy is never shown with its credentials. The whole file runs with
// every non-loopback connect refused (test/loopback-only.ts), so a bug here cannot reach the network.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowOnlyLoopback, refusedConnects } from '../../loopback-only';
import { createSectigoClient } from '../../../src/core/sectigo/client';
import { PLAIN_HTTP_RULE, proxyDisplay, routeFor } from '../../../src/core/sectigo/route';
import type { ApiResult, ClientOptions } from '../../../src/core/sectigo/types';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../../fake-sectigo/server';
import { findLeaks } from '../../fake-sectigo/leaks';
import { runCli } from '../../cli/run-cli';
import { ExitCode } from '../../../src/cli/io';

allowOnlyLoopback();

let fake: FakeSectigo;
let proxy: Server;
let proxyPort: number;
/** Everything the loopback proxy received: a CONNECT target or a forwarded request line and body. */
const proxySaw: string[] = [];
const sockets = new Set<Socket>();
const cwd = mkdtempSync(join(tmpdir(), 'route-'));

before(async () => {
  fake = await startFakeSectigo();
  proxy = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
    req.on('end', () => {
      proxySaw.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(502).end();
    });
  });
  proxy.on('connection', (socket: Socket) => sockets.add(socket));
  proxy.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    proxySaw.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
});
after(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
  await fake.close();
  rmSync(cwd, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  proxySaw.length = 0;
});

const PROXY_PASSWORD = 'Pr0xy-S3cret/with@signs';
const revokeParams = { orderNumber: ORDERS.issued, revocationReason: 'x', test: true };

async function revoke(baseUrl: string, options: ClientOptions): Promise<{ result: ApiResult; logged: string }> {
  const lines: string[] = [];
  const client = createSectigoClient({
    baseUrl,
    extraCaCertificates: [fake.caCertificatePem],
    log: (level, message) => lines.push(`[${level}] ${message}`),
    ...options,
  });
  try {
    return { result: await client.revokeSsl(DEMO_ACCOUNT, revokeParams), logged: lines.join('\n') };
  } finally {
    await client.close();
  }
}

function assertRefusedByTheRule(result: ApiResult): void {
  assert.equal(result.kind, 'validation-error', JSON.stringify(result));
  assert.ok(result.kind === 'validation-error');
  assert.equal(result.parameter, 'proxy');
  assert.ok(result.message.includes(PLAIN_HTTP_RULE), result.message);
  assert.match(result.message, /Nothing was sent/);
}

// Documentation ranges and names: never reachable, and the guard refuses them anyway.
const outsideProxies = [
  `http://user:${encodeURIComponent(PROXY_PASSWORD)}@203.0.113.7:3128`,
  'http://198.51.100.20:8080',
  'https://proxy.example.net:443',
  `user:${PROXY_PASSWORD}@192.0.2.1:3128`,
  'http://[2001:db8::1]:3128',
];

test('plain HTTP with a proxy that is not loopback is refused before anything is sent, on every spelling', async () => {
  for (const proxyUrl of outsideProxies) {
    for (const env of [{ HTTP_PROXY: proxyUrl }, { http_proxy: proxyUrl }, {}]) {
      const options: ClientOptions =
        Object.keys(env).length === 0 ? { proxy: proxyUrl, env: {} } : { env: env as Record<string, string> };
      const { result, logged } = await revoke(fake.plainHttpUrl, options);
      assertRefusedByTheRule(result);
      assert.deepEqual(findLeaks(JSON.stringify(result) + logged, PROXY_PASSWORD), []);
    }
  }
  assert.deepEqual(refusedConnects(), [], 'no connect left loopback');
  assert.equal(fake.requests.length, 0, 'the server saw nothing');
});

test('plain HTTP is not sent through a loopback proxy either: the proxy sees nothing', async () => {
  const { result } = await revoke(fake.plainHttpUrl, { env: { HTTP_PROXY: `http://127.0.0.1:${proxyPort}` } });
  assertRefusedByTheRule(result);
  assert.deepEqual(proxySaw, []);
  assert.equal(fake.requests.length, 0);
});

test('plain HTTP to loopback goes direct when NO_PROXY names the host, and then reaches the server', async () => {
  const { result } = await revoke(fake.plainHttpUrl, {
    env: { HTTP_PROXY: 'http://203.0.113.7:3128', NO_PROXY: '127.0.0.1' },
  });
  // The fake answers every plain-HTTP call -1 ("not over HTTPS"): it was reached, directly.
  assert.deepEqual(result.kind === 'api-error' && result.errorCode, -1, JSON.stringify(result));
  assert.deepEqual(proxySaw, []);
  assert.deepEqual(refusedConnects(), []);
});

test('HTTPS through a loopback proxy keeps working, as a tunnel the proxy cannot read', async () => {
  const { result } = await revoke(fake.url, { env: { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` } });
  assert.equal(result.kind, 'success', JSON.stringify(result));
  assert.deepEqual(proxySaw, [`CONNECT ${new URL(fake.url).host}`]);
  assert.ok(!proxySaw.join('').includes('loginPassword'));
});

test('HTTPS through a proxy outside loopback: the attempt is the proxy connect, refused here by the guard', async () => {
  const before = refusedConnects().length;
  const { result, logged } = await revoke(fake.url, {
    proxy: `http://me:${encodeURIComponent(PROXY_PASSWORD)}@203.0.113.9:3128`,
    env: {},
  });
  assert.equal(result.kind, 'transport-error', JSON.stringify(result));
  assert.deepEqual(refusedConnects().slice(before), ['203.0.113.9']);
  assert.deepEqual(findLeaks(JSON.stringify(result) + logged, PROXY_PASSWORD), []);
});

test('a proxy setting is never shown with its credentials, whether it parses or not', async () => {
  const settings = [
    `http://me:${PROXY_PASSWORD}@127.0.0.1:1`, // a "/" in the password: not a URL
    `me:${PROXY_PASSWORD}@127.0.0.1:1`, // no scheme (curl's form): read as http://
    `socks5://me:${PROXY_PASSWORD}@127.0.0.1:1`,
    `http://me:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:1`,
    `me:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:1`,
  ];
  for (const setting of settings) {
    assert.ok(!proxyDisplay(setting).includes('S3cret'), proxyDisplay(setting));
    for (const options of [{ proxy: setting, env: {} }, { env: { HTTPS_PROXY: setting } }]) {
      const { result, logged } = await revoke(fake.url, options);
      assert.notEqual(result.kind, 'success');
      const shown = JSON.stringify(result) + logged;
      assert.deepEqual(findLeaks(shown, PROXY_PASSWORD), [], `${setting}: ${shown}`);
    }
  }
  assert.deepEqual(
    refusedConnects().filter((host) => host !== '203.0.113.9'),
    [],
  );
});

test('routeFor: the decision on the whole route, before any connection', () => {
  assert.deepEqual(routeFor('https://secure.example/products/x', undefined, {}), { kind: 'direct' });
  assert.equal(routeFor('http://127.0.0.1:9/products/x', 'http://127.0.0.1:3128', {}).kind, 'refused');
  assert.equal(
    routeFor('http://localhost:9/products/x', undefined, { http_proxy: 'http://10.0.0.1:3128' }).kind,
    'refused',
  );
  // HTTPS_PROXY does not apply to plain HTTP: direct, and the connector checks the address.
  assert.deepEqual(routeFor('http://127.0.0.1:9/x', undefined, { HTTPS_PROXY: 'http://10.0.0.1:3128' }), {
    kind: 'direct',
  });
  assert.equal(routeFor('http://192.0.2.1/x', undefined, {}).kind, 'refused');
  const viaProxy = routeFor('https://secure.example/x', 'me:pw@127.0.0.1:3128', {});
  assert.equal(viaProxy.kind, 'proxy');
  assert.ok(viaProxy.kind === 'proxy' && viaProxy.proxy.protocol === 'http:' && !viaProxy.shown.includes('pw'));
});

test('the command line refuses plain HTTP through a proxy with exit 2 and the rule in one sentence', async () => {
  const run = await runCli(['revoke', '--order', '1', '--reason', 'x', '--test', '--base-url', fake.plainHttpUrl], {
    cwd,
    env: {
      SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName,
      SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword,
      HTTP_PROXY: `http://me:${encodeURIComponent(PROXY_PASSWORD)}@203.0.113.7:3128`,
    },
  });
  assert.equal(run.code, ExitCode.usage, run.printed);
  assert.ok(run.stderr.includes(PLAIN_HTTP_RULE), run.stderr);
  assert.deepEqual(findLeaks(run.printed, PROXY_PASSWORD), []);
  assert.deepEqual(findLeaks(run.printed, DEMO_ACCOUNT.loginPassword), []);
  assert.equal(fake.requests.length, 0);
});
