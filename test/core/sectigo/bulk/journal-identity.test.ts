// A journal is one file whatever its spelling: the lock follows the file's identity (a symlink and
// a hard link take the same lock, across two processes), an empty lock is never taken as stale,
// every line written can be read back, and a torn tail is cut at the right byte for CRLF and
// invalid UTF-8.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { linkSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import {
  JournalBusyError,
  JournalWriter,
  journalLockPath,
  lockJournal,
  readJournalFile,
  runJournal,
} from '../../../../src/core/sectigo/bulk/journal-file';
import {
  MAX_JOURNAL_LINE_BYTES,
  MAX_JOURNAL_TEXT_BYTES,
  endedLine,
  journalText,
  sendingLine,
  type JournalRunFacts,
} from '../../../../src/core/sectigo/bulk/journal';
import type { BulkTarget } from '../../../../src/core/sectigo/bulk/targets';

const dir = mkdtempSync(join(tmpdir(), 'journal-identity-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const facts: JournalRunFacts = { endpoint: 'https://example.test/products/!AutoRevokeSSL', loginName: 'r', test: true };
const target = (n: number): BulkTarget => ({ kind: 'order', value: String(1000 + n), line: n }) as BulkTarget;
const time = new Date('2026-01-01T00:00:00Z');

/** Another process that takes the lock of `path` and holds it until its stdin closes. */
async function holder(path: string): Promise<ChildProcess> {
  const code = `
    const { lockJournal } = require(${JSON.stringify(resolve('src/core/sectigo/bulk/journal-file.ts'))});
    lockJournal(process.argv[1]).then(async (release) => {
      process.stdout.write('locked\\n');
      process.stdin.resume();
      process.stdin.on('end', () => release().then(() => process.exit(0)));
    }, (error) => { process.stdout.write('refused: ' + error.message + '\\n'); process.exit(3); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!out.includes('\n')) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `the holder did not start: ${out}`);
    await new Promise((wait) => setTimeout(wait, 10));
  }
  assert.equal(out, 'locked\n');
  return child;
}

async function release(child: ChildProcess): Promise<void> {
  child.stdin?.end();
  if (child.exitCode === null) await once(child, 'exit');
}

test('two processes: a journal reached through a symlink and through a hard link takes the one lock', async () => {
  const real = join(dir, 'run.jsonl');
  writeFileSync(real, '');
  const symlinked = join(dir, 'via-symlink.jsonl');
  symlinkSync(real, symlinked);
  const sub = join(dir, 'elsewhere');
  rmSync(sub, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(sub);
  const hardLinked = join(sub, 'hard-link.jsonl');
  linkSync(real, hardLinked);
  const spellings = [real, symlinked, hardLinked, join(sub, '..', 'run.jsonl')];
  // Held through the symlink, then through the hard link: every other spelling is refused.
  for (const held of [symlinked, hardLinked]) {
    const child = await holder(held);
    try {
      for (const other of spellings)
        await assert.rejects(() => lockJournal(other), JournalBusyError, `${held} held, ${other} was not refused`);
    } finally {
      await release(child);
    }
  }
  // Released by its owner: the next run takes it.
  const mine = await lockJournal(hardLinked);
  await mine();
});

test('a lock with no owner in it (empty, or half-written) is never taken over as stale', async () => {
  const path = join(dir, 'empty-lock.jsonl');
  const lockPath = await journalLockPath(path);
  for (const content of ['', '{"pid":', '   ']) {
    writeFileSync(lockPath, content);
    await assert.rejects(() => lockJournal(path), /no owner written in it/);
    assert.equal(readFileSync(lockPath, 'utf8'), content, 'the lock was left as it was');
  }
  rmSync(lockPath);
  const release = await lockJournal(path);
  // Ours holds its owner from the first moment it exists.
  assert.equal((JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number }).pid, process.pid);
  await release();
});

test('a release removes only its own lock, never one taken over after it', async () => {
  const path = join(dir, 'taken-over.jsonl');
  const release = await lockJournal(path);
  const lockPath = await journalLockPath(path);
  const other = JSON.stringify({ pid: process.pid + 1, nonce: 'someone-else', journal: path });
  writeFileSync(lockPath, other);
  await release();
  assert.equal(readFileSync(lockPath, 'utf8'), other);
  rmSync(lockPath);
});

test('server text is capped and marked, controls escaped: every line written reads back', async () => {
  const path = join(dir, 'long-message.jsonl');
  const writer = await JournalWriter.open(path, { needsNewline: false, bytes: 0 });
  const journal = runJournal({ writer, facts, defaults: { reason: 'x' }, redact: (text) => text });
  const huge = `${'Ä'.repeat(35_000)}\n\u001b[2K\u2028fake line`;
  const answers = [
    { kind: 'api-error', errorCode: -20, errorMessage: huge, durationMs: 1 },
    { kind: 'transport-error', outcome: 'unknown', message: huge, durationMs: 1 },
    { kind: 'api-error', errorCode: -20, errorMessage: '\u009b31m\u202ereversed\r\n::error::x', durationMs: 1 },
  ] as const;
  for (const [index, answer] of answers.entries()) {
    await journal.sending(target(index));
    await journal.ended(target(index), 'failed', answer as never, `meaning ${'m'.repeat(10_000)}`);
  }
  await writer.close();
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  for (const line of lines) assert.ok(Buffer.byteLength(line) < MAX_JOURNAL_LINE_BYTES / 4, `${line.length}`);
  const read = await readJournalFile(path);
  assert.deepEqual(read.state.problems, []);
  assert.equal(read.state.targets.size, 3);
  const last = read.state.targets.get('order:1000')?.last;
  assert.match(last?.message ?? '', /… \[cut: \d+ more bytes\]$/);
  assert.ok(Buffer.byteLength(last?.message ?? '') <= MAX_JOURNAL_TEXT_BYTES + 40);
  const escaped = read.state.targets.get('order:1002')?.last?.message ?? '';
  assert.equal(escaped, '\\u009b31m\\u202ereversed\\r\\n::error::x');
  assert.doesNotMatch(readFileSync(path, 'utf8'), /[\u0080-\u009f\u2028\u202e]/);
});

test('journalText cuts at a character boundary', () => {
  const cut = journalText('€'.repeat(1000), 10);
  assert.match(cut, /^€€€… \[cut: 2991 more bytes\]$/);
});

function lineOf(n: number): string {
  return JSON.stringify(sendingLine(facts, target(n), 'r', undefined, time));
}

test('a torn tail is cut at its first byte, with CRLF line ends and with invalid UTF-8 before it', async () => {
  const cases: Array<[string, Buffer]> = [
    ['CRLF', Buffer.from(`${lineOf(1)}\r\n${lineOf(2)}\r\n{"v":1,"event":"send`)],
    ['a stray CR', Buffer.from(`${lineOf(1)}\n\r\r${lineOf(2)}\r\n{"v":1,"ev`)],
    [
      'invalid UTF-8 in an earlier line',
      Buffer.concat([
        Buffer.from(`${lineOf(1)}\n`),
        Buffer.from([0xff, 0xfe, 0xc3, 0x0a]),
        Buffer.from(`${lineOf(2)}\n{"v":1,"event":"e`),
      ]),
    ],
    [
      'a torn multi-byte character',
      Buffer.concat([Buffer.from(`${lineOf(1)}\n${lineOf(2)}\n{"reason":"`), Buffer.from([0xe2, 0x82])]),
    ],
  ];
  for (const [name, bytes] of cases) {
    const path = join(dir, `torn-${name.replace(/\W+/g, '-')}.jsonl`);
    writeFileSync(path, bytes);
    const read = await readJournalFile(path);
    const expected = bytes.lastIndexOf(0x0a) + 1;
    assert.equal(read.tornAt, expected, name);
    const writer = await JournalWriter.open(path, read);
    await writer.append(endedLine(facts, target(2), { outcome: 'revoked', code: 0, meaning: 'ok' }, time), false);
    await writer.close();
    // Everything before the torn line is byte for byte as it was; the new line follows it.
    const after = readFileSync(path);
    assert.deepEqual(after.subarray(0, expected), bytes.subarray(0, expected), name);
    const again = await readJournalFile(path);
    assert.equal(again.tornAt, undefined, name);
    assert.equal(again.state.targets.get('order:1002')?.status, 'revoked', name);
    assert.equal(again.state.targets.get('order:1001')?.status, 'in-flight', name);
  }
});

test('the lock of a journal that does not exist yet is the lock of the file it becomes', async () => {
  const path = join(dir, 'new.jsonl');
  const release = await lockJournal(path);
  assert.equal(statSync(path).size, 0);
  await assert.rejects(() => lockJournal(join(dir, '.', 'new.jsonl')), JournalBusyError);
  await release();
});
