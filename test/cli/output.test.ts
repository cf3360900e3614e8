// How the command line writes (src/cli/output.ts): in order across standard output and error, at
// once unless batching, in pieces through the thread pool when batching, with the producer held
// back when the reader falls behind, and without losing or repeating a byte when a descriptor turns
// out non-blocking (EAGAIN: the rest goes through Node's stream) or the reader leaves (EPIPE).
// A fake descriptor records every write; the real ones are exercised by every CLI test in a child.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FdOutput } from '../../src/cli/output';

interface Recorded {
  /** Every write in order: descriptor, how it was made, what it wrote. */
  writes: { fd: number; how: 'sync' | 'async' | 'stream'; text: string }[];
  pendingAsync: (() => void)[];
}

function fakeSink(options: {
  terminal?: number[];
  failSync?: (fd: number, call: number) => string | undefined;
  maxPerWrite?: number;
  holdAsync?: boolean;
}) {
  const recorded: Recorded = { writes: [], pendingAsync: [] };
  let syncCalls = 0;
  const sink = {
    writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number {
      syncCalls += 1;
      const failure = options.failSync?.(fd, syncCalls);
      if (failure) throw Object.assign(new Error(failure), { code: failure });
      const n = Math.min(length, options.maxPerWrite ?? length);
      recorded.writes.push({ fd, how: 'sync', text: Buffer.from(buffer.subarray(offset, offset + n)).toString() });
      return n;
    },
    write(
      fd: number,
      buffer: Uint8Array,
      offset: number,
      length: number,
      done: (error: Error | null, written: number) => void,
    ): void {
      const n = Math.min(length, options.maxPerWrite ?? length);
      const finish = (): void => {
        recorded.writes.push({ fd, how: 'async', text: Buffer.from(buffer.subarray(offset, offset + n)).toString() });
        done(null, n);
      };
      if (options.holdAsync) recorded.pendingAsync.push(finish);
      else setImmediate(finish);
    },
    isTerminal: (fd: number) => (options.terminal ?? []).includes(fd),
    stream: (fd: 1 | 2) => ({
      write(chunk: Uint8Array): boolean {
        recorded.writes.push({ fd, how: 'stream', text: Buffer.from(chunk).toString() });
        return true;
      },
    }),
  };
  return { sink, recorded };
}

const textOf = (recorded: Recorded, fd: number): string =>
  recorded.writes
    .filter((write) => write.fd === fd)
    .map((write) => write.text)
    .join('');

test('without batching every write is made at once, in order, partial writes continued', async () => {
  const { sink, recorded } = fakeSink({ maxPerWrite: 3 });
  const output = new FdOutput(sink);
  output.write(1, 'first line\n');
  output.write(2, 'a note\n');
  output.write(1, 'second line\n');
  assert.equal(textOf(recorded, 1), 'first line\nsecond line\n', 'written before flush');
  assert.ok(recorded.writes.every((write) => write.how === 'sync'));
  assert.equal(recorded.writes.map((write) => write.text).join(''), 'first line\na note\nsecond line\n');
  await output.flush();
});

test('batching gathers 64 KiB pieces for the thread pool, keeps stdout and stderr in order, and flushes the rest', async () => {
  const { sink, recorded } = fakeSink({});
  const output = new FdOutput(sink);
  output.batch();
  let expected = '';
  for (let i = 0; i < 3000; i += 1) {
    const line = `result ${i} ${'x'.repeat(40)}\n`;
    output.write(1, line);
    expected += line;
    if (i % 1000 === 999) {
      output.write(2, `error ${i}\n`);
      expected += `error ${i}\n`;
    }
  }
  assert.ok(recorded.writes.length < 10, 'not one write per line');
  await output.flush();
  assert.equal(recorded.writes.map((write) => write.text).join(''), expected, 'every byte once, in order');
  assert.ok(
    recorded.writes.some((write) => write.how === 'async'),
    'the big pieces went to the thread pool',
  );
});

test('a producer far ahead of the reader waits (bounded memory), and goes on when the reader catches up', async () => {
  const { sink, recorded } = fakeSink({ holdAsync: true });
  const output = new FdOutput(sink);
  output.batch();
  const piece = 'y'.repeat(64 * 1024);
  let waited: Promise<void> | undefined;
  for (let i = 0; i < 40 && waited === undefined; i += 1) {
    output.write(1, piece);
    waited = output.ready();
  }
  assert.ok(waited, 'past a megabyte unwritten, ready() holds the producer');
  let released = false;
  void waited.then(() => {
    released = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(released, false, 'still held while nothing is written');
  while (recorded.pendingAsync.length > 0) {
    recorded.pendingAsync.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(released, true);
  let flushed = false;
  const flushing = output.flush().then(() => {
    flushed = true;
  });
  while (!flushed) {
    recorded.pendingAsync.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await flushing;
  assert.equal(textOf(recorded, 1).length % piece.length, 0, 'every piece written whole');
});

test('a terminal is written at once even when batching', async () => {
  const { sink, recorded } = fakeSink({ terminal: [1] });
  const output = new FdOutput(sink);
  output.batch();
  output.write(1, 'shown now\n');
  assert.equal(textOf(recorded, 1), 'shown now\n');
  await output.flush();
});

test('EAGAIN sends the rest through the stream, once and in order; EPIPE stops writing there', async () => {
  const { sink, recorded } = fakeSink({ failSync: (fd, call) => (fd === 1 && call === 2 ? 'EAGAIN' : undefined) });
  const output = new FdOutput(sink);
  output.write(1, 'one\n');
  output.write(1, 'two\n');
  output.write(1, 'three\n');
  assert.deepEqual(
    recorded.writes.map((write) => `${write.how}:${write.text}`),
    ['sync:one\n', 'stream:two\n', 'stream:three\n'],
  );
  const closed = fakeSink({ failSync: (fd) => (fd === 2 ? 'EPIPE' : undefined) });
  const quiet = new FdOutput(closed.sink);
  quiet.write(2, 'lost\n');
  quiet.write(2, 'lost too\n');
  quiet.write(1, 'kept\n');
  assert.deepEqual(
    closed.recorded.writes.map((write) => `${write.fd}:${write.text}`),
    ['1:kept\n'],
  );
  await quiet.flush();
});

test('a reader that stops early (| head) ends the command quietly, with its exit status', () => {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const fixture = join(__dirname, '..', 'fixtures', 'csr', 'rsa-1024.csr');
  const files = Array.from({ length: 400 }, () => fixture);
  const result = spawnSync(
    'bash',
    ['-c', `node "${cli}" check "$@" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`, 'x', ...files],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  assert.equal(result.stdout.trim(), '1', 'exit 1 for the error findings, not a crash');
  assert.doesNotMatch(result.stderr, /EPIPE|internal error|Error:/);
});
