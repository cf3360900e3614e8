// `sectigo-csr check --format sarif`: the findings as SARIF 2.1.0, the format code-scanning tools
// (GitHub code scanning, Azure DevOps, SonarQube, ...) read, in the shape GitHub's own validator
// asks for (the SARIF Multitool's `--rule-kind "Sarif;Gh"`, run by the tests).
// - One rule per finding code, with the name, descriptions and help of the finding table
//   (finding-help.ts, also the README's table; why and what to do from finding-guide.ts) and a
//   link to the code's README anchor.
// - One result per finding, located at its file and the request's lines (BEGIN to END: a finding
//   is about the whole request, which is what a reviewer is shown), with the request as its
//   snippet, the lines around it as context, and a fingerprint of the request and the finding
//   that does not change when the file does around it.
// - Paths relative to the git work tree's top folder (%SRCROOT%) when the check runs in one, with
//   its commit, branch and remote as versionControlProvenance; else relative to the working folder.
// - Inputs that could not be read as a request are tool notifications (the run did not succeed).
// Written as the inputs are analysed: a run over 100,000 files never holds their results.
import { findingCodes, type FindingCode } from '../core/csr/findings';
import { findingHelpUri, findingTexts, friendlyName, plainText, projectHomepage } from '../core/csr/finding-help';
import { findingGuides, predictedSectigoErrorCodes } from '../core/csr/finding-guide';
import { JsonDocumentStream, type JsonDocument } from '../core/json-text';
import {
  isCsrReport,
  type CsrAnalysisResult,
  type CsrReport,
  type Severity,
  type SourceRange,
} from '../core/csr/types';
import {
  absoluteUri,
  findingFingerprint,
  ordinals,
  relativeUri,
  rootRelativePath,
  type SourceRoot,
  type SourceText,
} from './check-report';
import { formatCount } from '../core/format-count';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SOURCE_ROOT = '%SRCROOT%';
/** The partialFingerprints key naming what the value is a hash of, and its version. */
export const FINGERPRINT_KEY = 'sectigoCsrFinding/v1';
/**
 * The key GitHub code scanning matches results by (with the path and the rule). Given here, the
 * upload action does not compute its own from the lines around the result, which would change when
 * the request is wrapped differently; ours changes only with the request or the finding.
 */
export const GITHUB_FINGERPRINT_KEY = 'primaryLocationLineHash';
/** Lines shown around a request as its context region. */
const CONTEXT_LINES = 2;
/** Notifications kept in full; standard error lists every unreadable input anyway. */
export const MAX_NOTIFICATIONS = 1000;

const withPeriod = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);
const sentence = (text: string): string =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/**
 * The rule of one finding code: its friendly name; the short sentence (an alert's title); the
 * README's "When" as the full description; and as help, when it is reported, why it matters,
 * whether Sectigo refuses the request, what to do (the finding guide's words, as the assistants'
 * explain tool says them) and the README's explanation.
 */
export function sarifRule(code: FindingCode): Record<string, unknown> {
  const text = findingTexts[code];
  const guide = findingGuides[code];
  const sectigoErrorCode = predictedSectigoErrorCodes[code];
  const severity = findingCodes[code];
  const helpUri = findingHelpUri(code);
  const when = sentence(text.when);
  // The guide's words say most of this already; what they leave out is added, not repeated.
  const refusal =
    sectigoErrorCode === undefined || guide.why.includes(String(sectigoErrorCode))
      ? ''
      : ` Sectigo ${severity === 'error' ? 'refuses' : 'may refuse'} such a request (errorCode ${sectigoErrorCode}).`;
  const fix =
    guide.fix === null || guide.whatToDo.includes(guide.fix.commandLine)
      ? ''
      : ` In VS Code: *${guide.fix.editor}*; on the command line: \`${guide.fix.commandLine}\`.`;
  const helpMarkdown = [
    `**${text.short}** (\`${code}\`, ${severity})`,
    '',
    `Reported when: ${when}`,
    '',
    `Why it matters: ${guide.why}${refusal}`,
    '',
    `What to do: ${guide.whatToDo}${fix}`,
    '',
    `[${code} in the sectigo-csr README](${helpUri})`,
  ].join('\n');
  const helpText = [
    `${text.short} (${code}, ${severity})`,
    `Reported when: ${plainText(when)}`,
    `Why it matters: ${plainText(guide.why)}${refusal}`,
    `What to do: ${plainText(guide.whatToDo)}${plainText(fix)}`,
    `More: ${helpUri}`,
  ].join('\n');
  return {
    id: code,
    name: friendlyName(code),
    shortDescription: { text: text.short },
    fullDescription: { text: plainText(when), markdown: when },
    help: { text: helpText, markdown: helpMarkdown },
    helpUri,
    defaultConfiguration: { level: levels[severity] },
    properties: {
      tags: ['security', 'pkcs10'],
      ...(sectigoErrorCode === undefined ? {} : { sectigoErrorCode }),
    },
  };
}

/** SARIF counts lines and columns from 1; the end column is the one after the last character. */
function region(range: SourceRange, source: SourceText | null): Record<string, unknown> {
  return {
    startLine: range.startLine + 1,
    startColumn: range.startCharacter + 1,
    endLine: range.endLine + 1,
    endColumn: range.endCharacter + 1,
    ...(source === null ? {} : { snippet: { text: source.slice(range) } }),
  };
}

const isWholeFile = (range: SourceRange): boolean =>
  range.startLine === 0 && range.startCharacter === 0 && range.endLine === 0 && range.endCharacter === 0;

/**
 * One SARIF log, written in three parts through the JSON sink's stream: `start()`, `input()` per
 * input, `end()`. The analysis holds no secret: the sink cuts and escapes, nothing to redact.
 */
export class SarifLog {
  private readonly ruleIndex: Map<string, number>;
  private readonly notifications: Record<string, unknown>[] = [];
  private readonly stream = new JsonDocumentStream({ redacted: true });
  private unreadable = 0;

  constructor(private readonly options: { cwd: string; toolVersion: string; root: SourceRoot }) {
    this.ruleIndex = new Map(Object.keys(findingCodes).map((code, index) => [code, index]));
  }

  /** The whole log around its results: the run's own fields, the results, then the invocation (known at the end). */
  private log(results: unknown[], invocations: unknown[]): unknown {
    const git = this.options.root.git;
    const driver = {
      name: 'sectigo-csr',
      semanticVersion: this.options.toolVersion,
      version: this.options.toolVersion,
      informationUri: projectHomepage,
      rules: (Object.keys(findingCodes) as FindingCode[]).map(sarifRule),
    };
    const run: Record<string, unknown> = {
      tool: { driver },
      originalUriBaseIds: { [SOURCE_ROOT]: { uri: this.options.root.uri } },
      ...(git === undefined
        ? {}
        : {
            versionControlProvenance: [
              {
                repositoryUri: git.repositoryUri,
                ...(git.revisionId === undefined ? {} : { revisionId: git.revisionId }),
                ...(git.branch === undefined ? {} : { branch: git.branch }),
                mappedTo: { uriBaseId: SOURCE_ROOT },
              },
            ],
          }),
      columnKind: 'utf16CodeUnits',
      results,
      invocations,
    };
    return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
  }

  start(): JsonDocument {
    return this.stream.open((results) => this.log(results, []));
  }

  private artifactLocation(file: string): Record<string, unknown> {
    // GitHub requires a URI on every location: standard input is the file the other outputs call it, <stdin>.
    if (file === '<stdin>')
      return { uri: relativeUri(file), uriBaseId: SOURCE_ROOT, description: { text: 'standard input' } };
    const path = rootRelativePath(this.options.root, this.options.cwd, file);
    return path === null
      ? { uri: absoluteUri(this.options.cwd, file) }
      : { uri: relativeUri(path), uriBaseId: SOURCE_ROOT };
  }

  private location(result: CsrReport, source: SourceText | null): Record<string, unknown> {
    const physical: Record<string, unknown> = { artifactLocation: this.artifactLocation(result.file) };
    if (!isWholeFile(result.range) || source !== null) {
      physical.region = region(result.range, source);
      if (source !== null) {
        const first = Math.max(0, result.range.startLine - CONTEXT_LINES);
        const last = Math.min(source.lineCount - 1, result.range.endLine + CONTEXT_LINES);
        physical.contextRegion = {
          startLine: first + 1,
          endLine: last + 1,
          snippet: { text: source.lines(first, last) },
        };
      }
    }
    return { physicalLocation: physical };
  }

  /** The results of one input (every request in it), as the next elements of the results array. */
  input(results: readonly CsrAnalysisResult[], source: SourceText | null): JsonDocument[] {
    const pieces: JsonDocument[] = [];
    for (const result of results) {
      if (!isCsrReport(result)) {
        this.notify(result);
        continue;
      }
      const location = this.location(result, source);
      const places = ordinals(result.findings.map((finding) => finding.code));
      result.findings.forEach((finding, index) => {
        const ruleIndex = this.ruleIndex.get(finding.code);
        const fingerprint = findingFingerprint(finding.code, result.pem, places[index] as number);
        const sarif = {
          ruleId: finding.code,
          // A code missing from the catalogue would have no rule to point at: it is named, not indexed.
          ...(ruleIndex === undefined ? {} : { ruleIndex }),
          level: levels[finding.severity],
          message: { text: finding.message },
          locations: [location],
          partialFingerprints: { [FINGERPRINT_KEY]: fingerprint, [GITHUB_FINGERPRINT_KEY]: fingerprint },
          ...(finding.sectigoErrorCode === null ? {} : { properties: { sectigoErrorCode: finding.sectigoErrorCode } }),
        };
        pieces.push(this.stream.element(sarif));
      });
    }
    return pieces;
  }

  private notify(result: Exclude<CsrAnalysisResult, CsrReport>): void {
    this.unreadable += 1;
    if (this.notifications.length >= MAX_NOTIFICATIONS) return;
    const physical: Record<string, unknown> = { artifactLocation: this.artifactLocation(result.file) };
    if (!isWholeFile(result.range)) physical.region = region(result.range, null);
    this.notifications.push({
      level: 'error',
      message: { text: withPeriod(`${result.file === '<stdin>' ? 'Standard input' : result.file}: ${result.error}`) },
      descriptor: { id: result.code },
      locations: [{ physicalLocation: physical }],
    });
  }

  /** The rest of the log: the invocation (whether every input could be read) and the closing brackets. */
  end(): JsonDocument {
    const notifications = [...this.notifications];
    const untold = this.unreadable - notifications.length;
    if (untold > 0) {
      notifications.push({
        level: 'error',
        message: {
          text: `${formatCount(untold)} more inputs could not be read as a request; standard error lists each.`,
        },
        descriptor: { id: 'unreadable' },
      });
    }
    const invocation = { executionSuccessful: this.unreadable === 0, toolExecutionNotifications: notifications };
    return this.stream.close((results) => this.log(results, [invocation]));
  }
}
