// One client shared by several calls (a bulk run, the editor's pooled client): ending one call
// must not end a connection another call is waiting on. A TCP relay that holds each new
// connection back for a moment keeps the TLS connection "being set up" long enough to cancel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSectigoClient } from '../../../src/core/sectigo/client';
import { DEMO_ACCOUNT, ORDERS } from '../../fake-sectigo/accounts';
import { startFakeSectigo, type FakeSectigo } from '../../fake-sectigo/server';

const HOLD_MS = 300;
let fake: FakeSectigo;
let relay: Server;
let relayPort: number;
const sockets = new Set<Socket>();

before(async () => {
  fake = await startFakeSectigo();
  const target = new URL(fake.url);
  relay = createServer((incoming) => {
    sockets.add(incoming);
    incoming.pause();
    incoming.on('error', () => undefined);
    setTimeout(() => {
      if (incoming.destroyed) return;
      const outgoing = connect(Number(target.port), target.hostname, () => {
        incoming.pipe(outgoing).pipe(incoming);
        incoming.resume();
      });
      outgoing.on('error', () => incoming.destroy());
      sockets.add(outgoing);
    }, HOLD_MS);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayPort = (relay.address() as AddressInfo).port;
});

after(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
  await fake.close();
});

/** A client for the fake server that connects through the relay, which holds each new connection. */
function clientThroughRelay(): ReturnType<typeof createSectigoClient> {
  const target = new URL(fake.url);
  return createSectigoClient({
    baseUrl: `https://${target.hostname}:${relayPort}${target.pathname}`,
    extraCaCertificates: [readFileSync(fake.caFile, 'utf8')],
    timeoutMs: 10_000,
  });
}

test('cancelling one call leaves the connection another call on the same client is waiting for', async () => {
  const client = clientThroughRelay();
  try {
    const params = { orderNumber: ORDERS.issued, revocationReason: 'shared client', test: true };
    const cancelled = new AbortController();
    const first = client.revokeSsl(DEMO_ACCOUNT, params, { signal: cancelled.signal });
    const second = client.revokeSsl(DEMO_ACCOUNT, params);
    setTimeout(() => cancelled.abort(), HOLD_MS / 3);
    const [firstResult, secondResult] = await Promise.all([first, second]);
    assert.equal(firstResult.kind, 'cancelled', JSON.stringify(firstResult));
    assert.equal(secondResult.kind, 'success', JSON.stringify(secondResult));
  } finally {
    await client.close();
  }
});

test('a call alone on its client still ends the connection it was setting up at once', async () => {
  fake.reset();
  const client = clientThroughRelay();
  try {
    const cancelled = new AbortController();
    const pending = client.revokeSsl(
      DEMO_ACCOUNT,
      { orderNumber: ORDERS.issued, revocationReason: 'alone', test: true },
      { signal: cancelled.signal },
    );
    setTimeout(() => cancelled.abort(), HOLD_MS / 3);
    const result = await pending;
    assert.equal(result.kind, 'cancelled', JSON.stringify(result));
    assert.equal(fake.requests.length, 0, 'the cancelled call reached the server');
  } finally {
    await client.close();
  }
});
