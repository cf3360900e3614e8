// "Sectigo: Revoke from List…" and the actions on an unfinished run of the Orders view (Resume,
// Discard): their registrations, and the check for unfinished runs after activation (or once the
// workspace is trusted); the flow itself is bulk-revoke-flow.ts.
import * as vscode from 'vscode';
import { automationArgs, isAutomation, registerGuarded } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { messageAsShown, showWarning } from '../shared/messages';
import { t } from '../shared/text';
import {
  bulkAutomationOf,
  checkUnfinishedRuns,
  discardRunById,
  offerResume,
  resumeRunById,
  runReportProvider,
  showRunReport,
  startFromList,
  type AskOffer,
} from './bulk-revoke-flow';
import { dialogAnswerOf, type DialogRecord } from './confirm';
import { RUN_REPORT_SCHEME } from './run-report';
import type { CallDeps } from './run-call';

/**
 * The stored run an argument names: a run node of the tree (its id is `run:<id>`; the node class
 * is the orders bundle's, so it is not checked with instanceof) or `{ id: 'run:<id>' }`. Nothing
 * else is read from it; the run is then looked up in the store by that id.
 */
function runIdOf(argument: unknown): string {
  const id = typeof argument === 'object' && argument !== null ? (argument as { id?: unknown }).id : undefined;
  if (typeof id === 'string' && id.startsWith('run:') && id.length <= 200) return id.slice('run:'.length);
  throw new Error(vscode.l10n.t('Run this from a revocation from a list in the Sectigo Orders view.'));
}

export function registerBulkRevokeCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.revokeFromList, t('Revoke from list'), async (args) => {
      const automation = bulkAutomationOf(args.last);
      // The resume offer after activation, answered by automation (tests): the same function, its words recorded.
      if (automation?.answerResumeOffer !== undefined) {
        const answer = automation.answerResumeOffer;
        return offerResume(
          deps,
          async (_offer, ...choices) =>
            answer === 'escape' ? undefined : choices.find((choice) => messageAsShown(choice) === answer),
          true,
        );
      }
      return startFromList(deps, args.uri, automation);
    }),
    registerGuarded(deps.log, Commands.resumeBulkRun, t('Resume revocation from list'), (_args, raw) => {
      const last = raw.length > 1 ? raw[raw.length - 1] : undefined;
      const automation = isAutomation(last)
        ? automationArgs<{ dialog?: string }>(last, { dialog: 'string?' })
        : undefined;
      const answer = dialogAnswerOf(automation?.dialog);
      return resumeRunById(deps, runIdOf(raw[0]), automation && { ...(answer !== undefined && { answer }) });
    }),
    registerGuarded(deps.log, Commands.discardBulkRun, t('Discard'), (_args, raw) => {
      const last = raw.length > 1 ? raw[raw.length - 1] : undefined;
      const automation = isAutomation(last)
        ? automationArgs<{ dialog?: string }>(last, { dialog: 'string?' })
        : undefined;
      const answer = dialogAnswerOf(automation?.dialog);
      const dialogs: DialogRecord[] = [];
      // Automation that answers the question gets it recorded; otherwise the plain answer, as before.
      return discardRunById(deps, runIdOf(raw[0]), automation !== undefined, answer, dialogs).then((discarded) =>
        answer !== undefined ? { discarded, dialogs } : discarded,
      );
    }),
    vscode.workspace.registerTextDocumentContentProvider(RUN_REPORT_SCHEME, runReportProvider(deps)),
    registerGuarded(deps.log, Commands.showRunReport, t('Show what was sent'), (_args, raw) =>
      showRunReport(deps, runIdOf(raw[0])).then((uri) => uri.toString()),
    ),
  );
}

/**
 * Offers to resume the newest interrupted run: called after activation (only when the runs
 * folder holds an unfinished run, see ../../extension.ts), or once the workspace is trusted.
 */
export function offerResumeAfterActivation(context: vscode.ExtensionContext, deps: CallDeps): void {
  const notify: AskOffer = (message, ...choices) => showWarning(message, ...choices);
  // Never awaited by activation: the records brought in line with the stored runs, then the offer.
  const check = (): void =>
    void checkUnfinishedRuns(deps, notify).catch((error: unknown) =>
      deps.log.error('Looking for an unfinished revocation failed.', error),
    );
  // Calls are off in Restricted Mode: the check waits until the workspace is trusted.
  if (vscode.workspace.isTrusted) check();
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(check));
}
