// What a command of the sectigo-csr command line may touch, passed in so that
// the tests can run every command in-process and read what it printed. A verb prints Texts and
// JSON documents (CliIo); the terminal sink (terminal.ts) renders them to the raw streams (RawIo).
import { jsonDocument, type JsonDocument } from '../core/json-text';
import type { Text } from '../core/outside-text';

/** The process's streams as strings: what main() is given, and what a test captures. */
export interface RawIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input (for `-`), read up to maxBytes + 1 bytes: a longer result means it was over the cap. */
  readStdin(maxBytes: number): Promise<Buffer>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Standard error is a terminal: a progress line that rewrites itself is welcome. */
  stderrIsTerminal?: boolean;
  /** Undefined when the caller may go on; else resolves once the output waiting to be written is under its mark. */
  ready?(): Promise<void> | undefined;
  /** The command is about to print a lot: output is gathered and written while it works (src/cli/output.ts). */
  batchOutput?(): void;
  /** Resolves when everything printed has been written. */
  flush?(): Promise<void>;
}

export interface CliIo {
  /** A Text (rendered by the terminal sink) or a JSON document (the JSON sink's). */
  stdout(text: Text | JsonDocument): void;
  stderr(text: Text): void;
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
  statusLine?(text: Text): void;
  /** Undefined when the caller may go on; else resolves once the output waiting to be written is under its mark. */
  ready?(): Promise<void> | undefined;
  /** The command is about to print a lot: output is gathered and written while it works (src/cli/output.ts). */
  batchOutput?(): void;
  /** Resolves when everything printed has been written. */
  flush?(): Promise<void>;
}

/** The verbs, as the program names them in its messages. */
export type Verb = 'inspect' | 'check' | 'new' | 'replace' | 'revoke';

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

/** Whether the arguments ask for --json (before any "--"): then even a usage error is JSON. */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/** The --json form of a usage error: nothing was sent, exit status 2. */
export function usageErrorJson(command: string, message: string): JsonDocument {
  return jsonDocument(
    { kind: 'usage-error', command, message, exitCode: ExitCode.usage },
    { ownFields: new Set(['kind', 'command']) },
  );
}
