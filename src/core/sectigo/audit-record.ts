// The audit record of every call that may have changed something at Sectigo: each real revocation
// and replacement with its answer (an unknown outcome included), each -21 (the fact that a
// certificate is revoked), and each real bulk run (its list, account, endpoint, counts and the
// journal that holds every target's answer). Bounding the order history never touches it: it is
// kept until the user removes an entry on purpose.
//
// One JSON Lines file, only ever appended to: each change is one line written with one write on a
// file opened for appending and flushed to disk, so windows sharing it never lose each other's
// lines, and a crash leaves at most a torn last line, which is skipped (the next writer starts on
// a new line). An entry or a run appears again when it changes; the last line of an id wins. A
// removal is a line too. Reads are incremental: a window re-reads only what was appended since.
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncFolder } from '../sync-folder';
import { formatCount } from '../format-count';

export const AUDIT_FILE_NAME = 'audit.jsonl';
/**
 * The most this file is read to: a real call's line is under 2 KB and a run's under 4 KB (its
 * targets stay in the run's journal), so this holds well over 100,000 real calls and runs. A larger
 * file is refused with a message, never read whole, never moved aside: it is the record.
 */
export const MAX_AUDIT_BYTES = 256 * 1024 * 1024;
/** A line longer than this was not written by this store (an entry is at most 16 KB). */
export const MAX_AUDIT_LINE_BYTES = 64 * 1024;
const FORMAT_VERSION = 1 as const;

/** One line of the file. `call` and `run` carry the whole item as it is now; the last line of an id wins. */
export type AuditLine<Call, Run> =
  | { v: typeof FORMAT_VERSION; event: 'call'; time: string; call: Call }
  | { v: typeof FORMAT_VERSION; event: 'run'; time: string; run: Run }
  /** Removed on purpose by the user. */
  | { v: typeof FORMAT_VERSION; event: 'removed'; time: string; ids: string[] }
  /** Everything before this line removed on purpose by the user. */
  | { v: typeof FORMAT_VERSION; event: 'cleared'; time: string };

export interface AuditSnapshot<Call, Run> {
  calls: Call[];
  runs: Run[];
  /** Lines that could not be read (a torn line of a crash, an edited line): skipped, counted. */
  skippedLines: number;
  /** The file's size when read. */
  bytes: number;
}

/** The file is over MAX_AUDIT_BYTES: not read. */
export class AuditRecordTooLarge extends Error {}

interface Folded<Call, Run> {
  calls: Map<string, Call>;
  runs: Map<string, Run>;
  skippedLines: number;
}

interface Cache<Call, Run> {
  dev: number;
  ino: number;
  /** Bytes consumed: up to and including the last newline read. */
  offset: number;
  folded: Folded<Call, Run>;
}

export interface AuditItemCheck<Call, Run> {
  call(value: unknown): value is Call;
  run(value: unknown): value is Run;
  idOf(item: Call | Run): string;
}

export class AuditRecord<Call, Run> {
  private cache: Cache<Call, Run> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly check: AuditItemCheck<Call, Run>,
  ) {}

  /** Appends the items (each a line) in one write, flushed to disk before it resolves. */
  async append(items: { calls?: readonly Call[]; runs?: readonly Run[] }): Promise<void> {
    const time = new Date().toISOString();
    const lines: AuditLine<Call, Run>[] = [
      ...(items.calls ?? []).map((call) => ({ v: FORMAT_VERSION, event: 'call' as const, time, call })),
      ...(items.runs ?? []).map((run) => ({ v: FORMAT_VERSION, event: 'run' as const, time, run })),
    ];
    await this.write(lines);
  }

  /** Hides the items with these ids from now on (the user removed them on purpose). */
  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0)
      await this.write([{ v: FORMAT_VERSION, event: 'removed', time: new Date().toISOString(), ids: [...ids] }]);
  }

  /** Hides everything recorded so far (the user cleared the record on purpose). */
  async clear(): Promise<void> {
    await this.write([{ v: FORMAT_VERSION, event: 'cleared', time: new Date().toISOString() }]);
  }

  private write(lines: readonly AuditLine<Call, Run>[]): Promise<void> {
    const task = async (): Promise<void> => {
      if (lines.length === 0) return;
      const text = lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
      await mkdir(dirname(this.file), { recursive: true });
      // 0o600: it names orders and logins; other users have no business reading it.
      const handle = await open(this.file, 'a+', 0o600);
      let created = false;
      try {
        const { size } = await handle.stat();
        created = size === 0;
        // A line torn by a crash is closed first, so this write starts a line of its own (the torn one is skipped).
        let prefix = '';
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
        // One write on a file opened for appending: another window's line never lands inside this one.
        await handle.write(prefix + text, null, 'utf8');
        await handle.datasync();
      } finally {
        await handle.close();
      }
      // A new file's name is on disk once its folder is synced (where folders can be: not Windows).
      if (created) await syncFolder(dirname(this.file));
    };
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** What the record holds now: read from where the last read stopped when the file only grew. */
  async read(): Promise<AuditSnapshot<Call, Run>> {
    let info;
    try {
      info = await stat(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.cache = undefined;
        return { calls: [], runs: [], skippedLines: 0, bytes: 0 };
      }
      throw new Error(`The audit record ${this.file} cannot be read.`, { cause: error });
    }
    if (!info.isFile()) throw new Error(`The audit record ${this.file} is not a regular file.`);
    if (info.size > MAX_AUDIT_BYTES)
      throw new AuditRecordTooLarge(
        `The audit record ${this.file} is ${formatCount(info.size)} bytes, over the ${formatCount(MAX_AUDIT_BYTES)} this extension reads; it was left as it is. Move it elsewhere to keep it, and a new one starts.`,
      );
    let cache = this.cache;
    if (!cache || cache.dev !== info.dev || cache.ino !== info.ino || info.size < cache.offset)
      cache = {
        dev: info.dev,
        ino: info.ino,
        offset: 0,
        folded: { calls: new Map(), runs: new Map(), skippedLines: 0 },
      };
    if (info.size > cache.offset) cache = await this.readFrom(cache, info.size);
    this.cache = cache;
    const { folded } = cache;
    return {
      calls: [...folded.calls.values()],
      runs: [...folded.runs.values()],
      skippedLines: folded.skippedLines,
      bytes: info.size,
    };
  }

  /** Reads the complete lines from cache.offset to `size`, folding them into a copy of the cache. */
  private async readFrom(cache: Cache<Call, Run>, size: number): Promise<Cache<Call, Run>> {
    const handle = await open(this.file, 'r');
    const folded: Folded<Call, Run> = {
      calls: new Map(cache.folded.calls),
      runs: new Map(cache.folded.runs),
      skippedLines: cache.folded.skippedLines,
    };
    let offset = cache.offset;
    try {
      const chunkSize = 1024 * 1024;
      let carry = Buffer.alloc(0);
      let position = cache.offset;
      while (position < size) {
        const buffer = Buffer.alloc(Math.min(chunkSize, size - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        let data =
          carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
        let start = 0;
        for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, start)) {
          this.fold(folded, data.subarray(start, newline));
          offset += newline - start + 1;
          start = newline + 1;
        }
        data = data.subarray(start);
        // A line longer than any this store writes is skipped to its end, never held whole.
        if (data.length > MAX_AUDIT_LINE_BYTES) {
          const next = await this.skipLine(handle, position, size);
          folded.skippedLines++;
          offset += data.length + (next - position);
          position = next;
          carry = Buffer.alloc(0);
        } else carry = Buffer.from(data);
      }
      // What is left after the last newline is a line being written, or torn by a crash: read it once it is closed.
    } finally {
      await handle.close();
    }
    return { ...cache, offset, folded };
  }

  /** The position just after the next newline from `position` (or the end). */
  private async skipLine(handle: Awaited<ReturnType<typeof open>>, position: number, size: number): Promise<number> {
    const buffer = Buffer.alloc(64 * 1024);
    while (position < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
      if (bytesRead === 0) return size;
      const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
      if (newline !== -1) return position + newline + 1;
      position += bytesRead;
    }
    return size;
  }

  private fold(folded: Folded<Call, Run>, bytes: Buffer): void {
    if (bytes.length === 0) return;
    let line: Partial<AuditLine<Call, Run>>;
    try {
      line = JSON.parse(bytes.toString('utf8')) as Partial<AuditLine<Call, Run>>;
    } catch {
      folded.skippedLines++;
      return;
    }
    if (line.event === 'call' && this.check.call(line.call)) folded.calls.set(this.check.idOf(line.call), line.call);
    else if (line.event === 'run' && this.check.run(line.run)) folded.runs.set(this.check.idOf(line.run), line.run);
    else if (line.event === 'removed' && Array.isArray(line.ids)) {
      for (const id of line.ids) {
        if (typeof id !== 'string') continue;
        folded.calls.delete(id);
        folded.runs.delete(id);
      }
    } else if (line.event === 'cleared') {
      folded.calls.clear();
      folded.runs.clear();
    } else folded.skippedLines++;
  }
}
