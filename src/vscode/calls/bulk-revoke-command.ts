// "Sectigo: Revoke from List…" and the actions on an unfinished run of the Orders view (Resume,
// Discard): their registrations, and the check for unfinished runs after activation (or once the
// workspace is trusted); the flow itself is bulk-revoke-flow.ts.
import * as vscode from 'vscode';
import { automationArgs, isAutomation, registerGuarded } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import {
  bulkAutomationOf,
  checkUnfinishedRuns,
  discardRunById,
  offerResume,
  resumeRunById,
  startFromList,
  type AskOffer,
} from './bulk-revoke-flow';
import { dialogAnswerOf } from './confirm';
import { RunNode } from './orders-tree';
import type { CallDeps } from './run-call';

/** The stored run an argument names: a run node of the tree, or `{ id: 'run:<id>' }`; nothing else is read from it. */
function runIdOf(argument: unknown): string {
  if (argument instanceof RunNode) return argument.run.id;
  const id = typeof argument === 'object' && argument !== null ? (argument as { id?: unknown }).id : undefined;
  if (typeof id === 'string' && id.startsWith('run:') && id.length <= 200) return id.slice('run:'.length);
  throw new Error(vscode.l10n.t('Run this from an unfinished revocation in the Sectigo Orders view.'));
}

export function registerBulkRevokeCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.revokeFromList, vscode.l10n.t('Revoke from list'), async (args) => {
      const automation = bulkAutomationOf(args.last);
      // The resume offer after activation, answered by automation (tests): the same function, its words recorded.
      if (automation?.answerResumeOffer !== undefined) {
        const answer = automation.answerResumeOffer;
        return offerResume(deps, async () => (answer === 'escape' ? undefined : answer), true);
      }
      return startFromList(deps, args.uri, automation);
    }),
    registerGuarded(deps.log, Commands.resumeBulkRun, vscode.l10n.t('Resume revocation from list'), (_args, raw) => {
      const last = raw.length > 1 ? raw[raw.length - 1] : undefined;
      const automation = isAutomation(last)
        ? automationArgs<{ dialog?: string }>(last, { dialog: 'string?' })
        : undefined;
      const answer = dialogAnswerOf(automation?.dialog);
      return resumeRunById(deps, runIdOf(raw[0]), automation && { ...(answer !== undefined && { answer }) });
    }),
    registerGuarded(deps.log, Commands.discardBulkRun, vscode.l10n.t('Discard'), (_args, raw) =>
      discardRunById(deps, runIdOf(raw[0]), raw.length > 1 && isAutomation(raw[raw.length - 1])),
    ),
  );
  const notify: AskOffer = (message, ...choices) => vscode.window.showWarningMessage(message, ...choices);
  // After activation and never awaited by it: activation reads nothing here.
  const check = (): void => {
    setTimeout(
      () =>
        void checkUnfinishedRuns(deps, notify).catch((error: unknown) =>
          deps.log.error('Looking for an unfinished revocation failed.', error),
        ),
      0,
    );
  };
  // Calls are off in Restricted Mode: the check waits until the workspace is trusted.
  if (vscode.workspace.isTrusted) check();
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(check));
}
