// What each tool found, as plain data, before it is shown: built from the analysis's results
// (the same facts as `inspect --json`, core/csr/report-json.ts), the one refusal rule
// (core/csr/refusals.ts) and the finding guide. Values from outside (a subject, a file name, a
// message quoting the request) are kept as they are here, typed Outside (core/outside-text.ts), and
// a failure's message is a Text; only render.ts puts them into what a model reads, and only the
// model sink (core/model-text.ts) turns them into characters.
import { findingHelpUri } from '../csr/finding-help';
import {
  explainCode,
  explainedCodes,
  findingCodesPredicting,
  predictedSectigoErrorCodes,
  type ExplainedCode,
} from '../csr/finding-guide';
import { refusals } from '../csr/refusals';
import {
  isCsrReport,
  type CsrAnalysisResult,
  type CsrReport,
  type ExtensionInfo,
  type MicrosoftTemplate,
  type PublicKeyInfo,
  type Severity,
  type SourceRange,
} from '../csr/types';
import { outside, tokenText, joinText, words, type Outside, type Text } from '../outside-text';
import type { LineSpan } from './arguments';
import { INSPECT_MAX_DETAILED_REQUESTS } from './limits';
import type { AssistantToolKind } from './tool-names';

/** What Sectigo will make of one request, from the one refusal rule and the findings' severities. */
export type RequestStatus = 'refused' | 'may-be-refused' | 'has-errors' | 'has-warnings' | 'ok' | 'not-a-request';

export interface FindingFacts {
  readonly severity: Severity;
  readonly code: string;
  /** The analysis's sentence, which may quote the request. */
  readonly message: Outside;
  readonly sectigoErrorCode: number | null;
  readonly range: SourceRange;
  readonly helpUri: string;
}

export interface RequestFacts {
  readonly kind: 'request';
  readonly file: Outside;
  readonly index: number;
  /** Lines of the block in its file, counted from 1. */
  readonly lines: LineSpan;
  readonly status: RequestStatus;
  /** What Sectigo will do, in the product's words ("Sectigo will answer -13: …"), certain ones first. */
  readonly refusals: readonly {
    certainty: 'certain' | 'likely';
    sectigoErrorCode: number;
    findingCode: string;
    text: Outside;
  }[];
  /** "RSA 2048 · SHA-256 · signature OK · alice@example.com" */
  readonly summary: Outside;
  /** The facts of `inspect --json` (core/csr/report-json.ts) but the findings, which are below. */
  readonly subject: Outside;
  readonly subjectAltNames: readonly Outside[];
  readonly publicKey: PublicKeyInfo;
  readonly signature: { readonly algorithm: string; readonly hash: string | null; readonly valid: boolean | null };
  readonly extensions: readonly ExtensionInfo[];
  readonly microsoftTemplate: MicrosoftTemplate | null;
  readonly verifyError: Outside | null;
  readonly challengePassword: boolean;
  readonly otherAttributes: readonly string[];
  readonly findings: readonly FindingFacts[];
  /** The product's fix for this request's findings, when one applies. */
  readonly fix: ExplainedCode['fix'];
}

export interface InputProblemFacts {
  readonly kind: 'input-problem';
  readonly file: Outside;
  readonly index: number;
  readonly lines: LineSpan | null;
  readonly status: 'not-a-request';
  readonly code: string;
  /** The analysis's sentence, which may quote the input or a reader's error. */
  readonly error: Outside;
  readonly helpUri: string;
}

export type ResultFacts = RequestFacts | InputProblemFacts;

export type InspectSourceKind = 'file' | 'text' | 'editor' | 'selection';

export interface InspectOutcome {
  readonly tool: 'inspect';
  readonly source: { readonly kind: InspectSourceKind; readonly name: Outside; readonly lines: LineSpan | null };
  /** Every request (or problem) in the input, before the line range and the detail limit. */
  readonly total: number;
  /** Those in the line range asked (all when none was). */
  readonly inRange: number;
  /** Reported in full: the first of those in range. */
  readonly results: readonly ResultFacts[];
  /** In range but past the detail limit: their first lines. */
  readonly notDetailed: readonly number[];
}

export interface CheckedFile {
  readonly file: Outside;
  readonly results: readonly ResultFacts[];
}

export type CheckStop = 'time' | 'cancelled' | 'bytes';

export interface CheckOutcome {
  readonly tool: 'check';
  readonly glob: Outside;
  /** The workspace folders or roots searched. */
  readonly places: readonly Outside[];
  /** Files found for the glob (up to the file limit and one more, which says there were more). */
  readonly found: number;
  /** More files matched than the limit allowed: the rest were not looked at. */
  readonly moreThanLimit: boolean;
  readonly maxFiles: number;
  /** Why the search for files stopped early, when it did (too many directory entries, the deadline). */
  readonly searchCut: Text | null;
  readonly checked: number;
  /** Why the run stopped before checking every file found, or null. */
  readonly stopped: { readonly reason: CheckStop; readonly limit: Text } | null;
  readonly counts: Readonly<Record<RequestStatus, number>>;
  /** Files with a finding or a problem, in the order checked, as many as the listing bound allows. */
  readonly files: readonly CheckedFile[];
  /** Files with a finding or a problem past that bound: counted only. */
  readonly unlistedFiles: number;
  /** Files whose requests have no finding at all (named up to a bound). */
  readonly cleanFiles: readonly Outside[];
  readonly cleanFileCount: number;
  /** Each code seen, with how many times. */
  readonly codes: readonly {
    code: string;
    severity: Severity | null;
    sectigoErrorCode: number | null;
    count: number;
    helpUri: string;
  }[];
}

export type ExplainOutcome =
  | { readonly tool: 'explain'; readonly kind: 'code'; readonly explained: ExplainedCode }
  | {
      readonly tool: 'explain';
      readonly kind: 'sectigo-error';
      readonly sectigoErrorCode: number;
      readonly explained: readonly ExplainedCode[];
    };

/** A call that could not be carried out: wrong arguments, a path refused, nothing to inspect. */
export interface ToolFailure {
  readonly tool: AssistantToolKind;
  readonly failure:
    'bad-arguments' | 'refused' | 'not-found' | 'unknown-code' | 'nothing-to-inspect' | 'internal-error';
  /** What went wrong and what to send instead: the program's words, with what the call gave as outside text. */
  readonly message: Text;
}

export type ToolOutcome = InspectOutcome | CheckOutcome | ExplainOutcome | ToolFailure;

export function isFailure(outcome: ToolOutcome): outcome is ToolFailure {
  return 'failure' in outcome;
}

export function failure(tool: AssistantToolKind, kind: ToolFailure['failure'], message: Text): ToolFailure {
  return { tool, failure: kind, message };
}

function linesOf(range: SourceRange): LineSpan {
  return { start: range.startLine + 1, end: range.endLine + 1 };
}

function statusOf(report: CsrReport, predicted: ReturnType<typeof refusals>): RequestStatus {
  if (predicted.some((refusal) => refusal.certainty === 'certain')) return 'refused';
  if (predicted.length > 0) return 'may-be-refused';
  if (report.findings.some((finding) => finding.severity === 'error')) return 'has-errors';
  if (report.findings.some((finding) => finding.severity === 'warning')) return 'has-warnings';
  return 'ok';
}

/** The fix of the most serious finding that has one: a refused key's first. */
function fixFor(report: CsrReport): ExplainedCode['fix'] {
  const order: Severity[] = ['error', 'warning', 'info'];
  for (const severity of order)
    for (const finding of report.findings)
      if (finding.severity === severity) {
        const fix = explainCode(finding.code)?.fix;
        if (fix) return fix;
      }
  return null;
}

/** The facts of one analysis result. `summarise` is the analysis's own one-line summary (summariseCsr). */
export function resultFacts(result: CsrAnalysisResult, summarise: (report: CsrReport) => string): ResultFacts {
  if (!isCsrReport(result)) {
    const whole = result.range.endLine === 0 && result.range.endCharacter === 0;
    return {
      kind: 'input-problem',
      file: result.file,
      index: result.index,
      lines: whole ? null : linesOf(result.range),
      status: 'not-a-request',
      code: result.code,
      error: outside(result.error),
      helpUri: findingHelpUri(result.code),
    };
  }
  const predicted = refusals(result);
  return {
    kind: 'request',
    file: result.file,
    index: result.index,
    lines: linesOf(result.range),
    status: statusOf(result, predicted),
    refusals: predicted.map(({ certainty, sectigoErrorCode, findingCode, text }) => ({
      certainty,
      sectigoErrorCode,
      findingCode,
      text: outside(text),
    })),
    summary: outside(summarise(result)),
    subject: result.subject.text,
    subjectAltNames: result.subjectAltNames,
    publicKey: result.publicKey,
    signature: {
      algorithm: result.signature.algorithm,
      hash: result.signature.hash,
      valid: result.signature.valid,
    },
    extensions: result.extensions,
    microsoftTemplate: result.microsoftTemplate,
    verifyError: result.signature.verifyError === undefined ? null : outside(result.signature.verifyError),
    challengePassword: result.challengePassword,
    otherAttributes: result.otherAttributes,
    findings: result.findings.map((finding) => ({
      severity: finding.severity,
      code: finding.code,
      message: outside(finding.message),
      sectigoErrorCode: finding.sectigoErrorCode,
      range: finding.range,
      helpUri: findingHelpUri(finding.code),
    })),
    fix: fixFor(result),
  };
}

/** Whether a result's block overlaps the lines asked for (a whole-input problem always does). */
function overlaps(result: CsrAnalysisResult, lines: LineSpan | null): boolean {
  if (lines === null) return true;
  const range = result.range;
  if (range.endLine === 0 && range.endCharacter === 0 && range.startLine === 0) return true;
  return range.startLine + 1 <= lines.end && range.endLine + 1 >= lines.start;
}

export function inspectOutcome(
  source: InspectOutcome['source'],
  results: readonly CsrAnalysisResult[],
  summarise: (report: CsrReport) => string,
): InspectOutcome {
  const inRange = results.filter((result) => overlaps(result, source.lines));
  return {
    tool: 'inspect',
    source,
    total: results.length,
    inRange: inRange.length,
    results: inRange.slice(0, INSPECT_MAX_DETAILED_REQUESTS).map((result) => resultFacts(result, summarise)),
    notDetailed: inRange.slice(INSPECT_MAX_DETAILED_REQUESTS).map((result) => result.range.startLine + 1),
  };
}

/** A finding code explained, or the finding codes behind a Sectigo error code ("-13"); a failure for anything else. */
export function explainOutcome(code: string): ExplainOutcome | ToolFailure {
  const explained = explainCode(code);
  if (explained !== undefined) return { tool: 'explain', kind: 'code', explained };
  if (/^[+-]?\d{1,6}$/.test(code)) {
    const number = Number(code);
    // Sectigo's codes are negative; "13" means -13 as often as not.
    const sectigoErrorCode = number > 0 ? -number : number;
    const codes = findingCodesPredicting(sectigoErrorCode)
      .map((finding) => explainCode(finding))
      .filter((entry) => entry !== undefined);
    if (codes.length > 0) return { tool: 'explain', kind: 'sectigo-error', sectigoErrorCode, explained: codes };
    const predicting = joinText([...new Set(Object.values(predictedSectigoErrorCodes))], words` and `);
    return failure(
      'explain',
      'unknown-code',
      words`no finding of the analysis predicts Sectigo error ${sectigoErrorCode}; findings predict only ${predicting}. Sectigo's other error codes concern the call, not the request: see the README's "Troubleshooting by error code".`,
    );
  }
  const lower = code.toLowerCase();
  const known = explainedCodes();
  const close = known.filter((name) => name.includes(lower) || (lower.length > 3 && lower.includes(name)));
  const codes = (names: readonly string[]): Text => joinText(names.map(tokenText), words`, `);
  return failure(
    'explain',
    'unknown-code',
    words`${outside(code)} is not a code of this product${close.length > 0 ? words`; did you mean ${codes(close.slice(0, 5))}?` : words`.`} The codes are: ${codes(known)}.`,
  );
}

/** Starts the counts of a check at zero. */
export function emptyCounts(): Record<RequestStatus, number> {
  return { refused: 0, 'may-be-refused': 0, 'has-errors': 0, 'has-warnings': 0, ok: 0, 'not-a-request': 0 };
}
