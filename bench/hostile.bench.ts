// `npm run bench:hostile`: the worst cases of hostile inputs and servers, each beside
// a baseline run the old way (reading whole, no cap): an endless standard input, a
// 100 MB answer, a server that never speaks TLS, and redaction of a 1 MiB echo.
// Prints figures; asserts nothing.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { readStreamUpTo, MAX_INPUT_FILE_BYTES } from '../src/core/bounded-read';
import { createSectigoClient } from '../src/core/sectigo/client';
import { redactOwnText, redactServerText } from '../src/core/sectigo/redact';

const MiB = 1024 * 1024;
const ANSWER_BYTES = Number(process.env.BENCH_ANSWER_MB ?? 100) * MiB;
const credentials = { loginName: 'user', loginPassword: 'Pa55 w&rd+%<"äöZq9€x' };
const revokeParams = { orderNumber: '1', revocationReason: 'benchmark', test: true };

function row(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(62)} ${value}\n`);
}

/** An endless stream of 64 KiB chunks, and how much was taken from it. */
function endless(limitBytes = Number.POSITIVE_INFINITY): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  const stream = new Readable({
    read() {
      if (pulled >= limitBytes) {
        this.push(null);
        return;
      }
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

async function endlessStdin(): Promise<void> {
  const capped = endless();
  let started = performance.now();
  const bytes = await readStreamUpTo(capped.stream, MAX_INPUT_FILE_BYTES);
  row(
    'endless stdin, read with the cap: time to refuse',
    `${(performance.now() - started).toFixed(1)} ms, ${(capped.pulled() / MiB).toFixed(2)} MiB read, ${bytes.length} kept`,
  );
  // Baseline: reading whole, as before; 256 MiB instead of 4 GB, which the old way could not finish.
  const whole = endless(256 * MiB);
  started = performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of whole.stream) chunks.push(chunk as Buffer);
  const total = Buffer.concat(chunks).length;
  const ms = performance.now() - started;
  row(
    'baseline: 256 MiB of stdin read whole (the old way)',
    `${ms.toFixed(1)} ms, ${(total / MiB).toFixed(0)} MiB held (memory grows with the input)`,
  );
}

async function withServer<T>(
  handler: (res: import('node:http').ServerResponse) => void,
  body: (origin: string) => Promise<T>,
): Promise<T> {
  const sockets = new Set<Socket>();
  const server: HttpServer = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => handler(res));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

function hugeAnswer(res: import('node:http').ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(MiB, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < ANSWER_BYTES && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

function memoryNow(): number {
  return process.memoryUsage().rss + process.memoryUsage().arrayBuffers;
}

async function hugeAnswers(): Promise<void> {
  const label = `${ANSWER_BYTES / MiB} MB answer`;
  await withServer(hugeAnswer, async (origin) => {
    global.gc?.();
    const before = memoryNow();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryNow())), 5);
    const client = createSectigoClient({ baseUrl: `${origin}/products/`, env: {} });
    const started = performance.now();
    const result = await client.revokeSsl(credentials, revokeParams);
    const ms = performance.now() - started;
    await client.close();
    clearInterval(sampler);
    row(
      `${label}, streamed with the 1 MiB cap: time, memory growth`,
      `${ms.toFixed(1)} ms, +${((peak - before) / MiB).toFixed(1)} MiB (${result.kind})`,
    );
  });
  await withServer(hugeAnswer, async (origin) => {
    global.gc?.();
    const before = memoryNow();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryNow())), 5);
    const started = performance.now();
    const response = await request(`${origin}/products/!AutoRevokeSSL`, { method: 'POST', body: 'x=1' });
    const text = Buffer.from(await response.body.arrayBuffer())
      .subarray(0, MiB)
      .toString('utf8');
    const ms = performance.now() - started;
    clearInterval(sampler);
    row(
      `baseline: ${label} read whole, then cut (the old way)`,
      `${ms.toFixed(1)} ms, +${((peak - before) / MiB).toFixed(1)} MiB (${text.length} kept)`,
    );
  });
}

async function silentTls(): Promise<void> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/products/`;
  try {
    const client = createSectigoClient({ baseUrl, timeoutMs: 1000, env: {} });
    let started = performance.now();
    const timedOut = await client.revokeSsl(credentials, revokeParams);
    row(
      'never-speaking TLS server, --timeout 1: time to give up',
      `${(performance.now() - started).toFixed(0)} ms (${timedOut.kind}); undici's own connect timeout alone was 10,000 ms`,
    );
    const controller = new AbortController();
    started = performance.now();
    const pending = client.revokeSsl(credentials, revokeParams, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const cancelled = await pending;
    row(
      'never-speaking TLS server: Ctrl-C after 100 ms, time to result',
      `${(performance.now() - started).toFixed(0)} ms (${cancelled.kind})`,
    );
    await client.close();
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

function redaction(): void {
  const secret = credentials.loginPassword;
  const plain = 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(MiB / 45)).slice(0, MiB);
  const encoded = `${encodeURIComponent(secret)}&amp;\\u0041${Buffer.from(secret).toString('base64')} `
    .repeat(Math.ceil(MiB / 80))
    .slice(0, MiB);
  for (const [label, text] of [
    ['1 MiB of plain text', plain],
    ['1 MiB of echoed, encoded passwords (worst case)', encoded],
  ] as const) {
    for (const [kind, redact] of [
      ['own text', redactOwnText],
      ['server text', redactServerText],
    ] as const) {
      redact(text, [secret]);
      let started = performance.now();
      redact(text, [secret]);
      const ms = performance.now() - started;
      started = performance.now();
      text.split(secret).join('[redacted]');
      row(
        `redaction of ${label}, as ${kind}`,
        `${ms.toFixed(1)} ms (baseline raw split/join: ${(performance.now() - started).toFixed(1)} ms)`,
      );
    }
  }
}

async function run(): Promise<void> {
  await endlessStdin();
  await hugeAnswers();
  await silentTls();
  redaction();
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
