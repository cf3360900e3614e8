// The journal on disk: read back line by line (a 100,000-target journal is never
// held whole), and appended to with each "sending" line synced to disk before
// the call it announces goes out.
import { createReadStream } from 'node:fs';
import { open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { dirname } from 'node:path';
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
  let offset = 0;
  let lineNumber = 0;
  let previous: { text: string; start: number } | undefined;
  // The last line is only known once the next one arrives, so each line is handled one step late.
  const stream = createReadStream(path, { encoding: 'utf8', end: size - 1 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const text of lines) {
    if (previous) {
      lineNumber++;
      if (Buffer.byteLength(previous.text) > MAX_JOURNAL_LINE_BYTES)
        state.problems.push({ line: lineNumber, message: 'is too long for a journal line.' });
      else state.addText(previous.text, lineNumber);
    }
    previous = { text, start: offset };
    offset += Buffer.byteLength(text) + 1;
  }
  if (!previous) return { state, needsNewline: false, bytes: size };
  lineNumber++;
  const endsWithNewline = offset === size;
  const verdict =
    Buffer.byteLength(previous.text) > MAX_JOURNAL_LINE_BYTES
      ? 'torn'
      : state.addText(previous.text, lineNumber, !endsWithNewline);
  if (verdict === 'torn') return { state, tornAt: previous.start, needsNewline: false, bytes: size };
  return { state, needsNewline: !endsWithNewline, bytes: size };
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
    const text = `${JSON.stringify(line)}\n`;
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

/** Thrown by lockJournal when another live process holds the journal. */
export class JournalBusyError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes JOURNAL.lock for this process, so that two runs (two terminals, two VS Code windows)
 * never work from one journal at once. A lock left by a process that died (SIGKILL, a crash)
 * is taken over. Returns the release function.
 */
export async function lockJournal(journalPath: string): Promise<() => Promise<void>> {
  const lockPath = `${journalPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new JournalBusyError(`another run (process ${holder}) is using this journal; wait for it to end.`);
      }
      if (holder === process.pid)
        throw new JournalBusyError('this journal is already being used by a run in this process.');
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new JournalBusyError(`the lock ${lockPath} could not be taken.`);
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
