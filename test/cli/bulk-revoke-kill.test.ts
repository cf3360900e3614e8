// A bulk revocation killed with SIGKILL mid-run, then resumed with the same
// command: no target lost, and none sent twice except those in flight at the
// kill (whose second answer is -21). Asserted on what the fake server received.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_ACCOUNT, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { cliRunner } from '../fake-sectigo/cli-harness';

const ORDER_COUNT = 40;
const CONCURRENCY = 2;
let fake: FakeSectigo;
let dir: string;
const env = { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName, SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword };

before(async () => {
  fake = await startFakeSectigo({ latencyMs: 30 });
  dir = mkdtempSync(join(tmpdir(), 'bulk-kill-'));
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL in the middle, then the same command: every target revoked, none answered twice beyond those in flight', async () => {
  const orders = Array.from(
    { length: ORDER_COUNT },
    (_, index) => fake.addOrder({ orderNumber: String(7_000_001 + index), state: 'issued' }).orderNumber,
  );
  const listPath = join(dir, 'incident.txt');
  writeFileSync(listPath, `${orders.join('\n')}\n`);
  const args = [
    'revoke',
    '--from',
    listPath,
    '--reason',
    'key compromise',
    '--reason-code',
    '1',
    '--yes',
    '--rate',
    '50',
    '--concurrency',
    String(CONCURRENCY),
  ];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('src/cli/main.ts'), ...args, '--base-url', fake.url, '--ca-file', fake.caFile],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolveExit) =>
    child.on('exit', (_code, signal) => resolveExit(signal)),
  );
  const deadline = Date.now() + 30_000;
  while (fake.requests.length < 15) {
    assert.ok(Date.now() < deadline, `the child sent ${fake.requests.length} requests in 30 s: ${stderr}`);
    assert.equal(child.exitCode, null, `the child ended early: ${stderr}`);
    await new Promise((wait) => setTimeout(wait, 5));
  }
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const receivedAtKill = fake.requests.length;
  assert.ok(receivedAtKill < ORDER_COUNT, 'killed in the middle');

  // What the journal says after the kill: announced calls without an end are in flight.
  const journal = readFileSync(`${listPath}.journal.jsonl`, 'utf8');
  const lines = journal.split('\n').filter((line) => line.trim() !== '');
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line) as { event: string; target: string };
    } catch {
      return undefined; // a line torn by the kill
    }
  });
  const ended = new Set(parsed.filter((line) => line?.event === 'ended').map((line) => line?.target));
  const inFlight = new Set(
    parsed.filter((line) => line?.event === 'sending' && !ended.has(line.target)).map((line) => line?.target),
  );
  assert.ok(inFlight.size <= CONCURRENCY, `${inFlight.size} in flight`);
  // Every call the server received was announced in the journal first.
  for (const request of fake.requests)
    assert.ok(
      parsed.some((line) => line?.event === 'sending' && line.target === `order:${request.params.orderNumber}`),
    );

  const cli = cliRunner(() => fake, dir, env);
  const resumed = await cli.run(args);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.ok(
    orders.every((order) => fake.orders.get(order)?.state === 'revoked'),
    'no target lost',
  );
  const sends = new Map<string, number[]>();
  for (const request of fake.requests)
    sends.set(request.params.orderNumber ?? '', [
      ...(sends.get(request.params.orderNumber ?? '') ?? []),
      request.answeredCode,
    ]);
  for (const order of orders) {
    const answers = sends.get(order) ?? [];
    assert.equal(
      answers.filter((code) => code === 0).length,
      1,
      `order ${order} revoked exactly once: ${answers.join(', ')}`,
    );
    if (answers.length > 1) {
      assert.ok(inFlight.has(`order:${order}`), `order ${order} was sent again although the journal had its answer`);
      assert.deepEqual(answers.slice(1), [-21]);
    }
  }
  assert.ok(fake.requests.length <= ORDER_COUNT + CONCURRENCY);
});
