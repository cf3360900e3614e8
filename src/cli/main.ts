// The sectigo-csr command line: a table of verbs over the core modules.
import { readStreamUpTo } from '../core/bounded-read';
import { ExitCode, escapeControlCharacters, terminalSafeIo, type CliCommand, type CliIo } from './io';
import { cliVersion } from './version';

const usage = `Usage:
  sectigo-csr inspect [--json] FILE...     report on each CSR (- reads standard input)
  sectigo-csr check [--format sarif] FILE...   print only the findings (sarif: for code scanning)
  sectigo-csr new (--email ADDRESS | --from OLD.csr) --out NEW.csr --key-out NEW.key [options]   a new key and compliant CSR
  sectigo-csr replace --order N --csr FILE [options]   AutoReplaceSMIME
  sectigo-csr revoke (--order N | --certificate-id N | --serial HEX | --certificate FILE) --reason TEXT [options]   AutoRevokeSSL
  sectigo-csr revoke --from LIST --reason TEXT [options]   AutoRevokeSSL for every certificate in a list
  sectigo-csr mcp [--root DIR]...          the read-only tools for AI assistants, as an MCP server on stdio
  sectigo-csr help [VERB]                  the options of one command
  sectigo-csr --version

Exit status: 0 ok, 1 error findings, 2 unreadable input or usage error (nothing sent),
3 the API answered an error, 4 transport failure.
`;

// Each verb is loaded only when used, so `inspect` over hundreds of files never loads the HTTP client.
const verbs: Record<string, () => Promise<CliCommand>> = {
  inspect: async () => (await import('./inspect')).runInspect,
  check: async () => (await import('./inspect')).runCheck,
  new: async () => (await import('./api-verbs')).runNew,
  replace: async () => (await import('./api-verbs')).runReplace,
  revoke: async () => (await import('./api-verbs')).runRevoke,
  mcp: async () => (await import('./mcp')).runMcp,
};

/** The verbs `help VERB` knows, for tests. */
export const verbNames = (): string[] => Object.keys(verbs);

export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const [verb, ...rest] = argv;
  // `help VERB` is `VERB --help`, so each verb's usage is written once, beside its options.
  if (verb === 'help' && rest[0] !== undefined && !rest[0].startsWith('-')) {
    const loadVerb = verbs[rest[0]];
    if (loadVerb) return (await loadVerb())(['--help'], io);
    io.stderr(`sectigo-csr: no help for unknown command '${rest[0]}'.\n\n${usage}`);
    return ExitCode.usage;
  }
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout(usage);
    return verb === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (verb === '--version') {
    io.stdout(`${cliVersion()}\n`);
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
    stderrIsTerminal: process.stderr.isTTY === true,
  };
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A crash is a bug; say so plainly, without dumping request data.
      process.stderr.write(
        escapeControlCharacters(
          `sectigo-csr: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
        ),
      );
      process.exitCode = ExitCode.usage;
    },
  );
}
