// The sink of the command line: the only module that writes to standard output and standard
// error. Verbs print Texts (their own words as literals, outside values as holes) and JSON
// documents; this module renders a Text with renderTerminal (core/line-text.ts): each outside
// value redacted with the password from the environment (the one redaction point), cut to the
// terminal bound, on one line and never at the start of one, and every control, bidi or separator
// character shown escaped. A JSON document is the JSON sink's text, already escaped the same way.
import { readStreamUpTo } from '../core/bounded-read';
import { isJsonDocument, jsonDocumentText, type JsonDocument } from '../core/json-text';
import { renderTerminal } from '../core/line-text';
import { escapeInvisible } from '../core/one-line';
import { outsideError, words, type Text } from '../core/outside-text';
import { urlSecrets } from '../core/sectigo/redact';
import type { CliIo, RawIo } from './io';
import { processOutput } from './output';

/** Erases the terminal's current line: the program's own control, written apart from any text. */
const ERASE_LINE = '\r\u001b[2K';

/** The secrets the environment gives the program, removed from everything it prints. */
function environmentSecrets(env: Record<string, string | undefined>): string[] {
  const secrets = new Set<string>();
  const password = env.SECTIGO_LOGIN_PASSWORD;
  if (password) secrets.add(password);
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])
    for (const secret of urlSecrets(env[name] ?? '')) secrets.add(secret);
  return [...secrets];
}

/** The Text-level io of the verbs over a raw one (the process's, or a test's). */
export function terminalIo(raw: RawIo): CliIo {
  const secrets = environmentSecrets(raw.env);
  const render = (text: Text | JsonDocument): string =>
    isJsonDocument(text) ? jsonDocumentText(text) : renderTerminal(text, secrets);
  const io: CliIo = {
    stdout: (text) => raw.stdout(render(text)),
    stderr: (text) => raw.stderr(render(text)),
    statusLine: (text) => raw.stderr(`${ERASE_LINE}${render(text)}`),
    readStdin: raw.readStdin,
    env: raw.env,
    cwd: raw.cwd,
    // Read when a verb asks (the bulk run's progress line), not here: process.stderr's first use
    // loads Node's stream classes, which a check of one file never needs.
    get stderrIsTerminal() {
      return raw.stderrIsTerminal;
    },
  };
  if (raw.ready) io.ready = () => raw.ready?.();
  if (raw.batchOutput) io.batchOutput = () => raw.batchOutput?.();
  if (raw.flush) io.flush = () => raw.flush?.() ?? Promise.resolve();
  return io;
}

/**
 * The process's own standard streams, written straight to their descriptors (output.ts): Node's
 * process.stdout loads its stream classes and, for a pipe, the net module, on its first use.
 */
export function processIo(): RawIo {
  const output = processOutput();
  return {
    stdout: (text) => output.write(1, text),
    stderr: (text) => output.write(2, text),
    ready: () => output.ready(),
    batchOutput: () => output.batch(),
    flush: () => output.flush(),
    readStdin: (maxBytes) => readStreamUpTo(process.stdin, maxBytes),
    env: process.env,
    cwd: process.cwd(),
    get stderrIsTerminal() {
      return process.stderr.isTTY === true;
    },
  };
}

/** A crash is a bug; said plainly on standard error, without dumping request data. */
export function writeInternalError(error: unknown): void {
  process.stderr.write(renderTerminal(words`sectigo-csr: internal error: ${outsideError(error)}\n`));
}

/** A question of the secret prompt on standard error, and the line ended after the answer. */
export const promptOutput = {
  question: (question: Text): void => void process.stderr.write(renderTerminal(question)),
  endLine: (): void => void process.stderr.write('\n'),
};

/** Text the program wrote itself, shown as it is but for invisible characters (kept for the tests' helpers). */
export const escapeControlCharacters = escapeInvisible;
