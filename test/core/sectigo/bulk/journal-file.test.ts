// The journal on disk, by construction: a path that is not a regular file is refused at once and
// nothing is opened (a FIFO would hang a run forever); a symbolic link is followed to a journal
// and the lock is beside the target; a dangling link and a second name (hard link) are refused; a
// file that does not start with a journal header is refused and left byte for byte as it was; a
// torn tail is cut at its first byte; server text is capped and one line.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  constants,
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MAX_JOURNAL_LINE_BYTES,
  MAX_JOURNAL_TEXT_BYTES,
  journalText,
  v1SendingLine,
  type JournalRunFacts,
} from '../../../../src/core/sectigo/bulk/journal';
import { JournalWriter, placeJournal, readJournal } from '../../../../src/core/sectigo/bulk/journal-file';
import { lockPathOf } from '../../../../src/core/sectigo/bulk/journal-lock';
import {
  JournalRefusal,
  runJournalledRevocation,
  type JournalledRun,
} from '../../../../src/core/sectigo/bulk/journalled-run';
import { RunIndex } from '../../../../src/core/sectigo/bulk/run-index';
import { parseTargetList, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import type { ApiResult } from '../../../../src/core/sectigo/types';
import { revokeErrorAnswer, revokedAnswer } from './answers';

const dir = mkdtempSync(join(tmpdir(), 'journal-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const facts: JournalRunFacts = { endpoint: 'https://example.test/products/!AutoRevokeSSL', loginName: 'r', test: true };
const targets = parseTargetList('1\n2\n3\n').targets;
const time = new Date('2026-01-01T00:00:00Z');
/** A run that must finish (refused or not) well within this: a FIFO opened by mistake would hang it. */
const RUN_DEADLINE_MS = 10_000;

function runOn(journalPath: string, send: JournalledRun['send'] = async () => revokedAnswer): Promise<unknown> {
  const run = runJournalledRevocation({
    targets,
    journalPath,
    facts,
    defaults: { reason: 'x' },
    ratePerSecond: 100_000,
    secrets: [],
    send,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the run on ${journalPath} did not end (a hang)`)), RUN_DEADLINE_MS);
  });
  return Promise.race([run, deadline]).finally(() => clearTimeout(timer));
}

async function refused(journalPath: string, reason: JournalRefusal['reason'], message: RegExp): Promise<void> {
  await assert.rejects(
    () => runOn(journalPath, async () => assert.fail('sent')),
    (error: unknown) => {
      assert.ok(error instanceof JournalRefusal, String(error));
      assert.equal(error.reason, reason, `${journalPath}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    },
  );
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('a FIFO, a device, a folder, a socket and a dangling link are refused at once, and nothing is opened or created', async () => {
  const fifo = join(dir, 'pipe.jsonl');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const folder = join(dir, 'folder.jsonl');
  mkdirSync(folder);
  const socketPath = join(dir, 'socket.jsonl');
  const server = createServer().listen(socketPath);
  await new Promise((done) => server.once('listening', done));
  const dangling = join(dir, 'dangling.jsonl');
  const nowhere = join(dir, 'nowhere', 'made-through-a-link.jsonl');
  symlinkSync(nowhere, dangling);
  const toZero = join(dir, 'zero.jsonl');
  symlinkSync('/dev/zero', toZero);
  try {
    await refused(fifo, 'not-a-file', /is a named pipe \(FIFO\), not a regular file/);
    await refused('/dev/null', 'not-a-file', /is a device/);
    await refused(toZero, 'not-a-file', /is a symbolic link to \/dev\/zero, which is a device/);
    await refused(folder, 'not-a-file', /is a folder/);
    await refused(socketPath, 'not-a-file', /is a socket/);
    await refused(
      dangling,
      'not-a-file',
      /symbolic link to a file that does not exist; a journal is never created through a link/,
    );
    // Nothing was written into the FIFO (a reader opened now finds it empty), and no lock was made beside any of them.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const buffer = Buffer.alloc(16);
    assert.equal(readSync(reader, buffer), 0, 'nothing was written into the FIFO');
    closeSync(reader);
    for (const path of [fifo, folder, socketPath, dangling, toZero]) assert.ok(!existsSync(lockPathOf(path)), path);
    assert.ok(!existsSync(nowhere), 'nothing was created through the dangling link');
  } finally {
    server.close();
  }
});

test('a file with a second name (hard link) is refused, unchanged: its other name would have a lock of its own', async () => {
  const first = join(dir, 'first.jsonl');
  await runOn(first);
  const before = sha(first);
  linkSync(first, join(dir, 'second-name.jsonl'));
  await refused(first, 'not-a-file', /has 2 names \(hard links\)/);
  assert.equal(sha(first), before);
});

test('a symbolic link to a journal is followed: the run resumes it and the lock is beside the target', async () => {
  const real = join(dir, 'real.jsonl');
  await runOn(real, async (target) => (target.value === '2' ? revokeErrorAnswer(-20) : revokedAnswer));
  mkdirSync(join(dir, 'links'));
  const link = join(dir, 'links', 'link.jsonl');
  symlinkSync(real, link);
  let lockSeen: [boolean, boolean] | undefined;
  const ran = await runJournalledRevocation(
    {
      targets,
      journalPath: link,
      facts,
      defaults: { reason: 'x' },
      ratePerSecond: 100_000,
      retryFailed: true,
      secrets: [],
      send: async () => revokedAnswer,
    },
    { planned: () => void (lockSeen = [existsSync(lockPathOf(real)), existsSync(lockPathOf(link))]) },
  );
  assert.deepEqual(lockSeen, [true, false]);
  assert.ok(ran.kind === 'ran' && ran.plan.toSend === 1 && ran.summary.revoked === 3);
});

test('a file that does not start with a journal header is refused and left byte for byte as it was', async () => {
  const cases: Array<[string, string | Buffer]> = [
    // The case: a one-line file without a final newline looked like a torn journal and was truncated.
    ['one-line.txt', 'my notes, no final newline'],
    ['json.json', '{"name":"a package","version":"1.0.0"}\n{"more":true}\n'],
    ['binary.bin', Buffer.from([0x00, 0xff, 0x0a, 0x7b, 0x0a])],
    ['almost.jsonl', `{"journal":"something else","v":2}\n`],
    ['v1-looking.jsonl', '{"v":1,"event":"elsewhere"}\n'],
  ];
  for (const [name, content] of cases) {
    const path = join(dir, name);
    writeFileSync(path, content);
    const before = sha(path);
    await refused(path, 'not-a-journal', /does not start with the header of a sectigo-csr journal; it was not changed/);
    assert.equal(sha(path), before, name);
    assert.ok(!existsSync(lockPathOf(path)), `${name}: the lock was released`);
  }
});

test('server text is capped and marked, controls escaped: every line written reads back', async () => {
  const path = join(dir, 'long-message.jsonl');
  const huge = `${'Ä'.repeat(35_000)}\n\u001b[2K\u2028fake line`;
  const answers: ApiResult[] = [
    revokeErrorAnswer(-20, huge),
    { kind: 'transport-error', endpoint: 'AutoRevokeSSL', outcome: 'unknown', message: huge, durationMs: 1 },
    revokeErrorAnswer(-4, '\u009b31m\u202ereversed\r\n::error::x'),
  ];
  await runOn(path, async (target) => answers[Number(target.value) - 1] as ApiResult);
  const text = readFileSync(path, 'utf8');
  for (const line of text.split('\n').filter(Boolean))
    assert.ok(Buffer.byteLength(line) < MAX_JOURNAL_LINE_BYTES / 8, `${line.length}`);
  assert.doesNotMatch(text, /[\u0080-\u009f\u2028\u202e]/);
  const messages: string[] = [];
  const read = await readJournal(await placeJournal(path), path, {
    onEntry: (entry) => entry.event === 'ended' && entry.message !== undefined && messages.push(entry.message),
  });
  assert.deepEqual(read.problems, []);
  assert.equal(messages.length, 3);
  assert.match(messages[0] ?? '', /… \[cut: \d+ more bytes\]$/);
  assert.ok(Buffer.byteLength(messages[0] ?? '') <= MAX_JOURNAL_TEXT_BYTES + 40);
  assert.equal(messages[2], '\\u009b31m\\u202ereversed\\r\\n::error::x');
});

test('journalText cuts at a character boundary', () => {
  assert.match(journalText('€'.repeat(1000), 10), /^€€€… \[cut: 2991 more bytes\]$/);
});

function v1Line(n: number): string {
  return JSON.stringify(v1SendingLine(facts, targets[n % 3] as BulkTarget, 'r', undefined, time));
}

test('a torn tail is cut at its first byte, with CRLF line ends and with invalid UTF-8 in a line before it', async () => {
  const cases: Array<[string, Buffer]> = [
    ['CRLF', Buffer.from(`${v1Line(0)}\r\n${v1Line(1)}\r\n{"v":1,"event":"send`)],
    ['a stray CR', Buffer.from(`${v1Line(0)}\n\r\r${v1Line(1)}\r\n{"v":1,"ev`)],
    [
      'a torn multi-byte character',
      Buffer.concat([Buffer.from(`${v1Line(0)}\n${v1Line(1)}\n{"reason":"`), Buffer.from([0xe2, 0x82])]),
    ],
  ];
  for (const [name, bytes] of cases) {
    const path = join(dir, `torn-${name.replace(/\W+/g, '-')}.jsonl`);
    writeFileSync(path, bytes);
    const index = new RunIndex();
    for (const target of targets) index.list(target);
    const read = await readJournal(await placeJournal(path), path, { index });
    const expected = bytes.lastIndexOf(0x0a) + 1;
    assert.equal(read.tornAt, expected, name);
    assert.equal(index.get('order:2')?.status, 'in-flight', name);
    const writer = await JournalWriter.open(await placeJournal(path), path, read);
    await writer.append('{"v":1,"event":"sending","target":"order:3","line":3}', true);
    await writer.close();
    // Everything before the torn line is byte for byte as it was; the new line follows it.
    const after = readFileSync(path);
    assert.deepEqual(after.subarray(0, expected), bytes.subarray(0, expected), name);
    assert.equal(after.subarray(expected).toString(), '{"v":1,"event":"sending","target":"order:3","line":3}\n');
  }
  // Invalid UTF-8 in a line in the middle is a problem, never a cut.
  const path = join(dir, 'invalid-utf8.jsonl');
  writeFileSync(
    path,
    Buffer.concat([Buffer.from(`${v1Line(0)}\n`), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(`${v1Line(1)}\n`)]),
  );
  const read = await readJournal(await placeJournal(path), path);
  assert.deepEqual(read.problems, [{ line: 2, message: 'is not UTF-8 text.' }]);
  assert.equal(read.tornAt, undefined);
});

test('a run that never starts (the preview) leaves no journal and no lock behind', async () => {
  const path = join(dir, 'preview.jsonl');
  const result = await runJournalledRevocation(
    {
      targets,
      journalPath: path,
      facts,
      defaults: { reason: 'x' },
      secrets: [],
      send: async () => assert.fail('sent'),
    },
    { planned: () => false },
  );
  assert.equal(result.kind, 'not-started');
  assert.ok(!existsSync(path));
  assert.ok(!existsSync(lockPathOf(path)));
});
