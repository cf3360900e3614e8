// The sectigo-csr command line: a table of verbs over the core modules.
import { readStreamUpTo } from '../core/bounded-read';
import { ExitCode, escapeControlCharacters, terminalSafeIo, type CliCommand, type CliIo } from './io';

const usage = `Usage:
  sectigo-csr inspect [--json] FILE...     report on each CSR (- reads standard input)
  sectigo-csr check FILE...                print only the findings
  sectigo-csr replace --order N --csr FILE [options]   AutoReplaceSMIME
  sectigo-csr revoke (--order N | --certificate-id N | --serial HEX | --certificate FILE) --reason TEXT [options]   AutoRevokeSSL
  sectigo-csr help [VERB]

Exit status: 0 ok, 1 error findings, 2 unreadable input or usage error (nothing sent),
3 the API answered an error, 4 transport failure.
`;

// Each verb is loaded only when used, so `inspect` over hundreds of files never loads the HTTP client.
const verbs: Record<string, () => Promise<CliCommand>> = {
  inspect: async () => (await import('./inspect')).runInspect,
  check: async () => (await import('./inspect')).runCheck,
  replace: async () => (await import('./replace')).runReplace,
  revoke: async () => (await import('./revoke')).runRevoke,
};

export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout(usage);
    return verb === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (verb === '--version') {
    io.stdout(`${process.env.SECTIGO_CSR_VERSION ?? 'unknown'}\n`);
    return ExitCode.ok;
  }
  const load = verbs[verb];
  if (!load) {
    io.stderr(`sectigo-csr: unknown command '${verb}'.\n\n${usage}`);
    return ExitCode.usage;
  }
  return (await load())(rest, io);
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: (maxBytes) => readStreamUpTo(process.stdin, maxBytes),
    env: process.env,
    cwd: process.cwd(),
  };
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A crash is a bug; say so plainly, without dumping request data.
      process.stderr.write(escapeControlCharacters(`sectigo-csr: internal error: ${error instanceof Error ? error.message : String(error)}\n`));
      process.exitCode = ExitCode.usage;
    },
  );
}
