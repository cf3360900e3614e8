// The client against servers that misbehave: slow, resetting, answering with a
// proxy's HTML page, cutting the body short, mislabelling it, or sending nothing.
// Each must become a clear result that says whether the call may have taken effect;
// a replace is never sent twice, a revoke is retried once where that is safe.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSectigoClient, OUTCOME_UNKNOWN_REPLACE } from '../../../src/core/sectigo/client';
import { DEFAULT_CALL_LIMIT_WAIT_MS, parseRetryAfter } from '../../../src/core/sectigo/errors';
import { main } from '../../../src/cli/main';
import type { ApiResult, SectigoApi } from '../../../src/core/sectigo/types';
import { SERVER_TEXT_WITHHELD } from '../../../src/core/sectigo/redact';

const credentials = { loginName: 'user', loginPassword: 'secret&=%+ ü' };
const csr = 'MIIBAA=='; // never parsed: these tests call with allowPredictedRefusal
const revokeParams = { orderNumber: '1', revocationReason: 'x' };

let server: Server;
let origin: string;
const sockets = new Set<Socket>();
const hits = new Map<string, number>();
let requestArrived: () => void = () => undefined;

type Behaviour = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const behaviours: Record<string, Behaviour> = {
  slow: () => {
    requestArrived();
    /* never answers */
  },
  reset: (req) => req.socket.destroy(),
  'reset-then-21': (req, res, hit) => {
    if (hit === 1) req.socket.destroy();
    else send(res, 200, 'text/plain', '-21\nThe certificate has been revoked!\n');
  },
  'reset-then-0': (req, res, hit) => {
    if (hit === 1) req.socket.destroy();
    else send(res, 200, 'application/x-www-form-urlencoded', 'errorCode=0');
  },
  'type-echo': (_req, res) => send(res, 502, 'text/html-secret&=%+', '<html><body>Bad Gateway</body></html>'),
  html502: (_req, res) =>
    send(
      res,
      502,
      'text/html',
      '<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway loginPassword=secret%26%3D</body></html>',
    ),
  truncated: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '200' });
    res.write('errorCode=0&newOrder');
    setImmediate(() => res.socket?.destroy());
  },
  'cut-json': (_req, res) => send(res, 200, 'application/json', '{"errorCode":0,"newOrd'),
  'form-as-json': (_req, res) =>
    send(res, 200, 'application/json', 'errorCode=-16&errorMessage=Incorrect+login+details'),
  'json-as-text': (_req, res) => send(res, 200, 'text/plain', '{"errorCode":0,"newOrderNumber":"777"}'),
  empty: (_req, res) => send(res, 200, 'text/plain', ''),
  redirect: (_req, res) => {
    res.writeHead(301, { location: 'https://elsewhere.example/products/!AutoRevokeSSL', 'content-length': '0' });
    res.end();
  },
  'server-error-with-answer': (_req, res) => send(res, 500, 'text/plain', '-14\nAn unknown error occurred!\n'),
  'call-limit': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'retry-after': retryAfterHeader });
    res.end('-42\nCall limit reached! Please try again later\n');
  },
};
let retryAfterHeader = '';

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

before(async () => {
  server = createServer((req, res) => {
    const name = (req.url ?? '').split('/')[1] ?? '';
    const hit = (hits.get(name) ?? 0) + 1;
    hits.set(name, hit);
    req.resume();
    req.on('end', () => behaviours[name]?.(req, res, hit));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => hits.clear());

async function withClient(
  behaviour: string,
  call: (client: SectigoApi) => Promise<ApiResult>,
  timeoutMs = 2000,
): Promise<ApiResult> {
  const client = createSectigoClient({ baseUrl: `${origin}/${behaviour}/`, timeoutMs, env: {} });
  try {
    return await call(client);
  } finally {
    await client.close();
  }
}

function transportError(result: ApiResult): Extract<ApiResult, { kind: 'transport-error' }> {
  assert.equal(result.kind, 'transport-error', JSON.stringify(result));
  assert.ok(result.kind === 'transport-error');
  return result;
}

test('slow server: timeout, outcome unknown, replace says to check the order, nothing retried', async () => {
  const replace = transportError(
    await withClient(
      'slow',
      (client) => client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
      300,
    ),
  );
  assert.equal(replace.outcome, 'unknown');
  assert.match(replace.message, /No complete answer/);
  assert.ok(replace.message.includes(OUTCOME_UNKNOWN_REPLACE));
  const revoke = transportError(await withClient('slow', (client) => client.revokeSsl(credentials, revokeParams), 300));
  assert.equal(revoke.outcome, 'unknown');
  assert.equal(hits.get('slow'), 2, 'one replace and one revoke, neither retried');
});

test('connection reset: replace is sent once only; revoke is retried once', async () => {
  const replace = transportError(
    await withClient('reset', (client) =>
      client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
    ),
  );
  assert.equal(replace.outcome, 'unknown');
  assert.ok(replace.message.includes(OUTCOME_UNKNOWN_REPLACE));
  assert.equal(hits.get('reset'), 1);
  hits.clear();
  const revoke = transportError(await withClient('reset', (client) => client.revokeSsl(credentials, revokeParams)));
  assert.equal(revoke.outcome, 'unknown');
  assert.equal(hits.get('reset'), 2);
});

test('a revoke whose answer was lost and whose retry says -21 is done', async () => {
  const result = await withClient('reset-then-21', (client) => client.revokeSsl(credentials, revokeParams));
  assert.equal(result.kind, 'success', JSON.stringify(result));
  assert.ok(result.kind === 'success');
  assert.equal(result.attempts, 2);
  assert.match(result.note ?? '', /-21/);
  hits.clear();
  // In test mode nothing was revoked by the first attempt, so -21 means it already was: an error, not success.
  const testMode = await withClient('reset-then-21', (client) =>
    client.revokeSsl(credentials, { ...revokeParams, test: true }),
  );
  assert.deepEqual(testMode.kind === 'api-error' && [testMode.errorCode, testMode.attempts], [-21, 2]);
  hits.clear();
  const retried = await withClient('reset-then-0', (client) => client.revokeSsl(credentials, revokeParams));
  assert.deepEqual(retried.kind === 'success' && retried.attempts, 2);
});

test('an HTML 502 from a proxy is a transport error with status and a redacted excerpt', async () => {
  const result = transportError(
    await withClient('html502', (client) =>
      client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
    ),
  );
  assert.equal(result.httpStatus, 502);
  assert.equal(result.outcome, 'unknown');
  assert.match(result.message, /web page/);
  // The page echoes the password: the whole excerpt is withheld, not spliced around it.
  assert.equal(result.bodyExcerpt, SERVER_TEXT_WITHHELD);
});

test('a Content-Type echoing part of the password is withheld from the message; a harmless page excerpt is kept', async () => {
  const result = transportError(
    await withClient('type-echo', (client) =>
      client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
    ),
  );
  assert.match(result.message, /\(HTTP 502, \[server text withheld: it contained part of the password\]\)/);
  assert.doesNotMatch(result.message, /secret/);
  assert.equal(result.bodyExcerpt, '<html><body>Bad Gateway</body></html>');
});

test('a truncated body (connection closed early) and cut-off JSON are transport errors', async () => {
  const truncated = transportError(
    await withClient('truncated', (client) =>
      client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
    ),
  );
  assert.equal(truncated.outcome, 'unknown');
  const cut = transportError(
    await withClient('cut-json', (client) =>
      client.replaceSmime(credentials, { orderNumber: '1', csr, responseFormat: 2 }, { allowPredictedRefusal: true }),
    ),
  );
  assert.match(cut.message, /cut off or malformed/);
});

test('a wrong Content-Type does not hide a real answer: the body decides', async () => {
  const form = await withClient('form-as-json', (client) => client.revokeSsl(credentials, revokeParams));
  assert.deepEqual(form.kind === 'api-error' && [form.errorCode, form.responseFormat, form.errorMessage], [
    -16,
    1,
    'Incorrect login details',
  ]);
  const json = await withClient('json-as-text', (client) =>
    client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
  );
  assert.deepEqual(json.kind === 'success' && [json.newOrderNumber, json.responseFormat], ['777', 2]);
});

test('an empty body is a transport error; an API answer with HTTP 500 is still read', async () => {
  const empty = transportError(
    await withClient('empty', (client) =>
      client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
    ),
  );
  assert.match(empty.message, /empty/);
  const answered = await withClient('server-error-with-answer', (client) =>
    client.revokeSsl(credentials, revokeParams),
  );
  assert.deepEqual(answered.kind === 'api-error' && [answered.errorCode, answered.httpStatus], [-14, 500]);
});

test('nothing listening: not sent, so certainly no effect', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const client = createSectigoClient({ baseUrl: `http://127.0.0.1:${port}/products/`, env: {} });
  try {
    const result = transportError(
      await client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
    );
    assert.equal(result.outcome, 'not-sent');
    assert.match(result.message, /connection refused.*Nothing was sent/s);
  } finally {
    await client.close();
  }
});

test('cancellation: before sending nothing goes out; after sending the outcome is unknown', async () => {
  const controller = new AbortController();
  controller.abort();
  const early = await withClient('slow', (client) =>
    client.replaceSmime(
      credentials,
      { orderNumber: '1', csr },
      { signal: controller.signal, allowPredictedRefusal: true },
    ),
  );
  assert.deepEqual(early.kind === 'cancelled' && early.outcome, 'not-sent');
  assert.equal(hits.get('slow'), undefined);
  const late = new AbortController();
  const arrived = new Promise<void>((resolve) => {
    requestArrived = resolve;
  });
  const pending = withClient(
    'slow',
    (client) => client.revokeSsl(credentials, revokeParams, { signal: late.signal }),
    30_000,
  );
  await arrived;
  late.abort();
  const result = await pending;
  assert.deepEqual(result.kind === 'cancelled' && result.outcome, 'unknown');
  assert.equal(hits.get('slow'), 1, 'a cancelled revoke is not retried');
});

test('a redirect is reported with its target and not followed', async () => {
  const result = transportError(
    await withClient('redirect', (client) =>
      client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
    ),
  );
  assert.equal(result.httpStatus, 301);
  assert.match(result.message, /redirect.*elsewhere\.example.*base URL/s);
  assert.equal(hits.get('redirect'), 1);
});

test('a nonsensical timeout setting falls back to the default instead of throwing', async () => {
  for (const timeoutMs of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY]) {
    const result = await withClient(
      'json-as-text',
      (client) => client.replaceSmime(credentials, { orderNumber: '1', csr }, { allowPredictedRefusal: true }),
      timeoutMs,
    );
    assert.equal(result.kind, 'success', `${timeoutMs}: ${JSON.stringify(result)}`);
  }
});

test('a Retry-After out of range or unreadable falls back to the default wait: -42 is still an answer, never a crash', async () => {
  for (const header of ['99999999999999', '1e300', '-42', 'soon', 'Fri, 31 Dec 275760 00:00:00 GMT', '0x10']) {
    retryAfterHeader = header;
    const before = Date.now();
    const result = await withClient('call-limit', (client) => client.revokeSsl(credentials, revokeParams));
    assert.ok(result.kind === 'api-error', `${header}: ${JSON.stringify(result)}`);
    assert.equal(result.errorCode, -42);
    const wait = Date.parse(result.retryAfter ?? '') - before;
    assert.ok(
      wait >= DEFAULT_CALL_LIMIT_WAIT_MS - 1000 && wait <= DEFAULT_CALL_LIMIT_WAIT_MS + 60_000,
      `${header}: ${result.retryAfter}`,
    );
  }
  // Through the command line: sent and answered (exit 3), and --json still prints the result.
  retryAfterHeader = '1e300';
  let printed = '';
  const io = {
    stdout: (text: string) => {
      printed += text;
    },
    stderr: () => undefined,
    readStdin: async () => Buffer.alloc(0),
    env: { SECTIGO_LOGIN_NAME: 'user', SECTIGO_LOGIN_PASSWORD: 'pw' },
    cwd: process.cwd(),
  };
  const code = await main(
    ['revoke', '--order', '1', '--reason', 'x', '--test', '--json', '--base-url', `${origin}/call-limit/`],
    io,
  );
  assert.equal(code, 3);
  assert.equal((JSON.parse(printed) as { errorCode: number }).errorCode, -42);
});

test('Retry-After: seconds and HTTP dates within a day are believed, the rest is the default', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const fallback = now + DEFAULT_CALL_LIMIT_WAIT_MS;
  assert.equal(parseRetryAfter('120', now), now + 120_000);
  assert.equal(parseRetryAfter(['30', '90'], now), now + 30_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 01:00:00 GMT', now), now + 3_600_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), now);
  for (const value of [
    undefined,
    '',
    '86401',
    '99999999999999',
    '1e300',
    '-1',
    '1.5',
    'Infinity',
    'NaN',
    'tomorrow',
    'Sat, 01 Jan 2028 00:00:00 GMT',
  ]) {
    assert.equal(parseRetryAfter(value, now), fallback, String(value));
  }
});
