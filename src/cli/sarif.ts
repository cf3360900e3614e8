// `sectigo-csr check --format sarif`: the findings as SARIF 2.1.0, the format code-scanning tools
// (GitHub code scanning, Azure DevOps, SonarQube, ...) read. One rule per finding code, linked to
// its README anchor; one result per finding, located at its file and the request's lines (BEGIN to
// END: a finding is about the whole request, which is what a reviewer is shown). Inputs that could not
// be read as a request are tool notifications (the run did not succeed), as SARIF intends.
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findingCodes } from '../core/csr/findings';
import { findingHelpUri, projectHomepage } from '../core/csr/finding-help';
import { isCsrReport, type CsrAnalysisResult, type Severity, type SourceRange } from '../core/csr/types';

export type CheckFormat = 'text' | 'sarif';
export const checkFormats: readonly CheckFormat[] = ['text', 'sarif'];

/** Takes `--format F` / `--format=F` out of the arguments; a string is a usage error. */
export function takeFormatOption(args: string[]): { format: CheckFormat; rest: string[] } | string {
  let format: CheckFormat = 'text';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    let value: string | undefined;
    if (arg === '--format') {
      value = args[i + 1];
      i += 1;
      if (value === undefined) return `--format needs a value (${checkFormats.join(' or ')})`;
    } else if (arg.startsWith('--format=')) value = arg.slice('--format='.length);
    else {
      rest.push(arg);
      continue;
    }
    if (!checkFormats.includes(value as CheckFormat))
      return `unknown --format '${value}' (${checkFormats.join(' or ')})`;
    format = value as CheckFormat;
  }
  return { format, rest };
}

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SOURCE_ROOT = '%SRCROOT%';

/** Where a file named on the command line is, as SARIF wants it: relative to the source root, or absolute. */
function artifactLocation(file: string): Record<string, unknown> {
  if (file === '<stdin>') return { description: { text: 'standard input' } };
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const uri = file.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
  return { uri, uriBaseId: SOURCE_ROOT };
}

/** SARIF counts lines and columns from 1; the end column is the one after the last character. */
function region(range: SourceRange): Record<string, number> {
  return {
    startLine: range.startLine + 1,
    startColumn: range.startCharacter + 1,
    endLine: range.endLine + 1,
    endColumn: range.endCharacter + 1,
  };
}

function location(file: string, range: SourceRange): Record<string, unknown> {
  return { physicalLocation: { artifactLocation: artifactLocation(file), region: region(range) } };
}

/** A file that could not be read has no lines to point at. */
function fileLocation(file: string, range: SourceRange): Record<string, unknown> {
  const whole = range.startLine === 0 && range.startCharacter === 0 && range.endLine === 0 && range.endCharacter === 0;
  return whole ? { physicalLocation: { artifactLocation: artifactLocation(file) } } : location(file, range);
}

function rule(code: string, severity: Severity): Record<string, unknown> {
  return { id: code, helpUri: findingHelpUri(code), defaultConfiguration: { level: levels[severity] } };
}

/** The SARIF log for one `check` run. `cwd` is the source root relative paths are resolved against. */
export function toSarif(
  results: CsrAnalysisResult[],
  options: { cwd: string; toolVersion: string },
): Record<string, unknown> {
  // Every known code is a rule, in a fixed order, so a rule's index is the same in every run.
  const rules = Object.entries(findingCodes).map(([code, severity]) => rule(code, severity));
  const ruleIndex = new Map(Object.keys(findingCodes).map((code, index) => [code, index]));
  const sarifResults: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];
  for (const result of results) {
    if (!isCsrReport(result)) {
      notifications.push({
        level: 'error',
        message: { text: result.error },
        descriptor: { id: result.code },
        locations: [fileLocation(result.file, result.range)],
      });
      continue;
    }
    for (const finding of result.findings) {
      let index = ruleIndex.get(finding.code);
      if (index === undefined) {
        // A code missing from the catalogue still gets its rule rather than a dangling ruleId.
        index = rules.length;
        rules.push(rule(finding.code, finding.severity));
        ruleIndex.set(finding.code, index);
      }
      sarifResults.push({
        ruleId: finding.code,
        ruleIndex: index,
        level: levels[finding.severity],
        message: { text: finding.message },
        locations: [location(result.file, result.range)],
        ...(finding.sectigoErrorCode === null ? {} : { properties: { sectigoErrorCode: finding.sectigoErrorCode } }),
      });
    }
  }
  const root = pathToFileURL(options.cwd).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'sectigo-csr', version: options.toolVersion, informationUri: projectHomepage, rules } },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: root.endsWith('/') ? root : `${root}/` } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
}
