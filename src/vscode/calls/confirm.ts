// Every confirmation before a call goes through here, so one rule holds for all of them:
// Enter and Escape do the safe thing. In a VS Code modal dialog the first button is the
// focused one (Enter) and Escape is Cancel, so the buttons are ordered safe first, and a
// dialog without a safe button is refused as a programming error. A test (automation) may
// ask for "what Enter would choose" and gets the dialog recorded, so the rule is checked
// on the real dialogs, not on a copy of them.
import { countText, joinText, outside, plainText, words, type Text } from '../../core/outside-text';
import { accountLabel } from '../../core/sectigo/call-plan';
import type { BulkRunManifest } from '../../core/sectigo/bulk/run-store';
import { isProductionRun, testFieldOf } from '../../core/sectigo/bulk/stored-run';
import { describeTarget, reasonsAsSent, type BulkTarget } from '../../core/sectigo/bulk/targets';
import { REVOCATION_CODES } from '../../core/sectigo/validate';
import { labelAsShown } from '../shared/labels';
import { messageAsShown, showModal } from '../shared/messages';
import { t } from '../shared/text';
import type { StepInput } from '../shared/multi-step-input';

export interface ConfirmButton<T> {
  label: Text;
  value: T;
  /** Cannot be undone (a real revocation, a replace that revokes the old order, sending a predicted refusal). */
  irreversible: boolean;
}

/** A dialog as VS Code was (or would have been) given it: every string as its sink rendered it. */
export interface DialogRecord {
  message: string;
  detail: string;
  /** Labels in the order shown: the first is the one Enter chooses. */
  buttons: { label: string; irreversible: boolean }[];
}

/** How automation answers a confirmation: 'enter' picks the focused (first) button, or a label picks that button. */
export type DialogAnswer = 'enter' | 'escape' | { label: string };

/** An automation argument's `dialog` string as an answer: 'enter', 'escape', or a button label. */
export function dialogAnswerOf(dialog: string | undefined): DialogAnswer | undefined {
  if (dialog === undefined) return undefined;
  return dialog === 'enter' || dialog === 'escape' ? dialog : { label: dialog };
}

export interface ConfirmOptions {
  /** Given only by automation: answer without showing the dialog, and record it. */
  answer?: DialogAnswer;
  record?: DialogRecord[];
}

/**
 * The one rule of every confirmation: the safe choices first (in their order), every irreversible
 * one after them, and a confirmation without a safe choice to focus is a programming error.
 */
export function safeFirst<B extends ConfirmButton<unknown>>(message: string, buttons: readonly B[]): B[] {
  const ordered = [
    ...buttons.filter((button) => !button.irreversible),
    ...buttons.filter((button) => button.irreversible),
  ];
  if (ordered[0] === undefined || ordered[0].irreversible)
    throw new Error(`The confirmation "${message}" has no safe button to focus.`);
  return ordered;
}

export async function confirm<T>(
  message: Text,
  detail: Text,
  buttons: ConfirmButton<T>[],
  options: ConfirmOptions = {},
): Promise<T | undefined> {
  const ordered = safeFirst(plainText(message), buttons);
  options.record?.push({
    message: messageAsShown(message),
    detail: messageAsShown(detail),
    buttons: ordered.map(({ label, irreversible }) => ({ label: messageAsShown(label), irreversible })),
  });
  if (options.answer !== undefined) {
    if (options.answer === 'escape') return undefined;
    if (options.answer === 'enter') return ordered[0]?.value;
    const wanted = options.answer.label;
    return ordered.find((button) => messageAsShown(button.label) === wanted)?.value;
  }
  const choice = await showModal(
    'warning',
    message,
    detail,
    ordered.map((button) => button.label),
  );
  return ordered.find((button) => button.label === choice)?.value;
}

/** A choice of a confirmation made in the quick input: a button, with a line saying what it does. */
export interface PickButton<T> extends ConfirmButton<T> {
  detail?: Text;
}

/**
 * A confirmation inside a flow of steps, for a choice that changes nothing at Sectigo (forget a
 * password, remove a record): the choices as a quick pick, the safe one first and selected, so
 * Enter keeps and Escape stops; no Cancel button beside a Keep, as a modal dialog would add.
 * Automation answers it as it answers a dialog, and it is recorded the same way.
 */
export async function confirmPick<T>(
  input: StepInput,
  question: Text,
  choices: PickButton<T>[],
  options: ConfirmOptions = {},
): Promise<T | undefined> {
  const ordered = safeFirst(plainText(question), choices);
  options.record?.push({
    message: labelAsShown(question, false),
    detail: ordered.map((choice) => (choice.detail === undefined ? '' : labelAsShown(choice.detail, true))).join('\n'),
    buttons: ordered.map(({ label, irreversible }) => ({ label: labelAsShown(label, true), irreversible })),
  });
  if (options.answer !== undefined) {
    if (options.answer === 'escape') return undefined;
    if (options.answer === 'enter') return ordered[0]?.value;
    const wanted = options.answer.label;
    return ordered.find((choice) => labelAsShown(choice.label, true) === wanted)?.value;
  }
  const first = ordered[0] as PickButton<T>;
  const chosen = await input.pick<PickButton<T>>({
    placeholder: question,
    items: ordered.map((choice) => ({
      label: choice.label,
      ...(choice.detail !== undefined && { detail: choice.detail }),
      value: choice,
    })),
    active: first,
  });
  return chosen.value;
}

/** Which bulk confirmation: a new run (the test first), the real run after a passed test, or a resume. */
export type BulkConfirmation =
  | { kind: 'new' }
  | { kind: 'after-test' }
  | {
      kind: 'resume';
      test: boolean;
      /** Targets left to send, and of them those whose outcome is unknown (sent again). */
      left: readonly BulkTarget[];
      unknown: number;
      /** Answered in earlier runs: accepted, and failed with an API error (neither sent again). */
      done: number;
      failed: number;
    };

/** What the person chose: the test run, the real run, or (a real resume) to see what the earlier run sent first. */
export type BulkChoice = 'test' | 'real' | 'journal';

/** "1 certificate", "150 certificates". */
function certificates(count: number): Text {
  return count === 1 ? t('1 certificate') : t('{0} certificates', countText(count));
}

/** "lines 2–101, 140, 150–152": a list's lines, runs of consecutive ones joined, at most `max` runs. */
export function lineRanges(lines: readonly number[], max = 6): Text {
  const sorted = [...lines].sort((a, b) => a - b);
  const runs: Text[] = [];
  let start = sorted[0];
  let previous = start;
  const close = (): void => {
    if (start !== undefined && previous !== undefined)
      runs.push(start === previous ? words`${start}` : words`${start}–${previous}`);
  };
  for (const line of sorted.slice(1)) {
    if (previous !== undefined && line === previous + 1) {
      previous = line;
      continue;
    }
    close();
    start = line;
    previous = line;
  }
  close();
  const shown = joinText(runs.slice(0, max), words`, `);
  const more = runs.length > max ? words` ${t('and {0} more', runs.length - max)}` : words``;
  return sorted.length === 1 ? t('line {0}', shown) : t('lines {0}{1}', shown, more);
}

/**
 * The reasons as each target is sent, the commonest first, each with the list's lines it goes
 * with; when the list's own columns set some, a line says they override the answers given.
 */
function reasonLines(run: Pick<BulkRunManifest, 'reason' | 'codeReason'>, targets: readonly BulkTarget[]): Text[] {
  const pairs = reasonsAsSent(targets, {
    reason: run.reason,
    ...(run.codeReason !== undefined && { codeReason: run.codeReason }),
  });
  const pairText = (pair: (typeof pairs)[number]): Text =>
    t(
      '"{0}"{1}',
      outside(pair.revocationReason),
      pair.codeReason !== undefined
        ? words` (codeReason ${pair.codeReason}: ${outside(REVOCATION_CODES[pair.codeReason])})`
        : words``,
    );
  const ownColumns = targets.some((target) => target.reason !== undefined || target.codeReason !== undefined);
  const asked =
    run.codeReason !== undefined
      ? t('codeReason {0} and the reason text asked for', run.codeReason)
      : t('the reason asked for');
  const overrides = ownColumns
    ? [t("The list's revocationReason and codeReason columns override {0} on the lines that fill them.", asked)]
    : [];
  const [only] = pairs;
  if (pairs.length === 1 && only) return [t('Reason, sent with every certificate: {0}', pairText(only)), ...overrides];
  const shown = pairs.slice(0, MAX_REASON_LINES);
  return [
    t('Reasons as sent: {0} distinct pairs of revocationReason and codeReason', pairs.length),
    ...shown.map((pair) => words`  ${certificates(pair.count)} (${lineRanges(pair.lines)}): ${pairText(pair)}`),
    ...(pairs.length > shown.length ? [t('  … and {0} more pairs', pairs.length - shown.length)] : []),
    ...overrides,
  ];
}

const MAX_REASON_LINES = 8;

/**
 * The one confirmation of a bulk run, new or resumed: the account as `login @ host`, the endpoint,
 * test or real, the count (left), the reasons as sent. The focused (first) button is never the
 * irreversible one; VS Code adds Cancel (Escape), so no second do-nothing button is given.
 */
export async function confirmBulk(
  // A stored run keeps its targets in a file: a resume names those left, a new run those of its list.
  run: Pick<BulkRunManifest, 'endpoint' | 'loginName' | 'reason' | 'codeReason' | 'source'> & {
    targets?: readonly BulkTarget[];
    total?: number;
  },
  kind: BulkConfirmation,
  options: { notes?: readonly Text[] } & ConfirmOptions = {},
): Promise<BulkChoice | undefined> {
  const resume = kind.kind === 'resume' ? kind : undefined;
  const targets = resume ? resume.left : (run.targets ?? []);
  const count = targets.length;
  const first = targets.slice(0, 5).map((target) => words`  ${outside(describeTarget(target))}`);
  // The first line names the account the way every confirmation does: `login @ host`, marked off production.
  const who = words`${outside(accountLabel(run.loginName, run.endpoint))}${isProductionRun(run) ? words`` : words` ${t('(not production)')}`}`;
  const test = resume?.test === true;
  const detail = [
    t('Account: {0}', who),
    t('Endpoint: {0}', outside(run.endpoint)),
    // The test field as the calls' own builder writes it: what the dialog says is what is sent.
    test
      ? t(
          'Mode: test call, every call sends {0}: Sectigo checks each call and nothing is revoked',
          outside(testFieldOf(run, true)),
        )
      : kind.kind === 'new'
        ? t(
            'Mode: the test call first (every call sends {0}), or the real revocation (every call sends {1})',
            outside(testFieldOf(run, true)),
            outside(testFieldOf(run, false)),
          )
        : t('Mode: real revocation, every call sends {0}', outside(testFieldOf(run, false))),
    ...reasonLines(run, targets),
    t('From: {0}', outside(run.source)),
    ...(resume
      ? [
          t(
            'Answered in the earlier run: {0} of {1} ({2} accepted, {3} failed), not sent again.',
            countText(resume.done + resume.failed),
            countText(run.total ?? run.targets?.length ?? 0),
            countText(resume.done),
            countText(resume.failed),
          ),
          resume.unknown > 0
            ? t(
                'Left to send: {0}, of which {1} may have reached Sectigo (outcome unknown) and are sent again.',
                countText(count),
                countText(resume.unknown),
              )
            : t('Left to send: {0}.', countText(count)),
        ]
      : []),
    ...first,
    ...(count > first.length ? [t('  … and {0} more', countText(count - first.length))] : []),
    ...(options.notes ?? []),
    words``,
    test
      ? t('A test call (test=Y) revokes nothing.')
      : kind.kind === 'new'
        ? t(
            'A test revocation (test=Y) checks every call with Sectigo and revokes nothing. A real revocation cannot be undone.',
          )
        : t('A real revocation cannot be undone.'),
  ];
  const headline = resume
    ? test
      ? t(
          '{0}: resume the test call from {1} (test=Y, nothing is revoked) for the {2} left?',
          who,
          outside(run.source),
          certificates(count),
        )
      : t(
          '{0}: resume the revocation from {1}: revoke the {2} left for real?',
          who,
          outside(run.source),
          certificates(count),
        )
    : kind.kind === 'after-test'
      ? t('{0}: revoke {1} for real?', who, certificates(count))
      : t('{0}: revoke {1}?', who, certificates(count));
  const revokeNow = count === 1 ? t('Revoke 1 Certificate Now') : t('Revoke {0} Certificates Now', countText(count));
  const buttons: ConfirmButton<BulkChoice>[] = resume
    ? test
      ? [{ label: t('Resume the Test Call (test=Y)'), value: 'test', irreversible: false }]
      : [
          // Before resuming for real, the safe step is to see what the earlier run sent.
          { label: t('Show What Was Sent First'), value: 'journal', irreversible: false },
          { label: revokeNow, value: 'real', irreversible: true },
        ]
    : [
        kind.kind === 'after-test'
          ? { label: t('Test Again (test=Y)'), value: 'test', irreversible: false }
          : { label: t('Test Revoke All First (test=Y)'), value: 'test', irreversible: false },
        { label: revokeNow, value: 'real', irreversible: true },
      ];
  return confirm<BulkChoice>(headline, joinText(detail, words`\n`), buttons, {
    ...(options.answer !== undefined && { answer: options.answer }),
    ...(options.record && { record: options.record }),
  });
}
