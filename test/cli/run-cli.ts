// Runs sectigo-csr in-process through main() with a raw io that keeps everything it printed (the
// terminal sink, src/cli/terminal.ts, between the verbs and it, as in the installed command).
import { main } from '../../src/cli/main';
import type { CliCommand, RawIo } from '../../src/cli/io';
import { terminalIo } from '../../src/cli/terminal';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Standard output and error interleaved, as a terminal would show them. */
  printed: string;
}

/** A test revocation of order 1: a call that sends nothing harmful, for tests of what comes before or around it. */
export const TEST_REVOCATION: readonly string[] = ['revoke', '--order', '1', '--reason', 'x', '--test'];

export interface CliRunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Standard input: its bytes, or a reader given the cap. Empty when not given. */
  stdin?: string | Uint8Array | RawIo['readStdin'];
  stderrIsTerminal?: boolean;
  /** A command to run instead of main() (one built with a stand-in prompt, say). */
  command?: CliCommand | undefined;
}

export async function runCli(args: string[], options: CliRunOptions): Promise<CliRun> {
  const output = { stdout: '', stderr: '', printed: '' };
  const stdin = options.stdin ?? '';
  const io: RawIo = {
    stdout: (text) => {
      output.stdout += text;
      output.printed += text;
    },
    stderr: (text) => {
      output.stderr += text;
      output.printed += text;
    },
    readStdin: typeof stdin === 'function' ? stdin : async () => Buffer.from(stdin),
    env: options.env ?? {},
    cwd: options.cwd,
    ...(options.stderrIsTerminal === undefined ? {} : { stderrIsTerminal: options.stderrIsTerminal }),
  };
  const code = await (options.command ? options.command(args, terminalIo(io)) : main(args, io));
  return { code, ...output };
}
