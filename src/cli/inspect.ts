// `sectigo-csr inspect [--json] FILE...` and `sectigo-csr check FILE...`: the CSR
// analysis over files, for people (a readable report), for scripts (--json) and
// for CI (check: findings only, compiler-style lines, exit status).
import { countOf } from '../core/sectigo/outcome-words';
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
import { oneLine } from '../core/one-line';
import { ExitCode, usageErrorJson, wantsJson, type CliCommand, type CliIo } from './io';
import { toJson } from './report-json';
import { takeFormatOption, toSarif } from './sarif';
import { cliVersion } from './version';

const inspectUsage = `Usage: sectigo-csr inspect [--json] FILE...
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
    else onResults([{ file: name, index: 0, range: zeroRange, code: input.code, error: input.error }]);
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
      `sectigo-csr: shared primes not looked for: ${outcome.keys.toLocaleString('en-US')} RSA keys, more than the ${maxSharedPrimeKeys.toLocaleString('en-US')} compared at once\n`,
    );
  else if (outcome.kind === 'too-slow')
    io.stderr(
      `sectigo-csr: shared primes not looked for: comparing ${outcome.keys.toLocaleString('en-US')} RSA keys took over ${sharedPrimeDeadlineMs / 1000} s\n`,
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
// message quoting it) is put into a line through oneLine, so no printed line can start with text the
// input chose (a "::error" workflow command, a fake "Signature: … verifies").

function findingLine(file: string, finding: Finding): string {
  const where = `${oneLine(file)}:${finding.range.startLine + 1}:${finding.range.startCharacter + 1}`;
  const sectigo = finding.sectigoErrorCode === null ? '' : ` [Sectigo ${finding.sectigoErrorCode}]`;
  return `${where}: ${finding.severity} ${finding.code}: ${oneLine(finding.message)}${sectigo}\n`;
}

function errorLine(result: Exclude<CsrAnalysisResult, CsrReport>): string {
  const where =
    result.range.endLine > 0 || result.range.endCharacter > 0
      ? `${oneLine(result.file)}:${result.range.startLine + 1}`
      : oneLine(result.file);
  return `${where}: error ${result.code}: ${oneLine(result.error)}\n`;
}

function textReport(report: CsrReport, blocksInFile: number): string {
  const lines: string[] = [];
  const position =
    blocksInFile > 1
      ? ` (request ${report.index + 1} of ${blocksInFile}, lines ${report.range.startLine + 1}-${report.range.endLine + 1})`
      : '';
  lines.push(`${oneLine(report.file)}${position}`);
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
  const field = (label: string, value: string): void => {
    lines.push(`  ${`${label}:`.padEnd(16)}${oneLine(value)}`);
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
  if (report.findings.length === 0) lines.push('  No findings.');
  else {
    lines.push('  Findings:');
    for (const finding of report.findings) {
      const sectigo = finding.sectigoErrorCode === null ? '' : ` [Sectigo ${finding.sectigoErrorCode}]`;
      lines.push(`    ${finding.severity.padEnd(8)}${finding.code}: ${oneLine(finding.message)}${sectigo}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

function usageError(io: CliIo, verb: string, problem: string, args: readonly string[] = []): number {
  if (wantsJson(args)) io.stdout(usageErrorJson(verb, problem));
  io.stderr(`sectigo-csr ${verb}: ${problem}\n\n${inspectUsage}`);
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
      if (!isCsrReport(result)) io.stderr(`sectigo-csr: ${errorLine(result)}`);
    }
  });
  const batch = batchFindings(all, io);
  if (parsed.json) io.stdout(`${JSON.stringify(batch.results.map(toJson), null, 2)}\n`);
  else if (batch.added.length > 0) {
    const lines = batch.added.map(
      ({ report, finding }) =>
        `  ${oneLine(report.file)}${report.index > 0 ? ` (request ${report.index + 1})` : ''}: ${finding.severity} ${finding.code}: ${oneLine(finding.message)}`,
    );
    io.stdout(`Across the requests given:\n${lines.join('\n')}\n\n`);
  }
  return exitStatus(batch.results);
};

/** check --format sarif: the same analysis and exit status, the findings as one SARIF log on standard output. */
async function checkAsSarif(files: string[], io: CliIo): Promise<number> {
  const all: CsrAnalysisResult[] = [];
  await analyseFiles(files, io, (results) => {
    all.push(...results);
    for (const result of results) if (!isCsrReport(result)) io.stderr(`sectigo-csr: ${errorLine(result)}`);
  });
  const { results } = batchFindings(all, io);
  io.stdout(`${JSON.stringify(toSarif(results, { cwd: io.cwd, toolVersion: cliVersion() }), null, 2)}\n`);
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
    let text = '';
    for (const result of results) {
      if (!isCsrReport(result)) {
        text += errorLine(result);
        counts.error += 1;
        continue;
      }
      requests += 1;
      for (const finding of result.findings) {
        counts[finding.severity] += 1;
        text += findingLine(result.file, finding);
      }
    }
    if (text !== '') io.stdout(text);
  });
  const batch = batchFindings(all, io);
  let text = '';
  for (const { report, finding } of batch.added) {
    counts[finding.severity] += 1;
    text += findingLine(report.file, finding);
  }
  if (text !== '') io.stdout(text);
  io.stderr(
    `sectigo-csr check: ${countOf(parsed.files.length, 'input')}, ${countOf(requests, 'request')}: ${countOf(counts.error, 'error')}, ${countOf(counts.warning, 'warning')}, ${counts.info.toLocaleString('en-US')} info\n`,
  );
  return exitStatus(batch.results);
};
