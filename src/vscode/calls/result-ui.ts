// The result notification of a call, with the next step it needs: copy the new order number,
// revoke for real after a test, set credentials after -16, a compliant key and CSR after -13,
// retry after -42 at the time
// Sectigo allows, or send again when a revocation's answer was lost (safe: a repeat answers -21).
// A bulk run's result returns the person's choice (resume, revoke for real) to the code that ran
// it; it never starts a run itself.
import * as vscode from 'vscode';
import type { BulkSummary } from '../../core/sectigo/bulk/summary';
import { summaryVerdict } from '../../core/sectigo/bulk/summary';
import { REFUSAL_TEMPLATE } from '../../core/sectigo/call-plan';
import { countsLine, runWords, testPassedWords } from '../../core/sectigo/outcome-words';
import type { OrderState } from '../../core/sectigo/orders-store';
import type { ApiResult } from '../../core/sectigo/types';
import { keyRefusedErrorCode } from '../../core/csr/limits';
import { outside, words, timeText, type Text } from '../../core/outside-text';
import { Commands } from '../shared/ids';
import type { SectigoLog } from '../shared/log';
import { showError, showInformation, showWarning } from '../shared/messages';
import { t } from '../shared/text';

/** What the notification needs of a call: its result, and the state it left the order in. */
export interface ShownCall {
  result: ApiResult;
  entry: { state: OrderState } | undefined;
}

export interface ResultActions {
  /** Runs the same call again (offered after -42 at the given time, and after a revoke whose answer was lost). */
  retry?: () => Thenable<unknown> | Promise<unknown>;
  /** Offered after a successful test revoke. */
  revokeForReal?: () => Thenable<unknown> | Promise<unknown>;
  /** Whether repeating the call blindly is safe (revoke: a repeat answers -21). */
  repeatIsSafe: boolean;
  /** The request a replace sent: a key-size refusal (-13) offers a compliant key and CSR made from it. */
  csr?: { uri: vscode.Uri; blockIndex: number };
}

/** After -13 (the key), the fix beside the refusal: the CSR editor's command, reached by its id only. */
function keyFixOffer(code: number, actions: ResultActions): { label: Text; run: () => Thenable<unknown> } | undefined {
  const csr = actions.csr;
  if (code !== keyRefusedErrorCode || csr === undefined) return undefined;
  return {
    label: t('Create a Compliant Key and CSR…'),
    run: () => vscode.commands.executeCommand(Commands.createCompliantCsr, csr.uri, csr.blockIndex),
  };
}

/** The result notification with its next actions. Not awaited by automation. */
export async function showResult(
  deps: { log: SectigoLog },
  report: ShownCall,
  what: Text,
  actions: ResultActions,
): Promise<void> {
  const { result } = report;
  const showLog = t('Show Log');
  switch (result.kind) {
    case 'success': {
      if (result.newOrderNumber) {
        const copy = t('Copy New Order Number');
        const choice = await showInformation(
          t('{0}: done. New order number {1}.', what, outside(result.newOrderNumber)),
          copy,
          showLog,
        );
        if (choice === copy) await vscode.env.clipboard.writeText(result.newOrderNumber);
        if (choice === showLog) deps.log.show();
        return;
      }
      const realRevoke = t('Revoke for Real…');
      const buttons = actions.revokeForReal ? [realRevoke, showLog] : [showLog];
      const message =
        report.entry?.state === 'test-revoked'
          ? t('{0}: Sectigo accepted the test revocation (test=Y). Nothing was revoked.', what)
          : words`${t('{0}: done.', what)}${result.note ? words` ${outside(result.note)}` : words``}`;
      const choice = await showInformation(message, ...buttons);
      if (choice === realRevoke) await actions.revokeForReal?.();
      if (choice === showLog) deps.log.show();
      return;
    }
    case 'api-error': {
      const buttons: Text[] = [showLog];
      const setCredentials = t('Set Credentials…');
      if (result.errorCode === -16) buttons.unshift(setCredentials);
      const keyFix = keyFixOffer(result.errorCode, actions);
      if (keyFix) buttons.unshift(keyFix.label);
      let retryLabel: Text | undefined;
      if (result.retryAfter && actions.retry) {
        retryLabel = t('Retry at {0}', timeText(Date.parse(result.retryAfter), 'time'));
        buttons.unshift(retryLabel);
      }
      // -21 at AutoRevokeSSL: already revoked, which is what a revocation wanted: not an error to the user.
      if (result.endpoint === 'AutoRevokeSSL' && result.errorCode === -21) {
        const choice = await showInformation(
          t('{0}: the certificate is already revoked (Sectigo answered -21). Nothing more to do.', what),
          showLog,
        );
        if (choice === showLog) deps.log.show();
        return;
      }
      // -4 names no parameter by itself: the server's own message says which one.
      const serverSaid =
        result.errorCode === -4 ? words` ${t('Sectigo said: "{0}".', outside(result.errorMessage))}` : words``;
      const choice = await showError(
        words`${t(
          '{0}: Sectigo answered {1}. {2} {3}',
          what,
          result.errorCode,
          outside(result.explanation.meaning),
          outside(result.explanation.nextStep),
        )}${serverSaid}`,
        ...buttons,
      );
      if (choice === setCredentials) await vscode.commands.executeCommand(Commands.setCredentials);
      if (keyFix && choice === keyFix.label) await keyFix.run();
      if (choice === showLog) deps.log.show();
      if (choice === retryLabel && result.retryAfter && actions.retry)
        scheduleRetry(what, result.retryAfter, actions.retry);
      return;
    }
    case 'validation-error': {
      const keyFix = keyFixOffer(result.predictedErrorCode, actions);
      const choice = await showError(
        t(
          '{0}: not sent. {1}',
          what,
          t(REFUSAL_TEMPLATE, outside(result.message), outside(result.parameter), result.predictedErrorCode),
        ),
        ...(keyFix ? [keyFix.label] : []),
        showLog,
      );
      if (keyFix && choice === keyFix.label) await keyFix.run();
      if (choice === showLog) deps.log.show();
      return;
    }
    case 'transport-error':
    case 'cancelled': {
      if (result.outcome === 'unknown') {
        const retry = t('Send Again');
        const buttons = actions.repeatIsSafe && actions.retry ? [retry, showLog] : [showLog];
        const advice = actions.repeatIsSafe
          ? t('Sending it again is safe: a repeated revocation answers "already revoked".')
          : t(
              'Check the order in the Sectigo portal before trying again: a replacement sent twice may create two orders.',
            );
        const choice = await showWarning(
          t(
            '{0}: OUTCOME UNKNOWN. {1} The request may have reached Sectigo. {2}',
            what,
            outside(result.message),
            advice,
          ),
          ...buttons,
        );
        if (choice === retry) await actions.retry?.();
        if (choice === showLog) deps.log.show();
        return;
      }
      const choice =
        result.kind === 'cancelled'
          ? await showInformation(t('{0}: cancelled; nothing was sent.', what))
          : await showError(t('{0}: not sent. {1}', what, outside(result.message)), showLog);
      if (choice === showLog) deps.log.show();
      return;
    }
  }
}

/** After -42: tell the user when the call limit has passed, and offer the retry then. */
function scheduleRetry(what: Text, retryAfter: string, retry: () => Thenable<unknown> | Promise<unknown>): void {
  const wait = Math.max(0, Date.parse(retryAfter) - Date.now());
  const timer = setTimeout(
    () => {
      const again = t('Retry Now');
      void showInformation(t('{0}: the Sectigo call limit should have passed.', what), again).then((choice) => {
        if (choice === again) void retry();
      });
    },
    Math.min(wait, 2 ** 31 - 1),
  );
  timer.unref?.();
}

/** What the person chose on a bulk run's result: resume the rest, or revoke the tested list for real. */
export type BulkResultChoice = 'resume' | 'revoke-for-real' | undefined;

/** The result of a bulk run, with the next step it offers; the choice goes back to the caller. */
export async function showBulkResult(
  log: SectigoLog,
  test: boolean,
  summary: BulkSummary,
  /** Of the whole run, answered -21: "already revoked", never counted as accepted by a test call. */
  alreadyRevoked = 0,
): Promise<BulkResultChoice> {
  const showLog = t('Show Log');
  const verdict = summaryVerdict(summary);
  // The words come from core (the command line says the same): a test run never says "revoked".
  const counts = words`${outside(countsLine({ ...summary, alreadyRevoked, test }))}.`;
  const what = outside(runWords(test));
  let choice: Text | undefined;
  let next: BulkResultChoice;
  if (verdict === 'unfinished') {
    const resume = t('Resume…');
    choice = await showWarning(
      words`${t('{0} stopped:', what)} ${counts} ${
        test
          ? t('Resuming sends the rest with test=Y, after a confirmation.')
          : t(
              'Resuming sends the rest after a confirmation; those with an unknown outcome are sent again (a repeat answers "already revoked").',
            )
      }`,
      resume,
      showLog,
    );
    if (choice === resume) next = 'resume';
  } else if (test && verdict === 'done') {
    const real = t('Revoke for Real…');
    // The same words as the command line's summary: a -21 is "already revoked", never accepted by the test.
    choice = await showInformation(words`${outside(testPassedWords(summary.total, alreadyRevoked))}`, real, showLog);
    if (choice === real) next = 'revoke-for-real';
  } else {
    const show = verdict === 'done' ? showInformation : showError;
    choice = await show(words`${what}: ${counts}`, showLog);
  }
  if (choice === showLog) log.show();
  return next;
}
