// The journal: what a resumed run sends again, a torn last line after a crash,
// lines from another run refused, and the file written with each "sending" line first.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  endedLine,
  journalMismatch,
  parseJournalText,
  planResume,
  sendingLine,
  type JournalRunFacts,
} from '../../../../src/core/sectigo/bulk/journal';
import {
  JournalBusyError,
  JournalWriter,
  journalLockPath,
  lockJournal,
  readJournalFile,
} from '../../../../src/core/sectigo/bulk/journal-file';
import { parseTargetList, targetKey, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';

const facts: JournalRunFacts = {
  endpoint: 'https://example.test/products/!AutoRevokeSSL',
  loginName: 'reseller',
  test: false,
};
const dir = mkdtempSync(join(tmpdir(), 'bulk-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const time = new Date('2026-01-01T00:00:00Z');
const targets = parseTargetList('1\n2\n3\n4\n5\n6\n').targets;
const t = (index: number): BulkTarget => targets[index] as BulkTarget;

function journalOf(...lines: object[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

test('resume: 0 and -21 done, unknown and -42 and not-sent sent again, API failures reported unless --retry-failed', () => {
  const text = journalOf(
    sendingLine(facts, t(0), 'r', undefined, time),
    endedLine(facts, t(0), { outcome: 'revoked', code: 0, meaning: 'Revoked.' }, time),
    sendingLine(facts, t(1), 'r', undefined, time),
    endedLine(facts, t(1), { outcome: 'revoked', code: -21, meaning: 'Already revoked.' }, time),
    sendingLine(facts, t(2), 'r', undefined, time),
    endedLine(facts, t(2), { outcome: 'failed', code: -20, meaning: 'Rejected.' }, time),
    sendingLine(facts, t(3), 'r', undefined, time),
    sendingLine(facts, t(4), 'r', undefined, time),
    endedLine(facts, t(4), { outcome: 'call-limit', code: -42, meaning: 'Limit.' }, time),
  );
  const state = parseJournalText(text);
  assert.deepEqual(state.problems, []);
  const plan = planResume(targets, state, false);
  assert.deepEqual(
    plan.done.map(({ target }) => targetKey(target)),
    ['order:1', 'order:2'],
  );
  assert.deepEqual(
    plan.failedBefore.map(({ target, last }) => [targetKey(target), last.code]),
    [['order:3', -20]],
  );
  assert.deepEqual(plan.toSend.map(targetKey), ['order:4', 'order:5', 'order:6']);
  assert.equal(plan.unknownBefore, 1);
  const retrying = planResume(targets, state, true);
  assert.deepEqual(retrying.toSend.map(targetKey), ['order:3', 'order:4', 'order:5', 'order:6']);
});

test('a torn last line is tolerated; a bad line in the middle is not', () => {
  const whole = journalOf(sendingLine(facts, t(0), 'r', undefined, time));
  const torn = `${whole}{"v":1,"event":"ended","target":"order:1","outc`;
  assert.deepEqual(parseJournalText(torn).problems, []);
  assert.equal(parseJournalText(torn).targets.get('order:1')?.status, 'in-flight');
  const middle = parseJournalText(`${whole}garbage\n${whole}`);
  assert.deepEqual(
    middle.problems.map((problem) => problem.line),
    [2],
  );
});

test('a journal of another run (endpoint, login or test mode) is recognised', () => {
  const state = parseJournalText(journalOf(sendingLine(facts, t(0), 'r', undefined, time)));
  assert.equal(journalMismatch(state, facts), undefined);
  assert.match(journalMismatch(state, { ...facts, test: true }) ?? '', /real run/);
  assert.match(journalMismatch(state, { ...facts, loginName: 'someone' }) ?? '', /login name reseller/);
  const mixed = parseJournalText(
    journalOf(
      sendingLine(facts, t(0), 'r', undefined, time),
      sendingLine({ ...facts, test: true }, t(1), 'r', undefined, time),
    ),
  );
  assert.deepEqual(
    mixed.problems.map((problem) => problem.line),
    [2],
  );
});

test('the file: a torn tail is cut off before appending, and lines come back in order', async () => {
  const path = join(dir, 'torn.jsonl');
  writeFileSync(path, `${journalOf(sendingLine(facts, t(0), 'r', undefined, time))}{"v":1,"event":"end`);
  const read = await readJournalFile(path);
  assert.equal(read.state.targets.get('order:1')?.status, 'in-flight');
  assert.ok(read.tornAt !== undefined);
  const writer = await JournalWriter.open(path, read);
  await writer.append(endedLine(facts, t(0), { outcome: 'revoked', code: 0, meaning: 'Revoked.' }, time), false);
  await writer.append(sendingLine(facts, t(1), 'r', 1, time), true);
  await writer.close();
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as { event: string }).event),
    ['sending', 'ended', 'sending'],
  );
  const again = await readJournalFile(path);
  assert.deepEqual(again.state.problems, []);
  assert.equal(again.state.targets.get('order:1')?.status, 'revoked');
  assert.equal(again.state.targets.get('order:2')?.status, 'in-flight');
});

test('a whole last line without its newline is kept, and a newline added', async () => {
  const path = join(dir, 'unterminated.jsonl');
  writeFileSync(path, journalOf(sendingLine(facts, t(0), 'r', undefined, time)).trimEnd());
  const read = await readJournalFile(path);
  assert.equal(read.tornAt, undefined);
  assert.equal(read.needsNewline, true);
  const writer = await JournalWriter.open(path, read);
  await writer.append(endedLine(facts, t(0), { outcome: 'unknown', meaning: 'No answer.' }, time), false);
  await writer.close();
  assert.equal(readFileSync(path, 'utf8').trimEnd().split('\n').length, 2);
  assert.equal((await readJournalFile(path)).state.targets.get('order:1')?.status, 'unknown');
});

test('a missing journal is an empty one', async () => {
  const read = await readJournalFile(join(dir, 'none.jsonl'));
  assert.equal(read.state.targets.size, 0);
});

test("the journal lock: a live holder refuses a second run; a dead holder's lock is taken over", async () => {
  const path = join(dir, 'locked.jsonl');
  const release = await lockJournal(path);
  await assert.rejects(() => lockJournal(path), JournalBusyError);
  await release();
  // A lock left by a process that no longer exists (killed with SIGKILL).
  const { spawnSync } = await import('node:child_process');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const lockPath = await journalLockPath(path);
  writeFileSync(lockPath, JSON.stringify({ pid: Number(dead), nonce: 'dead', journal: path }));
  const again = await lockJournal(path);
  assert.equal((JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number }).pid, process.pid);
  await again();
  assert.equal(existsSync(lockPath), false, 'released');
});
