// The journal on disk, by construction: what is at its path is checked before anything is opened
// (a FIFO, a device, a folder, a socket, a dangling link or a file with a second name is refused
// at once); a symbolic link is followed and its target checked the same way, and the journal and
// its lock are then where the target is. Only a file that starts with this product's journal
// header (or, for a journal of the first format, its first record) is ever truncated or appended
// to; anything else is refused and left byte for byte as it was. The file is read as a stream, and
// written with each "send" record synced before the call it announces goes out (records that
// arrive together share one sync).
import { constants } from 'node:fs';
import { lstat, open, realpath, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ApiResult, RevocationCode } from '../types';
import { jsonText } from '../../json-text';
import { syncFolder } from '../../sync-folder';
import { byteLines } from './byte-lines';
import {
  JOURNAL_HEADER_PREFIX,
  MAX_JOURNAL_BYTES,
  MAX_JOURNAL_LINE_BYTES,
  V1_FIRST_LINE_PREFIX,
  JournalReader,
  endRecordText,
  headerText,
  journalText,
  messageSlot,
  runRecordText,
  sendRecordText,
  v1EndedLine,
  v1SendingLine,
  type JournalEntry,
  type JournalFormat,
  type JournalOutcome,
  type JournalProblem,
  type JournalRunFacts,
} from './journal';
import type { FileIdentity } from './journal-lock';
import type { RunIndex } from './run-index';
import type { BulkJournal } from './run';
import type { BulkTarget } from './targets';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

/** Why a journal path is refused before anything is written: what is there, or what it holds. */
export type JournalFileRefusalReason =
  /** A FIFO, device, folder, socket, dangling symbolic link, or a file with more than one name. */
  | 'not-a-file'
  /** A regular file that does not start with a journal header (or a first-format record). */
  | 'not-a-journal'
  /** It cannot be read: permissions, too large, an I/O error, or replaced while being opened. */
  | 'unreadable';

export class JournalFileRefusal extends Error {
  constructor(
    readonly reason: JournalFileRefusalReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where a journal is, once its path is checked. */
export interface JournalPlace {
  /** The real path (a symbolic link followed, `..` resolved): the journal and its lock are here. */
  path: string;
  /** Undefined while the file does not exist. */
  identity?: FileIdentity;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

interface KindInfo {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSymbolicLink(): boolean;
}

function notRegular(info: KindInfo): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'is a folder';
  if (info.isFIFO()) return 'is a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device';
  if (info.isSocket()) return 'is a socket';
  if (info.isSymbolicLink()) return 'is a symbolic link';
  return 'is not a regular file';
}

function identityOf(info: { dev: bigint; ino: bigint }): FileIdentity {
  return { dev: info.dev.toString(16), ino: info.ino.toString(16) };
}

function sameIdentity(a: FileIdentity | undefined, b: FileIdentity): boolean {
  return a !== undefined && a.dev === b.dev && a.ino === b.ino;
}

function refusal(reason: JournalFileRefusalReason, message: string, cause?: unknown): JournalFileRefusal {
  return new JournalFileRefusal(reason, message, cause === undefined ? undefined : { cause });
}

function notAFile(given: string, what: string): JournalFileRefusal {
  return refusal(
    'not-a-file',
    `${given} ${what}, not a regular file; a journal is a file of its own. It was not opened and is left as it is.`,
  );
}

/**
 * Checks what is at a journal's path, opening nothing. A symbolic link is followed (the journal
 * and its lock live beside its target); a dangling one is refused (a journal is never created
 * through a link). A regular file with more than one name (a hard link) is refused: its other
 * name would have a lock of its own.
 */
export async function placeJournal(given: string): Promise<JournalPlace> {
  let info;
  try {
    info = await lstat(given, { bigint: true });
  } catch (error) {
    if (errorCode(error) !== 'ENOENT')
      throw refusal('unreadable', `${given} cannot be examined (${errorCode(error) ?? String(error)}).`, error);
    let folder: string;
    try {
      folder = await realpath(dirname(given));
    } catch (folderError) {
      throw refusal('unreadable', `the folder of ${given} does not exist.`, folderError);
    }
    return { path: join(folder, basename(given)) };
  }
  let path = given;
  if (info.isSymbolicLink()) {
    try {
      path = await realpath(given);
      info = await lstat(path, { bigint: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT')
        throw refusal(
          'not-a-file',
          `${given} is a symbolic link to a file that does not exist; a journal is never created through a link. Give the path of the file itself.`,
          error,
        );
      throw notAFile(given, `is a symbolic link that cannot be followed (${errorCode(error) ?? String(error)})`);
    }
  }
  const kind = notRegular(info);
  if (kind) throw notAFile(given, path === given ? kind : `is a symbolic link to ${path}, which ${kind}`);
  if (info.nlink > 1n)
    throw refusal(
      'not-a-file',
      `${given} has ${info.nlink} names (hard links): a run reaching it by another name would not see its lock. Copy it to a file of its own and give that. It is left as it is.`,
    );
  return { path: await realpath(path), identity: identityOf(info) };
}

/**
 * Creates the journal, empty, for a place where nothing is yet (exclusive create: an existing
 * file, FIFO or link is never opened). Returns the place with its identity; when something
 * appeared there meanwhile, the place of what is there now.
 */
export async function createJournalFile(place: JournalPlace): Promise<JournalPlace & { created: boolean }> {
  let handle: FileHandle;
  try {
    // 0o600: the journal names orders and the login; other users have no business reading it.
    handle = await open(place.path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return { ...(await placeJournal(place.path)), created: false };
    throw error;
  }
  let identity: FileIdentity;
  try {
    identity = identityOf(await handle.stat({ bigint: true }));
  } finally {
    await handle.close();
  }
  // A new journal's name is on disk once its folder is synced (where folders can be: not Windows).
  await syncFolder(dirname(place.path));
  return { path: place.path, identity, created: true };
}

/** Removes a journal this run created and never wrote to (a preview, a refusal): still empty and still the same file. */
export async function removeUnusedJournal(place: JournalPlace): Promise<void> {
  const info = await lstat(place.path, { bigint: true }).catch(() => undefined);
  if (info?.isFile() && info.size === 0n && place.identity && sameIdentity(place.identity, identityOf(info)))
    await unlink(place.path).catch(() => undefined);
}

/** What reading a journal found. */
export interface ReadJournal {
  /** Undefined for an empty (or new) journal: the first run writes its header. */
  format: JournalFormat | undefined;
  facts: JournalRunFacts | undefined;
  problems: JournalProblem[];
  /** Where a line torn by a crash starts: appending begins there (the torn bytes are dropped). */
  tornAt?: number;
  /** The file does not end with a newline but its last line is whole: one is added before appending. */
  needsNewline: boolean;
  bytes: number;
  lines: number;
  identity?: FileIdentity;
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

/** Whether a file whose only line is unterminated starts the way only this product's journals start. */
function isTornFirstLine(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  return text.startsWith(JOURNAL_HEADER_PREFIX) || text.startsWith(V1_FIRST_LINE_PREFIX);
}

/** Opens a journal to read it, checking it is (still) the regular file the place names. Never blocks, never writes. */
async function openToRead(place: JournalPlace, given: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(place.path, constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING);
  } catch (error) {
    throw refusal('unreadable', `${given} cannot be read (${errorCode(error) ?? String(error)}).`, error);
  }
  try {
    const info = await handle.stat({ bigint: true });
    const kind = notRegular(info);
    if (kind) throw notAFile(given, kind);
    if (place.identity && !sameIdentity(place.identity, identityOf(info)))
      throw refusal('unreadable', `${given} was replaced while it was being opened; run again.`);
    if (info.size > BigInt(MAX_JOURNAL_BYTES))
      throw refusal(
        'unreadable',
        `${given} is ${info.size} bytes, more than ${MAX_JOURNAL_BYTES}; start a new one with --journal.`,
      );
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads a journal at a checked place (a place without identity is an empty journal). Each entry
 * goes to `onEntry` in file order, and into `index` when given (only the targets it lists are
 * kept). Throws JournalFileRefusal when the file is not a journal or cannot be read; problems
 * (lines that cannot be used) are returned, not thrown.
 */
export async function readJournal(
  place: JournalPlace,
  given: string,
  options: { index?: RunIndex; onEntry?: (entry: JournalEntry) => void } = {},
): Promise<ReadJournal> {
  const empty: ReadJournal = {
    format: undefined,
    facts: undefined,
    problems: [],
    needsNewline: false,
    bytes: 0,
    lines: 0,
  };
  if (!place.identity) return empty;
  const handle = await openToRead(place, given);
  try {
    const size = Number((await handle.stat({ bigint: true })).size);
    if (size === 0) return { ...empty, identity: place.identity };
    const reader = new JournalReader();
    const { index, onEntry } = options;
    const apply = (entry: JournalEntry | undefined): void => {
      if (!entry) return;
      onEntry?.(entry);
      if (!index) return;
      if (entry.event === 'sending') index.record(entry.target, 'in-flight');
      else index.record(entry.target, entry.outcome, entry.code, entry.message);
    };
    const notOurs = (): JournalFileRefusal =>
      refusal(
        'not-a-journal',
        `${given} does not start with the header of a sectigo-csr journal; it was not changed. Give another --journal (or remove that file if it is yours and holds nothing).`,
      );
    let lineNumber = 0;
    for await (const line of byteLines(handle, size, MAX_JOURNAL_LINE_BYTES)) {
      lineNumber++;
      const isLast = !line.terminated;
      const text = line.tooLong ? undefined : lineText(line.bytes);
      if (lineNumber === 1 && isLast) {
        // The whole file is one unterminated line: a header or first record torn by a crash, or not ours.
        if (!line.tooLong && isTornFirstLine(line.bytes)) {
          const read = text === undefined ? { torn: true as const } : reader.addText(text, 1, true);
          if ('torn' in read) return { ...empty, tornAt: 0, bytes: size, lines: 1, identity: place.identity };
          apply(read.entry);
          if (reader.format !== undefined)
            return { ...result(reader), needsNewline: true, bytes: size, identity: place.identity };
        }
        throw notOurs();
      }
      if (lineNumber === 1) {
        const read = text === undefined ? undefined : reader.addText(text, 1);
        if (reader.format === undefined && text?.startsWith(JOURNAL_HEADER_PREFIX) && reader.problems[0])
          throw refusal('unreadable', `${given}: line 1 ${reader.problems[0].message}`);
        if (reader.format === undefined || read === undefined || 'torn' in read) throw notOurs();
        apply(read.entry);
        continue;
      }
      if (isLast) {
        // Only the file's last line can lack its newline: it may have been torn by a crash.
        const read = text === undefined ? { torn: true as const } : reader.addText(text, lineNumber, true);
        if ('torn' in read)
          return { ...result(reader), tornAt: line.start, bytes: size, lines: lineNumber, identity: place.identity };
        apply(read.entry);
        return { ...result(reader), needsNewline: true, bytes: size, identity: place.identity };
      }
      if (line.tooLong) reader.problems.push({ line: lineNumber, message: 'is too long for a journal line.' });
      else if (text === undefined) reader.problems.push({ line: lineNumber, message: 'is not UTF-8 text.' });
      else {
        const read = reader.addText(text, lineNumber);
        if (!('torn' in read)) apply(read.entry);
      }
    }
    return { ...result(reader), bytes: size, identity: place.identity };
  } finally {
    await handle.close();
  }
}

/**
 * A journal's entries in file order (either format), read as a stream and pulled one at a time:
 * what a view pages through (stop early and the rest is never read). The same checks as a run's
 * (a FIFO, a device, a file that is not a journal are refused); a torn last line is left out, and
 * a line that cannot be read is skipped.
 */
export async function* journalEntries(given: string): AsyncGenerator<JournalEntry> {
  const place = await placeJournal(given);
  if (!place.identity) return;
  const handle = await openToRead(place, given);
  try {
    const size = Number((await handle.stat({ bigint: true })).size);
    const reader = new JournalReader();
    let lineNumber = 0;
    for await (const line of byteLines(handle, size, MAX_JOURNAL_LINE_BYTES)) {
      lineNumber++;
      const text = line.tooLong ? undefined : lineText(line.bytes);
      const read = text === undefined ? undefined : reader.addText(text, lineNumber, !line.terminated);
      if (lineNumber === 1 && reader.format === undefined && line.terminated)
        throw refusal('not-a-journal', `${given} does not start with the header of a sectigo-csr journal.`);
      if (read && 'entry' in read && read.entry) yield read.entry;
    }
  } finally {
    await handle.close();
  }
}

function result(reader: JournalReader): Omit<ReadJournal, 'bytes'> {
  return {
    format: reader.format,
    facts: reader.facts,
    problems: reader.problems,
    needsNewline: false,
    lines: reader.lines,
  };
}

/**
 * Appends records in order. A record asked to be synced is on disk when its promise resolves;
 * records that arrive while a write is under way go out together, with one sync for all of them.
 */
export class JournalWriter {
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private syncWanted = false;
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;

  private constructor(private readonly handle: FileHandle) {}

  /**
   * Opens the journal the place names for appending (never creating, never following a link),
   * checks it is the very file that was read, then cuts off a torn last line or ends an
   * unterminated one.
   */
  static async open(
    place: JournalPlace,
    given: string,
    read: Pick<ReadJournal, 'tornAt' | 'needsNewline'>,
  ): Promise<JournalWriter> {
    if (!place.identity) throw refusal('unreadable', `${given} does not exist.`);
    const handle = await open(place.path, constants.O_WRONLY | constants.O_APPEND | NO_FOLLOW | NON_BLOCKING);
    try {
      const info = await handle.stat({ bigint: true });
      const kind = notRegular(info);
      if (kind) throw notAFile(given, kind);
      if (!sameIdentity(place.identity, identityOf(info)))
        throw refusal('unreadable', `${given} was replaced while the run was starting; nothing was written to it.`);
      if (read.tornAt !== undefined) await handle.truncate(read.tornAt);
      if (read.needsNewline) await handle.appendFile('\n');
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalWriter(handle);
  }

  append(text: string, sync: boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pending.push(`${text}\n`);
      this.waiters.push({ resolve, reject });
      if (sync) this.syncWanted = true;
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const text = this.pending.join('');
      const waiters = this.waiters;
      const sync = this.syncWanted;
      this.pending = [];
      this.waiters = [];
      this.syncWanted = false;
      try {
        if (this.failure) throw this.failure;
        await this.handle.appendFile(text, 'utf8');
        if (sync) await this.handle.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        // Every later record fails too: nothing is sent that the journal does not know about.
        this.failure ??= error as Error;
        for (const waiter of waiters) waiter.reject(this.failure);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }
}

/** What every bulk run journals the same way, from the command line or the editor. */
export interface RunJournalOptions {
  writer: JournalWriter;
  /** The journal's format: a new or compact journal is written compact, one of the first format stays in it. */
  format: JournalFormat;
  /** For a compact journal without its header yet (new, or its header torn): write it first. */
  needsHeader: boolean;
  facts: JournalRunFacts;
  /** The run's reason and codeReason; a list row's own override them. */
  defaults: { reason: string | undefined; codeReason?: RevocationCode };
  /** The one redaction of what is written: the journal is a file a user may share. */
  redact: (text: string) => string;
  now?: () => Date;
}

/** The error code an answer carries, as the journal keeps it. */
function codeOf(answer: ApiResult): number | undefined {
  if (answer.kind === 'success') return 0;
  return answer.kind === 'api-error' ? answer.errorCode : undefined;
}

/** The text of an answer the journal keeps beside its code. */
function messageOf(answer: ApiResult, meaning: string): string | undefined {
  switch (answer.kind) {
    case 'success':
      return answer.note;
    case 'api-error':
      return answer.errorMessage;
    case 'validation-error':
      return meaning;
    case 'transport-error':
    case 'cancelled':
      return answer.message;
  }
}

/** The most (outcome, code) messages a run remembers for leaving repeats out; beyond, each is written. */
const MAX_REMEMBERED_MESSAGES = 64;

/**
 * Starts the journal of one run (the header first for a new journal, then the run record) and
 * returns what the run journals through: a "send" record on disk (synced) before each call, an
 * "end" record after it. One definition, so a journal written by the command line and one
 * written by the editor read the same and resume each other.
 */
export async function startRunJournal(options: RunJournalOptions): Promise<BulkJournal> {
  const { writer, facts, defaults, redact } = options;
  const now = options.now ?? (() => new Date());
  const reasonOf = (target: BulkTarget): string => target.reason ?? defaults.reason ?? '';
  const codeReasonOf = (target: BulkTarget): number | undefined => target.codeReason ?? defaults.codeReason;
  if (options.format === 'v1') {
    return {
      sending: (target) =>
        writer.append(
          jsonText(v1SendingLine(facts, target, reasonOf(target), codeReasonOf(target), now()), { redacted: true }),
          true,
        ),
      ended: (target, outcome, answer, meaning) =>
        writer.append(
          jsonText(
            v1EndedLine(
              facts,
              target,
              {
                outcome,
                ...(codeOf(answer) !== undefined && { code: codeOf(answer) }),
                ...(messageOf(answer, meaning) !== undefined && { message: redact(messageOf(answer, meaning) ?? '') }),
                ...('durationMs' in answer && { durationMs: answer.durationMs }),
                meaning: redact(meaning),
              },
              now(),
            ),
            { redacted: true },
          ),
          false,
        ),
    };
  }
  const started = now();
  if (options.needsHeader) await writer.append(headerText(facts, started), true);
  await writer.append(runRecordText(started, defaults.reason ?? '', defaults.codeReason), true);
  const written = new Map<string, string>();
  return {
    sending: (target) =>
      writer.append(
        sendRecordText(target, {
          ...(target.reason !== undefined && target.reason !== defaults.reason && { reason: target.reason }),
          ...(target.codeReason !== undefined &&
            target.codeReason !== defaults.codeReason && { codeReason: target.codeReason }),
        }),
        true,
      ),
    ended: (target, outcome: JournalOutcome, answer, meaning) => {
      const code = codeOf(answer);
      const raw = messageOf(answer, meaning);
      const message = raw === undefined ? undefined : journalText(redact(raw));
      const slot = messageSlot(outcome, code);
      // Decided when the record is queued, and records are written in that order: a reader meets them the same way.
      const repeat = message !== undefined && written.get(slot) === message;
      if (message !== undefined && !repeat && (written.has(slot) || written.size < MAX_REMEMBERED_MESSAGES))
        written.set(slot, message);
      return writer.append(
        endRecordText(`${target.kind}:${target.value}`, {
          outcome,
          ...(code !== undefined && { code }),
          ...(message !== undefined && !repeat && { message }),
          ...('durationMs' in answer && { ms: answer.durationMs }),
          at: now().getTime() - started.getTime(),
        }),
        false,
      );
    },
  };
}
