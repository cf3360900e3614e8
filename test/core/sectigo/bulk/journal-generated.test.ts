// Generated attacks on the files a run writes (fast-check): at each path the product writes (the
// journal, its lock, the list of failures) a random kind of thing is put first: nothing, a FIFO, a
// link to /dev/null or /dev/zero, a folder, a link to a file, a dangling link, a hard link, a file
// that is not a journal, a journal, a journal torn at a random byte. The run refuses or resumes
// correctly, and never changes a byte of anything that is not a journal. And a journal torn at
// every byte (the compact one, and the first format's fixture) reads as a model of its complete
// lines says. The seed is printed; SECTIGO_TEST_SEED=N replays a run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import {
  JOURNAL_HEADER_PREFIX,
  V1_FIRST_LINE_PREFIX,
  type JournalRunFacts,
} from '../../../../src/core/sectigo/bulk/journal';
import { JournalFileRefusal, placeJournal, readJournal } from '../../../../src/core/sectigo/bulk/journal-file';
import { lockPathOf } from '../../../../src/core/sectigo/bulk/journal-lock';
import { JournalRefusal, runJournalledRevocation } from '../../../../src/core/sectigo/bulk/journalled-run';
import { RunIndex, type TargetStatus } from '../../../../src/core/sectigo/bulk/run-index';
import { parseTargetList, targetKey, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import type { ApiResult } from '../../../../src/core/sectigo/types';
import { revokeErrorAnswer, revokedAnswer } from './answers';

const seed = Number(process.env.SECTIGO_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Generated cases per property: enough kinds at each of three paths, within the plain-Node suite's minute. */
const RUNS = 40;
/** A run ends well within this, refused or not. */
const RUN_DEADLINE_MS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'journal-generated-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const facts: JournalRunFacts = {
  endpoint: 'https://example.test/products/!AutoRevokeSSL',
  loginName: 'r',
  test: false,
};
const targets = parseTargetList('1\n2\n3\n4\n5\n6\n').targets;
const lost: ApiResult = {
  kind: 'transport-error',
  endpoint: 'AutoRevokeSSL',
  outcome: 'unknown',
  message: 'lost',
  durationMs: 1,
};

type Answer = 'revoked' | 'failed' | 'unknown';
const answerOf = (answer: Answer): ApiResult =>
  answer === 'revoked' ? revokedAnswer : answer === 'failed' ? revokeErrorAnswer(-20, 'rejected') : lost;

/** A run over `targets` that answers as `answers` says, its sends recorded. */
async function run(
  journalPath: string,
  answers: readonly Answer[],
  sent: string[],
  failedList?: string,
): Promise<Awaited<ReturnType<typeof runJournalledRevocation>>> {
  // A run that opened a FIFO would never end: it fails at the deadline instead of hanging the suite.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the run on ${journalPath} did not end (a hang)`)), RUN_DEADLINE_MS);
  });
  return Promise.race([runOnce(journalPath, answers, sent, failedList), deadline]).finally(() => clearTimeout(timer));
}

function runOnce(
  journalPath: string,
  answers: readonly Answer[],
  sent: string[],
  failedList?: string,
): Promise<Awaited<ReturnType<typeof runJournalledRevocation>>> {
  return runJournalledRevocation({
    targets,
    journalPath,
    facts,
    defaults: { reason: 'x' },
    ratePerSecond: 100_000,
    concurrency: 2,
    secrets: [],
    ...(failedList && { failedList: { path: failedList, format: 'lines', source: 'list.txt' } }),
    send: async (target) => {
      sent.push(targetKey(target));
      return answerOf(answers[Number(target.value) - 1] ?? 'revoked');
    },
  });
}

/** A journal made by the product: a first run with these answers. Returns its bytes. */
async function journalOf(path: string, answers: readonly Answer[]): Promise<Buffer> {
  await run(path, answers, []);
  return readFileSync(path);
}

const KINDS = [
  'missing',
  'fifo',
  'link-to-dev-null',
  'link-to-dev-zero',
  'folder',
  'link-to-file',
  'dangling-link',
  'hard-link',
  'not-a-journal',
  'journal',
  'torn-journal',
  'link-to-journal',
] as const;
type Kind = (typeof KINDS)[number];
/** The kinds for a path that is never a journal (the lock, the list of failures). */
const OTHER_KINDS = KINDS.filter((kind) => !kind.includes('journal'));

interface Placed {
  kind: Kind;
  /** Files that are not journals, with their hash before the run: none may change. */
  untouchable: Array<{ path: string; sha: string }>;
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Puts a thing of `kind` at `path` (in a case folder of its own). */
async function place(
  path: string,
  kind: Kind,
  content: Buffer,
  cut: number,
  caseDir: string,
  name: string,
): Promise<Placed> {
  const untouchable: Placed['untouchable'] = [];
  const other = join(caseDir, `${name}.other`);
  const keep = (file: string): void => void untouchable.push({ path: file, sha: sha(file) });
  switch (kind) {
    case 'missing':
      break;
    case 'fifo':
      assert.equal(spawnSync('mkfifo', [path]).status, 0);
      break;
    case 'link-to-dev-null':
      symlinkSync('/dev/null', path);
      break;
    case 'link-to-dev-zero':
      symlinkSync('/dev/zero', path);
      break;
    case 'folder':
      mkdirSync(path);
      writeFileSync(join(path, 'inside.txt'), 'inside');
      keep(join(path, 'inside.txt'));
      break;
    case 'link-to-file':
      writeFileSync(other, content);
      symlinkSync(other, path);
      keep(other);
      break;
    case 'dangling-link':
      symlinkSync(join(caseDir, `${name}.nowhere`), path);
      break;
    case 'hard-link':
      writeFileSync(other, content);
      linkSync(other, path);
      keep(other);
      break;
    case 'not-a-journal':
      writeFileSync(path, content);
      keep(path);
      break;
    case 'journal':
    case 'torn-journal':
    case 'link-to-journal': {
      const target = kind === 'link-to-journal' ? other : path;
      const bytes = await journalOf(target, ['revoked', 'failed', 'revoked']);
      if (kind === 'torn-journal') truncateSync(target, Math.min(cut % (bytes.length + 1), bytes.length));
      if (kind === 'link-to-journal') symlinkSync(other, path);
      break;
    }
  }
  return { kind, untouchable };
}

/** What a thing left at a path still is, for "left as it was". */
function stillThere(path: string, kind: Kind): void {
  const info = lstatSync(path);
  if (kind === 'fifo') assert.ok(info.isFIFO(), `${path} is still a FIFO`);
  if (kind === 'folder') assert.ok(info.isDirectory());
  if (kind.includes('link')) assert.ok(info.isSymbolicLink() || kind === 'hard-link');
  if (kind === 'link-to-dev-zero') assert.equal(readlinkSync(path), '/dev/zero');
}

/**
 * Whether a journal path of this kind is one a run may use (anything else is refused). An empty
 * file is a journal not begun yet (a run creates its journal empty to lock it, and may stop there).
 */
function journalUsable(kind: Kind, torn: Buffer | undefined, content: Buffer): boolean {
  if ((kind === 'not-a-journal' || kind === 'link-to-file') && content.length === 0) return true;
  if (kind === 'torn-journal' && torn !== undefined) {
    // A cut inside the first line leaves a file that starts like a journal only once the fixed prefix is whole.
    const text = torn.toString('latin1');
    return torn.length === 0 || text.includes('\n') || text.startsWith(JOURNAL_HEADER_PREFIX);
  }
  return ['missing', 'journal', 'torn-journal', 'link-to-journal'].includes(kind);
}

test(`random kinds at the journal, its lock and the list of failures: refused or resumed, nothing else changed (seed ${seed})`, async (t) => {
  t.diagnostic(`seed ${seed} (SECTIGO_TEST_SEED=${seed} replays it), ${RUNS} runs`);
  let caseNumber = 0;
  const seen = { refused: 0, ran: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        journal: fc.oneof(
          { arbitrary: fc.constantFrom<Kind>('missing', 'journal', 'torn-journal', 'link-to-journal'), weight: 1 },
          { arbitrary: fc.constantFrom(...OTHER_KINDS.filter((kind) => kind !== 'missing')), weight: 1 },
        ),
        // Nothing at the lock's path half the time, so that runs reach the list of failures too.
        lock: fc.oneof(
          { arbitrary: fc.constant<Kind>('missing'), weight: 1 },
          { arbitrary: fc.constantFrom(...OTHER_KINDS), weight: 1 },
        ),
        failedList: fc.constantFrom(...OTHER_KINDS),
        content: fc.uint8Array({ minLength: 0, maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
        cut: fc.nat(),
        answers: fc.array(fc.constantFrom<Answer>('revoked', 'failed', 'unknown'), { minLength: 6, maxLength: 6 }),
      }),
      async (generated) => {
        const caseDir = join(dir, `case-${++caseNumber}`);
        mkdirSync(caseDir);
        const journalPath = join(caseDir, 'list.txt.journal.jsonl');
        const failedListPath = join(caseDir, 'list.txt.failed.txt');
        // Random bytes that happen to start like a journal are not a "not a journal".
        const content = [JOURNAL_HEADER_PREFIX, V1_FIRST_LINE_PREFIX].some((prefix) =>
          generated.content.toString('latin1').startsWith(prefix),
        )
          ? Buffer.from('x')
          : generated.content;
        const atJournal = await place(journalPath, generated.journal, content, generated.cut, caseDir, 'journal');
        const tornBytes = generated.journal === 'torn-journal' ? readFileSync(journalPath) : undefined;
        const usable = journalUsable(generated.journal, tornBytes, content);
        // An empty file becomes the journal: it is not one of the things that must not change.
        if (usable) atJournal.untouchable.length = 0;
        // A lock of random bytes has no owner and is young; a lock path that is not a file is refused: both stop the run.
        // A followed link has its lock beside the file it names.
        const followed = generated.journal === 'link-to-journal' || generated.journal === 'link-to-file';
        const lockPath = lockPathOf(followed ? join(caseDir, 'journal.other') : journalPath);
        const atLock = await place(lockPath, generated.lock, content, 0, caseDir, 'lock');
        const atFailedList = await place(failedListPath, generated.failedList, content, 0, caseDir, 'failed');
        const sent: string[] = [];
        let outcome: unknown;
        try {
          outcome = await run(journalPath, generated.answers, sent, failedListPath);
        } catch (error) {
          outcome = error;
        }
        const runs = usable && generated.lock === 'missing';
        if (!runs) {
          assert.ok(outcome instanceof JournalRefusal, `expected a refusal: ${String(outcome)}`);
          assert.ok(!/did not end/.test(String(outcome)));
          assert.deepEqual(sent, [], 'nothing sent after a refusal');
          seen.refused++;
        } else {
          assert.ok(!(outcome instanceof Error), `expected a run: ${String(outcome)}`);
          seen.ran++;
          // The journal reads back whole, and says every target has its outcome.
          const index = new RunIndex();
          for (const target of targets) index.list(target);
          const read = await readJournal(await placeJournal(journalPath), journalPath, { index });
          assert.deepEqual(read.problems, []);
          assert.equal(read.tornAt, undefined);
          const { summary } = outcome as {
            summary: { failedList?: string; failed: number; unknown: number; notSent: number };
          };
          // Every target has its outcome in the journal (unless the run stopped itself: five lost answers in a row).
          if (summary.notSent === 0)
            for (const target of targets)
              assert.notEqual(index.get(targetKey(target))?.status, 'unsent', `${targetKey(target)} has no outcome`);
          // The list of failures never replaced what was at its name.
          {
            if (summary.failed + summary.unknown > 0) {
              assert.ok(summary.failedList !== undefined);
              if (generated.failedList !== 'missing') assert.notEqual(summary.failedList, failedListPath);
            }
          }
        }
        for (const [path, placed] of [
          [journalPath, atJournal],
          [lockPath, atLock],
          [failedListPath, atFailedList],
        ] as const) {
          for (const file of placed.untouchable) assert.equal(sha(file.path), file.sha, `${file.path} changed`);
          if (placed.kind !== 'missing' && !(path === journalPath && runs)) stillThere(path, placed.kind);
        }
        assert.ok(!existsSync(join(caseDir, 'journal.nowhere')), 'nothing was created through a dangling link');
      },
    ),
    { seed, numRuns: RUNS },
  );
  t.diagnostic(`${seen.ran} ran, ${seen.refused} refused`);
  assert.ok(seen.ran > 0 && seen.refused > 0, 'both outcomes were generated');
});

/**
 * The model of a journal's complete lines: the last status each line gives each target. Written
 * independently of the product's reader: a send record or "sending" line makes a target in flight,
 * an end record or "ended" line gives it its outcome.
 */
/** Where the complete lines of the first `cut` bytes end: a line cut just before its newline is whole. */
function completeUpTo(bytes: Buffer, cut: number): number {
  if (cut > 0 && (cut === bytes.length || bytes[cut] === 0x0a)) return cut;
  return cut === 0 ? 0 : bytes.lastIndexOf(0x0a, cut - 1) + 1;
}

function modelOf(bytes: Buffer, cut: number): Map<string, TargetStatus> {
  const complete = bytes.subarray(0, completeUpTo(bytes, cut)).toString();
  const statuses = new Map<string, TargetStatus>();
  for (const line of complete.split('\n').filter(Boolean)) {
    const record = JSON.parse(line) as Record<string, string>;
    const target = record.send ?? record.end ?? record.target;
    if (target === undefined) continue;
    const ended = record.end !== undefined || record.event === 'ended';
    statuses.set(target, ended ? (record.outcome as TargetStatus) : 'in-flight');
  }
  return statuses;
}

/** Cuts `bytes` at each offset of `cuts` and checks what the product reads against the model. */
async function everyByte(
  path: string,
  bytes: Buffer,
  list: readonly BulkTarget[],
  prefix: string,
  cuts: Iterable<number>,
): Promise<number> {
  let checked = 0;
  for (const cut of cuts) {
    writeFileSync(path, bytes.subarray(0, cut));
    const index = new RunIndex();
    for (const target of list) index.list(target);
    const firstLineWhole = bytes.indexOf(0x0a) <= cut;
    const startsOurs = cut === 0 || firstLineWhole || bytes.subarray(0, cut).toString('latin1').startsWith(prefix);
    try {
      const read = await readJournal(await placeJournal(path), path, { index });
      assert.ok(startsOurs, `cut ${cut}: a file that does not start like a journal was read`);
      assert.deepEqual(read.problems, [], `cut ${cut}`);
      const whole = completeUpTo(bytes, cut);
      // Cut at the end of a line (before or after its newline): nothing torn. Else the torn line is cut off where it starts.
      assert.equal(read.tornAt, whole === cut ? undefined : whole, `cut ${cut}`);
      assert.equal(read.needsNewline, whole === cut && cut > 0 && bytes[cut - 1] !== 0x0a, `cut ${cut}`);
      const model = modelOf(bytes, cut);
      for (const target of list)
        assert.equal(
          index.get(targetKey(target))?.status,
          model.get(targetKey(target)) ?? 'unsent',
          `cut ${cut}, ${targetKey(target)}`,
        );
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.ok(error instanceof JournalFileRefusal && error.reason === 'not-a-journal', String(error));
      assert.ok(!startsOurs, `cut ${cut}: a torn journal was refused`);
      assert.deepEqual(readFileSync(path), bytes.subarray(0, cut), 'a refused file is left as it was');
    }
    checked++;
  }
  return checked;
}

test('a journal torn at every byte reads as its complete lines say: the compact one, and the first format where it differs', async (t) => {
  const compactPath = join(dir, 'every-byte.jsonl');
  const compact = await journalOf(compactPath, ['revoked', 'failed', 'unknown', 'revoked', 'revoked', 'failed']);
  const fixture = resolve('test/fixtures/bulk');
  const v1 = readFileSync(join(fixture, 'journal-v1.jsonl'));
  const v1Whole = v1.subarray(0, v1.lastIndexOf(0x0a) + 1);
  const v1List = parseTargetList(readFileSync(join(fixture, 'incident.txt'), 'utf8')).targets;
  const range = (from: number, to: number): number[] =>
    Array.from({ length: to - from + 1 }, (_, index) => from + index);
  // The compact journal at every byte; the first format's at every byte of its first line (the
  // line that makes a file a journal) and of its last two (a line in the middle is cut the same way).
  const v1FirstLine = v1Whole.indexOf(0x0a) + 1;
  const v1LastTwo = v1Whole.lastIndexOf(0x0a, v1Whole.lastIndexOf(0x0a, v1Whole.length - 2) - 1) + 1;
  const checked =
    (await everyByte(compactPath, compact, targets, JOURNAL_HEADER_PREFIX, range(0, compact.length))) +
    (await everyByte(join(dir, 'every-byte-v1.jsonl'), v1Whole, v1List, V1_FIRST_LINE_PREFIX, [
      ...range(0, v1FirstLine),
      ...range(v1LastTwo, v1Whole.length),
    ]));
  t.diagnostic(`${checked} cuts checked`);
});

test(`a journal torn at a random byte, then the same run: every target answered once the journal says so (seed ${seed})`, async (t) => {
  t.diagnostic(`seed ${seed}, ${RUNS} runs`);
  let caseNumber = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom<Answer>('revoked', 'failed', 'unknown'), { minLength: 6, maxLength: 6 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      async (answers, where) => {
        const path = join(dir, `resume-${++caseNumber}.jsonl`);
        const whole = await journalOf(path, answers);
        const header = whole.indexOf(0x0a) + 1;
        // A cut after the header (a torn header is a cut of its own kind, above).
        const cut = header + Math.floor(where * (whole.length - header));
        truncateSync(path, cut);
        const model = modelOf(whole, cut);
        const sent: string[] = [];
        const ran = await run(
          path,
          targets.map(() => 'revoked'),
          sent,
        );
        assert.equal(ran.kind, 'ran');
        const expected = targets
          .map(targetKey)
          .filter((key) => model.get(key) !== 'revoked' && model.get(key) !== 'failed');
        assert.deepEqual(sent.sort(), expected.sort());
        const before = whole.subarray(0, completeUpTo(whole, cut));
        assert.deepEqual(readFileSync(path).subarray(0, before.length), before, 'the complete lines are untouched');
        const again = await readJournal(await placeJournal(path), path);
        assert.deepEqual([again.problems, again.tornAt, again.needsNewline], [[], undefined, false]);
      },
    ),
    { seed, numRuns: RUNS },
  );
});
