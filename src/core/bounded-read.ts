// Reading a file or a stream the user named, with its kind and size known before
// the work: only a regular file is read (a FIFO with no writer would block forever,
// /dev/zero never ends), never more than a cap, and every refusal is a sentence.
import { closeSync, constants, fstatSync, openSync, promises, readSync, statSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { formatCount } from './format-count';

/** The cap for a file given to a call: a CSR (--csr), a certificate (--certificate, the certificate command), trusted CAs (--ca-file, the caFile setting). */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

export type BoundedRead =
  | { kind: 'ok'; bytes: Buffer }
  /** tooLarge: refused for its size alone (a caller may name that case, e.g. the input-too-large code). */
  | { kind: 'refused'; reason: string; tooLarge?: true };

function kindOf(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'is a directory, not a file';
  if (info.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device, not a regular file';
  if (info.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

const READ_CHUNK_BYTES = 64 * 1024;

function tooLarge(size: number | undefined, maxBytes: number): string {
  const limit = `${formatCount(maxBytes)} bytes`;
  return size === undefined
    ? `is larger than the limit of ${limit}`
    : `is ${formatCount(size)} bytes, over the limit of ${limit}`;
}

function errnoReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'ELOOP') return 'is a symbolic link loop';
  return `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
}

/**
 * A regular file opened for reading, its size under `maxBytes`: the kind is checked before opening,
 * and again on the opened descriptor (opened without blocking, so a FIFO swapped in meanwhile cannot
 * hang a read). The caller reads it (never past `maxBytes`) and closes it.
 */
export async function openBoundedFile(
  path: string,
  maxBytes: number,
): Promise<{ kind: 'ok'; handle: FileHandle; size: number } | Extract<BoundedRead, { kind: 'refused' }>> {
  try {
    // fs.promises, not node:fs/promises: Node loads that module (and readline, the watchers) only
    // when it is first used, not in every start of the command line that imports this file.
    const before = await promises.stat(path);
    const refusal = kindOf(before);
    if (refusal) return { kind: 'refused', reason: refusal };
    if (before.size > maxBytes) return { kind: 'refused', reason: tooLarge(before.size, maxBytes), tooLarge: true };
    const handle = await promises.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const info = await handle.stat();
      const changed = kindOf(info);
      if (changed || info.size > maxBytes) {
        await handle.close();
        return changed
          ? { kind: 'refused', reason: changed }
          : { kind: 'refused', reason: tooLarge(info.size, maxBytes), tooLarge: true };
      }
      return { kind: 'ok', handle, size: info.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  } catch (error) {
    return { kind: 'refused', reason: errnoReason(error) };
  }
}

/**
 * A regular file's bytes, at most `maxBytes` (checked as openBoundedFile checks); the read stops at
 * the cap even if the file grows or lies about its size (/proc).
 */
export async function readBoundedFile(path: string, maxBytes: number): Promise<BoundedRead> {
  const opened = await openBoundedFile(path, maxBytes);
  if (opened.kind === 'refused') return opened;
  const { handle } = opened;
  try {
    // Chunks sized by what is read, not by the cap: a 64 MiB cap must not cost 64 MiB for a small file.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > maxBytes) return { kind: 'refused', reason: tooLarge(undefined, maxBytes), tooLarge: true };
    return { kind: 'ok', bytes: Buffer.concat(chunks, length) };
  } catch (error) {
    return { kind: 'refused', reason: errnoReason(error) };
  } finally {
    await handle.close();
  }
}

/** readBoundedFile for a caller that cannot wait (building a client): the same checks, synchronously. */
export function readBoundedFileSync(path: string, maxBytes: number): BoundedRead {
  try {
    const before = statSync(path);
    const refusal = kindOf(before);
    if (refusal) return { kind: 'refused', reason: refusal };
    if (before.size > maxBytes) return { kind: 'refused', reason: tooLarge(before.size, maxBytes), tooLarge: true };
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const info = fstatSync(fd);
      const changed = kindOf(info);
      if (changed) return { kind: 'refused', reason: changed };
      if (info.size > maxBytes) return { kind: 'refused', reason: tooLarge(info.size, maxBytes), tooLarge: true };
      const chunks: Buffer[] = [];
      let length = 0;
      while (length <= maxBytes) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, maxBytes + 1 - length));
        const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        length += bytesRead;
      }
      if (length > maxBytes) return { kind: 'refused', reason: tooLarge(undefined, maxBytes), tooLarge: true };
      return { kind: 'ok', bytes: Buffer.concat(chunks, length) };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { kind: 'refused', reason: errnoReason(error) };
  }
}

/**
 * A stream's bytes (standard input), at most `maxBytes + 1` of them: reading stops as soon as the
 * cap is passed, so an endless stream costs at most the cap, and a result longer than `maxBytes`
 * says the stream was too large. The stream is destroyed then; nothing else reads it.
 */
export async function readStreamUpTo(
  stream: NodeJS.ReadableStream & { destroy?: () => void },
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(bytes);
    length += bytes.length;
    if (length > maxBytes) {
      stream.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks, length).subarray(0, maxBytes + 1);
}

/** Why a stream read with readStreamUpTo is refused, or undefined when it is within the cap. */
export function streamRefusal(bytes: Buffer, maxBytes: number): string | undefined {
  return bytes.length > maxBytes ? tooLarge(undefined, maxBytes) : undefined;
}
