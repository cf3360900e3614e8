// Reading one request file for check and inspect, on the main thread or in an analysis thread
// (analysis-thread.ts): bounded, never blocking on a pipe, never throwing.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { maxInputLength } from '../core/csr/input';
import { maxCsrCharacters } from '../core/csr/limits';
import type { CsrInputError } from '../core/csr/types';
import { formatCount } from '../core/format-count';
import { outside } from '../core/outside-text';

/** Why an input was not read: the code and sentence its result carries. */
export interface InputRefusal {
  code: string;
  error: string;
}

let processCwd: string | undefined;

/** The file's bytes, or says clearly why it cannot be read. Never throws. `cwd` is what a relative name is relative to. */
export function readInputFile(file: string, cwd: string): Uint8Array | InputRefusal {
  processCwd ??= process.cwd();
  // An absolute name, or one relative to this process's own folder, the system resolves (no
  // path.resolve per file: a run over 1,000 absolute names spent 5 ms there).
  const path = cwd === processCwd || isAbsolute(file) ? file : resolve(cwd, file);
  let fd: number | undefined;
  try {
    // Synchronous on purpose: a small file read at once costs a few microseconds, a trip through
    // the thread pool ten times more. Opened without blocking, so a named pipe with no writer is
    // refused at once instead of holding the run; the kind and size are those of what was opened.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    if (info.isDirectory()) return { code: 'unreadable', error: 'this is a directory, not a file' };
    if (!info.isFile()) return { code: 'unreadable', error: 'this is not a regular file' };
    // Refuse before reading: a 50 MB file is not loaded only to be refused.
    if (info.size > maxInputLength) {
      return {
        code: 'input-too-large',
        error: `the file is ${formatCount(info.size)} bytes; only inputs up to ${formatCount(maxInputLength)} bytes are read (a request itself is at most ${formatCount(maxCsrCharacters)} characters)`,
      };
    }
    // One byte more than the size said: a file that grew meanwhile is read to the cap, no further.
    const bytes = Buffer.allocUnsafe(Math.min(info.size + 1, maxInputLength + 1));
    let length = 0;
    for (;;) {
      const read = readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === bytes.length) {
        if (length > maxInputLength) {
          return {
            code: 'input-too-large',
            error: `the file grew past ${formatCount(maxInputLength)} bytes while it was read`,
          };
        }
        break;
      }
    }
    return bytes.subarray(0, length);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'this is a directory, not a file'
            : `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
    return { code: 'unreadable', error: reason };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The result of an input that could not be read: the whole file, at its first position. */
export function unreadableResult(name: string, refusal: InputRefusal): CsrInputError {
  const zero = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };
  return { file: outside(name), index: 0, range: zero, code: refusal.code, error: refusal.error };
}
