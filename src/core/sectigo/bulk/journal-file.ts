// The journal on disk: read back line by line (a 100,000-target journal is never
// held whole), and appended to with each "sending" line synced to disk before
// the call it announces goes out.
import { jsonText } from '../../json-text';
import { createReadStream } from 'node:fs';
import { link, lstat, mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RevocationCode } from '../types';
import {
  JournalState,
  MAX_JOURNAL_BYTES,
  MAX_JOURNAL_LINE_BYTES,
  endedLine,
  sendingLine,
  type JournalLine,
  type JournalRunFacts,
} from './journal';
import type { BulkJournal } from './run';
import { syncFolder } from '../../sync-folder';

export interface ReadJournal {
  state: JournalState;
  /** Where a line torn by a crash starts: appending begins there (the torn bytes are dropped). */
  tornAt?: number;
  /** The file does not end with a newline but its last line is whole: one is added before appending. */
  needsNewline: boolean;
  bytes: number;
}

/** Thrown by lockJournal when another live process holds the journal. */
export class JournalBusyError extends Error {}

/** Reads a journal; a missing file is an empty journal. Throws only for an unreadable or oversized file (with a message). */
export async function readJournalFile(path: string): Promise<ReadJournal> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error(`${path} is not a file.`);
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { state: new JournalState(), needsNewline: false, bytes: 0 };
    throw error;
  }
  if (size > MAX_JOURNAL_BYTES)
    throw new Error(
      `the journal ${path} is ${size} bytes, more than ${MAX_JOURNAL_BYTES}; start a new one with --journal.`,
    );
  const state = new JournalState();
  if (size === 0) return { state, needsNewline: false, bytes: 0 };
  let lineNumber = 0;
  for await (const line of byteLines(path, size)) {
    lineNumber++;
    // Only the file's last line can lack its newline: it may have been torn by a crash.
    const isLast = !line.terminated;
    const text = line.tooLong ? undefined : lineText(line.bytes);
    if (isLast) {
      const verdict = text === undefined ? 'torn' : state.addText(text, lineNumber, true);
      if (verdict === 'torn') return { state, tornAt: line.start, needsNewline: false, bytes: size };
      return { state, needsNewline: true, bytes: size };
    }
    if (line.tooLong) state.problems.push({ line: lineNumber, message: 'is too long for a journal line.' });
    else if (text === undefined) state.problems.push({ line: lineNumber, message: 'is not UTF-8 text.' });
    else state.addText(text, lineNumber);
  }
  return { state, needsNewline: false, bytes: size };
}

interface ByteLine {
  /** The line's bytes without its newline (empty when tooLong: they were not kept). */
  bytes: Buffer;
  /** Byte offset of the line's first byte in the file. */
  start: number;
  /** Ended by a newline (the last line of a file may not be). */
  terminated: boolean;
  /** Longer than MAX_JOURNAL_LINE_BYTES: its bytes were skipped, not held. */
  tooLong: boolean;
}

/**
 * The file's lines as bytes, split on LF with exact byte offsets: a decoded line's length says
 * nothing about its bytes (CRLF, invalid UTF-8), and the offset is where a torn line is cut.
 * A line over the cap is skipped to its end, never held whole.
 */
async function* byteLines(path: string, size: number): AsyncGenerator<ByteLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let start = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: size - 1 }) as AsyncIterable<Buffer>) {
    let from = 0;
    while (from < chunk.length) {
      const newline = chunk.indexOf(0x0a, from);
      const to = newline === -1 ? chunk.length : newline;
      if (!tooLong) {
        held += to - from;
        if (held > MAX_JOURNAL_LINE_BYTES) {
          tooLong = true;
          parts = [];
        } else parts.push(chunk.subarray(from, to));
      }
      if (newline === -1) break;
      yield { bytes: tooLong ? Buffer.alloc(0) : Buffer.concat(parts), start, terminated: true, tooLong };
      start = offset + newline + 1;
      parts = [];
      held = 0;
      tooLong = false;
      from = newline + 1;
    }
    offset += chunk.length;
  }
  if (start < size)
    yield { bytes: tooLong ? Buffer.alloc(0) : Buffer.concat(parts), start, terminated: false, tooLong };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A line's text (a CR before the LF dropped), or undefined when its bytes are not UTF-8. */
function lineText(bytes: Buffer): string | undefined {
  const body = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
  try {
    return strictUtf8.decode(body);
  } catch {
    return undefined;
  }
}

/** Appends journal lines in order; `sync` lines are on disk when the returned promise resolves. */
export class JournalWriter {
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  private constructor(private readonly handle: FileHandle) {}

  /** Opens for appending, first cutting off a torn last line or closing an unterminated one. */
  static async open(
    path: string,
    read: Pick<ReadJournal, 'tornAt' | 'needsNewline' | 'bytes'>,
  ): Promise<JournalWriter> {
    // 0o600: the journal names orders and the login; other users have no business reading it.
    const handle = await open(path, 'a+', 0o600);
    if (read.tornAt !== undefined) await handle.truncate(read.tornAt);
    if (read.needsNewline) await handle.appendFile('\n');
    // A new journal's name is on disk once its folder is synced (where folders can be: not Windows).
    if (read.bytes === 0) await syncFolder(dirname(path));
    return new JournalWriter(handle);
  }

  append(line: JournalLine, sync: boolean): Promise<void> {
    // The JSON sink: a journal line read with cat or tail -f shows text, never a control or bidi character.
    const text = `${jsonText(line, { redacted: true })}\n`;
    const next = this.chain.then(async () => {
      if (this.failure) throw this.failure;
      try {
        await this.handle.appendFile(text, 'utf8');
        if (sync) await this.handle.datasync();
      } catch (error) {
        this.failure = error as Error;
        throw error;
      }
    });
    // The chain goes on after a failure; every later append reports it.
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file is tiny; anything larger was not written by us. */
const MAX_LOCK_BYTES = 4096;

/** Who holds a lock: written whole in the same step that creates the lock (never an empty lock of ours). */
interface LockOwner {
  pid: number;
  /** Tells this lock from a later one of the same process (after a PID is reused, or a second run). */
  nonce: string;
  journal: string;
}

/**
 * The folder of journal locks: one per user, so that a lock names the journal's identity and not
 * its path. Refused when it is not a folder of this user's (someone else made it first).
 */
async function lockFolder(): Promise<string> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const folder = join(tmpdir(), `sectigo-csr-journal-locks${uid === undefined ? '' : `-${uid}`}`);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const info = await lstat(folder);
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid))
    throw new JournalBusyError(`the lock folder ${folder} is not a folder of this user's; remove it and try again.`);
  return folder;
}

/**
 * Where the lock of a journal is: named after the file's identity (device and inode), so that
 * every spelling of one journal (a symlink, a hard link, "..", another case on a case-insensitive
 * disk) takes the same lock. The journal is created (empty) if it does not exist yet, so that its
 * identity is the same before and after the first line.
 */
export async function journalLockPath(journalPath: string): Promise<string> {
  // 0o600: the journal names orders and the login; other users have no business reading it.
  const handle = await open(journalPath, 'a', 0o600);
  try {
    const info = await handle.stat({ bigint: true });
    if (!info.isFile()) throw new Error(`${journalPath} is not a file.`);
    return join(await lockFolder(), `${info.dev.toString(16)}-${info.ino.toString(16)}.lock`);
  } finally {
    await handle.close();
  }
}

async function readOwner(lockPath: string): Promise<{ text: string; owner?: LockOwner } | undefined> {
  let text: string;
  try {
    const handle = await open(lockPath, 'r');
    try {
      const buffer = Buffer.alloc(MAX_LOCK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(parsed.pid) && (parsed.pid as number) > 0 && typeof parsed.nonce === 'string')
      return { text, owner: parsed as LockOwner };
  } catch {
    // Not ours, or not whole: it has no owner we can judge.
  }
  return { text };
}

/**
 * Creates the lock with its owner in one step: the owner is written to a file of its own, which
 * is then hard-linked to the lock's name (atomic: it fails if the lock exists). So a lock of ours
 * is never seen empty or half-written.
 */
async function createLock(lockPath: string, owner: LockOwner): Promise<boolean> {
  const draft = `${lockPath}.${owner.pid}.${owner.nonce}.new`;
  await writeWhole(draft, jsonText(owner, { redacted: true }));
  try {
    await link(draft, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

async function writeWhole(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Takes the journal's lock for this process, so that two runs (two terminals, two VS Code
 * windows, two spellings of one path) never work from one journal at once. A lock whose owner
 * has died (SIGKILL, a crash) is taken over; a lock with no owner we can read (empty, from
 * another program) is never taken: it may be one being created. Returns the release function.
 */
export async function lockJournal(journalPath: string): Promise<() => Promise<void>> {
  const lockPath = await journalLockPath(journalPath);
  const owner: LockOwner = { pid: process.pid, nonce: randomBytes(8).toString('hex'), journal: journalPath };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createLock(lockPath, owner)) {
      return async () => {
        // Only our own lock is removed: never one another run took over after us.
        const current = await readOwner(lockPath).catch(() => undefined);
        if (current?.owner?.nonce === owner.nonce) await unlink(lockPath).catch(() => undefined);
      };
    }
    const found = await readOwner(lockPath);
    if (found === undefined) continue; // Released meanwhile: try again.
    const holder = found.owner;
    if (holder === undefined)
      throw new JournalBusyError(
        `its lock ${lockPath} has no owner written in it (a run may be starting); if no run is using this journal, delete that file.`,
      );
    if (holder.pid === process.pid)
      throw new JournalBusyError('this journal is already being used by a run in this process.');
    if (isAlive(holder.pid))
      throw new JournalBusyError(`another run (process ${holder.pid}) is using this journal; wait for it to end.`);
    await takeOverStale(lockPath, found.text);
  }
  throw new JournalBusyError(`the lock ${lockPath} could not be taken.`);
}

/**
 * Removes a dead owner's lock without removing a live one: the lock is moved aside first, and
 * deleted only if it is still the one judged dead (another run may have taken it over in between).
 */
async function takeOverStale(lockPath: string, deadText: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(8).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readOwner(aside);
  if (moved?.text !== deadText) {
    // Someone else's fresh lock: put it back (unless yet another run has locked meanwhile).
    await link(aside, lockPath).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    throw new JournalBusyError('another run took this journal over at the same moment; wait for it to end.');
  }
  await unlink(aside).catch(() => undefined);
}

/** What every bulk run journals the same way, from the command line or the editor. */
export interface RunJournalOptions {
  writer: JournalWriter;
  facts: JournalRunFacts;
  /** The run's reason and codeReason; a list row's own override them. */
  defaults: { reason: string | undefined; codeReason?: RevocationCode };
  /** The one redaction of what is written: the journal is a file a user may share. */
  redact: (text: string) => string;
}

/**
 * The journal of a run: a "sending" line on disk (fsync) before each call, an "ended" line after
 * it. One definition, so a journal written by the command line and one written by the editor
 * read the same and resume each other.
 */
export function runJournal({ writer, facts, defaults, redact }: RunJournalOptions): BulkJournal {
  return {
    sending: (target) =>
      writer.append(
        sendingLine(
          facts,
          target,
          target.reason ?? defaults.reason ?? '',
          target.codeReason ?? defaults.codeReason,
          new Date(),
        ),
        true,
      ),
    ended: (target, outcome, answer, meaning) =>
      writer.append(
        endedLine(
          facts,
          target,
          {
            outcome,
            ...(answer.kind === 'success' && { code: 0 }),
            ...(answer.kind === 'api-error' && { code: answer.errorCode, message: redact(answer.errorMessage) }),
            ...((answer.kind === 'transport-error' || answer.kind === 'cancelled') && {
              message: redact(answer.message),
            }),
            ...('durationMs' in answer && { durationMs: answer.durationMs }),
            meaning: redact(meaning),
          },
          new Date(),
        ),
        false,
      ),
  };
}
