// What `replace` and `revoke` share: the common flags, credentials from the
// environment only, building the client, reading files, and printing a result
// with the exit status scripts depend on.
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { parseArgs } from 'node:util';
import { isAbsolute, resolve } from 'node:path';
import { MAX_INPUT_FILE_BYTES, readBoundedFile, streamRefusal } from '../core/bounded-read';
import { CERTIFICATE_HEADER_TEXT, certificateBlocks, hasCertificateHeader } from '../core/certificate-pem';
import { createSectigoClient, validateBaseUrl, DEFAULT_BASE_URL } from '../core/sectigo/client';
import { REVOCATION_CODES, validateLoginName, validateLoginPassword } from '../core/sectigo/validate';
import { jsonDocument } from '../core/json-text';
import { isText, joinText, outside, outsideLines, plainText, textFrom, words, type Text } from '../core/outside-text';
import {
  DEFAULT_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
  type ApiResult,
  type ClientOptions,
  type Credentials,
} from '../core/sectigo/types';
import {
  planCall,
  refusalSentence,
  previewLines,
  previewRecord,
  type CallAnswers,
  type CallPlan,
  type CsrRefusalPredictor,
} from '../core/sectigo/call-plan';
import { ExitCode, usageErrorJson, wantsJson, type CliIo, type Verb } from './io';

export const COMMON_FLAGS_HELP = words`Common options:
  --base-url URL      the API base (default ${outside(DEFAULT_BASE_URL)}); http:// only on loopback
  --timeout SECONDS   how long to wait for an answer (default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS})
  --ca-file FILE      extra trusted CA certificates (PEM), e.g. for a TLS-inspecting proxy
  --yes               confirm an action that changes a certificate
  --json              print the typed result as JSON
Credentials come only from the environment: SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD.
Proxies: HTTPS_PROXY, HTTP_PROXY, NO_PROXY. Extra CAs also from NODE_EXTRA_CA_CERTS.
SECTIGO_CSR_DEBUG=1 prints each request (password and CSR removed) to standard error.
`;

/** The exit status of one call (replace, revoke); revoke --from says its own. */
export const SINGLE_CALL_EXIT_HELP = words`Exit status: 0 the API answered 0, 2 usage or local validation (nothing sent), 3 the API answered an error, 4 transport failure.
`;

type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;

export const COMMON_FLAGS: FlagSpec = {
  'base-url': { type: 'string' },
  timeout: { type: 'string' },
  'ca-file': { type: 'string' },
  yes: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
};

/** A usage problem: nothing was sent. Its message may quote a value given (outside text), or be a Text of several lines. */
export class UsageError extends Error {
  readonly shown: Text;
  constructor(message: string | Text) {
    super(isText(message) ? plainText(message) : message);
    this.shown = isText(message) ? message : words`${outside(message)}`;
  }
}

/** "0 Unspecified, 1 Key compromise, …": the codes of --reason-code, from their one list. */
export const REVOCATION_CODES_TEXT = Object.entries(REVOCATION_CODES)
  .map(([code, name]) => `${code} ${name}`)
  .join(', ');

export type FlagValues = Record<string, string | boolean | undefined>;

/** Strict parsing: unknown flags, positional arguments, repeated flags and missing values are usage errors. */
export function parseFlags(args: string[], flags: FlagSpec): FlagValues {
  // --help anywhere asks for the help, even after a flag left without its value (`revoke --from --help`),
  // which would otherwise take "--help" as that value and fail as ambiguous.
  if (args.includes('--help')) return { help: true };
  const seen = new Set<string>();
  for (const arg of args) {
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name === undefined) continue;
    if (seen.has(name)) throw new UsageError(`--${name} is given more than once.`);
    seen.add(name);
  }
  try {
    const { values } = parseArgs({
      args,
      options: { ...COMMON_FLAGS, ...flags },
      strict: true,
      allowPositionals: false,
    });
    return values as FlagValues;
  } catch (error) {
    // node:util's messages name the flag; they never contain a value we would need to hide (credentials are not flags).
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} needs a value.`);
  return value;
}

export function credentialsFromEnv(io: CliIo): Credentials {
  const loginName = io.env.SECTIGO_LOGIN_NAME ?? '';
  const loginPassword = io.env.SECTIGO_LOGIN_PASSWORD ?? '';
  if (!loginName || !loginPassword) {
    throw new UsageError(
      'Set SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD in the environment (credentials are never taken from arguments, which other users can see in the process list).',
    );
  }
  const nameProblem = validateLoginName(loginName);
  if (nameProblem) throw new UsageError(`SECTIGO_LOGIN_NAME: ${nameProblem}`);
  const passwordProblem = validateLoginPassword(loginPassword);
  if (passwordProblem) throw new UsageError(`SECTIGO_LOGIN_PASSWORD: ${passwordProblem}`);
  return { loginName, loginPassword };
}

export function resolvePath(io: CliIo, file: string): string {
  return isAbsolute(file) ? file : resolve(io.cwd, file);
}

/** A file's bytes ('-' reads standard input): a regular file or standard input, up to the cap, with a readable message for every way it can fail. */
export async function readInputFile(io: CliIo, file: string, flag: string): Promise<Buffer> {
  if (file === '-') {
    const bytes = await io.readStdin(MAX_INPUT_FILE_BYTES);
    const refusal = streamRefusal(bytes, MAX_INPUT_FILE_BYTES);
    if (refusal) throw new UsageError(`${flag} -: standard input ${refusal}.`);
    return bytes;
  }
  const read = await readBoundedFile(resolvePath(io, file), MAX_INPUT_FILE_BYTES);
  if (read.kind === 'refused') throw new UsageError(`${flag} ${file}: ${read.reason}.`);
  return read.bytes;
}

/** Client options from the common flags and the environment. */
export async function clientOptionsFrom(values: FlagValues, io: CliIo): Promise<ClientOptions> {
  const baseUrl = stringFlag(values, 'base-url') ?? DEFAULT_BASE_URL;
  const baseProblem = validateBaseUrl(baseUrl);
  if (baseProblem) throw new UsageError(`--base-url: ${baseProblem}`);
  const options: ClientOptions = { baseUrl, env: io.env };
  const timeout = stringFlag(values, 'timeout');
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(timeout) || !(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS)
      throw new UsageError(`--timeout needs a number of seconds between 0 and ${MAX_TIMEOUT_SECONDS}.`);
    options.timeoutMs = Math.round(seconds * 1000);
  }
  const caFile = stringFlag(values, 'ca-file');
  if (caFile !== undefined) {
    const text = (await readInputFile(io, caFile, '--ca-file')).toString('utf8');
    if (!hasCertificateHeader(text))
      throw new UsageError(`--ca-file ${caFile}: holds no PEM certificate (${CERTIFICATE_HEADER_TEXT}).`);
    // OpenSSL silently skips a certificate it cannot read, which would surface later as "not trusted"; say it now.
    const blocks = certificateBlocks(text);
    blocks.forEach((block, index) => {
      try {
        new X509Certificate(block.text);
      } catch {
        throw new UsageError(`--ca-file ${caFile}: certificate ${index + 1} of ${blocks.length} cannot be read.`);
      }
    });
    options.extraCaCertificates = [text];
  }
  options.log = (level, message) => {
    // The client's lines quote URLs and server text: outside text, after the program's "[level]".
    if (level === 'warn' || level === 'error' || io.env.SECTIGO_CSR_DEBUG === '1')
      io.stderr(words`[${textFrom(level)}] ${outsideLines(message)}\n`);
  };
  return options;
}

/**
 * The plan of this call, made once: what the command prints (the refusal without --yes,
 * --json's "request", SECTIGO_CSR_DEBUG) is rendered from it, and `sendPlan` sends that same
 * plan, so the request shown cannot drift from the request sent.
 */
export function planFor(
  answers: CallAnswers,
  options: ClientOptions,
  credentials: Credentials,
  predictCsr?: CsrRefusalPredictor,
): CallPlan {
  return planCall(
    answers,
    { loginName: credentials.loginName, baseUrl: options.baseUrl ?? DEFAULT_BASE_URL },
    credentials,
    predictCsr,
  );
}

/**
 * Sends exactly this plan with a client that is closed afterwards. Ctrl-C during the call
 * cancels it, so the command can still say whether the request may have taken effect instead
 * of just dying.
 */
export async function sendPlan(options: ClientOptions, plan: CallPlan): Promise<ApiResult> {
  const client = createSectigoClient(options);
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await client.send(plan, { signal: interrupt.signal });
  } finally {
    process.off('SIGINT', onInterrupt);
    await client.close();
  }
}

/** The refusal without --yes: what was asked for, then the request that would be sent (password masked). */
export function refusalWithoutYes(verb: Verb, why: Text, plan: CallPlan): Text {
  const request = joinText(
    previewLines(plan).map((line) => words`  ${line}`),
    words`\n`,
  );
  const where = plan.production ? words`Sectigo production` : words`not production`;
  return words`sectigo-csr ${textFrom(verb)}: ${why}\nThis request would be sent to ${outside(plan.host)} (${where}) as ${outside(plan.loginName)}:\n${request}\n`;
}

/** Fields whose values are the program's own closed vocabulary: nothing from outside, so never redacted. */
export const OWN_VOCABULARY: ReadonlySet<string> = new Set(['kind', 'endpoint', 'outcome', 'parameter', 'command']);

/**
 * The --json document of a value (the JSON sink, core/json-text.ts): every string redacted and cut
 * before it is serialised; the structure (numbers, booleans, field names) is never touched, so the
 * JSON stays valid with the same fields whatever the password is (a password "200", "0" or
 * "success" cannot replace a status or a kind).
 */
export function jsonOutput(value: unknown, secrets: readonly string[]) {
  return jsonDocument(value, { secrets, ownFields: OWN_VOCABULARY });
}

/** Prints the result (text or --json) and returns the exit status. Messages are redacted once more here, at the edge. */
export function reportResult(
  verb: Verb,
  result: ApiResult,
  io: CliIo,
  json: boolean,
  secrets: readonly string[],
  successText: (result: Extract<ApiResult, { kind: 'success' }>) => Text,
  flagFor: (parameter: string) => string,
  plan?: CallPlan,
): number {
  // Every outside value below is redacted by the terminal sink (the password of the environment)
  // and by the JSON sink with these secrets.
  const name = words`sectigo-csr ${textFrom(verb)}`;
  // --json adds "request": the URL and every parameter as sent (password masked, CSR by length), from the plan.
  if (json) io.stdout(jsonOutput(plan ? { ...result, request: previewRecord(plan) } : result, secrets));
  switch (result.kind) {
    case 'success':
      if (!json)
        io.stdout(words`${successText(result)}\n${result.note ? words`Note: ${outside(result.note)}\n` : words``}`);
      return ExitCode.ok;
    case 'api-error':
      if (!json)
        io.stderr(
          words`${name}: Sectigo answered ${result.errorCode}: ${outside(result.errorMessage)}
  Meaning: ${outside(result.explanation.meaning)}
  Next step: ${outside(result.explanation.nextStep)}
${result.retryAfter ? words`  Next safe try: not before ${outside(result.retryAfter)}\n` : words``}`,
        );
      return ExitCode.apiError;
    case 'validation-error':
      if (!json)
        io.stderr(
          words`${name}: ${outside(flagFor(result.parameter))}: ${result.message.includes('Nothing was sent') ? words`${outside(result.message)}` : words`${refusalSentence(result)} Nothing was sent.`}\n`,
        );
      return ExitCode.usage;
    case 'transport-error':
      if (!json) {
        const detail =
          result.httpStatus !== undefined
            ? words` [HTTP ${result.httpStatus}${result.bodyExcerpt ? words`, body starts: ${outside(JSON.stringify(result.bodyExcerpt.slice(0, 120)))}` : words``}]`
            : words``;
        io.stderr(words`${name}: ${outside(result.message)}${detail}\n`);
      }
      return ExitCode.transport;
    case 'cancelled':
      if (!json) io.stderr(words`${name}: ${outside(result.message)}\n`);
      return ExitCode.transport;
  }
}

/** Runs a verb body, turning UsageError into exit status 2 with a message (and with --json, a JSON error object). */
export async function runVerb(
  verb: Verb,
  io: CliIo,
  args: readonly string[],
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      if (wantsJson(args)) io.stdout(usageErrorJson(verb, error.message));
      // One line and a pointer to --help: the whole usage text would bury the message (which may quote a flag's value).
      io.stderr(
        words`sectigo-csr ${textFrom(verb)}: ${error.shown}\nRun 'sectigo-csr ${textFrom(verb)} --help' for the options.\n`,
      );
      return ExitCode.usage;
    }
    throw error;
  }
}
