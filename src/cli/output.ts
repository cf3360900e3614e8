// How the command line writes to standard output and error: straight to the file descriptors.
// Node's process.stdout is a stream whose first use loads the stream classes and, for a pipe, the
// net module: about 3 ms of a 45 ms `check one.csr`, to print one line (bench/cli-startup.bench.ts).
// Here one line is one write(2).
//
// Writes are synchronous and in order, except in batch mode (inspect or check over many inputs):
// then output gathers into pieces of 64 KiB written by libuv's thread pool while the analysis
// goes on, still in order, stdout and stderr alike; past 1 MiB not yet written the analysis waits
// (`ready()`), so a slow reader bounds the memory instead of growing it. A terminal is always
// written at once. On a descriptor another process made non-blocking (EAGAIN) the rest goes
// through Node's stream, which waits for it; a reader that went away (EPIPE: `| head`) gets no more.
// On Windows, Node's streams are used as before: its console needs them for Unicode.
import { fstatSync, write as writeAsync, writeSync } from 'node:fs';

export interface Output {
  write(fd: 1 | 2, text: string): void;
  /** Undefined when little waits to be written; else a promise that resolves once it is under the mark. */
  ready(): Promise<void> | undefined;
  /** From now on, gather output and write it while the caller works. */
  batch(): void;
  /** Everything written so far, written. */
  flush(): Promise<void>;
}

/** The piece handed to the thread pool at once. */
const PIECE_CHARS = 64 * 1024;
/** What may wait to be written before the producer waits: bounds memory when the reader is slow. */
const HIGH_WATER_CHARS = 1024 * 1024;

type Fd = 1 | 2;

interface Sink {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    done: (error: Error | null, written: number) => void,
  ): void;
  isTerminal(fd: number): boolean;
  stream(fd: Fd): { write(chunk: Uint8Array): boolean };
}

const systemSink: Sink = {
  writeSync: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length),
  write: (fd, buffer, offset, length, done) =>
    writeAsync(fd, buffer, offset, length, null, (error, written) => done(error, written)),
  isTerminal: (fd) => {
    try {
      return fstatSync(fd).isCharacterDevice();
    } catch {
      return false;
    }
  },
  stream: (fd) => (fd === 1 ? process.stdout : process.stderr),
};

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

export class FdOutput implements Output {
  private queue: { fd: Fd; text: string }[] = [];
  private queuedChars = 0;
  private inFlightChars = 0;
  private pumping: Promise<void> | undefined;
  private batching = false;
  private readonly terminal = new Map<Fd, boolean>();
  /** Descriptors whose writes go through Node's stream (EAGAIN) or nowhere (the reader left). */
  private readonly diverted = new Map<Fd, 'stream' | 'closed'>();
  private waiters: (() => void)[] = [];

  constructor(private readonly sink: Sink = systemSink) {}

  private isTerminal(fd: Fd): boolean {
    let known = this.terminal.get(fd);
    if (known === undefined) {
      known = this.sink.isTerminal(fd);
      this.terminal.set(fd, known);
    }
    return known;
  }

  write(fd: Fd, text: string): void {
    if (text === '') return;
    if (this.queue.length === 0 && this.pumping === undefined && (!this.batching || this.isTerminal(fd))) {
      this.writeNow(fd, Buffer.from(text, 'utf8'));
      return;
    }
    this.queue.push({ fd, text });
    this.queuedChars += text.length;
    if (this.batching && this.pumping === undefined && this.queuedChars >= PIECE_CHARS) this.pump();
  }

  batch(): void {
    this.batching = true;
  }

  ready(): Promise<void> | undefined {
    if (this.queuedChars + this.inFlightChars <= HIGH_WATER_CHARS) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async flush(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
    const rest = this.takeQueue();
    this.queuedChars = 0;
    for (const piece of rest) this.writeNow(piece.fd, piece.bytes);
    this.wake();
  }

  /** The queue as one buffer per run of writes to the same descriptor. */
  private takeQueue(): { fd: Fd; bytes: Buffer }[] {
    const pieces: { fd: Fd; bytes: Buffer }[] = [];
    let texts: string[] = [];
    let fd: Fd | undefined;
    for (const item of this.queue) {
      if (fd !== undefined && item.fd !== fd) {
        pieces.push({ fd, bytes: Buffer.from(texts.join(''), 'utf8') });
        texts = [];
      }
      fd = item.fd;
      texts.push(item.text);
    }
    if (fd !== undefined) pieces.push({ fd, bytes: Buffer.from(texts.join(''), 'utf8') });
    this.queue = [];
    return pieces;
  }

  private wake(): void {
    if (this.queuedChars + this.inFlightChars > HIGH_WATER_CHARS) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }

  /** Writes the queue through the thread pool, piece after piece, until it is empty. */
  private pump(): void {
    this.pumping = (async () => {
      while (this.queue.length > 0) {
        this.inFlightChars = this.queuedChars;
        this.queuedChars = 0;
        const pieces = this.takeQueue();
        for (const piece of pieces) await this.writeLater(piece.fd, piece.bytes);
        this.inFlightChars = 0;
        this.wake();
        if (!this.batching || this.queuedChars < PIECE_CHARS) break;
      }
    })().finally(() => {
      this.pumping = undefined;
      // What arrived meanwhile but is under a piece waits for the next write or the flush.
      if (this.batching && this.queuedChars >= PIECE_CHARS) this.pump();
      this.wake();
    });
  }

  private divertedWrite(fd: Fd, bytes: Uint8Array): boolean {
    const diverted = this.diverted.get(fd);
    if (diverted === 'closed') return true;
    if (diverted === 'stream') {
      this.sink.stream(fd).write(bytes);
      return true;
    }
    return false;
  }

  /** A write error's consequence; true when the rest of `bytes` is taken care of. */
  private divert(fd: Fd, error: unknown, rest: Uint8Array): void {
    const code = errnoOf(error);
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
      this.diverted.set(fd, 'stream');
      this.sink.stream(fd).write(rest);
    } else {
      // EPIPE (the reader went away), EBADF (closed with >&-) and the like: nothing more can be shown there.
      this.diverted.set(fd, 'closed');
    }
  }

  private writeNow(fd: Fd, bytes: Buffer): void {
    if (this.divertedWrite(fd, bytes)) return;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += this.sink.writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        this.divert(fd, error, bytes.subarray(offset));
        return;
      }
    }
  }

  private async writeLater(fd: Fd, bytes: Buffer): Promise<void> {
    if (this.divertedWrite(fd, bytes)) return;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += await new Promise<number>((resolve, reject) =>
          this.sink.write(fd, bytes, offset, bytes.length - offset, (error, written) =>
            error ? reject(error) : resolve(written),
          ),
        );
      } catch (error) {
        this.divert(fd, error, bytes.subarray(offset));
        return;
      }
    }
  }
}

/** Node's own streams, for Windows. */
export class StreamOutput implements Output {
  write(fd: Fd, text: string): void {
    (fd === 1 ? process.stdout : process.stderr).write(text);
  }
  ready(): undefined {
    return undefined;
  }
  batch(): void {}
  async flush(): Promise<void> {}
}

export function processOutput(): Output {
  return process.platform === 'win32' ? new StreamOutput() : new FdOutput();
}
