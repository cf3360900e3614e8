// `sectigo-csr inspect [--json] FILE...` and `sectigo-csr check FILE...`: the CSR
// analysis over files, for people (a readable report), for scripts (--json) and
// for CI (check: findings only, compiler-style lines, exit status).
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  analyseCsrText,
  isCsrReport,
  maxCsrCharacters,
  maxInputLength,
  maxSharedPrimeKeys,
  rsaModulusOf,
  sharedPrimeDeadlineMs,
  withSharedPrimeFindings,
  type CsrAnalysisResult,
  type CsrReport,
  type Finding,
} from '../core/csr/index';
import { streamRefusal } from '../core/bounded-read';
import { jsonDocument } from '../core/json-text';
import {
  countText,
  joinText,
  outside,
  padText,
  pathText,
  textFrom,
  words,
  type Literal,
  type Text,
} from '../core/outside-text';
import { ExitCode, usageErrorJson, wantsJson, type CliCommand, type CliIo } from './io';
import { toJson } from './report-json';
import { takeFormatOption, toSarif } from './sarif';
import { cliVersion } from './version';

const inspectUsage = words`Usage: sectigo-csr inspect [--json] FILE...
       sectigo-csr check [--format text|sarif] FILE...
  FILE     a PEM, Base64 or DER certificate request file; - reads standard input
  --json   (inspect) print a JSON array, one object per request
  --format (check) text: one line per finding (the default); sarif: SARIF 2.1.0 for code-scanning tools
Exit status: 0 no error findings, 1 at least one error finding, 2 an input could not be read as a CSR or wrong usage.
`;

interface ParsedArgs {
  json: boolean;
  files: string[];
}

function parseArgs(args: string[], allowJson: boolean): ParsedArgs | string {
  const files: string[] = [];
  let json = false;
  let optionsEnded = false;
  for (const arg of args) {
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && arg === '--json' && allowJson) json = true;
    else if (!optionsEnded && arg.startsWith('-') && arg !== '-') return `unknown option '${arg}'`;
    else files.push(arg);
  }
  if (files.length === 0) return 'no FILE given';
  return { json, files };
}

/** Reads one input, or says clearly why it cannot be read. Never throws. */
async function readInput(
  file: string,
  io: CliIo,
  stdin: { data?: Buffer },
): Promise<Uint8Array | { code: string; error: string }> {
  if (file === '-') {
    stdin.data ??= await io.readStdin(maxInputLength);
    const refusal = streamRefusal(stdin.data, maxInputLength);
    if (refusal)
      return {
        code: 'input-too-large',
        error: `standard input ${refusal}; a request itself is at most ${maxCsrCharacters.toLocaleString('en-US')} characters`,
      };
    return stdin.data;
  }
  const path = resolve(io.cwd, file);
  try {
    // Synchronous on purpose: one small file after another, in a process of its own,
    // is faster without a trip through the event loop per file.
    const info = statSync(path);
    if (info.isDirectory()) return { code: 'unreadable', error: 'this is a directory, not a file' };
    if (!info.isFile()) return { code: 'unreadable', error: 'this is not a regular file' };
    // Refuse before reading: a 50 MB file is not loaded only to be refused.
    if (info.size > maxInputLength) {
      return {
        code: 'input-too-large',
        error: `the file is ${info.size.toLocaleString('en-US')} bytes; only inputs up to ${maxInputLength.toLocaleString('en-US')} bytes are read (a request itself is at most ${maxCsrCharacters.toLocaleString('en-US')} characters)`,
      };
    }
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'this is a directory, not a file'
            : `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
    return { code: 'unreadable', error: reason };
  }
}

const zeroRange = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };

async function analyseFiles(
  files: string[],
  io: CliIo,
  onResults: (results: CsrAnalysisResult[]) => void,
): Promise<void> {
  const stdin: { data?: Buffer } = {};
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    const input = await readInput(file, io, stdin);
    if (input instanceof Uint8Array) onResults(analyseCsrText(input, name));
    else onResults([{ file: outside(name), index: 0, range: zeroRange, code: input.code, error: input.error }]);
  }
}

/**
 * What the batch adds once every file is read: two requests whose RSA keys share a prime
 * (core/csr/shared-primes.ts), said on both. The results with those findings, and the findings
 * added (to print after the per-file output). A batch too large or too slow to compare is said
 * on standard error.
 */
function batchFindings(
  all: CsrAnalysisResult[],
  io: CliIo,
): { results: CsrAnalysisResult[]; added: { report: CsrReport; finding: Finding }[] } {
  const { results, outcome } = withSharedPrimeFindings(all, rsaModulusOf);
  if (outcome.kind === 'too-many')
    io.stderr(
      words`sectigo-csr: shared primes not looked for: ${countText(outcome.keys)} RSA keys, more than the ${countText(maxSharedPrimeKeys)} compared at once\n`,
    );
  else if (outcome.kind === 'too-slow')
    io.stderr(
      words`sectigo-csr: shared primes not looked for: comparing ${countText(outcome.keys)} RSA keys took over ${sharedPrimeDeadlineMs / 1000} s\n`,
    );
  const added: { report: CsrReport; finding: Finding }[] = [];
  results.forEach((result, i) => {
    const before = all[i];
    if (!isCsrReport(result) || before === undefined || !isCsrReport(before)) return;
    for (const finding of result.findings.slice(before.findings.length)) added.push({ report: result, finding });
  });
  return { results, added };
}

function exitStatus(results: CsrAnalysisResult[]): number {
  if (results.some((result) => !isCsrReport(result))) return ExitCode.usage;
  if (results.some((result) => isCsrReport(result) && result.findings.some((finding) => finding.severity === 'error')))
    return ExitCode.findings;
  return ExitCode.ok;
}

// One line is one line: every value from outside (a file name, anything decoded from a request, a
// message quoting it) is an outside value of a Text, which the terminal sink puts on one line and
// never at the start of one (a "::error" workflow command, a fake "Signature: … verifies"). A file
// name begins the compiler-style line of `check` as a path (pathText): the sink writes "./" before
// one that could begin anything else.

/** The name of an input as the line shows it: standard input by the program's word for it, a file as a path. */
function inputName(file: string): Text {
  return file === '<stdin>' ? words`<stdin>` : pathText(file);
}

function findingLine(file: string, finding: Finding): Text {
  const where = words`${inputName(file)}:${finding.range.startLine + 1}:${finding.range.startCharacter + 1}`;
  const sectigo = finding.sectigoErrorCode === null ? words`` : words` [Sectigo ${finding.sectigoErrorCode}]`;
  return words`${where}: ${outside(finding.severity)} ${outside(finding.code)}: ${outside(finding.message)}${sectigo}\n`;
}

function errorLine(result: Exclude<CsrAnalysisResult, CsrReport>): Text {
  const where =
    result.range.endLine > 0 || result.range.endCharacter > 0
      ? words`${inputName(result.file)}:${result.range.startLine + 1}`
      : inputName(result.file);
  return words`${where}: error ${outside(result.code)}: ${outside(result.error)}\n`;
}

function textReport(report: CsrReport, blocksInFile: number): Text {
  const lines: Text[] = [];
  const position =
    blocksInFile > 1
      ? words` (request ${report.index + 1} of ${blocksInFile}, lines ${report.range.startLine + 1}-${report.range.endLine + 1})`
      : words``;
  lines.push(words`${inputName(report.file)}${position}`);
  const key = report.publicKey;
  const keyText = [
    key.algorithm,
    key.size === null ? null : `${key.size} bits`,
    key.curve === null ? null : `curve ${key.curve}`,
    key.exponent === null
      ? null
      : `exponent ${key.exponent.length > 24 ? `${key.exponent.slice(0, 20)}…` : key.exponent}`,
  ]
    .filter((part) => part !== null)
    .join(', ');
  const verdict =
    report.signature.valid === true
      ? 'verifies'
      : report.signature.valid === false
        ? 'DOES NOT VERIFY'
        : `not checked (${report.signature.verifyError ?? 'unknown reason'})`;
  const field = <L extends string>(label: L & Literal<L>, value: string): void => {
    lines.push(words`  ${padText(words`${textFrom<L>(label)}:`, 16)}${outside(value)}`);
  };
  field('Subject', report.subject.text === '' ? '(empty)' : report.subject.text);
  field('Alt names', report.subjectAltNames.length === 0 ? '(none)' : report.subjectAltNames.join(', '));
  field('Public key', keyText);
  field(
    'Signature',
    `${report.signature.algorithm}${report.signature.hash ? ` (${report.signature.hash})` : ''}, ${verdict}`,
  );
  field(
    'Extensions',
    report.extensions.length === 0
      ? '(none)'
      : report.extensions.map((e) => `${e.name}${e.critical ? ' (critical)' : ''}`).join(', '),
  );
  const template = report.microsoftTemplate;
  if (template !== null) {
    const parts: string[] = [];
    if (template.v1) parts.push(`v1 name "${template.v1.name}"`);
    if (template.v2)
      parts.push(
        `v2 ${template.v2.templateId} version ${template.v2.majorVersion ?? '?'}.${template.v2.minorVersion ?? '?'}`,
      );
    field('MS template', parts.join('; '));
  }
  field('Challenge pwd', report.challengePassword ? 'present (value not shown)' : 'none');
  if (report.otherAttributes.length > 0) field('Attributes', report.otherAttributes.join(', '));
  if (report.findings.length === 0) lines.push(words`  No findings.`);
  else {
    lines.push(words`  Findings:`);
    for (const finding of report.findings) {
      const sectigo = finding.sectigoErrorCode === null ? words`` : words` [Sectigo ${finding.sectigoErrorCode}]`;
      lines.push(
        words`    ${padText(textFrom(finding.severity), 8)}${outside(finding.code)}: ${outside(finding.message)}${sectigo}`,
      );
    }
  }
  return words`${joinText(lines, words`\n`)}\n\n`;
}

function usageError(io: CliIo, verb: 'inspect' | 'check', problem: string, args: readonly string[] = []): number {
  if (wantsJson(args)) io.stdout(usageErrorJson(verb, problem));
  io.stderr(words`sectigo-csr ${textFrom(verb)}: ${outside(problem)}\n\n${inspectUsage}`);
  return ExitCode.usage;
}

export const runInspect: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(inspectUsage);
    return ExitCode.ok;
  }
  const parsed = parseArgs(args, true);
  if (typeof parsed === 'string') return usageError(io, 'inspect', parsed, args);
  const all: CsrAnalysisResult[] = [];
  await analyseFiles(parsed.files, io, (results) => {
    all.push(...results);
    const reports = results.filter(isCsrReport).length;
    for (const result of results) {
      if (!parsed.json && isCsrReport(result)) io.stdout(textReport(result, reports));
      if (!isCsrReport(result)) io.stderr(words`sectigo-csr: ${errorLine(result)}`);
    }
  });
  const batch = batchFindings(all, io);
  // The analysis holds no secret: the JSON sink cuts and escapes, nothing to redact.
  if (parsed.json) io.stdout(jsonDocument(batch.results.map(toJson), { redacted: true }));
  else if (batch.added.length > 0) {
    const lines = batch.added.map(
      ({ report, finding }) =>
        words`  ${inputName(report.file)}${report.index > 0 ? words` (request ${report.index + 1})` : words``}: ${outside(finding.severity)} ${outside(finding.code)}: ${outside(finding.message)}`,
    );
    io.stdout(words`Across the requests given:\n${joinText(lines, words`\n`)}\n\n`);
  }
  return exitStatus(batch.results);
};

/** check --format sarif: the same analysis and exit status, the findings as one SARIF log on standard output. */
async function checkAsSarif(files: string[], io: CliIo): Promise<number> {
  const all: CsrAnalysisResult[] = [];
  await analyseFiles(files, io, (results) => {
    all.push(...results);
    for (const result of results) if (!isCsrReport(result)) io.stderr(words`sectigo-csr: ${errorLine(result)}`);
  });
  const { results } = batchFindings(all, io);
  io.stdout(jsonDocument(toSarif(results, { cwd: io.cwd, toolVersion: cliVersion() }), { redacted: true }));
  return exitStatus(results);
}

export const runCheck: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(inspectUsage);
    return ExitCode.ok;
  }
  const format = takeFormatOption(args);
  if (typeof format === 'string') return usageError(io, 'check', format);
  const parsed = parseArgs(format.rest, false);
  if (typeof parsed === 'string') return usageError(io, 'check', parsed);
  if (format.format === 'sarif') return checkAsSarif(parsed.files, io);
  const all: CsrAnalysisResult[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  let requests = 0;
  await analyseFiles(parsed.files, io, (results) => {
    all.push(...results);
    const lines: Text[] = [];
    for (const result of results) {
      if (!isCsrReport(result)) {
        lines.push(errorLine(result));
        counts.error += 1;
        continue;
      }
      requests += 1;
      for (const finding of result.findings) {
        counts[finding.severity] += 1;
        lines.push(findingLine(result.file, finding));
      }
    }
    if (lines.length > 0) io.stdout(joinText(lines, words``));
  });
  const batch = batchFindings(all, io);
  const added: Text[] = [];
  for (const { report, finding } of batch.added) {
    counts[finding.severity] += 1;
    added.push(findingLine(report.file, finding));
  }
  if (added.length > 0) io.stdout(joinText(added, words``));
  io.stderr(
    words`sectigo-csr check: ${parsed.files.length} input(s), ${requests} request(s): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info\n`,
  );
  return exitStatus(batch.results);
};
