// Every confirmation before a call goes through here, so one rule holds for all of them:
// Enter and Escape do the safe thing. In a VS Code modal dialog the first button is the
// focused one (Enter) and Escape is Cancel, so the buttons are ordered safe first, and a
// dialog without a safe button is refused as a programming error. A test (automation) may
// ask for "what Enter would choose" and gets the dialog recorded, so the rule is checked
// on the real dialogs, not on a copy of them.
import * as vscode from 'vscode';
import { accountLabel } from '../../core/sectigo/call-plan';
import type { BulkRunManifest } from '../../core/sectigo/bulk/run-store';
import { isProductionRun } from '../../core/sectigo/bulk/stored-run';
import { describeTarget } from '../../core/sectigo/bulk/targets';
import { REVOCATION_CODES } from '../../core/sectigo/validate';

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

export async function confirm<T>(
  message: string,
  detail: string,
  buttons: ConfirmButton<T>[],
  options: ConfirmOptions = {},
): Promise<T | undefined> {
  // Stable: safe buttons keep their order and come before every irreversible one.
  const ordered = [
    ...buttons.filter((button) => !button.irreversible),
    ...buttons.filter((button) => button.irreversible),
  ];
  if (ordered[0]?.irreversible) throw new Error(`The confirmation "${message}" has no safe button to focus.`);
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

/** The one confirmation of a bulk run: count, endpoint, account, reason; the test revocation is the first button. */
export async function confirmBulk(
  run: Pick<BulkRunManifest, 'targets' | 'endpoint' | 'loginName' | 'reason' | 'codeReason' | 'source'>,
  onlyReal: boolean,
  options: { notes?: readonly string[] } & ConfirmOptions = {},
): Promise<'test' | 'real' | undefined> {
  const count = run.targets.length;
  const first = run.targets.slice(0, 5).map((target) => `  ${describeTarget(target)}`);
  const detail = [
    vscode.l10n.t('Endpoint: {0}', run.endpoint),
    vscode.l10n.t('Account: {0}', run.loginName),
    vscode.l10n.t(
      'Reason: {0}{1}',
      run.reason ?? vscode.l10n.t('(from the list)'),
      run.codeReason !== undefined ? ` (codeReason ${run.codeReason}: ${REVOCATION_CODES[run.codeReason]})` : '',
    ),
    vscode.l10n.t('From: {0}', run.source),
    ...first,
    ...(count > first.length ? [vscode.l10n.t('  … and {0} more', String(count - first.length))] : []),
    ...(options.notes ?? []),
    '',
    onlyReal
      ? vscode.l10n.t('A real revocation cannot be undone.')
      : vscode.l10n.t(
          'A test revocation (test=Y) checks every call with Sectigo and revokes nothing. A real revocation cannot be undone.',
        ),
  ].join('\n');
  // The first line names the account the way every confirmation does: `login @ host`, marked off production.
  const who = `${accountLabel(run.loginName, run.endpoint)}${isProductionRun(run) ? '' : ` ${vscode.l10n.t('(not production)')}`}`;
  const headline = onlyReal
    ? vscode.l10n.t('{0}: revoke {1} certificates for real?', who, count.toLocaleString())
    : vscode.l10n.t('{0}: revoke {1} certificates?', who, count.toLocaleString());
  // The focused (first) button is never the irreversible one: a test run, or not now.
  const choice = await confirm<'test' | 'real' | 'cancel'>(
    headline,
    detail,
    [
      onlyReal
        ? { label: vscode.l10n.t('Not Now'), value: 'cancel', irreversible: false }
        : { label: vscode.l10n.t('Test Revoke All First (test=Y)'), value: 'test', irreversible: false },
      {
        label: vscode.l10n.t('Revoke {0} Certificates Now', count.toLocaleString()),
        value: 'real',
        irreversible: true,
      },
    ],
    {
      ...(options.answer !== undefined && { answer: options.answer }),
      ...(options.record && { record: options.record }),
    },
  );
  return choice === 'cancel' ? undefined : choice;
}
