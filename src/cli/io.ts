// What a command of the sectigo-csr command line may touch, passed in so that
// the tests can run every command in-process and read what it printed.
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole of standard input (for `-`). */
  readStdin(): Promise<Buffer>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Standard error is a terminal: a progress line that rewrites itself is welcome. */
  stderrIsTerminal?: boolean;
}

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
