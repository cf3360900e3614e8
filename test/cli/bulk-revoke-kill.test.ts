// A bulk revocation killed with SIGKILL at random moments, then the same command until it ends:
// every target revoked exactly once (one answer 0 each), and a target sent again only when the
// journal showed it in flight at a kill (its second answer is then -21, "already revoked"), at most
// the calls in flight each time. Asserted on what the fake server received. The moments come from a
// seed, printed; SECTIGO_TEST_SEED=N replays them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_ACCOUNT, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { cliRunner } from '../fake-sectigo/cli-harness';

const seed = Number(process.env.SECTIGO_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ORDER_COUNT = 150;
const CONCURRENCY = 4;
const KILLS = 2;
/** How long a child may take to reach its kill point (tsx's start on a busy machine): a deadline, not a timing. */
const DEADLINE_MS = 60_000;
let fake: FakeSectigo;
let dir: string;
const env = { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName, SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword };

before(async () => {
  fake = await startFakeSectigo();
  dir = mkdtempSync(join(tmpdir(), 'bulk-kill-'));
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The targets the journal shows sent without an end (read here from its lines, not by the product's reader). */
function inFlight(journal: string): Set<string> {
  const open = new Set<string>();
  if (!existsSync(journal)) return open;
  for (const line of readFileSync(journal, 'utf8').split('\n')) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line torn by the kill
    }
    if (typeof record.send === 'string') open.add(record.send);
    if (typeof record.end === 'string') open.delete(record.end);
  }
  return open;
}

test(`SIGKILL at random moments, then the same command: every target revoked once, resent only if in flight (seed ${seed})`, async (t) => {
  t.diagnostic(`seed ${seed} (SECTIGO_TEST_SEED=${seed} replays it)`);
  const next = random(seed);
  const orders = Array.from(
    { length: ORDER_COUNT },
    (_, index) => fake.addOrder({ orderNumber: String(7_000_001 + index), state: 'issued' }).orderNumber,
  );
  const listPath = join(dir, 'incident.txt');
  writeFileSync(listPath, `${orders.join('\n')}\n`);
  const journal = `${listPath}.journal.jsonl`;
  const args = ['revoke', '--from', listPath, '--reason', 'key compromise', '--reason-code', '1', '--yes'];
  const flags = ['--rate', '100', '--concurrency', String(CONCURRENCY)];
  const mayBeResent = new Set<string>();
  for (let kill = 1; kill <= KILLS; kill++) {
    const receivedBefore = fake.requests.length;
    // Anywhere from before the first call of this run to well into it.
    const killAfter = receivedBefore + Math.floor(next() * ((ORDER_COUNT - receivedBefore) / 2));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve('src/cli/main.ts'),
        ...args,
        ...flags,
        '--base-url',
        fake.url,
        '--ca-file',
        fake.caFile,
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const deadline = Date.now() + DEADLINE_MS;
    while (fake.requests.length < killAfter || (killAfter === receivedBefore && !existsSync(journal))) {
      assert.ok(Date.now() < deadline, `kill ${kill}: ${fake.requests.length} of ${killAfter} requests: ${stderr}`);
      assert.equal(child.exitCode, null, `kill ${kill}: the run ended before its kill point: ${stderr}`);
      await new Promise((wait) => setTimeout(wait, 2));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const open = inFlight(journal);
    t.diagnostic(
      `kill ${kill} after ${fake.requests.length - receivedBefore} calls of this run; ${open.size} in flight`,
    );
    assert.ok(open.size <= CONCURRENCY, `${open.size} in flight`);
    for (const key of open) mayBeResent.add(key);
    // Every call the server received was announced in the journal first.
    const announced = new Set(
      readFileSync(journal, 'utf8')
        .split('\n')
        .map((line) => /"send":"(order:\d+)"/.exec(line)?.[1])
        .filter(Boolean),
    );
    for (const request of fake.requests.slice(receivedBefore))
      assert.ok(
        announced.has(`order:${request.params.orderNumber}`),
        `order ${request.params.orderNumber} sent unannounced`,
      );
  }
  const finished = await cliRunner(() => fake, dir, env).run([...args, ...flags]);
  assert.equal(finished.code, 0, finished.stderr);
  const answers = new Map<string, number[]>();
  for (const request of fake.requests) {
    const order = request.params.orderNumber ?? '';
    answers.set(order, [...(answers.get(order) ?? []), request.answeredCode]);
  }
  for (const order of orders) {
    const received = answers.get(order) ?? [];
    assert.equal(received.filter((code) => code === 0).length, 1, `order ${order}: ${received.join(', ')}`);
    assert.equal(fake.orders.get(order)?.state, 'revoked');
    if (received.length > 1) {
      assert.ok(mayBeResent.has(`order:${order}`), `order ${order} was sent again though the journal had its answer`);
      assert.deepEqual(
        received.slice(1),
        received.slice(1).map(() => -21),
      );
    }
  }
  assert.ok(fake.requests.length <= ORDER_COUNT + KILLS * CONCURRENCY, `${fake.requests.length} requests`);
});
