// What a command of the sectigo-csr command line may touch, passed in so that
// the tests can run every command in-process and read what it printed.
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

// C0 controls but newline and tab, DEL, C1 controls (0x9b is a one-byte CSI), and the bidirectional
// overrides that can make printed text read differently from what it is.
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to write to a terminal: a control character from outside (a server's errorMessage, a
 * CSR's subject, a file name) is shown escaped, never executed. C0 controls become \x1b; the rest
 * \u009b, which also keeps --json output valid JSON (where C0 controls are already escaped).
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The same io with everything it prints passed through escapeControlCharacters: one place for every command. */
export function terminalSafeIo(io: CliIo): CliIo {
  return {
    ...io,
    stdout: (text) => io.stdout(escapeControlCharacters(text)),
    stderr: (text) => io.stderr(escapeControlCharacters(text)),
    statusLine: (text) => io.stderr(`${ERASE_LINE}${escapeControlCharacters(text)}`),
  };
}
