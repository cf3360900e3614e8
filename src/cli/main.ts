// The sectigo-csr command line: a table of verbs over the core modules.
import { outside, tokenText, words } from '../core/outside-text';
import { ExitCode, type CliCommand, type CliIo, type RawIo } from './io';
import { processIo, terminalIo, writeInternalError } from './terminal';
import { cliVersion } from './version';

const usage = words`Usage:
  sectigo-csr inspect [--json] FILE...     report on each CSR (- reads standard input)
  sectigo-csr check [--format text|sarif|gitlab] [--files-from LIST] FILE...   print only the findings (sarif: code scanning; gitlab: code quality)
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

export async function main(argv: string[], rawIo: RawIo): Promise<number> {
  const io = terminalIo(rawIo);
  const code = await run(argv, io);
  await io.flush?.();
  return code;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  // `help VERB` is `VERB --help`, so each verb's usage is written once, beside its options.
  if (verb === 'help' && rest[0] !== undefined && !rest[0].startsWith('-')) {
    const loadVerb = verbs[rest[0]];
    if (loadVerb) return (await loadVerb())(['--help'], io);
    io.stderr(words`sectigo-csr: no help for unknown command '${outside(rest[0])}'.\n\n${usage}`);
    return ExitCode.usage;
  }
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout(usage);
    return verb === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (verb === '--version') {
    io.stdout(words`${tokenText(cliVersion())}\n`);
    return ExitCode.ok;
  }
  const load = verbs[verb];
  if (!load) {
    io.stderr(words`sectigo-csr: unknown command '${outside(verb)}'.\n\n${usage}`);
    return ExitCode.usage;
  }
  return (await load())(rest, io);
}

/** Runs the command line on this process's arguments and streams, and sets its exit status. */
export async function runProcess(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2), processIo());
  } catch (error) {
    writeInternalError(error);
    process.exitCode = ExitCode.usage;
  }
}

// dist/cli.js (launcher.ts) starts it; `node dist/cli-main.js` does too.
if (require.main === module) void runProcess();
