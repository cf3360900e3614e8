// `sectigo-csr inspect [--json] FILE...` and `sectigo-csr check FILE...`: the CSR
// analysis over files, for people (a readable report), for scripts (--json) and
// for CI (check: findings only, compiler-style lines, exit status; SARIF; GitLab's report).
import { resolve, sep } from 'node:path';
import { rsaModulusOf } from '../core/csr/analyse';
import { maxSharedPrimeKeys, sharedPrimeDeadlineMs, withSharedPrimeFindings } from '../core/csr/shared-primes';
import { isCsrReport, type CsrAnalysisResult, type CsrReport, type Finding, type SourceRange } from '../core/csr/types';
import { readBoundedFile, streamRefusal } from '../core/bounded-read';
import { JsonDocumentStream } from '../core/json-text';
import { countOf } from '../core/sectigo/outcome-words';
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
import { takeFormatOption } from './check-format';
import { ExitCode, usageErrorJson, wantsJson, type CliCommand, type CliIo } from './io';
import { toJson } from './report-json';
import { cliVersion } from './version';
import { analyseFiles, type Tally } from './analyse-files';

const inspectUsage = words`Usage: sectigo-csr inspect [--json] [--files-from LIST] FILE...
       sectigo-csr check [--format text|sarif|gitlab] [--files-from LIST] FILE...
  FILE     a PEM, Base64 or DER certificate request file; - reads standard input
  --files-from LIST
           the names of more FILEs, one a line or NUL-separated (git ls-files -z), from a file or from
           standard input (-): for more files than a command line holds; an empty list checks nothing
  --json   (inspect) print a JSON array, one object per request
  --format (check) text: one line per finding (the default); sarif: SARIF 2.1.0 for code-scanning tools
           (GitHub code scanning); gitlab: GitLab's code quality report
Exit status: 0 no error findings, 1 at least one error finding, 2 an input could not be read as a CSR or wrong usage.
`;

interface ParsedArgs {
  json: boolean;
  files: string[];
  /** --files-from LIST: a file of more names, or - for standard input. */
  filesFrom?: string;
}

function parseArgs(args: string[], allowJson: boolean): ParsedArgs | string {
  const files: string[] = [];
  let json = false;
  let filesFrom: string | undefined;
  let optionsEnded = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && arg === '--json' && allowJson) json = true;
    else if (!optionsEnded && (arg === '--files-from' || arg.startsWith('--files-from='))) {
      if (filesFrom !== undefined) return '--files-from is given twice';
      filesFrom = arg === '--files-from' ? args[(i += 1)] : arg.slice('--files-from='.length);
      if (filesFrom === undefined || filesFrom === '')
        return '--files-from needs a LIST (a file, or - for standard input)';
    } else if (!optionsEnded && arg.startsWith('-') && arg !== '-') return `unknown option '${arg}'`;
    else files.push(arg);
  }
  if (files.length === 0 && filesFrom === undefined) return 'no FILE given';
  if (filesFrom === '-' && files.includes('-'))
    return 'standard input cannot be both the --files-from list and a request (-)';
  return filesFrom === undefined ? { json, files } : { json, files, filesFrom };
}

/** The longest --files-from list read: 100,000 names of 600 characters. */
const MAX_FILE_LIST_BYTES = 64 * 1024 * 1024;

/**
 * The inputs to read: the FILEs, then the names of the --files-from list (NUL-separated when it
 * holds a NUL, as `git ls-files -z` writes, else one a line; empty names skipped). A name from a
 * list is always a file: `-` there is the file named -, not standard input. A string says why the
 * list cannot be read.
 */
async function inputNames(parsed: ParsedArgs, io: CliIo): Promise<string[] | string> {
  if (parsed.filesFrom === undefined) return parsed.files;
  let bytes: Buffer;
  if (parsed.filesFrom === '-') {
    bytes = await io.readStdin(MAX_FILE_LIST_BYTES);
    const refusal = streamRefusal(bytes, MAX_FILE_LIST_BYTES);
    if (refusal) return `--files-from -: standard input ${refusal}`;
  } else {
    const read = await readBoundedFile(resolve(io.cwd, parsed.filesFrom), MAX_FILE_LIST_BYTES);
    if (read.kind === 'refused') return `--files-from ${parsed.filesFrom}: ${read.reason}`;
    bytes = read.bytes;
  }
  const text = bytes.toString('utf8');
  const names = (text.includes('\0') ? text.split('\0') : text.split(/\r?\n/)).filter((name) => name !== '');
  return [...parsed.files, ...names.map((name) => (name === '-' ? `.${sep}-` : name))];
}

function exitStatus(tally: Tally): number {
  if (tally.unreadable) return ExitCode.usage;
  return tally.errorFinding ? ExitCode.findings : ExitCode.ok;
}

/** Where one RSA request of the run is, kept for the comparison of keys at its end (not its report). */
interface KeyOwner {
  file: string;
  index: number;
  range: SourceRange;
  /** Where its findings stand (the request's first line), for one added there. */
  anchor: SourceRange | undefined;
}

/**
 * The RSA keys of a run, for shared primes (core/csr/shared-primes.ts) once every file is read:
 * each distinct modulus once, with the places of the requests that have it, so that the run's
 * results themselves go out as they come. Past maxSharedPrimeKeys distinct keys nothing is kept
 * (none are compared, as the comparison would refuse them), so memory stays bounded.
 */
class SharedPrimeWatch {
  private readonly owners = new Map<bigint, KeyOwner[]>();
  private tooMany = false;

  add(results: readonly CsrAnalysisResult[]): void {
    if (this.tooMany) return;
    for (const result of results) {
      if (!isCsrReport(result) || result.findings.some((finding) => finding.code === 'rsa-small-factor')) continue;
      const modulus = rsaModulusOf(result);
      if (modulus === null) continue;
      let list = this.owners.get(modulus);
      if (list === undefined) {
        if (this.owners.size >= maxSharedPrimeKeys) {
          this.tooMany = true;
          this.owners.clear();
          return;
        }
        list = [];
        this.owners.set(modulus, list);
      }
      list.push({ file: result.file, index: result.index, range: result.range, anchor: result.findings[0]?.range });
    }
  }

  /** The findings the comparison adds, each with its request's place; what could not be compared is said on standard error. */
  finish(io: CliIo): { owner: KeyOwner; finding: Finding }[] {
    if (this.tooMany) {
      io.stderr(
        words`sectigo-csr: shared primes not looked for: more than the ${countText(maxSharedPrimeKeys)} RSA keys compared at once\n`,
      );
      return [];
    }
    // The comparison's own function, over stand-ins of the requests: its words and its places.
    const stand = new Map<CsrReport, { owner: KeyOwner; modulus: bigint }>();
    for (const [modulus, list] of this.owners) {
      for (const owner of list) {
        const report = {
          file: owner.file,
          index: owner.index,
          range: owner.range,
          findings: owner.anchor === undefined ? [] : [{ range: owner.anchor }],
        } as unknown as CsrReport;
        stand.set(report, { owner, modulus });
      }
    }
    const reports = [...stand.keys()];
    const { results, outcome } = withSharedPrimeFindings(reports, (report) => stand.get(report)?.modulus ?? null);
    if (outcome.kind === 'too-many')
      io.stderr(
        words`sectigo-csr: shared primes not looked for: ${countText(outcome.keys)} RSA keys, more than the ${countText(maxSharedPrimeKeys)} compared at once\n`,
      );
    else if (outcome.kind === 'too-slow')
      io.stderr(
        words`sectigo-csr: shared primes not looked for: comparing ${countText(outcome.keys)} RSA keys took over ${sharedPrimeDeadlineMs / 1000} s\n`,
      );
    const added: { owner: KeyOwner; finding: Finding }[] = [];
    results.forEach((result, i) => {
      const before = reports[i];
      if (!isCsrReport(result) || before === undefined) return;
      const { owner } = stand.get(before) as { owner: KeyOwner };
      for (const finding of result.findings.slice(before.findings.length)) added.push({ owner, finding });
    });
    // In the order the requests were given.
    const order = new Map(reports.map((report, i) => [stand.get(report)?.owner, i]));
    return added.sort((a, b) => (order.get(a.owner) ?? 0) - (order.get(b.owner) ?? 0));
  }
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

/**
 * Results held back for `inspect --json`, whose requests carry a shared-prime finding in their own
 * findings: up to maxSharedPrimeKeys of them, then every one held and after it are printed as they
 * come (and not compared), so a run over any number of files holds at most that many.
 */
const MAX_HELD_FOR_JSON = maxSharedPrimeKeys;

export const runInspect: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(inspectUsage);
    return ExitCode.ok;
  }
  const parsed = parseArgs(args, true);
  if (typeof parsed === 'string') return usageError(io, 'inspect', parsed, args);
  const files = await inputNames(parsed, io);
  if (typeof files === 'string') return usageError(io, 'inspect', files, args);
  const watch = new SharedPrimeWatch();
  // --json: the array as JSON.stringify(array, null, 2) prints it, one element at a time (the JSON
  // sink's stream; the analysis holds no secret, nothing to redact).
  const json = parsed.json ? new JsonDocumentStream({ redacted: true }) : undefined;
  let held: CsrAnalysisResult[] | undefined = json === undefined ? undefined : [];
  if (json) io.stdout(json.open((array) => array));
  const tally = await analyseFiles(files, io, (results) => {
    const reports = results.filter(isCsrReport).length;
    if (held === undefined) watch.add(results);
    else {
      held.push(...results);
      if (held.length > MAX_HELD_FOR_JSON) {
        io.stderr(
          words`sectigo-csr: shared primes not looked for: --json holds back at most ${countText(MAX_HELD_FOR_JSON)} requests to add them\n`,
        );
        for (const result of held) io.stdout((json as JsonDocumentStream).element(toJson(result)));
        held = undefined;
        return;
      }
    }
    for (const result of results) {
      if (json === undefined && isCsrReport(result)) io.stdout(textReport(result, reports));
      if (!isCsrReport(result)) io.stderr(words`sectigo-csr: ${errorLine(result)}`);
    }
  });
  if (json) {
    if (held !== undefined) {
      const { results } = withSharedPrimeFindings(held, rsaModulusOf);
      for (const result of results) {
        if (isCsrReport(result) && result.findings.some((finding) => finding.severity === 'error'))
          tally.errorFinding = true;
        io.stdout(json.element(toJson(result)));
      }
    }
    io.stdout(json.close((array) => array));
    return exitStatus(tally);
  }
  const added = watch.finish(io);
  if (added.length > 0) {
    const lines = added.map(
      ({ owner, finding }) =>
        words`  ${inputName(owner.file)}${owner.index > 0 ? words` (request ${owner.index + 1})` : words``}: ${outside(finding.severity)} ${outside(finding.code)}: ${outside(finding.message)}`,
    );
    io.stdout(words`Across the requests given:\n${joinText(lines, words`\n`)}\n\n`);
  }
  if (added.some(({ finding }) => finding.severity === 'error')) tally.errorFinding = true;
  return exitStatus(tally);
};

/**
 * check --format sarif or gitlab: the same analysis and exit status, the findings as one report on
 * standard output, written as the inputs are read. Shared primes, known only at the end, are results
 * (issues) of their own after the others, at their requests (whose files are read again for it).
 */
async function checkAsReport(format: 'sarif' | 'gitlab', files: string[], io: CliIo): Promise<number> {
  const [{ SourceText, sourceRootFor }, { SarifLog }, { GitLabCodeQuality }] = await Promise.all([
    import('./check-report'),
    import('./sarif'),
    import('./gitlab'),
  ]);
  const root = sourceRootFor(io.cwd);
  const report =
    format === 'sarif'
      ? new SarifLog({ cwd: io.cwd, toolVersion: cliVersion(), root })
      : new GitLabCodeQuality({ cwd: io.cwd, root });
  const watch = new SharedPrimeWatch();
  io.stdout(report.start());
  const writeResults = (results: readonly CsrAnalysisResult[], bytes: Uint8Array | null): void => {
    const hasFindings = results.some((result) => !isCsrReport(result) || result.findings.length > 0);
    // The file's text is decoded again only when there is a finding to show it for.
    for (const piece of report.input(results, hasFindings && bytes !== null ? SourceText.of(bytes) : null))
      io.stdout(piece);
  };
  const tally = await analyseFiles(
    files,
    io,
    (results, bytes) => {
      watch.add(results);
      for (const result of results) if (!isCsrReport(result)) io.stderr(words`sectigo-csr: ${errorLine(result)}`);
      writeResults(results, bytes);
    },
    { withBytes: true },
  );
  const added = watch.finish(io);
  if (added.length > 0) {
    const byFile = new Map<string, { owner: KeyOwner; finding: Finding }[]>();
    for (const entry of added) byFile.set(entry.owner.file, [...(byFile.get(entry.owner.file) ?? []), entry]);
    for (const [file, entries] of byFile) {
      // The file again, for its text and the requests' canonical PEM (a fingerprint's input).
      const again = await analyseFiles(
        [file === '<stdin>' ? '-' : file],
        io,
        (results, bytes) => {
          const only = results.flatMap((result) => {
            if (!isCsrReport(result)) return [];
            const findings = entries
              .filter((entry) => entry.owner.index === result.index)
              .map((entry) => entry.finding);
            return findings.length === 0 ? [] : [{ ...result, findings }];
          });
          writeResults(only, bytes);
        },
        { withBytes: true },
      );
      if (again.unreadable) tally.unreadable = true;
    }
    if (added.some(({ finding }) => finding.severity === 'error')) tally.errorFinding = true;
  }
  io.stdout(report.end());
  return exitStatus(tally);
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
  const files = await inputNames(parsed, io);
  if (typeof files === 'string') return usageError(io, 'check', files);
  if (format.format !== 'text') return checkAsReport(format.format, files, io);
  const watch = new SharedPrimeWatch();
  const counts = { error: 0, warning: 0, info: 0 };
  let requests = 0;
  const tally = await analyseFiles(files, io, (results) => {
    watch.add(results);
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
  const added: Text[] = [];
  for (const { owner, finding } of watch.finish(io)) {
    counts[finding.severity] += 1;
    if (finding.severity === 'error') tally.errorFinding = true;
    added.push(findingLine(owner.file, finding));
  }
  if (added.length > 0) io.stdout(joinText(added, words``));
  io.stderr(
    words`sectigo-csr check: ${outside(countOf(files.length, 'input'))}, ${outside(countOf(requests, 'request'))}: ${outside(countOf(counts.error, 'error'))}, ${outside(countOf(counts.warning, 'warning'))}, ${countText(counts.info)} info\n`,
  );
  return exitStatus(tally);
};
