// "Sectigo: Revoke from List…": the command's registration, and the resume offer after
// activation (or once the workspace is trusted); the flow itself is bulk-revoke-flow.ts.
import * as vscode from 'vscode';
import { registerGuarded } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { bulkAutomationOf, offerResume, startFromList, type AskOffer } from './bulk-revoke-flow';
import type { CallDeps } from './run-call';

export function registerBulkRevokeCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.revokeFromList, vscode.l10n.t('Revoke from list'), async (args) => {
      const automation = bulkAutomationOf(args.last);
      // The activation's resume offer, answered by automation (tests): the same function, its words recorded.
      if (automation?.answerResumeOffer !== undefined) {
        const answer = automation.answerResumeOffer;
        return offerResume(deps, async () => (answer === 'escape' ? undefined : answer), true);
      }
      return startFromList(deps, args.uri, automation);
    }),
  );
}

/**
 * Offers to resume the newest interrupted run: called after activation (only when the runs
 * folder holds an unfinished run, see ../../extension.ts), or once the workspace is trusted.
 */
export function offerResumeAfterActivation(context: vscode.ExtensionContext, deps: CallDeps): void {
  const notify: AskOffer = (message, ...choices) => vscode.window.showWarningMessage(message, ...choices);
  const offer = (): void =>
    void offerResume(deps, notify, false).catch((error: unknown) =>
      deps.log.error('Looking for an interrupted revocation failed.', error),
    );
  // Calls are off in Restricted Mode: the offer waits until the workspace is trusted.
  if (vscode.workspace.isTrusted) offer();
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(offer));
}
