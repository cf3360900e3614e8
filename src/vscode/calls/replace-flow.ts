// The replace flow (AutoReplaceSMIME), started by "Sectigo: Replace S/MIME Certificate…" from the palette, the
// editor or explorer context menu (uri), the CSR CodeLens (uri, blockIndex) or the orders
// tree ("Replace Again"). Steps: CSR, order number, signature hash, language, template IDs,
// revoke old order; then a confirmation rendered from the call plan (exactly what will be sent,
// to which account and endpoint). A CSR the analysis says Sectigo will refuse with -13 stops
// here unless the user overrides. In every confirmation the focused button (Enter) is the safe one.
import * as vscode from 'vscode';
import { isDerBytes } from '../../core/der-or-text';
import { hasRequestHeader } from '../../core/pem-labels';
import { joinText, outside, plainText, words, type Text } from '../../core/outside-text';
import {
  REFUSAL_TEMPLATE,
  certainCsrRefusal,
  planCall,
  previewLines,
  previewText,
  sameRequestExcept,
  type CallPlan,
} from '../../core/sectigo/call-plan';
// Types only: the analysis itself is loaded on first use (deps.loadAnalysis), not when the extension activates.
import type { CsrReport } from '../../core/csr/index';
import { acceptedKeysText, keyRefusedErrorCode } from '../../core/csr/limits';
import { refusals } from '../../core/csr/refusals';
import { MAX_INPUT_FILE_BYTES } from '../../core/bounded-read';
import { readBoundedUri } from '../shared/bounded-file';
import type { ReplaceSmimeParams } from '../../core/sectigo/types';
import { validateOrderNumber } from '../../core/sectigo/validate';
import { t } from '../shared/text';
import { Commands, LANGUAGE_ID } from '../shared/ids';
import { ensureAccount } from './account-gate';
import { ensureTrusted } from '../shared/command-boundary';
import { confirm, dialogAnswerOf, type ConfirmButton, type DialogRecord } from './confirm';
import { runSteps } from '../shared/multi-step-input';
import { PARAMETER_STEPS, REPLACE_TITLE, askParameters, type ReplaceAutomation } from './replace-questions';
import { showResult } from './result-ui';
import { runCall, type CallDeps, type CallReport } from './run-call';
import { readReplaceDefaults } from '../shared/settings';

interface ChosenCsr {
  uri: vscode.Uri;
  report: CsrReport;
  /** The user picked it among several (a step of the flow). */
  picked?: boolean;
}

/**
 * The file's text as the user sees it (an open editor's unsaved edits included), or its bytes (DER).
 * A file is read only once it is known to be a regular file within the cap of a file given to a
 * call (the CLI's --csr has the same): a FIFO or /dev/zero is refused at once, never read.
 */
async function readCsrInput(uri: vscode.Uri): Promise<string | Uint8Array> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  const bytes = await readBoundedUri(uri, MAX_INPUT_FILE_BYTES);
  return isDerBytes(bytes) ? bytes : Buffer.from(bytes).toString('utf8');
}

async function chooseCsr(
  deps: CallDeps,
  uri: vscode.Uri | undefined,
  blockIndex: number | undefined,
  automation: boolean,
): Promise<ChosenCsr | undefined> {
  let target = uri;
  if (!target) {
    const editor = vscode.window.activeTextEditor;
    if (editor && (editor.document.languageId === LANGUAGE_ID || hasRequestHeader(editor.document.getText())))
      target = editor.document.uri;
  }
  if (!target) {
    if (automation) throw new Error('No CSR file was given.');
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Choose the CSR of the replacement certificate'),
      canSelectMany: false,
      openLabel: vscode.l10n.t('Use this CSR'),
      filters: {
        [vscode.l10n.t('Certificate requests')]: ['csr', 'req', 'pem', 'p10', 'der'],
        [vscode.l10n.t('All files')]: ['*'],
      },
    });
    target = picked?.[0];
    if (!target) return undefined;
  }
  const name = vscode.workspace.asRelativePath(target);
  const { analyseCsrText, isCsrReport } = await deps.loadAnalysis();
  // The same analysis as the CodeLens, so a block index means the same block here and there.
  const results = analyseCsrText(await readCsrInput(target), name);
  const requests = results.filter(isCsrReport);
  if (blockIndex !== undefined) {
    const result = results.find((candidate) => candidate.index === blockIndex);
    if (!result) throw new Error(vscode.l10n.t('{0} has no block number {1}.', name, String(blockIndex + 1)));
    if (!isCsrReport(result))
      throw new Error(
        vscode.l10n.t('Block {0} of {1} cannot be sent: {2}.', String(blockIndex + 1), name, result.error),
      );
    return { uri: target, report: result };
  }
  if (requests.length === 0) {
    const firstError = results.find((result) => !isCsrReport(result));
    throw new Error(
      vscode.l10n.t(
        '{0} holds no certificate request that can be sent{1}.',
        name,
        firstError && !isCsrReport(firstError) ? `: ${firstError.error}` : '',
      ),
    );
  }
  if (requests.length === 1 || automation) return { uri: target, report: requests[0] as CsrReport };
  let report: CsrReport | undefined;
  const answered = await runSteps(
    REPLACE_TITLE(),
    [
      {
        ask: async (input) => {
          report = await input.pick<CsrReport>({
            placeholder: t('This file holds {0} CSRs: which one?', requests.length),
            items: requests.map((candidate) => ({
              label: candidate.subject.text
                ? words`${outside(candidate.subject.text)}`
                : t('CSR {0}', candidate.index + 1),
              description: t('line {0}', candidate.range.startLine + 1),
              value: candidate,
            })),
          });
        },
      },
    ],
    {},
    // The parameters follow, after the refusal check.
    { before: 0, after: PARAMETER_STEPS },
  );
  if (!answered) return undefined;
  return report ? { uri: target, report, picked: true } : undefined;
}

function buildReplaceParams(answers: Omit<ReplaceAutomation, 'confirm'>, csr: string): ReplaceSmimeParams {
  const defaults = readReplaceDefaults();
  return {
    orderNumber: answers.orderNumber.trim(),
    csr,
    ...(answers.signatureHash ? { signatureHash: answers.signatureHash } : {}),
    ...(answers.revokeOldOrder ? { revokeOldOrder: true } : {}),
    responseFormat: defaults.responseFormat,
    ...(answers.languageName ? { languageName: answers.languageName } : {}),
    ...(answers.verificationTemplateId !== undefined
      ? { SMIMEVerificationTemplateID: answers.verificationTemplateId }
      : {}),
    ...(answers.requestTemplateId !== undefined ? { SMIMERequestTemplateID: answers.requestTemplateId } : {}),
    ...(answers.collectionTemplateId !== undefined ? { SMIMECollectionTemplateID: answers.collectionTemplateId } : {}),
  };
}

interface ReplaceConfirmation {
  headline: Text;
  detail: Text;
  /** Each button sends its plan; 'report' (before sending a predicted refusal) opens the CSR's report. */
  buttons: ConfirmButton<CallPlan | 'report'>[];
}

/**
 * The last confirmation, rendered from the plans its buttons send: the default button's request in
 * full, and the other button's as its difference from that one (revokeOldOrder = Y).
 */
function replaceConfirmation(
  who: Text,
  orderNumber: string,
  keepPlan: CallPlan,
  revokePlan: CallPlan | undefined,
  /** The refusal the person chose to send anyway (Send Anyway): said again here, and no send is the default. */
  refusal?: { predictedErrorCode: number; message: string },
): ReplaceConfirmation {
  if (refusal) {
    const report = { label: t('Show CSR Report'), value: 'report' as const, irreversible: false };
    const withRevoke = revokePlan ? sameRequestExcept(keepPlan, revokePlan) : undefined;
    const keepOnly = t('Replace Order {0} Anyway', outside(orderNumber));
    const andRevoke = t('Replace and Revoke Order {0} Anyway', outside(orderNumber));
    return {
      headline: t(
        '{0}: replace S/MIME order {1} with a CSR Sectigo will refuse ({2})? This is what will be sent:',
        who,
        outside(orderNumber),
        refusal.predictedErrorCode,
      ),
      detail: joinText(
        [
          t('Sectigo will answer {0}: {1}', refusal.predictedErrorCode, outside(refusal.message)),
          words``,
          joinText(previewLines(keepPlan), words`\n`),
          ...(withRevoke ? [words``, t('"{0}" sends {1}.', andRevoke, outside(withRevoke))] : []),
        ],
        words`\n`,
      ),
      buttons: [
        report,
        { label: keepOnly, value: keepPlan, irreversible: true },
        ...(revokePlan ? [{ label: andRevoke, value: revokePlan, irreversible: true }] : []),
      ],
    };
  }
  if (!revokePlan)
    return {
      headline: t('{0}: replace S/MIME order {1}? This is what will be sent:', who, outside(orderNumber)),
      detail: joinText(previewLines(keepPlan), words`\n`),
      buttons: [{ label: t('Replace Order {0}', outside(orderNumber)), value: keepPlan, irreversible: false }],
    };
  const keepOld = t('Replace Only, Keep Old Certificate');
  const replaceAndRevoke = t('Replace and Revoke Order {0}', outside(orderNumber));
  return {
    headline: t(
      '{0}: replace S/MIME order {1} and REVOKE its current certificate? The revocation cannot be undone.',
      who,
      outside(orderNumber),
    ),
    detail: joinText(
      [
        t('"{0}" (the default button) sends:', keepOld),
        joinText(previewLines(keepPlan), words`\n`),
        words``,
        t('"{0}" sends {1}.', replaceAndRevoke, outside(sameRequestExcept(keepPlan, revokePlan))),
      ],
      words`\n`,
    ),
    buttons: [
      { label: keepOld, value: keepPlan, irreversible: false },
      { label: replaceAndRevoke, value: revokePlan, irreversible: true },
    ],
  };
}

export interface ReplaceStart {
  uri?: vscode.Uri;
  blockIndex?: number;
  orderNumber?: string;
  /** Why the order number is the one offered (Replace Again… on a replaced order offers the order that replaced it). */
  orderNote?: string;
  automation?: ReplaceAutomation;
}

/**
 * The whole replace flow: one call, then the same replace again for as long as the person asks for
 * it on the result (the result returns the choice; it never starts the flow itself). Returns the
 * first call's report, or undefined when the user stopped.
 */
export async function replaceSmime(deps: CallDeps, start: ReplaceStart): Promise<CallReport | undefined> {
  const first = await replaceOnce(deps, start);
  for (let round = first; round?.again;) round = await replaceOnce(deps, round.again);
  return first?.report;
}

/** One replace: the CSR, the refusal check, the parameters, the confirmation, the call and its result. */
async function replaceOnce(
  deps: CallDeps,
  start: ReplaceStart,
): Promise<{ report: CallReport; again?: ReplaceStart } | undefined> {
  const automation = start.automation;
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const chosen = await chooseCsr(deps, start.uri, start.blockIndex, automation !== undefined);
  if (!chosen) return undefined;
  const where = `${vscode.workspace.asRelativePath(chosen.uri)}${chosen.report.index > 0 ? ` #${chosen.report.index + 1}` : ''}`;

  const dialogs: DialogRecord[] = [];
  // The one refusal rule (core/csr refusals): a certain refusal stops here unless overridden; a likely one is said first.
  const predicted = refusals(chosen.report);
  const allowPredictedRefusal = await passPredictedRefusal(chosen, where, predicted, automation, dialogs);
  if (allowPredictedRefusal === undefined) return undefined;

  const answers = automation ?? (await askParameters(start.orderNumber, chosen.picked === true, start.orderNote));
  if (!answers) return undefined;
  const orderProblem = validateOrderNumber(answers.orderNumber, 'AutoReplaceSMIME');
  if (orderProblem) throw new Error(orderProblem);
  const active = await ensureAccount(deps.credentials, automation !== undefined);
  if (!active) return undefined;
  const orderNumber = answers.orderNumber.trim();
  // Each button's call is planned once, here: its confirmation is rendered from that plan, and
  // that plan is what the client sends. The CSR's refusal comes from the analysis above (the
  // same rule the client's pre-flight uses), overridden there if at all.
  const planFor = (revokeOldOrder: boolean): CallPlan =>
    planCall(
      {
        endpoint: 'AutoReplaceSMIME',
        params: buildReplaceParams({ ...answers, revokeOldOrder }, chosen.report.pem),
        csrName: where,
      },
      { loginName: active.account.loginName, baseUrl: active.account.baseUrl },
      active.credentials,
      () => certainCsrRefusal(predicted),
    );
  const keepPlan = planFor(false);
  const revokePlan = answers.revokeOldOrder === true ? planFor(true) : undefined;
  const plan = revokePlan ?? keepPlan;
  if (plan.refusal && !(plan.refusal.overridable && allowPredictedRefusal))
    throw new Error(
      vscode.l10n.t(REFUSAL_TEMPLATE, plan.refusal.message, plan.refusal.parameter, plan.refusal.predictedErrorCode),
    );

  const answer = dialogAnswerOf(automation?.dialog);
  let chosenPlan: CallPlan = plan;
  if (!automation || answer !== undefined) {
    const overridden = plan.refusal?.overridable ? plan.refusal : undefined;
    const confirmation = replaceConfirmation(
      words`${outside(active.description)}`,
      orderNumber,
      keepPlan,
      revokePlan,
      overridden,
    );
    const choice = await confirm<CallPlan | 'report'>(
      confirmation.headline,
      confirmation.detail,
      confirmation.buttons,
      {
        ...(answer !== undefined ? { answer } : {}),
        record: dialogs,
      },
    );
    if (choice === 'report') await vscode.commands.executeCommand(Commands.inspectCsr, chosen.uri);
    if (!choice || choice === 'report') return undefined;
    chosenPlan = choice;
  }
  const sent = chosenPlan;

  const report = await runCall(deps, active, {
    endpoint: 'AutoReplaceSMIME',
    title: t('Replacing S/MIME order {0}…', outside(orderNumber)),
    identifierKind: 'orderNumber',
    identifier: orderNumber,
    record: {
      csrUri: chosen.uri.toString(),
      csrBlockIndex: chosen.report.index,
      revokeOldOrder: sent === revokePlan,
    },
    send: (client, _credentials, signal) => client.send(sent, { signal, allowPredictedRefusal }),
  });
  const shown = showResult(deps, report, t('Replace of order {0}', outside(orderNumber)), {
    repeatIsSafe: false,
    again: true,
    revokeForReal: false,
    csr: { uri: chosen.uri, blockIndex: chosen.report.index },
  });
  // Automation gets the report at once; the notification stays for a person to read.
  const choice = automation ? undefined : await shown;
  return {
    report: { ...report, preview: previewText(sent), ...(dialogs.length > 0 ? { dialogs } : {}) },
    ...(choice === 'again' && {
      again: { uri: chosen.uri, blockIndex: chosen.report.index, orderNumber },
    }),
  };
}

/**
 * A CSR the analysis says Sectigo will (or may) refuse: said first, in a confirmation whose focused
 * button is the fix (a new key) or the CSR's report; sending it anyway is never the default.
 * Whether the refusal may be overridden in the plan, or undefined when the flow stops here.
 */
async function passPredictedRefusal(
  chosen: ChosenCsr,
  where: string,
  predicted: ReturnType<typeof refusals>,
  automation: ReplaceAutomation | undefined,
  dialogs: DialogRecord[],
): Promise<boolean | undefined> {
  const allowed = automation?.allowPredictedRefusal ?? false;
  if (predicted.length === 0) return allowed;
  const certain = predicted.some((refusal) => refusal.certainty === 'certain');
  const headline = certain
    ? t('Sectigo will refuse this CSR ({0}).', outside(where))
    : t('Sectigo may refuse this CSR ({0}).', outside(where));
  const message = joinText([headline, ...predicted.map((refusal) => outside(refusal.text))], words` `);
  const answer = dialogAnswerOf(automation?.dialog);
  if (automation && answer === undefined) {
    if (certain && !allowed) throw new Error(plainText(message));
    return allowed;
  }
  const keyRefused = predicted.some((refusal) => refusal.sectigoErrorCode === keyRefusedErrorCode);
  const newKey = t('Create a Compliant Key and CSR…');
  const choice = await confirm<'new-key' | 'report' | 'send'>(
    message,
    keyRefused
      ? t(
          'Nothing has been sent. Sectigo accepts {0}. "{1}" makes a new key and a request with the same subject and e-mail addresses.',
          outside(acceptedKeysText),
          newKey,
        )
      : t('Nothing has been sent.'),
    [
      ...(keyRefused ? [{ label: newKey, value: 'new-key' as const, irreversible: false }] : []),
      { label: t('Show CSR Report'), value: 'report', irreversible: false },
      { label: t('Send Anyway'), value: 'send', irreversible: true },
    ],
    { ...(answer !== undefined ? { answer } : {}), record: dialogs },
  );
  // The new key's own steps take over (not awaited: this flow ends here); an automated answer only records the choice.
  if (choice === 'new-key' && answer === undefined)
    void vscode.commands.executeCommand(Commands.createCompliantCsr, chosen.uri, chosen.report.index);
  if (choice === 'report') await vscode.commands.executeCommand(Commands.inspectCsr, chosen.uri);
  return choice === 'send' ? true : undefined;
}
