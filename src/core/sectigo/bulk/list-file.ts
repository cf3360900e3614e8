// A list of targets given as a file (or standard input), read as a stream as many times as a run
// needs (checked, indexed, previewed, sent, summed up) and never held whole. Each pass reads a
// private copy taken once, so the targets sent are the targets checked and confirmed even when the
// list is edited while a run of hours goes on. A line longer than MAX_LIST_LINE_BYTES is a problem,
// never held.
import { constants } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBoundedFile } from '../../bounded-read';
import { byteLines } from './byte-lines';
import {
  MAX_LIST_BYTES,
  MAX_LIST_LINE_BYTES,
  MAX_REPORTED_PROBLEMS,
  TargetListParser,
  checkSerialTarget,
  type BulkTarget,
  type ListProblem,
  type PendingCertificate,
} from './targets';

const COPY_CHUNK_BYTES = 64 * 1024;

/** The list cannot be read: nothing was sent. */
export class ListFileRefusal extends Error {}

/** The list's lines, numbered from 1; `text` is undefined for a line over MAX_LIST_LINE_BYTES. */
export interface ListLineText {
  text: string | undefined;
  line: number;
}

export class ListFile {
  private constructor(
    private readonly folder: string,
    private readonly copy: string,
    readonly bytes: number,
  ) {}

  /** A private copy (mode 0600, in a 0700 folder of the temporary directory) of a regular file's bytes, at most MAX_LIST_BYTES. */
  static async fromFile(path: string, name = path): Promise<ListFile> {
    const opened = await openBoundedFile(path, MAX_LIST_BYTES);
    if (opened.kind === 'refused') throw new ListFileRefusal(`${name}: ${opened.reason}.`);
    try {
      return await ListFile.copied(async (write) => {
        const chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
        let total = 0;
        for (;;) {
          const { bytesRead } = await opened.handle.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) return;
          total += bytesRead;
          // The cap holds even for a file that grows while it is copied.
          if (total > MAX_LIST_BYTES) throw new ListFileRefusal(`${name}: is larger than ${MAX_LIST_BYTES} bytes.`);
          await write(chunk.subarray(0, bytesRead));
        }
      });
    } finally {
      await opened.handle.close();
    }
  }

  /** The same for bytes already read (standard input, up to its cap). */
  static async fromBytes(bytes: Buffer): Promise<ListFile> {
    return ListFile.copied(async (write) => {
      for (let from = 0; from < bytes.length; from += COPY_CHUNK_BYTES)
        await write(bytes.subarray(from, from + COPY_CHUNK_BYTES));
    });
  }

  private static async copied(fill: (write: (bytes: Buffer) => Promise<void>) => Promise<void>): Promise<ListFile> {
    const folder = await mkdtemp(join(tmpdir(), 'sectigo-csr-list-'));
    const copy = join(folder, 'list');
    let handle: FileHandle | undefined;
    try {
      handle = await open(copy, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      let bytes = 0;
      const target = handle;
      await fill(async (chunk) => {
        await target.write(chunk);
        bytes += chunk.length;
      });
      await handle.close();
      handle = undefined;
      return new ListFile(folder, copy, bytes);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  /** Every line, read from the copy (a BOM and a CR before the LF dropped by the parser and here). */
  async *lines(): AsyncGenerator<ListLineText> {
    const handle = await open(this.copy, 'r');
    try {
      let line = 0;
      for await (const read of byteLines(handle, this.bytes, MAX_LIST_LINE_BYTES)) {
        line++;
        if (read.tooLong) {
          yield { text: undefined, line };
          continue;
        }
        const end = read.bytes.length > 0 && read.bytes[read.bytes.length - 1] === 0x0d ? -1 : undefined;
        yield { text: read.bytes.subarray(0, end).toString('utf8'), line };
      }
    } finally {
      await handle.close();
    }
  }

  /** Removes the copy. */
  async dispose(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** A `certificate:PATH` line read to its serial number, or why it cannot be. */
export type CertificateRead = { serial: string } | { problem: string };

export interface CheckedList {
  format: 'lines' | 'csv';
  /** Whether rows give their own reason or code (a CSV with those columns). */
  hasOwnReasons: boolean;
  /** Targets named, repeats included (the run merges them). */
  targets: number;
  /** The first MAX_REPORTED_PROBLEMS problems, in list order; `problemCount` counts them all. */
  problems: ListProblem[];
  problemCount: number;
  /** The serial number (canonical) of each `certificate:PATH` line, by line: the file is read once, here. */
  certificates: Map<number, { serial: string; path: string }>;
}

/**
 * The first pass: every line checked, every `certificate:PATH` file read (through `readSerial`).
 * `rowNeedsReason` turns a target without a reason of its own into a problem (no --reason given).
 */
export async function checkList(
  list: ListFile,
  readSerial: (certificate: PendingCertificate) => Promise<CertificateRead>,
  rowNeedsReason: boolean,
): Promise<CheckedList> {
  const parser = new TargetListParser();
  const problems: ListProblem[] = [];
  let problemCount = 0;
  let targets = 0;
  const certificates = new Map<number, { serial: string; path: string }>();
  const problem = (found: ListProblem): void => {
    problemCount++;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(found);
  };
  for await (const { text, line } of list.lines()) {
    if (text === undefined) {
      problem({ line, message: `is longer than ${MAX_LIST_LINE_BYTES} bytes; no line of a list is.` });
      continue;
    }
    const read = parser.line(text, line);
    if (read.kind === 'problem') problem(read.problem);
    else if (read.kind === 'certificate') {
      const serial = await readSerial(read.certificate);
      const checked = 'problem' in serial ? serial : checkSerialTarget(serial.serial);
      if ('problem' in checked) problem({ line, message: `certificate:${read.certificate.path}: ${checked.problem}` });
      else {
        certificates.set(line, { serial: checked.value, path: read.certificate.path });
        targets++;
      }
    } else if (read.kind === 'target') {
      targets++;
      if (rowNeedsReason && read.target.reason === undefined)
        problem({ line, message: 'no revocationReason on this row and no --reason given.' });
    }
  }
  return {
    format: parser.format ?? 'lines',
    hasOwnReasons: parser.hasOwnReasons,
    targets,
    problems,
    problemCount,
    certificates,
  };
}

/**
 * The targets of a checked list, in list order, repeats included, read afresh from the copy each
 * time it is iterated. A line that no longer reads as it did when checked stops the pass (the copy
 * is private, so that would be a bug or a disk error, never a silent change of targets).
 */
export function listTargets(
  list: ListFile,
  checked: Pick<CheckedList, 'certificates'>,
): { read(): AsyncIterable<BulkTarget> } {
  return {
    async *read() {
      const parser = new TargetListParser();
      for await (const { text, line } of list.lines()) {
        const read = text === undefined ? undefined : parser.line(text, line);
        if (read === undefined || read.kind === 'problem')
          throw new ListFileRefusal(`line ${line} of the list no longer reads as it did when it was checked.`);
        if (read.kind === 'target') yield read.target;
        else if (read.kind === 'certificate') {
          const known = checked.certificates.get(line);
          if (!known)
            throw new ListFileRefusal(`line ${line} of the list no longer reads as it did when it was checked.`);
          yield {
            kind: 'serial',
            value: known.serial,
            line,
            certificateFile: known.path,
            ...(read.certificate.reason !== undefined && { reason: read.certificate.reason }),
            ...(read.certificate.codeReason !== undefined && { codeReason: read.certificate.codeReason }),
          };
        }
      }
    },
  };
}
