// Every confirmation before a call goes through here, so one rule holds for all of them:
// Enter and Escape do the safe thing. In a VS Code modal dialog the first button is the
// focused one (Enter) and Escape is Cancel, so the buttons are ordered safe first, and a
// dialog without a safe button is refused as a programming error. A test (automation) may
// ask for "what Enter would choose" and gets the dialog recorded, so the rule is checked
// on the real dialogs, not on a copy of them.
import * as vscode from 'vscode';

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
