// `sectigo-csr new`: a new private key and a compliant request for it, from scratch or copying
// the subject and e-mails of an old request (typically one Sectigo refused with -13). The request
// is checked by the project's analysis before anything is written; the key is written readable by
// its owner only (mode 0600; on Windows an access list for the current account alone), encrypted
// unless --no-passphrase, and never printed.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseCsrText, isCsrReport, maxInputLength } from '../core/csr/index';
import { NonCompliantRequestError, generateRequest } from '../core/csr-new/generate';
import { pbkdf2Iterations } from '../core/csr-new/private-key-pem';
import {
  isKeyType,
  keyTypes,
  recommendedKeyType,
  subjectFromOptions,
  subjectFromReport,
  type RequestSubject,
} from '../core/csr-new/subject';
import { PairWriteError, checkTargetsFree, isUnignoredInGitWorkTree, writePair } from '../core/csr-new/pair-on-node-fs';
import { readBoundedFileSync } from '../core/bounded-read';
import { jsonDocument } from '../core/json-text';
import { outside, pathText, words, type Text } from '../core/outside-text';
import { ExitCode, usageErrorJson, wantsJson, type CliCommand, type CliIo } from './io';
import { toJson } from './report-json';
import { terminalSecretPrompt, type SecretPrompt } from './secret-prompt';
import { formatCount } from '../core/format-count';

const newUsage = words`Usage: sectigo-csr new (--email ADDRESS [--cn NAME] [--subject RFC4514] | --from OLD.csr)
                       [--key-type TYPE] --out NEW.csr --key-out NEW.key
                       (--passphrase-env VAR | --no-passphrase) [--json]
Creates a new private key and a certificate request for it that passes \`sectigo-csr check\`.
  --email ADDRESS        the mailbox: put in the subject alternative name and as emailAddress
  --cn NAME              the subject's common name (default: the e-mail address)
  --subject RFC4514      a whole subject instead, e.g. "CN=Alice Example,O=Example Ltd,C=GB"
  --from OLD.csr         copy the subject and e-mail addresses of an existing request (- reads standard input)
  --key-type TYPE        ${outside(keyTypes.join(', '))} (default ${outside(recommendedKeyType)}: RSA is what S/MIME
                         clients handle most widely, and 3072 bits stays strong past 2030)
  --out NEW.csr          where to write the request (never overwritten)
  --key-out NEW.key      where to write the private key, PKCS#8 PEM, readable by you only (never overwritten):
                         mode 0600, or on Windows an access list granting your account alone
  --passphrase-env VAR   encrypt the key with the passphrase in environment variable VAR
                         (AES-256-CBC, PBKDF2-HMAC-SHA256 with ${outside(formatCount(pbkdf2Iterations))} iterations)
  --no-passphrase        write the key unencrypted
  --json                 print the new request's report (as \`inspect --json\`)
With neither passphrase option a terminal asks twice, hidden; without a terminal nothing is written.
Exit status: 0 written, 1 the request built would have an error finding (nothing written),
2 wrong usage, an unreadable --from, an existing file or a failed write (nothing written).
`;

const flags = {
  email: { type: 'string' },
  cn: { type: 'string' },
  subject: { type: 'string' },
  from: { type: 'string' },
  'key-type': { type: 'string' },
  out: { type: 'string' },
  'key-out': { type: 'string' },
  'passphrase-env': { type: 'string' },
  'no-passphrase': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

class UsageProblem extends Error {}

/** The subject of the old request in `file` (- reads standard input): it must hold exactly one readable request. */
async function subjectFromFile(io: CliIo, file: string): Promise<RequestSubject> {
  const path = resolve(io.cwd, file);
  let bytes: Buffer;
  if (file === '-') {
    bytes = await io.readStdin(maxInputLength);
    if (bytes.length > maxInputLength)
      throw new UsageProblem(
        `--from -: standard input is more than a request file holds (at most ${formatCount(maxInputLength)} bytes)`,
      );
  } else {
    // Regular files only, under the cap: a FIFO or a device is refused before it is read.
    const read = readBoundedFileSync(path, maxInputLength);
    if (read.kind === 'refused') throw new UsageProblem(`--from ${file}: ${read.reason}`);
    bytes = read.bytes;
  }
  const results = analyseCsrText(bytes, file === '-' ? '<stdin>' : file);
  const reports = results.filter(isCsrReport);
  const report = reports[0];
  if (report === undefined) {
    const problem = results.find((result) => !isCsrReport(result));
    throw new UsageProblem(
      `--from ${file}: ${problem !== undefined && !isCsrReport(problem) ? problem.error : 'holds no certificate request'}`,
    );
  }
  if (reports.length > 1)
    throw new UsageProblem(`--from ${file}: holds ${reports.length} requests; give a file with exactly one`);
  try {
    return subjectFromReport(report);
  } catch (error) {
    throw new UsageProblem(`--from ${file}: ${(error as Error).message}`);
  }
}

async function passphraseFrom(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
  prompt: SecretPrompt | null,
): Promise<string | null> {
  const variable = values['passphrase-env'];
  if (typeof variable === 'string' && values['no-passphrase'] === true)
    throw new UsageProblem('give --passphrase-env or --no-passphrase, not both');
  if (values['no-passphrase'] === true) return null;
  if (typeof variable === 'string') {
    const passphrase = io.env[variable];
    if (passphrase === undefined)
      throw new UsageProblem(`--passphrase-env: the environment variable ${variable} is not set`);
    if (passphrase === '')
      throw new UsageProblem(
        `--passphrase-env: the environment variable ${variable} is empty (use --no-passphrase for an unencrypted key)`,
      );
    return passphrase;
  }
  if (prompt === null) {
    throw new UsageProblem(
      'no terminal to ask for a passphrase: give --passphrase-env VAR, or --no-passphrase for an unencrypted key',
    );
  }
  const first = await prompt(words`Passphrase for the new private key: `);
  if (first === null) throw new UsageProblem('no passphrase given');
  if (first === '') throw new UsageProblem('the passphrase is empty (use --no-passphrase for an unencrypted key)');
  const second = await prompt(words`The same passphrase again: `);
  if (second !== first) throw new UsageProblem('the two passphrases differ');
  return first;
}

/** The command, with the terminal prompt passed in so that tests can stand in for a person. */
export function newCommand(prompt: () => SecretPrompt | null): CliCommand {
  return async (args, io) => {
    /** A usage problem (its message may quote a value given), with what follows it: the usage, or a pointer to it. */
    const fail = (problem: string, after: Text = words``): number => {
      if (wantsJson(args)) io.stdout(usageErrorJson('new', problem));
      io.stderr(words`sectigo-csr new: ${outside(problem)}${after}\n`);
      return ExitCode.usage;
    };
    let values: Record<string, string | boolean | undefined>;
    try {
      const names = args.map((arg) => /^--([^=]+)/.exec(arg)?.[1]).filter((name) => name !== undefined);
      const repeated = names.find((name, index) => names.indexOf(name) !== index);
      if (repeated !== undefined) return fail(`--${repeated} is given more than once`, words`\n\n${newUsage}`);
      values = parseArgs({ args, options: flags, strict: true, allowPositionals: false }).values;
    } catch (error) {
      return fail(
        (error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'),
        words`\n\n${newUsage}`,
      );
    }
    if (values.help === true) {
      io.stdout(newUsage);
      return ExitCode.ok;
    }
    try {
      const keyType = typeof values['key-type'] === 'string' ? values['key-type'] : recommendedKeyType;
      if (!isKeyType(keyType))
        throw new UsageProblem(
          `--key-type ${keyType} is not offered; choose one of ${keyTypes.join(', ')} (the key types Sectigo accepts)`,
        );
      const out = values.out;
      const keyOut = values['key-out'];
      if (typeof out !== 'string' || out === '') throw new UsageProblem('--out NEW.csr is required');
      if (typeof keyOut !== 'string' || keyOut === '') throw new UsageProblem('--key-out NEW.key is required');
      const email = values.email;
      const from = values.from;
      if ((typeof email === 'string') === (typeof from === 'string'))
        throw new UsageProblem('give either --email or --from');
      if (typeof from === 'string' && (values.cn !== undefined || values.subject !== undefined))
        throw new UsageProblem('--cn and --subject go with --email, not with --from');
      const paths = { csr: resolve(io.cwd, out), key: resolve(io.cwd, keyOut) };
      // Checked first, so a person is not asked for a passphrase only to learn the file exists.
      await checkTargetsFree(paths);
      let subject: RequestSubject;
      try {
        subject =
          typeof from === 'string'
            ? await subjectFromFile(io, from)
            : subjectFromOptions({
                email: email as string,
                cn: values.cn as string | undefined,
                subject: values.subject as string | undefined,
              });
      } catch (error) {
        if (error instanceof UsageProblem) throw error;
        throw new UsageProblem((error as Error).message);
      }
      const passphrase = await passphraseFrom(values, io, prompt());
      const created = await generateRequest(subject, keyType, passphrase, out);
      const exposed = await isUnignoredInGitWorkTree(paths.key);
      const keyAccess = await writePair(paths, created.csrPem, created.keyPem);
      if (exposed === true) {
        io.stderr(
          words`sectigo-csr new: WARNING: the private key ${outside(keyOut)} is inside a git work tree and not ignored: a commit could publish it.
  Move it out of the repository, or add it to .gitignore, before you commit.\n`,
        );
      }
      if (values.json === true) io.stdout(jsonDocument([toJson(created.report)], { redacted: true }));
      else {
        io.stdout(
          words`Wrote ${outside(out)} (the request; it passes the checks of \`sectigo-csr check\`)
Wrote ${outside(keyOut)} (the private key, ${outside(keyAccess)}, ${passphrase === null ? words`NOT encrypted` : words`encrypted with your passphrase`})
Next: sectigo-csr replace --order N --csr ${pathText(out)}\n`,
        );
      }
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof NonCompliantRequestError) {
        io.stderr(words`sectigo-csr new: nothing written: ${outside(error.message)}\n`);
        return ExitCode.findings;
      }
      if (error instanceof UsageProblem)
        return fail(error.message, words`\n(sectigo-csr new --help lists the options)`);
      if (error instanceof PairWriteError) return fail(error.message);
      throw error;
    }
  };
}

export const runNew: CliCommand = newCommand(terminalSecretPrompt);
