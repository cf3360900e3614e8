// The list of a run's failed and unknown targets, written in a format `revoke --from` reads again:
// one target per line (order:N, certificate-id:N, serial:HEX), or a CSV when the list gave rows their
// own reason or code (kept in their columns), with a comment before each naming its line in the
// original list and why. Written in list order as the last pass of a run goes; a file already at
// its name is never overwritten: the next free name is taken (NAME-2.EXT, NAME-3.EXT…).
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { journalText } from './journal';
import type { BulkTarget } from './targets';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
/** Names tried after the first before giving up (a folder holding a thousand earlier lists). */
const MAX_NAME_TRIES = 1000;
/** Written out whenever this much is waiting. */
const FLUSH_BYTES = 64 * 1024;

export interface FailureListOptions {
  /** The name wanted; when something is there already, the next free NAME-N.EXT is taken. */
  path: string;
  /** CSV when the list gave rows their own reason or code (they are kept), else one target per line. */
  format: 'lines' | 'csv';
  /** Where the targets came from and the journal, for the file's first comments. */
  source: string;
  journal: string;
  test: boolean;
}

/** The name tried at attempt `n` (1: the name itself): "x.failed.txt", "x.failed-2.txt"… */
export function failureListName(path: string, attempt: number): string {
  if (attempt <= 1) return path;
  const extension = extname(path);
  return `${path.slice(0, path.length - extension.length)}-${attempt}${extension}`;
}

function csvField(value: string | undefined): string {
  if (value === undefined) return '';
  return /[",]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export class FailureListWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  count = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly format: 'lines' | 'csv',
  ) {}

  /** Creates the file under the first free name; throws when none can be created (a read-only folder). */
  static async create(options: FailureListOptions): Promise<FailureListWriter> {
    for (let attempt = 1; attempt <= MAX_NAME_TRIES; attempt++) {
      const path = failureListName(options.path, attempt);
      let handle: FileHandle;
      try {
        handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      const writer = new FailureListWriter(handle, path, options.format);
      writer.push(
        `# sectigo-csr revoke --from ${journalText(options.source)}: the targets that failed or whose outcome is unknown${options.test ? ' (test=Y)' : ''}, ${new Date().toISOString()}.`,
      );
      writer.push(`# The journal of that run: ${journalText(options.journal)}`);
      writer.push(
        '# Once the cause is fixed: sectigo-csr revoke --from THIS-FILE --reason TEXT … (a new run, with a journal of its own).',
      );
      if (options.format === 'csv') writer.push('orderNumber,certificateID,serialNumber,revocationReason,codeReason');
      return writer;
    }
    throw new Error(`no free name for the list of failures beside ${options.path}`);
  }

  /** One target, with why (its code and meaning, or "outcome unknown"), as a comment before it. */
  async add(target: BulkTarget, why: string): Promise<void> {
    const origin = target.certificateFile !== undefined ? `certificate:${target.certificateFile}, ` : '';
    this.push(`# line ${target.line}: ${journalText(`${origin}${why}`)}`);
    if (this.format === 'csv') {
      const column = (kind: BulkTarget['kind']): string => (target.kind === kind ? target.value : '');
      this.push(
        [
          column('order'),
          column('certificate-id'),
          column('serial'),
          csvField(target.reason),
          target.codeReason === undefined ? '' : String(target.codeReason),
        ].join(','),
      );
    } else this.push(`${target.kind}:${target.value}`);
    this.count++;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private push(line: string): void {
    this.pending.push(`${line}\n`);
    this.pendingBytes += line.length + 1;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.appendFile(text, 'utf8');
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }
}
