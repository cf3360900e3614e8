// `sectigo-csr revoke --from LIST` end to end against the fake server: every
// target form, bad lists refused whole, resume from the journal, -42 handled,
// Ctrl-C, and the password in no byte of output or journal.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  DEMO_ACCOUNT,
  ORDERS,
  startFakeSectigo,
  type FakeSectigo,
  type FakeSectigoOptions,
} from '../fake-sectigo/server';
import { cliRunner } from '../fake-sectigo/cli-harness';
import { makeCertificatePem } from '../fake-sectigo/csrs';
import type { BulkSummary } from '../../src/core/sectigo/bulk/summary';
import { parseTargetList } from '../../src/core/sectigo/bulk/targets';

let fake: FakeSectigo;
let dir: string;
const env = { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName, SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword };
let cli: ReturnType<typeof cliRunner>;
const CERTIFICATE_SERIAL = '8A7F00C1D3';
let listCount = 0;

function list(lines: string[]): string {
  const name = `list-${++listCount}.txt`;
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

function journalLines(name: string): Array<Record<string, unknown>> {
  return readFileSync(join(dir, name), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A fake server of its own (slow, or with a call limit) holding `count` issued orders, and a runner against it. */
async function serverWithIssuedOrders(
  options: FakeSectigoOptions,
  count: number,
  firstOrderNumber: number,
): Promise<{ server: FakeSectigo; orders: string[]; cli: ReturnType<typeof cliRunner> }> {
  const server = await startFakeSectigo(options);
  const orders = Array.from(
    { length: count },
    (_, index) => server.addOrder({ orderNumber: String(firstOrderNumber + index), state: 'issued' }).orderNumber,
  );
  return { server, orders, cli: cliRunner(() => server, dir, env) };
}

before(async () => {
  fake = await startFakeSectigo();
  dir = mkdtempSync(join(tmpdir(), 'bulk-revoke-cli-'));
  const certificatePem = await makeCertificatePem(`00${CERTIFICATE_SERIAL}`);
  writeFileSync(join(dir, 'site.pem'), certificatePem);
  cli = cliRunner(() => fake, dir, env);
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

test('a list with every target form, in --test mode', async () => {
  fake.addOrder({ orderNumber: '3000001', state: 'issued', serialNumber: CERTIFICATE_SERIAL });
  const spare = fake.orders.get(ORDERS.issuedSpare);
  assert.ok(spare);
  const name = list([
    '# every form',
    ORDERS.issued,
    '',
    `order:${ORDERS.issued}`,
    `certificate-id:${spare.certificateId}`,
    `serial:${fake.addOrder({ orderNumber: '3000002', state: 'issued' }).serialNumber.toLowerCase()}`,
    'certificate:site.pem',
  ]);
  const result = await cli.run(['revoke', '--from', name, '--reason', 'incident 7', '--reason-code', '1', '--test']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Line 4 repeats line 2/);
  assert.match(result.stdout, /4 accepted by the test call/);
  const sent = fake.requests.map((request) => request.params);
  assert.equal(sent.length, 4);
  assert.ok(
    sent.every(
      (params) => params.test === 'Y' && params.codeReason === '1' && params.revocationReason === 'incident 7',
    ),
  );
  assert.deepEqual(
    sent.map((params) => params.orderNumber ?? params.certificateID ?? params.serialNumber).sort(),
    [ORDERS.issued, spare.certificateId, CERTIFICATE_SERIAL, fake.orders.get('3000002')?.serialNumber].sort(),
  );
  assert.equal(fake.orders.get(ORDERS.issued)?.state, 'issued', 'test=Y revoked nothing');
  // The run-wide facts once, in the header; then the run's start and reason; then a short record per call.
  const [header, run, ...records] = journalLines(`${name}.test.journal.jsonl`);
  assert.equal(header?.journal, 'sectigo-csr bulk revocation journal');
  assert.equal(header?.loginName, DEMO_ACCOUNT.loginName);
  assert.equal(header?.test, true);
  assert.match(String(header?.endpoint), /!AutoRevokeSSL$/);
  assert.deepEqual([run?.reason, run?.codeReason, typeof run?.run], ['incident 7', 1, 'string']);
  assert.equal(records.length, 8);
  for (const record of records) {
    assert.deepEqual(
      Object.keys(record).filter((key) => ['endpoint', 'loginName', 'test', 'reason'].includes(key)),
      [],
    );
    assert.ok(JSON.stringify(record).length < 130, JSON.stringify(record));
  }
  assert.deepEqual(
    records.filter((record) => record.end !== undefined).map((record) => record.outcome),
    ['revoked', 'revoked', 'revoked', 'revoked'],
  );
});

test('without --yes or --test: the count, the endpoint and the first targets, and nothing sent', async () => {
  const name = list(Array.from({ length: 15 }, (_, index) => String(4_000_001 + index)));
  const result = await cli.run(['revoke', '--from', name, '--reason', 'x']);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /revokes 15 certificates at https:\/\/127\.0\.0\.1:\d+\/products\/!AutoRevokeSSL as demo-reseller/,
  );
  assert.match(result.stderr, /line 1: order 4000001/);
  assert.match(result.stderr, /and 5 more/);
  assert.match(result.stderr, /--test first/);
  assert.equal(fake.requests.length, 0);
});

test('bad lists exit 2, name every bad line, and send nothing', async () => {
  const cases: Array<[string[], string[], RegExp[]]> = [
    [
      ['1000001', 'order:12x', 'what is this', 'serial:XYZ', 'certificate:missing.pem', 'certificate:site.pem'],
      ['--reason', 'x'],
      [/:2: .*digits/, /:3: .*not a target/, /:4: .*hexadecimal/, /:5: certificate:missing.pem: no such file/],
    ],
    [
      ['orderNumber,revocationReason', '1000001,lost', '1000002,'],
      [],
      [/:3: no revocationReason on this row and no --reason/],
    ],
    [['orderNumber,codeReason', '1000001,9'], ['--reason', 'x'], [/:2: codeReason/]],
    [['# only a comment', ''], ['--reason', 'x'], [/names no certificate/]],
  ];
  for (const [lines, flags, messages] of cases) {
    const result = await cli.run(['revoke', '--from', list(lines), ...flags, '--yes']);
    assert.equal(result.code, 2, result.stderr);
    for (const message of messages) assert.match(result.stderr, message);
  }
  const flags: Array<[string[], RegExp]> = [
    [['--from', 'nothing.txt', '--reason', 'x', '--test'], /no such file/],
    [['--from', list(['1']), '--reason', 'x', '--test', '--concurrency', '0'], /--concurrency/],
    [['--from', list(['1']), '--reason', 'x', '--test', '--rate', 'fast'], /--rate/],
    [['--from', list(['1']), '--reason', 'x', '--test', '--limit-wait', '-1'], /limit-wait/],
    [['--from', '-', '--reason', 'x', '--test'], /--journal/],
    [['--from', list(['1000001']), '--test'], /--reason is required/],
  ];
  for (const [args, message] of flags) {
    const result = await cli.run(['revoke', ...args]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
  }
  assert.equal(fake.requests.length, 0);
});

test('outcomes, the summary, exit 3, and a second run that resends nothing done and only retries failures when asked', async () => {
  const name = list([ORDERS.issued, ORDERS.revoked, ORDERS.rejected, ORDERS.issuedSpare]);
  const first = await cli.run([
    'revoke',
    '--from',
    name,
    '--reason',
    'key compromise',
    '--reason-code',
    '1',
    '--yes',
    '--json',
  ]);
  assert.equal(first.code, 3, first.stderr);
  const summary = JSON.parse(first.stdout) as BulkSummary;
  assert.equal(summary.kind, 'bulk-revocation');
  assert.deepEqual(
    [summary.total, summary.revoked, summary.alreadyRevoked, summary.failed, summary.unknown, summary.notSent],
    [4, 3, 1, 1, 0, 0],
  );
  assert.deepEqual(
    summary.failures.map((failure) => [failure.target, failure.line, failure.code]),
    [[`order:${ORDERS.rejected}`, 3, -20]],
  );
  assert.equal(fake.orders.get(ORDERS.issued)?.state, 'revoked');
  assert.equal(fake.requests.length, 4);

  const second = await cli.run(['revoke', '--from', name, '--reason', 'key compromise', '--reason-code', '1', '--yes']);
  assert.equal(second.code, 3);
  assert.equal(fake.requests.length, 4, 'nothing sent again');
  assert.match(second.stdout, /3 revoked .*\(3 in an earlier run\)/);
  assert.match(
    second.stdout,
    /-20 × 1: .*\(1 in an earlier run; --retry-failed sends them again\)\n.*\n {4}line 3 order:1000004/,
  );

  const third = await cli.run(['revoke', '--from', name, '--reason', 'key compromise', '--yes', '--retry-failed']);
  assert.equal(third.code, 3);
  assert.deepEqual(
    fake.requests.slice(4).map((request) => request.params.orderNumber),
    [ORDERS.rejected],
  );
});

test('a journal of a test run is not resumed by a real run', async () => {
  const name = list([ORDERS.issued]);
  assert.equal(
    (await cli.run(['revoke', '--from', name, '--reason', 'x', '--test', '--journal', 'shared.jsonl'])).code,
    0,
  );
  const real = await cli.run(['revoke', '--from', name, '--reason', 'x', '--yes', '--journal', 'shared.jsonl']);
  assert.equal(real.code, 2);
  assert.match(real.stderr, /belongs to another run \(it records a test run/);
  assert.equal(fake.requests.length, 1);
});

test('-42 from AutoRevokeSSL pauses, slows down and re-sends the same target; none counted as failed', async () => {
  const {
    server: limited,
    orders,
    cli: limitedCli,
  } = await serverWithIssuedOrders({ callLimit: 4, callWindowMs: 1000, retryAfter: true }, 10, 5_000_001);
  try {
    const result = await limitedCli.run([
      'revoke',
      '--from',
      list(orders),
      '--reason',
      'x',
      '--yes',
      '--json',
      '--rate',
      '50',
      '--concurrency',
      '2',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as BulkSummary;
    assert.equal(summary.revoked, 10);
    assert.ok(summary.callLimitAnswers >= 1 && summary.pauses >= 1, JSON.stringify(summary));
    const answered = limited.requests.map((request) => request.answeredCode);
    assert.equal(answered.filter((code) => code === 0).length, 10, 'each revoked exactly once');
    // A pause per window at most, and at most the calls in flight answered -42 in each.
    assert.ok(
      summary.callLimitAnswers <= summary.pauses * 2,
      `${summary.callLimitAnswers} -42 answers for ${summary.pauses} pauses`,
    );
    assert.ok(orders.every((order) => limited.orders.get(order)?.state === 'revoked'));
  } finally {
    await limited.close();
  }
});

test('Ctrl-C stops starting calls, journals those in flight, and the same command finishes the job', async () => {
  const { server: slow, orders, cli: slowCli } = await serverWithIssuedOrders({ latencyMs: 40 }, 30, 6_000_001);
  try {
    const name = list(orders);
    const listeners = process.listenerCount('SIGINT');
    const command = ['revoke', '--from', name, '--reason', 'x', '--yes', '--rate', '100', '--concurrency', '2'];
    const pending = slowCli.run(command);
    while (slow.requests.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    process.emit('SIGINT');
    const stopped = await pending;
    assert.equal(stopped.code, 4);
    assert.equal(process.listenerCount('SIGINT'), listeners);
    assert.match(stopped.stderr, /Stopping: no new calls/);
    const sentBefore = slow.requests.length;
    assert.ok(sentBefore < 30);
    assert.match(stopped.stdout, new RegExp(`${sentBefore} revoked`));
    assert.match(stopped.stdout, new RegExp(`${30 - sentBefore} not sent`));
    const resumed = await slowCli.run(command);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(slow.requests.length, 30, 'each order sent once in all');
    assert.ok(orders.every((order) => slow.orders.get(order)?.state === 'revoked'));
  } finally {
    await slow.close();
  }
});

test('a second Ctrl-C cancels the calls in flight; the journal and the summary say their outcome is unknown, and a rerun settles them', async () => {
  const { server: slow, orders, cli: slowCli } = await serverWithIssuedOrders({ latencyMs: 400 }, 6, 6_100_001);
  try {
    const name = list(orders);
    const command = [
      'revoke',
      '--from',
      name,
      '--reason',
      'x',
      '--yes',
      '--rate',
      '100',
      '--concurrency',
      '2',
      '--json',
    ];
    const pending = slowCli.run(command);
    while (slow.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    process.emit('SIGINT');
    process.emit('SIGINT');
    const aborted = await pending;
    assert.equal(aborted.code, 4);
    const summary = JSON.parse(aborted.stdout) as BulkSummary;
    assert.equal(summary.unknown, 2);
    assert.equal(summary.notSent, 4);
    const ended = journalLines(`${name}.journal.jsonl`).filter((line) => line.end !== undefined);
    assert.deepEqual(
      ended.map((line) => line.outcome),
      ['unknown', 'unknown'],
    );
    // The server did revoke them: the rerun's second call answers -21, which counts as revoked.
    const rerun = await slowCli.run(command);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal((JSON.parse(rerun.stdout) as BulkSummary).alreadyRevoked, 2);
  } finally {
    await slow.close();
  }
});

test('on a terminal: one progress line redrawn in place, no line per target; --verbose adds them', async () => {
  const listName = list([ORDERS.issued, ORDERS.rejected, ORDERS.issuedSpare]);
  const { code, stderr, stdout } = await cli.run(['revoke', '--from', listName, '--reason', 'x', '--test'], {}, '', {
    stderrIsTerminal: true,
  });
  assert.equal(code, 3);
  assert.match(stderr, /\r\u001b\[2K3\/3 done · [0-9.]+\/s \(at most 5\.0\/s\) · 1 failed · 0 unknown/);
  assert.doesNotMatch(stderr, /line 2, order:1000004/);
  // The summary says what failed, grouped, and where the list of them is.
  assert.match(stdout, /-20 × 1: The certificate request was rejected/);
  assert.match(stdout, new RegExp(`listed in .*${listName}\\.test\\.failed\\.txt`));
  const verbose = await cli.run(
    ['revoke', '--from', listName, '--reason', 'x', '--test', '--verbose', '--journal', 'v.jsonl'],
    {},
    '',
    {
      stderrIsTerminal: true,
    },
  );
  assert.match(verbose.stderr, /line 1, order:1000001: accepted by the test call \(nothing revoked\): 0\n/);
  assert.match(verbose.stderr, /line 2, order:1000004: failed: -20 /);
});

test('into a pipe: a line for each target that fails or is unknown, none for the revoked ones', async () => {
  const { code, stderr } = await cli.run([
    'revoke',
    '--from',
    list([ORDERS.issued, ORDERS.rejected, ORDERS.issuedSpare]),
    '--reason',
    'x',
    '--test',
  ]);
  assert.equal(code, 3);
  assert.match(stderr, /^line 2, order:1000004: failed: -20 /m);
  assert.doesNotMatch(stderr, /order:1000001/);
  assert.doesNotMatch(stderr, /\r/);
});

test('the list of failures round-trips through revoke --from: the same targets, sent again, and nothing overwritten', async () => {
  fake.addOrder({ orderNumber: '3000101', state: 'issued' });
  const name = list([ORDERS.issued, ORDERS.rejected, '3000101', ORDERS.noPermission, ORDERS.unknownError]);
  const first = await cli.run(['revoke', '--from', name, '--reason', 'x', '--yes', '--json']);
  const summary = JSON.parse(first.stdout) as BulkSummary;
  assert.equal(summary.failed, 3);
  assert.equal(summary.failedList, join(dir, `${name}.failed.txt`));
  const failedList = readFileSync(summary.failedList ?? '', 'utf8');
  assert.match(failedList, /^# sectigo-csr revoke --from /);
  fake.reset();
  const again = await cli.run(['revoke', '--from', `${name}.failed.txt`, '--reason', 'x', '--yes', '--json']);
  const second = JSON.parse(again.stdout) as BulkSummary;
  assert.deepEqual(
    fake.requests.map((request) => request.params.orderNumber).sort(),
    [ORDERS.rejected, ORDERS.noPermission, ORDERS.unknownError].sort(),
    'exactly the failed targets are sent again',
  );
  assert.deepEqual(
    second.failures.map((failure) => failure.target),
    summary.failures.map((failure) => failure.target),
  );
  // Its own failures go to a list of its own; the first list is never overwritten.
  assert.equal(second.failedList, join(dir, `${name}.failed.txt.failed.txt`));
  assert.equal(readFileSync(summary.failedList ?? '', 'utf8'), failedList);
  // A CSV with reasons of its own per row keeps them in a CSV list of failures.
  const csv = list([
    'orderNumber,revocationReason,codeReason',
    `${ORDERS.rejected},superseded by 42,4`,
    `${ORDERS.issuedSpare},"lost, twice",1`,
  ]);
  const fromCsv = JSON.parse((await cli.run(['revoke', '--from', csv, '--test', '--json'])).stdout) as BulkSummary;
  assert.equal(fromCsv.failedList, join(dir, `${csv}.test.failed.csv`));
  const rows = readFileSync(fromCsv.failedList ?? '', 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'));
  assert.deepEqual(rows, [
    'orderNumber,certificateID,serialNumber,revocationReason,codeReason',
    `${ORDERS.rejected},,,superseded by 42,4`,
  ]);
  fake.reset();
  await cli.run(['revoke', '--from', basename(fromCsv.failedList ?? ''), '--test', '--json']);
  assert.deepEqual(
    fake.requests.map((request) => [
      request.params.orderNumber,
      request.params.revocationReason,
      request.params.codeReason,
    ]),
    [[ORDERS.rejected, 'superseded by 42', '4']],
  );
});

test('--json is one document of a bounded size: the first hundred failures listed, the rest counted, all in the list file', async () => {
  const many = Array.from({ length: 130 }, (_, index) => String(8_800_001 + index));
  const result = await cli.run([
    'revoke',
    '--from',
    list(many),
    '--reason',
    'x',
    '--test',
    '--json',
    '--rate',
    '100',
    '--concurrency',
    '8',
  ]);
  const summary = JSON.parse(result.stdout) as BulkSummary;
  assert.equal(summary.failed, 130);
  assert.equal(summary.failures.length, 100);
  assert.equal(summary.failuresOmitted, 30);
  assert.deepEqual(
    summary.failureGroups.map((group) => [group.code, group.count, group.targets.length]),
    [[-4, 130, 5]],
  );
  const listed = parseTargetList(readFileSync(summary.failedList ?? '', 'utf8'));
  assert.equal(listed.targets.length, 130);
});

/** Every way the password could appear: raw, form, percent, JSON, HTML, base64 (each alignment), and fragments of 6 characters. */
function passwordForms(password: string): string[] {
  const forms = new Set<string>();
  const pieces = [password];
  for (let start = 0; start + 6 <= password.length; start++) pieces.push(password.slice(start, start + 6));
  for (const piece of pieces) {
    forms.add(piece);
    forms.add(encodeURIComponent(piece));
    forms.add(new URLSearchParams({ p: piece }).toString().slice(2));
    forms.add(JSON.stringify(piece).slice(1, -1));
    forms.add(piece.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
    const bytes = Buffer.from(piece, 'utf8');
    for (const offset of [0, 1, 2]) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      const fixed = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
      if (fixed.length >= 6) forms.add(fixed);
    }
  }
  return [...forms];
}

test('the password is in no byte of the output or the journals', async () => {
  await cli.run(
    ['revoke', '--from', list([ORDERS.issued, ORDERS.noPermission, ORDERS.unknownError]), '--reason', 'x', '--yes'],
    { SECTIGO_CSR_DEBUG: '1' },
  );
  await cli.run(
    ['revoke', '--from', list([ORDERS.issuedSpare, ORDERS.rejected]), '--reason', 'x', '--test', '--json'],
    { SECTIGO_CSR_DEBUG: '1' },
  );
  await cli.run(['revoke', '--from', list([ORDERS.issued]), '--reason', 'x']);
  assert.ok(fake.requests.some((request) => request.passwordMatched === true));
  // The journals and the lists of failures: files a user may share.
  const journals = readdirSync(dir)
    .filter((file) => file.endsWith('.jsonl') || /\.failed(-\d+)?\.(txt|csv)$/.test(file))
    .map((file) => readFileSync(join(dir, file), 'utf8'));
  assert.ok(journals.length >= 2);
  const everything = [...cli.transcript, ...journals].join('\n');
  assert.match(everything, /POST https:\/\/127\.0\.0\.1/, 'the debug log did run');
  for (const form of passwordForms(DEMO_ACCOUNT.loginPassword)) {
    assert.equal(everything.includes(form), false, `found a form of the password: ${form.slice(0, 3)}…`);
  }
});
