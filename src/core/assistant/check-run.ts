// The check tool's run, the same in VS Code and in the MCP server: find the files, then read and
// analyse one after another, each step held to the run's bounds (the file count, the bytes read,
// the deadline, the caller's cancellation), every bound checked before the work it guards. What is
// left out is said in the outcome, never dropped silently. The host gives the file access and the
// analysis; nothing here knows a file system.
import type { CsrAnalysisResult, CsrReport, Severity } from '../csr/types';
import { explainCode } from '../csr/finding-guide';
import { findingHelpUri } from '../csr/finding-help';
import { maxInputLength } from '../csr/input';
import { outside, words, type Outside, type Text } from '../outside-text';
import type { CheckArguments } from './arguments';
import { CHECK_MAX_LISTED_CLEAN_FILES, CHECK_MAX_LISTED_FINDINGS, CHECK_MAX_TOTAL_BYTES } from './limits';
import { emptyCounts, resultFacts, type CheckOutcome, type CheckStop, type CheckedFile } from './outcomes';

/** When the run must stop: its deadline and its caller's cancellation. */
export interface RunBudget {
  /** Milliseconds on `now()`'s clock. */
  readonly deadline: number;
  now(): number;
  cancelled(): boolean;
}

export type FileRead =
  | { readonly kind: 'ok'; readonly input: string | Uint8Array }
  | {
      readonly kind: 'refused';
      readonly code: 'unreadable' | 'input-too-large';
      readonly reason: string;
      /** The file lies outside the folders the tools may read (a link leading out): nothing of it is told. */
      readonly outside?: true;
    };

/** The host's files: VS Code's workspace, or the MCP client's roots. */
export interface CheckFiles<F> {
  /** The folders searched, as a person names them. */
  readonly places: readonly Outside[];
  /** At most `limit` files matching `glob`, in a stable order; `cut` says why the search stopped early, if it did. */
  find(glob: string, limit: number, budget: RunBudget): Promise<{ files: F[]; cut: Text | null }>;
  /** The file as results name it (relative to its folder where it has one). */
  name(file: F): Outside;
  /** The file's bytes (or the editor's text of it), at most `maxBytes`. */
  read(file: F, maxBytes: number): Promise<FileRead>;
}

/** The analysis as the host has it: Node's synchronous one, or the browser's. */
export interface Analyser {
  analyse(input: string | Uint8Array, file: string): CsrAnalysisResult[] | Promise<CsrAnalysisResult[]>;
  summarise(report: CsrReport): string;
  /** Lets the host serve other work between files (the editor's extension host). */
  yieldToHost?(): Promise<void>;
}

const stopLimit = (reason: CheckStop, args: CheckArguments): Text =>
  reason === 'time'
    ? words`the time limit of ${args.timeoutSeconds} s`
    : reason === 'bytes'
      ? words`the limit of ${CHECK_MAX_TOTAL_BYTES / (1024 * 1024)} MiB read in one check`
      : words`the caller cancelled`;

export async function runCheck<F>(
  args: CheckArguments,
  files: CheckFiles<F>,
  analyser: Analyser,
  budget: RunBudget,
  onProgress?: (checked: number, total: number) => void,
): Promise<CheckOutcome> {
  // One more than the limit: finding it says that more files matched than are checked.
  const found = await files.find(args.glob, args.maxFiles + 1, budget);
  const moreThanLimit = found.files.length > args.maxFiles;
  const toCheck = found.files.slice(0, args.maxFiles);
  const counts = emptyCounts();
  const listed: CheckedFile[] = [];
  let unlistedFiles = 0;
  const cleanFiles: Outside[] = [];
  let cleanFileCount = 0;
  let listedFindings = 0;
  const codes = new Map<string, { severity: Severity | null; sectigoErrorCode: number | null; count: number }>();
  let bytesRead = 0;
  let checked = 0;
  let stopped: CheckStop | null = null;

  for (const file of toCheck) {
    if (budget.cancelled()) stopped = 'cancelled';
    else if (budget.now() >= budget.deadline) stopped = 'time';
    else if (bytesRead >= CHECK_MAX_TOTAL_BYTES) stopped = 'bytes';
    if (stopped !== null) break;
    const name = files.name(file);
    const read = await files.read(file, maxInputLength);
    let results: CsrAnalysisResult[];
    if (read.kind === 'refused') {
      const zero = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };
      results = [{ file: name, index: 0, range: zero, code: read.code, error: read.reason }];
    } else {
      bytesRead += typeof read.input === 'string' ? read.input.length : read.input.byteLength;
      results = await analyser.analyse(read.input, name);
    }
    checked += 1;
    const facts = results.map((result) => resultFacts(result, analyser.summarise));
    for (const fact of facts) {
      counts[fact.status] += 1;
      const seen = fact.kind === 'request' ? fact.findings.map((finding) => finding.code) : [fact.code];
      for (const code of seen) {
        const known = codes.get(code);
        if (known) known.count += 1;
        else {
          const explained = explainCode(code);
          const severity =
            fact.kind === 'request' ? (fact.findings.find((finding) => finding.code === code)?.severity ?? null) : null;
          codes.set(code, { severity, sectigoErrorCode: explained?.sectigoErrorCode ?? null, count: 1 });
        }
      }
    }
    const clean = facts.every((fact) => fact.kind === 'request' && fact.findings.length === 0);
    if (clean) {
      cleanFileCount += 1;
      if (cleanFiles.length < CHECK_MAX_LISTED_CLEAN_FILES) cleanFiles.push(name);
    } else {
      const weight = facts.reduce((sum, fact) => sum + (fact.kind === 'request' ? fact.findings.length : 1), 0);
      if (listedFindings + weight <= CHECK_MAX_LISTED_FINDINGS) {
        listed.push({ file: name, results: facts });
        listedFindings += weight;
      } else unlistedFiles += 1;
    }
    onProgress?.(checked, toCheck.length);
    await analyser.yieldToHost?.();
  }

  return {
    tool: 'check',
    glob: outside(args.glob),
    places: files.places,
    found: toCheck.length,
    moreThanLimit,
    maxFiles: args.maxFiles,
    searchCut: found.cut,
    checked,
    stopped: stopped === null ? null : { reason: stopped, limit: stopLimit(stopped, args) },
    counts,
    files: listed,
    unlistedFiles,
    cleanFiles,
    cleanFileCount,
    codes: [...codes].map(([code, seen]) => ({ code, ...seen, helpUri: findingHelpUri(code) })),
  };
}
