// Every confirmation before a call goes through here, so one rule holds for all of them:
// Enter and Escape do the safe thing. In a VS Code modal dialog the first button is the
// focused one (Enter) and Escape is Cancel, so the buttons are ordered safe first, and a
// dialog without a safe button is refused as a programming error. A test (automation) may
// ask for "what Enter would choose" and gets the dialog recorded, so the rule is checked
// on the real dialogs, not on a copy of them.
import * as vscode from 'vscode';
import { accountLabel } from '../../core/sectigo/call-plan';
import type { BulkRunManifest } from '../../core/sectigo/bulk/run-store';
import { isProductionRun, testFieldOf } from '../../core/sectigo/bulk/stored-run';
import { describeTarget, reasonsAsSent, type BulkTarget } from '../../core/sectigo/bulk/targets';
import { REVOCATION_CODES } from '../../core/sectigo/validate';
import type { StepInput } from '../shared/multi-step-input';

export interface ConfirmButton<T> {
  label: string;
  value: T;
  /** Cannot be undone (a real revocation, a replace that revokes the old order, sending a predicted refusal). */
  irreversible: boolean;
}

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
  message: string,
  detail: string,
  buttons: ConfirmButton<T>[],
  options: ConfirmOptions = {},
): Promise<T | undefined> {
  const ordered = safeFirst(message, buttons);
  options.record?.push({
    message,
    detail,
    buttons: ordered.map(({ label, irreversible }) => ({ label, irreversible })),
  });
  if (options.answer !== undefined) {
    if (options.answer === 'escape') return undefined;
    if (options.answer === 'enter') return ordered[0]?.value;
    const wanted = options.answer.label;
    return ordered.find((button) => button.label === wanted)?.value;
  }
  const choice = await vscode.window.showWarningMessage(
    message,
    { modal: true, detail },
    ...ordered.map((button) => button.label),
  );
  return ordered.find((button) => button.label === choice)?.value;
}

/** A choice of a confirmation made in the quick input: a button, with a line saying what it does. */
export interface PickButton<T> extends ConfirmButton<T> {
  detail?: string;
}

/**
 * A confirmation inside a flow of steps, for a choice that changes nothing at Sectigo (forget a
 * password, remove a record): the choices as a quick pick, the safe one first and selected, so
 * Enter keeps and Escape stops; no Cancel button beside a Keep, as a modal dialog would add.
 * Automation answers it as it answers a dialog, and it is recorded the same way.
 */
export async function confirmPick<T>(
  input: StepInput,
  question: string,
  choices: PickButton<T>[],
  options: ConfirmOptions = {},
): Promise<T | undefined> {
  const ordered = safeFirst(question, choices);
  options.record?.push({
    message: question,
    detail: ordered.map((choice) => choice.detail ?? '').join('\n'),
    buttons: ordered.map(({ label, irreversible }) => ({ label, irreversible })),
  });
  if (options.answer !== undefined) {
    if (options.answer === 'escape') return undefined;
    if (options.answer === 'enter') return ordered[0]?.value;
    const wanted = options.answer.label;
    return ordered.find((choice) => choice.label === wanted)?.value;
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
function certificates(count: number): string {
  return count === 1 ? vscode.l10n.t('1 certificate') : vscode.l10n.t('{0} certificates', count.toLocaleString());
}

/** "lines 2–101, 140, 150–152": a list's lines, runs of consecutive ones joined, at most `max` runs. */
export function lineRanges(lines: readonly number[], max = 6): string {
  const sorted = [...lines].sort((a, b) => a - b);
  const runs: string[] = [];
  let start = sorted[0];
  let previous = start;
  const close = (): void => {
    if (start !== undefined && previous !== undefined)
      runs.push(start === previous ? String(start) : `${start}–${previous}`);
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
  const shown = runs.slice(0, max).join(', ');
  const more = runs.length > max ? ` ${vscode.l10n.t('and {0} more', String(runs.length - max))}` : '';
  return sorted.length === 1 ? vscode.l10n.t('line {0}', shown) : vscode.l10n.t('lines {0}{1}', shown, more);
}

/**
 * The reasons as each target is sent, the commonest first, each with the list's lines it goes
 * with; when the list's own columns set some, a line says they override the answers given.
 */
function reasonLines(run: Pick<BulkRunManifest, 'reason' | 'codeReason'>, targets: readonly BulkTarget[]): string[] {
  const pairs = reasonsAsSent(targets, {
    reason: run.reason,
    ...(run.codeReason !== undefined && { codeReason: run.codeReason }),
  });
  const pairText = (pair: (typeof pairs)[number]): string =>
    vscode.l10n.t(
      '"{0}"{1}',
      pair.revocationReason,
      pair.codeReason !== undefined ? ` (codeReason ${pair.codeReason}: ${REVOCATION_CODES[pair.codeReason]})` : '',
    );
  const ownColumns = targets.some((target) => target.reason !== undefined || target.codeReason !== undefined);
  const asked =
    run.codeReason !== undefined
      ? vscode.l10n.t('codeReason {0} and the reason text asked for', String(run.codeReason))
      : vscode.l10n.t('the reason asked for');
  const overrides = ownColumns
    ? [
        vscode.l10n.t(
          "The list's revocationReason and codeReason columns override {0} on the lines that fill them.",
          asked,
        ),
      ]
    : [];
  const [only] = pairs;
  if (pairs.length === 1 && only)
    return [vscode.l10n.t('Reason, sent with every certificate: {0}', pairText(only)), ...overrides];
  const shown = pairs.slice(0, MAX_REASON_LINES);
  return [
    vscode.l10n.t('Reasons as sent: {0} distinct pairs of revocationReason and codeReason', String(pairs.length)),
    ...shown.map((pair) => `  ${certificates(pair.count)} (${lineRanges(pair.lines)}): ${pairText(pair)}`),
    ...(pairs.length > shown.length
      ? [vscode.l10n.t('  … and {0} more pairs', String(pairs.length - shown.length))]
      : []),
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
  run: Pick<BulkRunManifest, 'targets' | 'endpoint' | 'loginName' | 'reason' | 'codeReason' | 'source'>,
  kind: BulkConfirmation,
  options: { notes?: readonly string[] } & ConfirmOptions = {},
): Promise<BulkChoice | undefined> {
  const resume = kind.kind === 'resume' ? kind : undefined;
  const targets = resume ? resume.left : run.targets;
  const count = targets.length;
  const first = targets.slice(0, 5).map((target) => `  ${describeTarget(target)}`);
  // The first line names the account the way every confirmation does: `login @ host`, marked off production.
  const who = `${accountLabel(run.loginName, run.endpoint)}${isProductionRun(run) ? '' : ` ${vscode.l10n.t('(not production)')}`}`;
  const test = resume?.test === true;
  const detail = [
    vscode.l10n.t('Account: {0}', who),
    vscode.l10n.t('Endpoint: {0}', run.endpoint),
    // The test field as the calls' own builder writes it: what the dialog says is what is sent.
    test
      ? vscode.l10n.t(
          'Mode: test call, every call sends {0}: Sectigo checks each call and nothing is revoked',
          testFieldOf(run, true),
        )
      : kind.kind === 'new'
        ? vscode.l10n.t(
            'Mode: the test call first (every call sends {0}), or the real revocation (every call sends {1})',
            testFieldOf(run, true),
            testFieldOf(run, false),
          )
        : vscode.l10n.t('Mode: real revocation, every call sends {0}', testFieldOf(run, false)),
    ...reasonLines(run, targets),
    vscode.l10n.t('From: {0}', run.source),
    ...(resume
      ? [
          vscode.l10n.t(
            'Answered in the earlier run: {0} of {1} ({2} accepted, {3} failed), not sent again.',
            (resume.done + resume.failed).toLocaleString(),
            run.targets.length.toLocaleString(),
            resume.done.toLocaleString(),
            resume.failed.toLocaleString(),
          ),
          resume.unknown > 0
            ? vscode.l10n.t(
                'Left to send: {0}, of which {1} may have reached Sectigo (outcome unknown) and are sent again.',
                count.toLocaleString(),
                resume.unknown.toLocaleString(),
              )
            : vscode.l10n.t('Left to send: {0}.', count.toLocaleString()),
        ]
      : []),
    ...first,
    ...(count > first.length ? [vscode.l10n.t('  … and {0} more', (count - first.length).toLocaleString())] : []),
    ...(options.notes ?? []),
    '',
    test
      ? vscode.l10n.t('A test call (test=Y) revokes nothing.')
      : kind.kind === 'new'
        ? vscode.l10n.t(
            'A test revocation (test=Y) checks every call with Sectigo and revokes nothing. A real revocation cannot be undone.',
          )
        : vscode.l10n.t('A real revocation cannot be undone.'),
  ].join('\n');
  const headline = resume
    ? test
      ? vscode.l10n.t(
          '{0}: resume the test call from {1} (test=Y, nothing is revoked) for the {2} left?',
          who,
          run.source,
          certificates(count),
        )
      : vscode.l10n.t(
          '{0}: resume the revocation from {1}: revoke the {2} left for real?',
          who,
          run.source,
          certificates(count),
        )
    : kind.kind === 'after-test'
      ? vscode.l10n.t('{0}: revoke {1} for real?', who, certificates(count))
      : vscode.l10n.t('{0}: revoke {1}?', who, certificates(count));
  const revokeNow =
    count === 1
      ? vscode.l10n.t('Revoke 1 Certificate Now')
      : vscode.l10n.t('Revoke {0} Certificates Now', count.toLocaleString());
  const buttons: ConfirmButton<BulkChoice>[] = resume
    ? test
      ? [{ label: vscode.l10n.t('Resume the Test Call (test=Y)'), value: 'test', irreversible: false }]
      : [
          // Before resuming for real, the safe step is to see what the earlier run sent.
          { label: vscode.l10n.t('Show What Was Sent First'), value: 'journal', irreversible: false },
          { label: revokeNow, value: 'real', irreversible: true },
        ]
    : [
        kind.kind === 'after-test'
          ? { label: vscode.l10n.t('Test Again (test=Y)'), value: 'test', irreversible: false }
          : { label: vscode.l10n.t('Test Revoke All First (test=Y)'), value: 'test', irreversible: false },
        { label: revokeNow, value: 'real', irreversible: true },
      ];
  return confirm<BulkChoice>(headline, detail, buttons, {
    ...(options.answer !== undefined && { answer: options.answer }),
    ...(options.record && { record: options.record }),
  });
}
