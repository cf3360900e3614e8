// A file's lines as bytes, read in chunks from an open handle: the one line splitter of the bulk
// files (the journal, the list), so neither is ever held whole and no line costs more than its cap.
import type { FileHandle } from 'node:fs/promises';

const READ_CHUNK_BYTES = 64 * 1024;

export interface ByteLine {
  /** The line's bytes without its newline (empty when tooLong: they were not kept). */
  bytes: Buffer;
  /** Byte offset of the line's first byte in the file. */
  start: number;
  /** Ended by a newline (the last line of a file may not be). */
  terminated: boolean;
  /** Longer than the cap: its bytes were skipped, not held. */
  tooLong: boolean;
}

/**
 * The lines of the first `size` bytes of a file, split on LF with exact byte offsets: a decoded
 * line's length says nothing about its bytes (CRLF, invalid UTF-8), and the offset is where a torn
 * line is cut. A line over `maxLineBytes` is skipped to its end, never held whole.
 */
export async function* byteLines(handle: FileHandle, size: number, maxLineBytes: number): AsyncGenerator<ByteLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let start = 0;
  let offset = 0;
  const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  while (offset < size) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(READ_CHUNK_BYTES, size - offset), offset);
    if (bytesRead === 0) break;
    const bytes = chunk.subarray(0, bytesRead);
    let from = 0;
    while (from < bytes.length) {
      const newline = bytes.indexOf(0x0a, from);
      const to = newline === -1 ? bytes.length : newline;
      if (!tooLong) {
        held += to - from;
        if (held > maxLineBytes) {
          tooLong = true;
          parts = [];
          // The chunk buffer is reused for the next read: what is kept of it is copied.
        } else if (to > from) parts.push(Buffer.from(bytes.subarray(from, to)));
      }
      if (newline === -1) break;
      yield {
        bytes: tooLong ? Buffer.alloc(0) : parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts),
        start,
        terminated: true,
        tooLong,
      };
      start = offset + newline + 1;
      parts = [];
      held = 0;
      tooLong = false;
      from = newline + 1;
    }
    offset += bytesRead;
  }
  if (start < offset)
    yield { bytes: tooLong ? Buffer.alloc(0) : Buffer.concat(parts), start, terminated: false, tooLong };
}
