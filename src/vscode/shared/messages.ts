// The sink of notifications, progress notifications and dialogs: the only module that calls
// vscode.window.show{Information,Warning,Error}Message and withProgress. Each takes a Text, never
// a string, and gives VS Code renderMessage's rendering: every outside value on one line and cut
// to the message bound, and no "[label](command:…)" or other link VS Code's notification parser
// would make clickable (core/message-text.ts). Buttons are Texts too; the one chosen is returned
// as the same object, so a caller compares it with `===` as before.
import * as vscode from 'vscode';
import { renderMessage } from '../../core/message-text';
import type { Text } from '../../core/outside-text';
import { knownSecrets } from './known-secrets';

/** A message as VS Code is given it: redacted with every secret the extension knows. */
const shown = (message: Text, icons?: boolean): string =>
  renderMessage(message, { secrets: knownSecrets(), ...(icons !== undefined && { icons }) });

/** What a notification or dialog shows of a Text, for a record of it (automation, tests): the same rendering. */
export function messageAsShown(message: Text): string {
  return shown(message);
}

type Severity = 'information' | 'warning' | 'error';

const SHOW = {
  information: (message: string, options: vscode.MessageOptions, items: string[]) =>
    vscode.window.showInformationMessage(message, options, ...items),
  warning: (message: string, options: vscode.MessageOptions, items: string[]) =>
    vscode.window.showWarningMessage(message, options, ...items),
  error: (message: string, options: vscode.MessageOptions, items: string[]) =>
    vscode.window.showErrorMessage(message, options, ...items),
} as const;

async function show(
  severity: Severity,
  message: Text,
  options: { modal?: boolean; detail?: Text },
  buttons: readonly Text[],
): Promise<Text | undefined> {
  const labels = buttons.map((button) => shown(button));
  const messageOptions: vscode.MessageOptions = {
    ...(options.modal !== undefined && { modal: options.modal }),
    ...(options.detail !== undefined && { detail: shown(options.detail) }),
  };
  const chosen = await SHOW[severity](shown(message), messageOptions, labels);
  const index = chosen === undefined ? -1 : labels.indexOf(chosen);
  return index === -1 ? undefined : buttons[index];
}

/** A notification; resolves to the button chosen, or undefined when closed. */
export function showInformation(message: Text, ...buttons: Text[]): Promise<Text | undefined> {
  return show('information', message, {}, buttons);
}
export function showWarning(message: Text, ...buttons: Text[]): Promise<Text | undefined> {
  return show('warning', message, {}, buttons);
}
export function showError(message: Text, ...buttons: Text[]): Promise<Text | undefined> {
  return show('error', message, {}, buttons);
}

/** A modal dialog: its message, its detail (own line breaks kept), its buttons (VS Code adds Cancel). */
export function showModal(
  severity: Severity,
  message: Text,
  detail: Text | undefined,
  buttons: readonly Text[],
): Promise<Text | undefined> {
  return show(severity, message, { modal: true, ...(detail !== undefined && { detail }) }, buttons);
}

/** What a task running under a progress notification reports. */
export interface ProgressReport {
  report(step: { message?: Text; increment?: number }): void;
}

/** A cancellable progress notification whose title and messages are Texts. */
export function withProgressNotification<R>(
  title: Text,
  cancellable: boolean,
  task: (progress: ProgressReport, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: shown(title), cancellable },
    (progress, token) =>
      task(
        {
          report: ({ message, increment }) =>
            progress.report({
              ...(message !== undefined && { message: shown(message) }),
              ...(increment !== undefined && { increment }),
            }),
        },
        token,
      ),
  );
}
