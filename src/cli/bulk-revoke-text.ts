// What `sectigo-csr revoke --from` says while it runs: the list's problems, the progress line, why
// the journal refused a run, the preview without --yes and a target's line as it ends.
import { countText, joinText, outside, pathText, tokenText, words, type Text } from '../core/outside-text';
import type { JournalRunFacts } from '../core/sectigo/bulk/journal';
import type { JournalRefusal } from '../core/sectigo/bulk/journalled-run';
import type { CheckedList } from '../core/sectigo/bulk/list-file';
import type { ResumePlan } from '../core/sectigo/bulk/run-index';
import type { BulkProgress, TargetOutcome } from '../core/sectigo/bulk/run';
import { describeTarget, type BulkTarget } from '../core/sectigo/bulk/targets';
import { outcomeWords } from '../core/sectigo/outcome-words';

export function listProblemsText(file: string, checked: CheckedList): Text {
  // The list's name begins each line as a path ("list.txt:3: …"); a list line quoted in a message stays on its line.
  const shown = checked.problems.map(
    (problem) => words`  ${pathText(file)}:${problem.line}: ${outside(problem.message)}`,
  );
  if (checked.problemCount > shown.length)
    shown.push(words`  … and ${countText(checked.problemCount - shown.length)} more.`);
  const count = checked.problemCount;
  return words`sectigo-csr revoke: ${outside(file)} has ${countText(count)} problem${count === 1 ? words`` : words`s`}; nothing was sent.\n${joinText(shown, words`\n`)}\n`;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** "12,345/100,000 done · 98.2/s (at most 100.0/s) · 1,203 failed · 2 unknown · ~14m55s left". */
export function progressLine(progress: BulkProgress, plan: ResumePlan, now: number): Text {
  const before = plan.done + plan.failedBefore;
  const paused =
    progress.pausedUntil !== undefined
      ? words` · paused for the call limit (${outside(duration(progress.pausedUntil - now))})`
      : words``;
  const eta =
    progress.etaMs !== undefined && progress.finished < progress.total
      ? words` · ~${outside(duration(progress.etaMs))} left`
      : words``;
  const pauses =
    progress.pauses > 0
      ? words` · ${countText(progress.pauses)} pause${progress.pauses === 1 ? words`` : words`s`}`
      : words``;
  return words`${countText(before + progress.finished)}/${countText(plan.total)} done · ${outside(progress.recentRate.toFixed(1))}/s (at most ${outside(progress.allowedRate.toFixed(1))}/s) · ${countText(plan.failedBefore + progress.failed)} failed · ${countText(progress.unknown)} unknown${pauses}${paused}${eta}`;
}

/** Why the journal refused the run, as the command line says it (nothing was sent). */
export function refusalText(refusal: JournalRefusal): Text {
  const path = outside(refusal.journalPath);
  const detail = outside(refusal.detail);
  switch (refusal.reason) {
    case 'busy':
      return words`--journal ${path}: ${detail} Nothing was sent.`;
    case 'unlockable':
      return words`--journal ${path}: cannot be locked (${detail}) Nothing was sent.`;
    case 'not-a-file':
    case 'not-a-journal':
    case 'unreadable':
      return words`--journal ${detail} Nothing was sent.`;
    case 'damaged': {
      const first = refusal.problems
        .slice(0, 5)
        .map((problem) => words`  ${pathText(refusal.journalPath)}:${problem.line} ${outside(problem.message)}`);
      return words`the journal cannot be used; nothing was sent.\n${joinText(first, words`\n`)}\nStart a new journal with --journal FILE.`;
    }
    case 'other-run':
      return words`the journal ${path} belongs to another run (${detail}); use another --journal. Nothing was sent.`;
    case 'unwritable':
      return words`--journal ${path}: cannot be written (${detail}). Nothing was sent.`;
  }
}

/** What a real run would do, shown instead of running it when --yes is missing. */
export function previewLines(
  plan: ResumePlan,
  facts: JournalRunFacts,
  journalPath: string,
  notes: readonly string[],
): Text[] {
  return [
    words`sectigo-csr revoke: this revokes ${countText(plan.toSend)} certificate${plan.toSend === 1 ? words`` : words`s`} at ${outside(facts.endpoint)} as ${outside(facts.loginName)}, which cannot be undone.`,
    ...(plan.done > 0
      ? [words`  ${countText(plan.done)} more are already done according to the journal ${outside(journalPath)}.`]
      : []),
    ...(plan.failedBefore > 0
      ? [
          words`  ${countText(plan.failedBefore)} failed in an earlier run and are not sent again (--retry-failed sends them).`,
        ]
      : []),
    ...plan.firstToSend.map((target) => words`  line ${target.line}: ${outside(describeTarget(target))}`),
    ...(plan.toSend > plan.firstToSend.length
      ? [words`  … and ${countText(plan.toSend - plan.firstToSend.length)} more.`]
      : []),
    ...notes.map((note) => words`  Note: ${outside(note)}`),
    words`Run it with --test first (Sectigo checks each call and revokes nothing), then with --yes. Nothing was sent.`,
  ];
}

/** A target as its key reads ("order:1000001"): the kind in the program's words, the value a checked token. */
function targetText(target: BulkTarget): Text {
  const kind =
    target.kind === 'order' ? words`order` : target.kind === 'serial' ? words`serial` : words`certificate-id`;
  return words`${kind}:${tokenText(target.value)}`;
}

/** A target's line as it ends (into a pipe, or with --verbose). */
export function outcomeLine(outcome: TargetOutcome, test: boolean): Text {
  const answer = outcome.result;
  const what =
    answer.kind === 'api-error'
      ? words`${answer.errorCode} ${outside(answer.explanation.meaning)}`
      : answer.kind === 'success'
        ? words`0`
        : answer.kind === 'validation-error'
          ? words`${outside(answer.parameter)}: ${outside(answer.message)}`
          : words`${outside(answer.message)}`;
  return words`line ${outcome.target.line}, ${targetText(outcome.target)}: ${outside(outcomeWords(outcome.outcome, test))}: ${what}`;
}
