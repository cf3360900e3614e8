// The journal's records: the compact format written and read back (the header once, a short record
// per target, a repeated message left out), what a resumed run sends again, a torn last line after a
// crash, lines of another run refused; and a journal of the first format, made by the code of that
// time (test/fixtures/bulk), still resumed, in its own format.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  JOURNAL_SIGNATURE,
  journalMismatch,
  v1EndedLine,
  v1SendingLine,
  type JournalEntry,
  type JournalRunFacts,
} from '../../../../src/core/sectigo/bulk/journal';
import {
  JournalWriter,
  createJournalFile,
  journalEntries,
  placeJournal,
  readJournal,
  startRunJournal,
} from '../../../../src/core/sectigo/bulk/journal-file';
import { runJournalledRevocation } from '../../../../src/core/sectigo/bulk/journalled-run';
import { RunIndex } from '../../../../src/core/sectigo/bulk/run-index';
import { explainError } from '../../../../src/core/sectigo/errors';
import { parseTargetList, targetKey, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import type { ApiResult } from '../../../../src/core/sectigo/types';
import { revokeErrorAnswer, revokedAnswer } from './answers';

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
const lost: ApiResult = {
  kind: 'transport-error',
  endpoint: 'AutoRevokeSSL',
  outcome: 'unknown',
  message: 'lost',
  durationMs: 1,
};
let files = 0;

/** A compact journal written by the code that writes it, with `write` given the run's journal. */
async function compactJournal(
  write: (journal: Awaited<ReturnType<typeof startRunJournal>>) => Promise<void>,
  defaults: { reason: string; codeReason?: 0 | 1 } = { reason: 'incident' },
): Promise<string> {
  const path = join(dir, `compact-${++files}.jsonl`);
  const place = await createJournalFile(await placeJournal(path));
  const writer = await JournalWriter.open(place, path, { needsNewline: false });
  const journal = await startRunJournal({
    writer,
    format: 'compact',
    needsHeader: true,
    facts,
    defaults,
    redact: (text) => text.replace('s3cret', '[redacted]'),
    now: () => time,
  });
  await write(journal);
  await writer.close();
  return path;
}

async function read(
  path: string,
  index?: RunIndex,
): Promise<{ entries: JournalEntry[] } & Awaited<ReturnType<typeof readJournal>>> {
  const entries: JournalEntry[] = [];
  const result = await readJournal(await placeJournal(path), path, {
    ...(index && { index }),
    onEntry: (entry) => entries.push(entry),
  });
  return { ...result, entries };
}

function indexOf(list: readonly BulkTarget[]): RunIndex {
  const index = new RunIndex();
  for (const target of list) index.list(target);
  return index;
}

test('the compact journal: run-wide facts once in the header, a short record per call, read back whole', async () => {
  const rejected = 'The certificate request has been rejected! s3cret';
  const path = await compactJournal(async (journal) => {
    for (const [index, answer] of [
      revokedAnswer,
      revokeErrorAnswer(-20, rejected),
      revokeErrorAnswer(-20, rejected),
      lost,
    ].entries()) {
      await journal.sending(t(index));
      await journal.ended(t(index), index === 3 ? 'unknown' : index === 0 ? 'revoked' : 'failed', answer, 'meaning');
    }
  });
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  assert.deepEqual(header, {
    journal: JOURNAL_SIGNATURE,
    v: 2,
    created: time.toISOString(),
    ...facts,
  });
  assert.deepEqual(JSON.parse(lines[1] ?? ''), { run: time.toISOString(), reason: 'incident' });
  assert.equal(lines[2], '{"send":"order:1","line":1}');
  assert.equal(lines[3], '{"end":"order:1","outcome":"revoked","code":0,"ms":1,"at":0}');
  // The second -20 with the same message leaves it out: the reader takes it from the first.
  assert.equal(
    lines[5],
    '{"end":"order:2","outcome":"failed","code":-20,"message":"The certificate request has been rejected! [redacted]","ms":1,"at":0}',
  );
  assert.equal(lines[7], '{"end":"order:3","outcome":"failed","code":-20,"ms":1,"at":0}');
  // No record per target repeats the endpoint, the login or the reason.
  for (const line of lines.slice(2)) assert.doesNotMatch(line, /example\.test|reseller|incident/);
  const { entries, format, facts: readFacts, problems } = await read(path);
  assert.equal(format, 'compact');
  assert.deepEqual(readFacts, facts);
  assert.deepEqual(problems, []);
  const ends = entries.filter((entry) => entry.event === 'ended');
  assert.deepEqual(
    ends.map((entry) => [
      entry.target,
      entry.outcome,
      entry.code,
      entry.message,
      entry.meaning,
      entry.time?.toISOString(),
    ]),
    [
      ['order:1', 'revoked', 0, undefined, 'Revoked (0).', time.toISOString()],
      [
        'order:2',
        'failed',
        -20,
        'The certificate request has been rejected! [redacted]',
        explainError('AutoRevokeSSL', -20).meaning,
        time.toISOString(),
      ],
      [
        'order:3',
        'failed',
        -20,
        'The certificate request has been rejected! [redacted]',
        explainError('AutoRevokeSSL', -20).meaning,
        time.toISOString(),
      ],
      ['order:4', 'unknown', undefined, 'lost', 'lost', time.toISOString()],
    ],
  );
  const sends = entries.filter((entry) => entry.event === 'sending');
  assert.deepEqual(
    sends.map((entry) => [entry.target, entry.line, entry.reason]),
    [
      ['order:1', 1, 'incident'],
      ['order:2', 2, 'incident'],
      ['order:3', 3, 'incident'],
      ['order:4', 4, 'incident'],
    ],
  );
});

test('a row with its own reason and code carries them; the run record carries the rest', async () => {
  const csv = parseTargetList('orderNumber,revocationReason,codeReason\n7,superseded,4\n8,,\n').targets;
  const path = await compactJournal(
    async (journal) => {
      for (const target of csv) await journal.sending(target);
    },
    { reason: 'incident', codeReason: 1 },
  );
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.deepEqual(JSON.parse(lines[1] ?? ''), { run: time.toISOString(), reason: 'incident', codeReason: 1 });
  assert.equal(lines[2], '{"send":"order:7","line":2,"reason":"superseded","codeReason":4}');
  assert.equal(lines[3], '{"send":"order:8","line":3}');
  const { entries } = await read(path);
  assert.deepEqual(
    entries.map((entry) => entry.event === 'sending' && [entry.reason, entry.codeReason]),
    [
      ['superseded', 4],
      ['incident', 1],
    ],
  );
});

test('resume: 0 and -21 done, unknown and -42 and not-sent sent again, API failures reported unless --retry-failed', async () => {
  const path = await compactJournal(async (journal) => {
    const script: Array<[number, 'revoked' | 'failed' | 'call-limit' | undefined, ApiResult | undefined]> = [
      [0, 'revoked', revokedAnswer],
      [1, 'revoked', revokeErrorAnswer(-21)],
      [2, 'failed', revokeErrorAnswer(-20)],
      [3, undefined, undefined],
      [4, 'call-limit', revokeErrorAnswer(-42)],
    ];
    for (const [index, outcome, answer] of script) {
      await journal.sending(t(index));
      if (outcome && answer) await journal.ended(t(index), outcome, answer, 'm');
    }
  });
  const index = indexOf(targets);
  await read(path, index);
  assert.deepEqual(index.plan(false), { total: 6, toSend: 3, done: 2, failedBefore: 1, unknownBefore: 1 });
  assert.deepEqual(index.plan(true), { total: 6, toSend: 4, done: 2, failedBefore: 0, unknownBefore: 1 });
  assert.deepEqual(index.get('order:3'), { status: 'failed', line: 3, code: -20, thisRun: false });
  assert.equal(index.get('order:4')?.status, 'in-flight');
});

test('a torn last line is dropped before appending; a bad line in the middle is a problem', async () => {
  const path = await compactJournal(async (journal) => {
    await journal.sending(t(0));
  });
  const whole = readFileSync(path, 'utf8');
  writeFileSync(path, `${whole}{"end":"order:1","outc`);
  const index = indexOf(targets);
  const torn = await read(path, index);
  assert.deepEqual(torn.problems, []);
  assert.equal(torn.tornAt, Buffer.byteLength(whole));
  assert.equal(index.get('order:1')?.status, 'in-flight');
  const writer = await JournalWriter.open(await placeJournal(path), path, torn);
  await writer.append('{"end":"order:1","outcome":"revoked","code":0}', false);
  await writer.close();
  assert.equal(readFileSync(path, 'utf8'), `${whole}{"end":"order:1","outcome":"revoked","code":0}\n`);
  writeFileSync(path, `${whole}garbage\n${whole.split('\n').slice(1).join('\n')}`);
  const middle = await read(path);
  assert.deepEqual(
    middle.problems.map((problem) => problem.line),
    [4],
  );
});

test('a journal of another run (endpoint, login or test mode) is recognised', () => {
  assert.equal(journalMismatch(facts, facts), undefined);
  assert.match(journalMismatch(facts, { ...facts, test: true }) ?? '', /real run/);
  assert.match(journalMismatch(facts, { ...facts, loginName: 'someone' }) ?? '', /login name reseller/);
});

test('the first format: read as before, mixed runs refused by line', async () => {
  const path = join(dir, 'v1-mixed.jsonl');
  writeFileSync(
    path,
    [
      v1SendingLine(facts, t(0), 'r', undefined, time),
      v1SendingLine({ ...facts, test: true }, t(1), 'r', undefined, time),
    ]
      .map((line) => `${JSON.stringify(line)}\n`)
      .join(''),
  );
  const mixed = await read(path);
  assert.equal(mixed.format, 'v1');
  assert.deepEqual(
    mixed.problems.map((problem) => problem.line),
    [2],
  );
});

const fixture = resolve('test/fixtures/bulk');

test("a journal of today's first format, made by that code, still resumes: in flight and unsent sent, done skipped, failures reported, in its own format", async () => {
  const path = join(dir, 'incident.txt.journal.jsonl');
  copyFileSync(join(fixture, 'journal-v1.jsonl'), path);
  const original = readFileSync(path);
  const tornAt = original.lastIndexOf(0x0a) + 1;
  const firstLine = JSON.parse(original.subarray(0, original.indexOf(0x0a)).toString()) as JournalRunFacts;
  const list = parseTargetList(readFileSync(join(fixture, 'incident.txt'), 'utf8')).targets;
  const sent: string[] = [];
  const ran = await runJournalledRevocation({
    targets: list,
    journalPath: path,
    facts: { endpoint: firstLine.endpoint, loginName: firstLine.loginName, test: false },
    defaults: { reason: 'key compromise', codeReason: 1 },
    ratePerSecond: 100_000,
    secrets: [],
    send: async (target) => {
      sent.push(targetKey(target));
      return revokedAnswer;
    },
  });
  assert.equal(ran.kind, 'ran');
  if (ran.kind !== 'ran') return;
  assert.deepEqual(ran.plan, {
    total: 7,
    toSend: 3,
    done: 2,
    failedBefore: 2,
    unknownBefore: 1,
    firstToSend: list.slice(4),
  });
  assert.deepEqual(sent.sort(), ['order:1000010', 'order:1000011', 'order:1000012']);
  assert.deepEqual(
    ran.summary.failureGroups.map((group) => [group.code, group.count, group.earlierRun]),
    [
      [-20, 1, 1],
      [-16, 1, 1],
    ],
  );
  const after = readFileSync(path);
  assert.deepEqual(
    after.subarray(0, tornAt),
    original.subarray(0, tornAt),
    'what came before the torn line is untouched',
  );
  const appended = after.subarray(tornAt).toString().trimEnd().split('\n');
  assert.equal(appended.length, 6);
  for (const line of appended) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.equal(parsed.v, 1, 'a journal of the first format is continued in it');
    assert.equal(parsed.endpoint, firstLine.endpoint);
  }
  // Read again by the code of today: every target done, nothing damaged.
  const index = indexOf(list);
  const again = await read(path, index);
  assert.deepEqual(again.problems, []);
  assert.deepEqual(index.plan(false), { total: 7, toSend: 0, done: 5, failedBefore: 2, unknownBefore: 0 });
  assert.ok(v1EndedLine, 'the first format is still written for such journals');
});

test('a view pages through a journal: entries pulled one at a time, in file order, either format', async () => {
  const path = await compactJournal(async (journal) => {
    for (const target of targets) {
      await journal.sending(target);
      await journal.ended(target, 'revoked', revokedAnswer, 'Revoked (0).');
    }
  });
  const firstPage: string[] = [];
  for await (const entry of journalEntries(path)) {
    firstPage.push(`${entry.event} ${entry.target}`);
    if (firstPage.length === 3) break;
  }
  assert.deepEqual(firstPage, ['sending order:1', 'ended order:1', 'sending order:2']);
  let count = 0;
  for await (const entry of journalEntries(join(fixture, 'journal-v1.jsonl'))) if (entry.event === 'ended') count++;
  assert.equal(count, 4, 'the four answered targets of the first-format fixture (its torn line left out)');
  const notes = join(dir, 'notes-for-paging.txt');
  writeFileSync(notes, 'not a journal\n');
  await assert.rejects(async () => {
    for await (const entry of journalEntries(notes)) assert.fail(String(entry));
  }, /does not start with the header/);
});
