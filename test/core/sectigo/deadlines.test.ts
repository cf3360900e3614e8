// One deadline per call, over connect, TLS, headers and body; cancellation that acts
// at once in every phase; an answer read only up to its cap; plain HTTP only to an
// address that is loopback. Loopback servers that accept TCP and never speak TLS,
// that send headers and stall, that send a body without end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSectigoClient, isLoopbackAddress } from '../../../src/core/sectigo/client';
import type { ApiResult, SectigoApi } from '../../../src/core/sectigo/types';

const credentials = { loginName: 'user', loginPassword: 'pw' };
const revokeParams = { orderNumber: '1', revocationReason: 'x', test: true };

let silent: Server;
let silentPort: number;
let http: HttpServer;
let httpPort: number;
const sockets = new Set<Socket>();
let connected: () => void = () => undefined;
let bodyBytesSent = 0;

before(async () => {
  // Accepts TCP, then says nothing: a TLS handshake never completes.
  silent = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    connected();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as AddressInfo).port;
  http = createHttpServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/stall/')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('-4');
      return;
    }
    if (req.url?.startsWith('/endless/')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) bodyBytesSent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    if (req.url?.startsWith('/huge-declared/')) {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(4 * 1024 ** 3) });
      res.write('-4\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('0\n');
  });
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpPort = (http.address() as AddressInfo).port;
});
after(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([new Promise((resolve) => silent.close(resolve)), new Promise((resolve) => http.close(resolve))]);
});

async function call(baseUrl: string, timeoutMs: number, signal?: AbortSignal): Promise<ApiResult> {
  const client: SectigoApi = createSectigoClient({ baseUrl, timeoutMs, env: {} });
  try {
    return await client.revokeSsl(credentials, revokeParams, signal ? { signal } : {});
  } finally {
    await client.close();
  }
}

// The test's own timeout is the assertion on time: undici's connect timeout alone would take 10 s.
test(
  "a server that accepts TCP and never speaks TLS is given up at the call's deadline, not later",
  { timeout: 5000 },
  async () => {
    const result = await call(`https://127.0.0.1:${silentPort}/products/`, 300);
    assert.equal(result.kind, 'transport-error', JSON.stringify(result));
    assert.ok(result.kind === 'transport-error');
    assert.equal(result.outcome, 'not-sent');
    assert.match(result.message, /Could not connect to 127\.0\.0\.1:\d+ within 1 s/);
  },
);

test(
  'cancellation during a TLS handshake that never completes acts at once: nothing was sent',
  { timeout: 5000 },
  async () => {
    const controller = new AbortController();
    const arrived = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const pending = call(`https://127.0.0.1:${silentPort}/products/`, 60_000, controller.signal);
    await arrived;
    controller.abort();
    const result = await pending;
    assert.deepEqual(result.kind === 'cancelled' && result.outcome, 'not-sent', JSON.stringify(result));
  },
);

test('headers then a stalled body: the same deadline ends the call, outcome unknown', { timeout: 5000 }, async () => {
  const result = await call(`http://127.0.0.1:${httpPort}/stall/`, 300);
  assert.deepEqual(
    result.kind === 'transport-error' && [result.outcome, /within 1 s/.test(result.message)],
    ['unknown', true],
    JSON.stringify(result),
  );
});

test(
  'an endless answer is read only up to 1 MiB and reported as too large; the request may have reached Sectigo',
  { timeout: 10_000 },
  async () => {
    for (const path of ['endless', 'huge-declared']) {
      bodyBytesSent = 0;
      const result = await call(`http://127.0.0.1:${httpPort}/${path}/`, 30_000);
      assert.equal(result.kind, 'transport-error', JSON.stringify(result));
      assert.ok(result.kind === 'transport-error');
      assert.equal(result.outcome, 'unknown');
      assert.match(result.message, /answer .* too large.*1 MiB.*may have reached Sectigo/s);
      assert.equal(result.httpStatus, 200);
      // The server stops when the client hangs up: what it managed to write is bounded by socket buffers, not by time.
      assert.ok(bodyBytesSent < 32 * 1024 * 1024, `${bodyBytesSent} bytes sent`);
    }
  },
);

test('plain HTTP goes only to an address that is loopback, checked on what the name resolves to', async () => {
  const original = dns.lookup;
  const fakeLookup = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    const cb = typeof options === 'function' ? (options as typeof callback) : callback;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    const address =
      hostname === 'outside.localhost'
        ? '192.0.2.7'
        : hostname === 'mixed.localhost'
          ? ['127.0.0.1', '192.0.2.7']
          : '127.0.0.1';
    const list = (Array.isArray(address) ? address : [address]).map((entry) => ({ address: entry, family: 4 }));
    if (all) cb(null, list);
    else cb(null, list[0]?.address, 4);
  }) as unknown as typeof dns.lookup;
  dns.lookup = fakeLookup;
  try {
    for (const host of ['outside.localhost', 'mixed.localhost']) {
      const refused = await call(`http://${host}:${httpPort}/products/`, 2000);
      assert.equal(refused.kind, 'transport-error', JSON.stringify(refused));
      assert.ok(refused.kind === 'transport-error');
      assert.equal(refused.outcome, 'not-sent');
      assert.match(refused.message, /192\.0\.2\.7.*not a loopback address/);
    }
    const allowed = await call(`http://inside.localhost:${httpPort}/products/`, 2000);
    assert.equal(allowed.kind, 'success', JSON.stringify(allowed));
  } finally {
    dns.lookup = original;
  }
});

test('loopback addresses are 127.0.0.0/8 and ::1, written any way', () => {
  for (const address of ['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])
    assert.ok(isLoopbackAddress(address), address);
  for (const address of ['128.0.0.1', '10.0.0.1', '::2', '::ffff:10.0.0.1', 'localhost', '', '0.0.0.0', '::'])
    assert.ok(!isLoopbackAddress(address), address);
});
