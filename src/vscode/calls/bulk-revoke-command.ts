// "Sectigo: Revoke from List…" and the actions on an unfinished run of the Orders view (Resume,
// Discard): their registrations, and the check for unfinished runs after activation (or once the
// workspace is trusted). The flows: bulk-revoke-flow.ts starts a run, bulk-resume-flow.ts does the
// rest (resume, discard, the offer, the report), and this file hands the one the other's runs.
import * as vscode from 'vscode';
import { registerGuarded, type CommandArguments } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { messageAsShown, showWarning } from '../shared/messages';
import { t } from '../shared/text';
import { bulkAutomationOf, startFromList } from './bulk-revoke-flow';
import {
  bulkRuns,
  checkUnfinishedRuns,
  discardRunById,
  offerResume,
  resumeRunById,
  runReportProvider,
  showRunReport,
  type AskOffer,
} from './bulk-resume-flow';
import { dialogAnswerOf, type DialogRecord } from './confirm';
import { RUN_REPORT_SCHEME } from './run-report';
import type { CallDeps } from './run-call';

/**
 * The stored run a command's row names: a run node of the tree (its id is `run:<id>`) or
 * `{ id: 'run:<id>' }`, read by the one argument reader. Nothing else is read from it; the run is
 * then looked up in the store by that id.
 */
function runIdOf(args: CommandArguments): string {
  const id = args.node?.id;
  if (id !== undefined && id.startsWith('run:') && id.length <= 200) return id.slice('run:'.length);
  throw new Error(vscode.l10n.t('Run this from a revocation from a list in the Sectigo Orders view.'));
}

/** What automation may give Resume and Discard: the answer to their confirmation. */
const DIALOG_ANSWER = { dialog: 'string?' } as const;

export function registerBulkRevokeCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.revokeFromList, t('Revoke from list'), async (args) => {
      const automation = bulkAutomationOf(args);
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
      return startFromList(deps, bulkRuns(deps), args.uri, automation);
    }),
    registerGuarded(deps.log, Commands.resumeBulkRun, t('Resume revocation from list'), (args) => {
      const automation = args.automation(DIALOG_ANSWER);
      const answer = dialogAnswerOf(automation?.dialog);
      return resumeRunById(deps, runIdOf(args), automation && { ...(answer !== undefined && { answer }) });
    }),
    registerGuarded(deps.log, Commands.discardBulkRun, t('Discard'), (args) => {
      const automation = args.automation(DIALOG_ANSWER);
      const answer = dialogAnswerOf(automation?.dialog);
      const dialogs: DialogRecord[] = [];
      // Automation that answers the question gets it recorded; otherwise the plain answer, as before.
      return discardRunById(deps, runIdOf(args), automation !== undefined, answer, dialogs).then((discarded) =>
        answer !== undefined ? { discarded, dialogs } : discarded,
      );
    }),
    vscode.workspace.registerTextDocumentContentProvider(RUN_REPORT_SCHEME, runReportProvider(deps)),
    registerGuarded(deps.log, Commands.showRunReport, t('Show what was sent'), (args) =>
      showRunReport(deps, runIdOf(args)).then((uri) => uri.toString()),
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
