// The end of a bulk revocation: counts by outcome over the whole list (earlier
// runs included) and every failed target with its code and meaning. The JSON
// shape is what `--json` prints: a public interface, extend only.
import { outside, words, type Text } from '../../outside-text';
import type { ResumePlan } from './journal';
import type { BulkRunResult } from './run';
import { targetKey } from './targets';
import { acceptedWords, countOf } from '../outcome-words';

export interface BulkFailure {
  target: string;
  line: number;
  /** The API's error code; absent for a failure without an answer. */
  code?: number;
  meaning: string;
  message?: string;
  /** Failed in an earlier run and not sent again (no --retry-failed). */
  earlierRun?: boolean;
}

export interface BulkSummary {
  kind: 'bulk-revocation';
  test: boolean;
  endpoint: string;
  loginName: string;
  journal: string;
  /** Distinct targets in the list. */
  total: number;
  /** Revoked (0) or already revoked (-21), in this run or an earlier one. */
  revoked: number;
  /** Of `revoked`: answered -21 in this run. */
  alreadyRevoked: number;
  /** Of `revoked`: done in an earlier run, so not sent again. */
  doneBefore: number;
  failed: number;
  /** Sent, but no answer: the same command sends them again. */
  unknown: number;
  /** Not sent (stopped, or certainly had no effect): the same command sends them. */
  notSent: number;
  callLimitAnswers: number;
  pauses: number;
  durationMs: number;
  stoppedBecause?: string;
  failures: BulkFailure[];
  unknownTargets: Array<{ target: string; line: number }>;
  notes: string[];
}

export function buildSummary(
  facts: { test: boolean; endpoint: string; loginName: string; journal: string; notes: string[] },
  plan: ResumePlan,
  run: BulkRunResult,
): BulkSummary {
  const failures: BulkFailure[] = plan.failedBefore.map(({ target, last }) => ({
    target: targetKey(target),
    line: target.line,
    ...(last.code !== undefined && { code: last.code }),
    meaning: last.meaning,
    ...(last.message !== undefined && { message: last.message }),
    earlierRun: true,
  }));
  const unknownTargets: Array<{ target: string; line: number }> = [];
  let revoked = plan.done.length;
  let alreadyRevoked = 0;
  let notSent = run.notStarted.length;
  for (const outcome of run.outcomes) {
    const { target, result } = outcome;
    if (outcome.outcome === 'revoked') {
      revoked++;
      if (outcome.alreadyRevoked) alreadyRevoked++;
    } else if (outcome.outcome === 'failed') {
      failures.push({
        target: targetKey(target),
        line: target.line,
        ...(result.kind === 'api-error' && { code: result.errorCode, message: result.errorMessage }),
        ...(result.kind === 'validation-error' && { code: result.predictedErrorCode }),
        meaning:
          result.kind === 'api-error'
            ? result.explanation.meaning
            : result.kind === 'validation-error'
              ? result.message
              : 'Failed.',
      });
    } else if (outcome.outcome === 'unknown') unknownTargets.push({ target: targetKey(target), line: target.line });
    else notSent++;
  }
  failures.sort((a, b) => a.line - b.line);
  unknownTargets.sort((a, b) => a.line - b.line);
  return {
    kind: 'bulk-revocation',
    test: facts.test,
    endpoint: facts.endpoint,
    loginName: facts.loginName,
    journal: facts.journal,
    total: plan.done.length + plan.failedBefore.length + plan.toSend.length,
    revoked,
    alreadyRevoked,
    doneBefore: plan.done.length,
    failed: failures.length,
    unknown: unknownTargets.length,
    notSent,
    callLimitAnswers: run.callLimitAnswers,
    pauses: run.pauses,
    durationMs: Math.round(run.durationMs),
    ...(run.stoppedBecause !== undefined && { stoppedBecause: run.stoppedBecause }),
    failures,
    unknownTargets,
    notes: facts.notes,
  };
}

/** What the run left to do: 'done' every target revoked, 'failed' some refused, 'unfinished' some unknown or not sent. */
export function summaryVerdict(summary: BulkSummary): 'done' | 'failed' | 'unfinished' {
  // Unfinished wins over failed: running the same command again is the next step either way.
  if (summary.unknown > 0 || summary.notSent > 0) return 'unfinished';
  return summary.failed > 0 ? 'failed' : 'done';
}

/**
 * A summary, one fact per line, for a terminal or a log: Texts (outside-text.ts), so the endpoint,
 * the login, a list line and a server's message stay outside values for the sink that shows them.
 */
export function formatSummary(summary: BulkSummary): Text[] {
  const lines = [
    words`${summary.test ? words`Test call (test=Y, nothing is revoked) for` : words`Bulk revocation of`} ${outside(countOf(summary.total, 'certificate'))} at ${outside(summary.endpoint)} as ${outside(summary.loginName)}:`,
    words`  ${summary.revoked} ${outside(acceptedWords(summary.test))}${summary.alreadyRevoked > 0 ? words` (${summary.alreadyRevoked} already revoked, -21)` : words``}${summary.doneBefore > 0 ? words` (${summary.doneBefore} in an earlier run)` : words``}`,
    words`  ${summary.failed} failed`,
    words`  ${summary.unknown} outcome unknown`,
    words`  ${summary.notSent} not sent`,
  ];
  if (summary.callLimitAnswers > 0)
    lines.push(
      words`  ${outside(countOf(summary.callLimitAnswers, 'call-limit answer'))} (-42), ${outside(countOf(summary.pauses, 'pause'))}`,
    );
  lines.push(words`  ${outside((summary.durationMs / 1000).toFixed(1))} s; journal: ${outside(summary.journal)}`);
  // The reason is a sentence that may quote an error: outside text, after the program's own word.
  if (summary.stoppedBecause) lines.push(words`Stopped: ${outside(summary.stoppedBecause.replace(/^Stopped /, ''))}`);
  for (const failure of summary.failures) {
    const said = failure.message !== undefined ? words` Sectigo said: "${outside(failure.message)}"` : words``;
    lines.push(
      words`Failed: line ${failure.line}, ${outside(failure.target)}: ${failure.code !== undefined ? words`${failure.code} ` : words``}${outside(failure.meaning)}${said}${failure.earlierRun ? words` (earlier run; --retry-failed sends it again)` : words``}`,
    );
  }
  const shownUnknown = summary.unknownTargets.slice(0, 20);
  for (const unknown of shownUnknown)
    lines.push(words`Outcome unknown: line ${unknown.line}, ${outside(unknown.target)}`);
  if (summary.unknownTargets.length > shownUnknown.length)
    lines.push(
      words`… and ${summary.unknownTargets.length - shownUnknown.length} more with an unknown outcome (see the journal).`,
    );
  if (summary.unknown > 0 || summary.notSent > 0)
    lines.push(
      words`Run the same command again to finish: done targets are skipped, unknown ones are sent again (a -21 then means it took effect).`,
    );
  return lines;
}
