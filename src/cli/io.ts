// What a command of the sectigo-csr command line may touch, passed in so that
// the tests can run every command in-process and read what it printed.
import { escapeInvisible } from '../core/one-line';
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input (for `-`), read up to maxBytes + 1 bytes: a longer result means it was over the cap. */
  readStdin(maxBytes: number): Promise<Buffer>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Standard error is a terminal: a progress line that rewrites itself is welcome. */
  stderrIsTerminal?: boolean;
  /**
   * Rewrites the progress line on standard error (empty text clears it). The command's own
   * terminal control (carriage return, erase line) is written here, apart from the text, so
   * that the text can still be escaped like everything else.
   */
  statusLine?(text: string): void;
  /** Undefined when the caller may go on; else resolves once the output waiting to be written is under its mark. */
  ready?(): Promise<void> | undefined;
  /** The command is about to print a lot: output is gathered and written while it works (src/cli/output.ts). */
  batchOutput?(): void;
  /** Resolves when everything printed has been written. */
  flush?(): Promise<void>;
}

const ERASE_LINE = '\r\u001b[2K';

/** Exit statuses are a public interface: scripts depend on them. */
export const ExitCode = {
  /** No error finding / the API answered errorCode 0. */
  ok: 0,
  /** At least one error finding (inspect, check). */
  findings: 1,
  /** An input could not be read as a CSR, a local validation error, or wrong usage: nothing sent. */
  usage: 2,
  /** The API answered an error (replace, revoke). */
  apiError: 3,
  /** Transport failure (replace, revoke); the message says whether the outcome is known. */
  transport: 4,
} as const;

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/**
 * Text safe to write to a terminal: a control or invisible character from outside (a server's
 * errorMessage, a CSR's subject, a file name) is shown escaped, never executed. C0 controls become
 * \x1b; the rest \u009b, which also keeps --json output valid JSON (where C0 controls are already
 * escaped). Newlines and tabs are the program's own here; a value's own are escaped where it is
 * put into a line (oneLine).
 */
export const escapeControlCharacters = escapeInvisible;

/** Whether the arguments ask for --json (before any "--"): then even a usage error is JSON. */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/** The --json form of a usage error: nothing was sent, exit status 2. */
export function usageErrorJson(command: string, message: string): string {
  return `${JSON.stringify({ kind: 'usage-error', command, message, exitCode: ExitCode.usage }, null, 2)}\n`;
}

/** The same io with everything it prints passed through escapeControlCharacters: one place for every command. */
export function terminalSafeIo(io: CliIo): CliIo {
  // Built on io rather than copied from it, so what io computes when asked (whether standard error
  // is a terminal) is still computed only when asked.
  const safe: Pick<CliIo, 'stdout' | 'stderr' | 'statusLine'> = {
    stdout: (text) => io.stdout(escapeControlCharacters(text)),
    stderr: (text) => io.stderr(escapeControlCharacters(text)),
    statusLine: (text) => io.stderr(`${ERASE_LINE}${escapeControlCharacters(text)}`),
  };
  return Object.assign(Object.create(io) as CliIo, safe);
}
