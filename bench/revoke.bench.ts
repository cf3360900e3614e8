// `npm run bench:client`: requests per second for AutoRevokeSSL with test=Y against
// the fake Sectigo server, sequential, one kept-alive connection vs a fresh
// connection (and TLS handshake) for every call. Prints figures; asserts nothing.
import { createSectigoClient } from '../src/core/sectigo/client';
import type { RevokeSslParams } from '../src/core/sectigo/types';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo } from '../test/fake-sectigo/server';

const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const params: RevokeSslParams = { orderNumber: ORDERS.issued, revocationReason: 'benchmark', test: true };

async function run(): Promise<void> {
  if (!Number.isInteger(CALLS) || CALLS < 1) throw new Error('BENCH_CALLS must be a positive whole number.');
  const fake = await startFakeSectigo();
  const options = { baseUrl: fake.url, extraCaCertificates: [fake.caCertificatePem], env: {} };
  try {
    // Warm up both paths (module loading, JIT) before measuring.
    const warm = createSectigoClient(options);
    for (let call = 0; call < 20; call++) await warm.revokeSsl(DEMO_ACCOUNT, params);
    await warm.close();

    const measure = async (
      makeClient: () => ReturnType<typeof createSectigoClient>,
      perCall: boolean,
    ): Promise<{ rate: number; msPerCall: number; connections: number }> => {
      const connectionsBefore = fake.connectionCount();
      const shared = perCall ? undefined : makeClient();
      const started = performance.now();
      for (let call = 0; call < CALLS; call++) {
        const client = shared ?? makeClient();
        const result = await client.revokeSsl(DEMO_ACCOUNT, params);
        if (!shared) await client.close();
        if (result.kind !== 'success') throw new Error(`unexpected result: ${result.kind}`);
      }
      const seconds = (performance.now() - started) / 1000;
      await shared?.close();
      return {
        rate: CALLS / seconds,
        msPerCall: (seconds * 1000) / CALLS,
        connections: fake.connectionCount() - connectionsBefore,
      };
    };
    const kept = await measure(() => createSectigoClient(options), false);
    const fresh = await measure(() => createSectigoClient({ ...options, keepAlive: false }), false);
    const freshClient = await measure(() => createSectigoClient(options), true);

    const row = (label: string, figures: { rate: number; msPerCall: number; connections: number }): string =>
      `${label.padEnd(40)} ${figures.rate.toFixed(0).padStart(7)} req/s ${figures.msPerCall.toFixed(2).padStart(8)} ms/call ${String(figures.connections).padStart(5)} TLS connections`;
    process.stdout.write(
      [
        `AutoRevokeSSL test=Y against the fake server, ${CALLS} sequential calls each (Node ${process.version})`,
        row('keep-alive (one client)', kept),
        row('fresh connection per call (keepAlive off)', fresh),
        row('fresh client per call', freshClient),
        `keep-alive / fresh connection: ${(kept.rate / fresh.rate).toFixed(2)}x`,
        '',
      ].join('\n'),
    );
  } finally {
    await fake.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`bench:client failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
