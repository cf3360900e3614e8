// The end of a bulk revocation: counts by outcome over the whole list (earlier runs included), the
// failures grouped by error code with what the code means (the error catalogue), how many and the
// first few targets of each, and the first targets failed and unknown. Built from counts and one
// pass over the list, so a 100,000-target run's summary is as small as a 10-target one's: every
// failed or unknown target is in the failure list file, not here. The JSON shape is what `--json`
// prints: a public interface, extend only.
import { explainError } from '../errors';
import { outcomeMeaning } from './journal';
import type { ResumePlan, TargetState } from './run-index';
import type { BulkRunResult } from './run';
import { targetKey, type BulkTarget } from './targets';
import { acceptedWords, countOf } from '../outcome-words';
import { countText, joinText, outside, words, type Text } from '../../outside-text';

/** Failed and unknown targets `--json` lists one by one (in list order); the rest are counted, and all are in the failure list. */
export const MAX_LISTED_TARGETS = 100;
/** Targets named under each group of failures. */
export const GROUP_TARGETS_SHOWN = 5;
/** Notes kept for the summary (repeated lines, say); the rest are counted in one more note. */
export const MAX_NOTES = 20;

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

/** The failures that share one error code. */
export interface FailureGroup {
  /** The API's error code; absent for failures without one. */
  code?: number;
  /** What the code means and what to do, from the error catalogue. */
  meaning: string;
  nextStep?: string;
  /** What Sectigo said for the first of them (the others said the same or alike). */
  message?: string;
  count: number;
  /** Of `count`, failed in an earlier run and not sent again. */
  earlierRun: number;
  /** The first few, in list order. */
  targets: Array<{ target: string; line: number }>;
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
  /** The first MAX_LISTED_TARGETS failures in list order; `failuresOmitted` more are in `failedList`. */
  failures: BulkFailure[];
  failuresOmitted: number;
  /** The first MAX_LISTED_TARGETS targets whose outcome is unknown; `unknownTargetsOmitted` more are in `failedList`. */
  unknownTargets: Array<{ target: string; line: number }>;
  unknownTargetsOmitted: number;
  /** The failures by error code, the commonest first. */
  failureGroups: FailureGroup[];
  /** The list file holding every failed and unknown target, for `revoke --from`; absent when there are none or it was not written. */
  failedList?: string;
  notes: string[];
}

/** What one pass over the list adds up for the summary: the failed and unknown targets, grouped and the first few named. */
export class SummaryCollector {
  readonly failures: BulkFailure[] = [];
  failuresOmitted = 0;
  readonly unknownTargets: Array<{ target: string; line: number }> = [];
  unknownTargetsOmitted = 0;
  private readonly groups = new Map<string, FailureGroup>();

  constructor(
    private readonly sample: (state: TargetState) => string | undefined,
    /** With --retry-failed an earlier failure not sent again (the run stopped first) is left to send, not failed. */
    private readonly retryFailed: boolean,
  ) {}

  /** A target in its final state, in list order; returns what it counts as (failed, unknown) or undefined. */
  add(target: BulkTarget, state: TargetState): 'failed' | 'unknown' | undefined {
    const entry = { target: targetKey(target), line: target.line };
    if (state.status === 'failed' && (state.thisRun || !this.retryFailed)) {
      const message = this.sample(state);
      const earlierRun = !state.thisRun;
      if (this.failures.length < MAX_LISTED_TARGETS)
        this.failures.push({
          ...entry,
          ...(state.code !== undefined && { code: state.code }),
          meaning: outcomeMeaning('failed', state.code, message),
          ...(message !== undefined && { message }),
          ...(earlierRun && { earlierRun: true }),
        });
      else this.failuresOmitted++;
      const key = String(state.code ?? '');
      let group = this.groups.get(key);
      if (!group) {
        const explanation = state.code !== undefined ? explainError('AutoRevokeSSL', state.code) : undefined;
        group = {
          ...(state.code !== undefined && { code: state.code }),
          meaning: outcomeMeaning('failed', state.code, message),
          ...(explanation && { nextStep: explanation.nextStep }),
          ...(message !== undefined && { message }),
          count: 0,
          earlierRun: 0,
          targets: [],
        };
        this.groups.set(key, group);
      }
      group.count++;
      if (earlierRun) group.earlierRun++;
      if (group.targets.length < GROUP_TARGETS_SHOWN) group.targets.push(entry);
      return 'failed';
    }
    if (state.status === 'unknown' && state.thisRun) {
      if (this.unknownTargets.length < MAX_LISTED_TARGETS) this.unknownTargets.push(entry);
      else this.unknownTargetsOmitted++;
      return 'unknown';
    }
    return undefined;
  }

  /** The groups, the commonest first (then by code). */
  failureGroups(): FailureGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || (a.code ?? 0) - (b.code ?? 0));
  }
}

export function buildSummary(
  facts: { test: boolean; endpoint: string; loginName: string; journal: string; notes: string[] },
  plan: Pick<ResumePlan, 'total' | 'done' | 'failedBefore'>,
  run: Pick<BulkRunResult, 'counts' | 'notStarted' | 'callLimitAnswers' | 'pauses' | 'durationMs' | 'stoppedBecause'>,
  listed: SummaryCollector,
  failedList?: string,
): BulkSummary {
  const { counts } = run;
  return {
    kind: 'bulk-revocation',
    test: facts.test,
    endpoint: facts.endpoint,
    loginName: facts.loginName,
    journal: facts.journal,
    total: plan.total,
    revoked: plan.done + counts.revoked,
    alreadyRevoked: counts.alreadyRevoked,
    doneBefore: plan.done,
    failed: plan.failedBefore + counts.failed,
    unknown: counts.unknown,
    notSent: counts.notSent + run.notStarted,
    callLimitAnswers: run.callLimitAnswers,
    pauses: run.pauses,
    durationMs: Math.round(run.durationMs),
    ...(run.stoppedBecause !== undefined && { stoppedBecause: run.stoppedBecause }),
    failures: listed.failures,
    failuresOmitted: listed.failuresOmitted,
    unknownTargets: listed.unknownTargets,
    unknownTargetsOmitted: listed.unknownTargetsOmitted,
    failureGroups: listed.failureGroups(),
    ...(failedList !== undefined && { failedList }),
    notes: facts.notes,
  };
}

/** What the run left to do: 'done' every target revoked, 'failed' some refused, 'unfinished' some unknown or not sent. */
export function summaryVerdict(summary: BulkSummary): 'done' | 'failed' | 'unfinished' {
  // Unfinished wins over failed: running the same command again is the next step either way.
  if (summary.unknown > 0 || summary.notSent > 0) return 'unfinished';
  return summary.failed > 0 ? 'failed' : 'done';
}

/** "line 12 order:1000011, line 13 order:1000012, and 8,997 more". */
function firstTargets(targets: ReadonlyArray<{ target: string; line: number }>, count: number): Text {
  const named = joinText(
    targets.map((entry) => words`line ${entry.line} ${outside(entry.target)}`),
    words`, `,
  );
  return count > targets.length ? words`${named}, and ${countText(count - targets.length)} more` : named;
}

/**
 * A summary for a terminal or a log, one fact per line, then the failures by code, then what to do
 * next: Texts (outside-text.ts), so the endpoint, the login, a target and a server's message stay
 * outside values for the sink that shows them.
 */
export function formatSummary(summary: BulkSummary): Text[] {
  const lines = [
    words`${summary.test ? words`Test call (test=Y, nothing is revoked) for` : words`Bulk revocation of`} ${outside(countOf(summary.total, 'certificate'))} at ${outside(summary.endpoint)} as ${outside(summary.loginName)}:`,
    words`  ${countText(summary.revoked)} ${outside(acceptedWords(summary.test))}${summary.alreadyRevoked > 0 ? words` (${countText(summary.alreadyRevoked)} already revoked, -21)` : words``}${summary.doneBefore > 0 ? words` (${countText(summary.doneBefore)} in an earlier run)` : words``}`,
    words`  ${countText(summary.failed)} failed`,
    words`  ${countText(summary.unknown)} outcome unknown`,
    words`  ${countText(summary.notSent)} not sent`,
  ];
  if (summary.callLimitAnswers > 0)
    lines.push(
      words`  ${outside(countOf(summary.callLimitAnswers, 'call-limit answer'))} (-42), ${outside(countOf(summary.pauses, 'pause'))}`,
    );
  lines.push(words`  ${outside((summary.durationMs / 1000).toFixed(1))} s; journal: ${outside(summary.journal)}`);
  // The reason is a sentence that may quote an error: outside text, after the program's own word.
  if (summary.stoppedBecause) lines.push(words`Stopped: ${outside(summary.stoppedBecause.replace(/^Stopped /, ''))}`);
  if (summary.failureGroups.length > 0) lines.push(words`Failed, by error code:`);
  for (const group of summary.failureGroups) {
    const said = group.message !== undefined ? words` Sectigo said: "${outside(group.message)}"` : words``;
    const earlier =
      group.earlierRun > 0
        ? words` (${countText(group.earlierRun)} in an earlier run; --retry-failed sends them again)`
        : words``;
    const code = group.code !== undefined ? words`${group.code}` : words`no code`;
    lines.push(words`  ${code} × ${countText(group.count)}: ${outside(group.meaning)}${said}${earlier}`);
    if (group.nextStep) lines.push(words`    Next step: ${outside(group.nextStep)}`);
    lines.push(words`    ${firstTargets(group.targets, group.count)}`);
  }
  if (summary.unknown > 0) {
    const shown = summary.unknownTargets.slice(0, GROUP_TARGETS_SHOWN);
    lines.push(
      words`Outcome unknown (sent, no answer) × ${countText(summary.unknown)}: ${firstTargets(shown, summary.unknown)}`,
    );
  }
  if (summary.failedList !== undefined)
    lines.push(
      words`Every failed or unknown target is listed in ${outside(summary.failedList)}: once the cause is fixed, revoke --from that file sends them (with a journal of its own).`,
    );
  if (summary.unknown > 0 || summary.notSent > 0)
    lines.push(
      words`Run the same command again to finish: done targets are skipped, unknown ones are sent again (a -21 then means it took effect).`,
    );
  return lines;
}
