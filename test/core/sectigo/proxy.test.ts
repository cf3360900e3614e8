// Through a real HTTP CONNECT proxy on loopback (written here, 30 lines), to the
// fake Sectigo server over TLS; and trust: the fake's throwaway CA is refused
// until it is given, by option or by NODE_EXTRA_CA_CERTS.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createSectigoClient } from '../../../src/core/sectigo/client';
import type { ClientOptions } from '../../../src/core/sectigo/types';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../../fake-sectigo/server';

let fake: FakeSectigo;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
let refuseTunnels = false;
const sockets = new Set<Socket>();

before(async () => {
  fake = await startFakeSectigo();
  proxy = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  proxy.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    sockets.add(clientSocket);
    if (refuseTunnels) {
      clientSocket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    tunnels.push(req.url ?? '');
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
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
after(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  tunnels.length = 0;
  refuseTunnels = false;
});

async function revokeTest(options: ClientOptions) {
  const client = createSectigoClient({ baseUrl: fake.url, extraCaCertificates: [fake.caCertificatePem], ...options });
  try {
    return await client.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.issued, revocationReason: 'x', test: true });
  } finally {
    await client.close();
  }
}

const fakeHostPort = (): string => new URL(fake.url).host;

test('an explicit proxy carries the call through CONNECT', async () => {
  const result = await revokeTest({ proxy: proxyUrl, env: {} });
  assert.equal(result.kind, 'success', JSON.stringify(result));
  assert.deepEqual(tunnels, [fakeHostPort()]);
  assert.equal(fake.requests.length, 1);
});

test('HTTPS_PROXY from the environment is used, and NO_PROXY bypasses it', async () => {
  assert.equal((await revokeTest({ env: { HTTPS_PROXY: proxyUrl } })).kind, 'success');
  assert.deepEqual(tunnels, [fakeHostPort()]);
  tunnels.length = 0;
  assert.equal((await revokeTest({ env: { HTTPS_PROXY: proxyUrl, NO_PROXY: 'localhost,127.0.0.1' } })).kind, 'success');
  assert.deepEqual(tunnels, []);
  assert.equal(fake.requests.length, 2);
});

test('a proxy that refuses the tunnel: nothing was sent', async () => {
  refuseTunnels = true;
  const result = await revokeTest({ proxy: proxyUrl, env: {} });
  assert.deepEqual(result.kind === 'transport-error' && result.outcome, 'not-sent', JSON.stringify(result));
  assert.equal(fake.requests.length, 0);
});

test("the fake's certificate is refused until its CA is trusted; NODE_EXTRA_CA_CERTS works too", async () => {
  const untrusted = createSectigoClient({ baseUrl: fake.url, env: {} });
  try {
    const result = await untrusted.revokeSsl(DEMO_ACCOUNT, {
      orderNumber: ORDERS.issued,
      revocationReason: 'x',
      test: true,
    });
    assert.equal(result.kind, 'transport-error');
    assert.ok(result.kind === 'transport-error');
    assert.equal(result.outcome, 'not-sent');
    assert.match(result.message, /not trusted.*--ca-file/s);
  } finally {
    await untrusted.close();
  }
  const viaEnv = createSectigoClient({ baseUrl: fake.url, env: { NODE_EXTRA_CA_CERTS: fake.caFile } });
  try {
    assert.equal(
      (await viaEnv.revokeSsl(DEMO_ACCOUNT, { orderNumber: ORDERS.issued, revocationReason: 'x', test: true })).kind,
      'success',
    );
  } finally {
    await viaEnv.close();
  }
  assert.equal(fake.requests.length, 1);
});

test(
  'a proxy that accepts and never answers CONNECT: the deadline and a cancellation still end the call, and the proxy is named',
  { timeout: 5000 },
  async () => {
    const mute = createServer();
    const held = new Set<Socket>();
    mute.on('connect', (_req, socket: Socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const muteUrl = `http://127.0.0.1:${(mute.address() as AddressInfo).port}`;
    try {
      const timedOut = await revokeTest({ proxy: muteUrl, env: {}, timeoutMs: 300 });
      assert.ok(timedOut.kind === 'transport-error', JSON.stringify(timedOut));
      assert.equal(timedOut.outcome, 'not-sent');
      assert.match(timedOut.message, /through the proxy 127\.0\.0\.1:\d+ within 1 s/);
      const controller = new AbortController();
      const client = createSectigoClient({
        baseUrl: fake.url,
        extraCaCertificates: [fake.caCertificatePem],
        proxy: muteUrl,
        env: {},
      });
      try {
        setTimeout(() => controller.abort(), 100);
        const cancelled = await client.revokeSsl(
          DEMO_ACCOUNT,
          { orderNumber: ORDERS.issued, revocationReason: 'x', test: true },
          { signal: controller.signal },
        );
        assert.deepEqual(cancelled.kind === 'cancelled' && cancelled.outcome, 'not-sent', JSON.stringify(cancelled));
      } finally {
        await client.close();
      }
      assert.equal(fake.requests.length, 0);
    } finally {
      for (const socket of held) socket.destroy();
      mute.closeAllConnections();
      await new Promise((resolve) => mute.close(resolve));
    }
  },
);
