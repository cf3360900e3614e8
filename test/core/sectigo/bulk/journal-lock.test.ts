// The journal's lock lives beside it (`<journal>.lock`): every spelling of the path (a symbolic
// link, "..") and every TMPDIR sees the one lock, across processes; a lock with no owner in it is
// never taken over while young; a dead owner's lock, or one naming a replaced journal, is taken
// over, and of processes racing to take over one dead lock exactly one wins; a lock path that is
// not a lock file is refused and left as it is.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createJournalFile, placeJournal } from '../../../../src/core/sectigo/bulk/journal-file';
import {
  JournalBusyError,
  UNOWNED_LOCK_MIN_AGE_MS,
  lockJournal,
  lockPathOf,
  type FileIdentity,
} from '../../../../src/core/sectigo/bulk/journal-lock';

const dir = mkdtempSync(join(tmpdir(), 'journal-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CONTENDER = resolve('test/core/sectigo/bulk/lock-contender.ts');
/** How long a contender may take to start or answer (tsx's start on a busy machine): a deadline, not a timing. */
const ANSWER_DEADLINE_MS = 30_000;

/** A process of its own contending for the lock of `journal`, driven line by line. */
class Contender {
  private readonly answers: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  readonly child: ChildProcessWithoutNullStreams;

  constructor(journal: string, env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, journal], {
      env: { ...process.env, ...env },
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (this.waiting) {
        const answer = this.waiting;
        this.waiting = undefined;
        answer(line);
      } else this.answers.push(line);
    });
  }

  next(): Promise<string> {
    const ready = this.answers.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => reject(new Error('the contender did not answer')), ANSWER_DEADLINE_MS);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolveLine(line);
      };
    });
  }

  async ask(command: string): Promise<string> {
    this.child.stdin.write(`${command}\n`);
    return this.next();
  }

  async end(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((done) => this.child.once('exit', done));
  }
}

async function journalAt(path: string): Promise<{ path: string; identity: FileIdentity }> {
  const place = await createJournalFile(await placeJournal(path));
  return { path: place.path, identity: place.identity as FileIdentity };
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

function lockOf(owner: { pid: number; host?: string; journal: FileIdentity }): string {
  return JSON.stringify({
    pid: owner.pid,
    host: owner.host ?? hostname(),
    nonce: randomBytes(16).toString('hex'),
    journal: owner.journal,
    created: new Date().toISOString(),
  });
}

let contenders: Contender[] = [];
before(() => {
  contenders = [];
});
after(async () => {
  await Promise.all(contenders.map((contender) => contender.end()));
});

test('the lock is beside the journal: a symlink, ".." and another TMPDIR all meet the one lock, across processes', async () => {
  const real = join(dir, 'run.jsonl');
  await journalAt(real);
  const symlinked = join(dir, 'via-symlink.jsonl');
  symlinkSync(real, symlinked);
  mkdirSync(join(dir, 'sub'));
  const dotted = join(dir, 'sub', '..', 'run.jsonl');
  const otherTmp = mkdtempSync(join(dir, 'other-tmp-'));
  const holder = new Contender(symlinked, { TMPDIR: otherTmp });
  contenders.push(holder);
  assert.equal(await holder.next(), 'ready');
  assert.equal(await holder.ask('lock'), 'won');
  // The lock is the journal's neighbour, named after the real file, not after the link that was given.
  assert.ok(existsSync(lockPathOf(real)));
  assert.ok(!existsSync(lockPathOf(symlinked)));
  for (const spelling of [real, symlinked, dotted]) {
    const place = await placeJournal(spelling);
    await assert.rejects(
      () => lockJournal(place.path, place.identity as FileIdentity),
      (error: unknown) => error instanceof JournalBusyError && /another run \(process \d+\)/.test(error.message),
      spelling,
    );
  }
  assert.equal(await holder.ask('release'), 'released');
  assert.ok(!existsSync(lockPathOf(real)), 'released by its owner');
  const place = await placeJournal(dotted);
  const mine = await lockJournal(place.path, place.identity as FileIdentity);
  await mine();
});

test('a lock with no owner in it (empty, half-written, unreadable) is not taken over while young, and is once old', async () => {
  const journal = await journalAt(join(dir, 'unowned.jsonl'));
  const lockPath = lockPathOf(journal.path);
  for (const content of ['', '{"pid":', '   ', 'written by another program']) {
    writeFileSync(lockPath, content);
    await assert.rejects(() => lockJournal(journal.path, journal.identity), /no owner written in it yet/);
    assert.equal(readFileSync(lockPath, 'utf8'), content, 'the lock was left as it was');
    // Older than the stated age: whoever made it stopped before writing its owner.
    const old = (Date.now() - UNOWNED_LOCK_MIN_AGE_MS - 5_000) / 1000;
    utimesSync(lockPath, old, old);
    const release = await lockJournal(journal.path, journal.identity);
    assert.equal((JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number }).pid, process.pid);
    await release();
  }
  // The stated age is measured, not assumed: a clock a moment short of it still refuses.
  writeFileSync(lockPath, '');
  const made = statSync(lockPath).mtimeMs;
  await assert.rejects(() => lockJournal(journal.path, journal.identity, () => made + UNOWNED_LOCK_MIN_AGE_MS - 1_000));
  const release = await lockJournal(journal.path, journal.identity, () => made + UNOWNED_LOCK_MIN_AGE_MS + 1);
  await release();
});

test("a dead owner's lock is taken over; a live owner's is not; one naming a replaced journal is stale whoever holds it", async () => {
  const journal = await journalAt(join(dir, 'dead.jsonl'));
  const lockPath = lockPathOf(journal.path);
  writeFileSync(lockPath, lockOf({ pid: deadPid(), journal: journal.identity }));
  const release = await lockJournal(journal.path, journal.identity);
  assert.equal((JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number }).pid, process.pid);
  await release();
  assert.ok(!existsSync(lockPath));
  const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    writeFileSync(lockPath, lockOf({ pid: alive.pid as number, journal: journal.identity }));
    await assert.rejects(() => lockJournal(journal.path, journal.identity), new RegExp(`process ${alive.pid}`));
    // The same live owner, but its lock names another file: the journal was deleted and made again.
    writeFileSync(lockPath, lockOf({ pid: alive.pid as number, journal: { dev: journal.identity.dev, ino: 'ffff' } }));
    const again = await lockJournal(journal.path, journal.identity);
    await again();
  } finally {
    alive.kill();
  }
  // A lock from another machine on a shared folder cannot be judged from here: refused, with what to do.
  writeFileSync(lockPath, lockOf({ pid: 1, host: 'other-machine', journal: journal.identity }));
  await assert.rejects(() => lockJournal(journal.path, journal.identity), /a run on other-machine \(process 1\)/);
  rmSync(lockPath);
});

test('a release removes only its own lock, never one taken over after it', async () => {
  const journal = await journalAt(join(dir, 'taken-over.jsonl'));
  const release = await lockJournal(journal.path, journal.identity);
  const lockPath = lockPathOf(journal.path);
  const other = lockOf({ pid: process.pid + 1, journal: journal.identity });
  writeFileSync(lockPath, other);
  await release();
  assert.equal(readFileSync(lockPath, 'utf8'), other);
  rmSync(lockPath);
});

/** Rounds of each race: enough that a takeover without its claim lets two win (seen: within the first rounds). */
const ROUNDS = 25;

test('processes racing to take over one dead lock: exactly one wins, every round', async () => {
  const journal = await journalAt(join(dir, 'race.jsonl'));
  const lockPath = lockPathOf(journal.path);
  const racers = Array.from({ length: 4 }, () => new Contender(journal.path));
  contenders.push(...racers);
  for (const racer of racers) assert.equal(await racer.next(), 'ready');
  const dead = deadPid();
  for (let round = 1; round <= ROUNDS; round++) {
    writeFileSync(lockPath, lockOf({ pid: dead, journal: journal.identity }));
    // All told at once: each judges the lock dead, and each tries to take it over.
    for (const racer of racers) racer.child.stdin.write('lock\n');
    const answers = await Promise.all(racers.map((racer) => racer.next()));
    const winners = racers.filter((_, index) => answers[index] === 'won');
    assert.equal(winners.length, 1, `round ${round}: ${answers.join(' | ')}`);
    for (const answer of answers.filter((text) => text !== 'won')) assert.match(answer, /^busy: /);
    const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number };
    assert.equal(owner.pid, winners[0]?.child.pid, 'the lock names the winner');
    assert.equal(await winners[0]?.ask('release'), 'released');
    assert.ok(!existsSync(lockPath));
  }
  // Takeovers in one process at once (their steps interleave at every await): one holds, the others are refused.
  for (let round = 1; round <= ROUNDS; round++) {
    writeFileSync(lockPath, lockOf({ pid: dead, journal: journal.identity }));
    const all = await Promise.allSettled(Array.from({ length: 4 }, () => lockJournal(journal.path, journal.identity)));
    assert.equal(all.filter((result) => result.status === 'fulfilled').length, 1, `in-process round ${round}`);
    for (const result of all) if (result.status === 'fulfilled') await result.value();
  }
});

test('a lock path that is not a lock file (a folder, a FIFO, a symbolic link, a large file) is refused and left as it is', async () => {
  const journal = await journalAt(join(dir, 'odd-lock.jsonl'));
  const lockPath = lockPathOf(journal.path);
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me');
  const kinds: Array<[string, () => void, RegExp]> = [
    ['folder', () => mkdirSync(lockPath), /is a folder, not a lock/],
    ['FIFO', () => spawnSync('mkfifo', [lockPath]), /is not a regular file, not a lock/],
    ['symbolic link', () => symlinkSync(victim, lockPath), /is a symbolic link, not a lock/],
    ['large file', () => writeFileSync(lockPath, 'x'.repeat(10_000)), /10000 bytes, not a lock/],
  ];
  for (const [kind, make, message] of kinds) {
    make();
    await assert.rejects(() => lockJournal(journal.path, journal.identity), message, kind);
    assert.ok(existsSync(lockPath), `${kind} left in place`);
    rmSync(lockPath, { recursive: true, force: true });
  }
  assert.equal(readFileSync(victim, 'utf8'), 'keep me');
});
