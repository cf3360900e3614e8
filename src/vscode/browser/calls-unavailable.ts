// In the browser no call is made. A form POST from a page reaches Sectigo even though CORS hides
// the answer: an irreversible call whose outcome nobody could know. So every command that calls
// Sectigo, or handles what a call needs (credentials, the log, the orders), is registered here
// to say so and do nothing else: no prompt, no credential asked for, nothing sent. package.json
// hides them where the context key is set; these handlers answer a caller that runs one anyway.
import * as vscode from 'vscode';
import type { Text } from '../../core/outside-text';
import { CALL_COMMANDS, ContextKeys } from '../shared/ids';
import { showInformation } from '../shared/messages';
import { t } from '../shared/text';

export function callsUnavailableMessage(): Text {
  return t(
    'Calls to Sectigo need VS Code desktop or a remote window (Remote-SSH, WSL, a dev container, code-server). In a browser a call could reach Sectigo without its answer ever coming back, so none is made here; nothing was sent.',
  );
}

export function registerCallsUnavailable(context: vscode.ExtensionContext): void {
  void vscode.commands.executeCommand('setContext', ContextKeys.callsUnavailable, true);
  for (const command of CALL_COMMANDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(command, () => {
        void showInformation(callsUnavailableMessage());
        return undefined;
      }),
    );
  }
}
