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
// Types only: the analysis itself is loaded on first use (loadCore), not when the extension activates.
import type { CsrReport } from '../../core/csr/index';
import { acceptedKeysText, keyRefusedErrorCode } from '../../core/csr/limits';
import { refusals } from '../../core/csr/refusals';
import { loadCore } from '../shared/csr-analysis';
import { MAX_INPUT_FILE_BYTES } from '../../core/bounded-read';
import { readBoundedUri } from '../shared/bounded-file';
import type { LanguageName, ReplaceSmimeParams, SignatureHash } from '../../core/sectigo/types';
import { LANGUAGE_NAMES, SIGNATURE_HASHES, validateOrderNumber, validateTemplateId } from '../../core/sectigo/validate';
import { problemText, t } from '../shared/text';
import { Commands, LANGUAGE_ID } from '../shared/ids';
import { ensureAccount } from './account-gate';
import { ensureTrusted } from '../shared/command-boundary';
import { confirm, dialogAnswerOf, type ConfirmButton, type DialogRecord } from './confirm';
import { describeAccount } from './credentials';
import { runSteps, type PickItem, type Step } from '../shared/multi-step-input';
import { showResult } from './result-ui';
import { runCall, type CallDeps, type CallReport } from './run-call';
import { readReplaceDefaults } from '../shared/settings';

/** The last argument a test or script may pass instead of answering the prompts. */
export interface ReplaceAutomation {
  confirm: true;
  orderNumber: string;
  signatureHash?: SignatureHash;
  languageName?: LanguageName;
  revokeOldOrder?: boolean;
  verificationTemplateId?: number;
  requestTemplateId?: number;
  collectionTemplateId?: number;
  /** Send although the pre-flight predicts -13. */
  allowPredictedRefusal?: boolean;
  /** Go through the confirmations and answer them: 'enter' (the focused button), 'escape', or a button label. */
  dialog?: string;
}

/** The shape automation arguments are checked against (anything else is refused, never cast). */
export const REPLACE_AUTOMATION_SHAPE = {
  orderNumber: 'string',
  signatureHash: 'string?',
  languageName: 'string?',
  revokeOldOrder: 'boolean?',
  verificationTemplateId: 'number?',
  requestTemplateId: 'number?',
  collectionTemplateId: 'number?',
  allowPredictedRefusal: 'boolean?',
  dialog: 'string?',
} as const;

interface ChosenCsr {
  uri: vscode.Uri;
  report: CsrReport;
  /** The user picked it among several (a step of the flow). */
  picked?: boolean;
}

const REPLACE_TITLE = (): Text => t('Replace S/MIME certificate');

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
  const { analyseCsrText, isCsrReport } = await loadCore();
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

type Parameters = Omit<ReplaceAutomation, 'confirm'>;
type TemplateField = 'verificationTemplateId' | 'requestTemplateId' | 'collectionTemplateId';

/** One optional template ID; empty means "not sent". */
function templateStep(field: TemplateField, name: string, purpose: () => Text): Step<Partial<Parameters>> {
  return {
    ask: async (input, state) => {
      const value = state[field];
      const answer = await input.text({
        prompt: t(
          '{0}: {1} (a number; leave empty to not send it; any template ID replaces languageName)',
          outside(name),
          purpose(),
        ),
        placeholder: t('empty: not sent'),
        value: value === undefined ? '' : String(value),
        validate: (text) => problemText(text.trim() === '' ? undefined : validateTemplateId(text.trim())),
      });
      if (answer.trim() === '') delete state[field];
      else state[field] = Number(answer.trim());
    },
  };
}

/** The parameters of AutoReplaceSMIME, one step each, the settings' defaults offered. */
function parameterSteps(orderNote?: string): Step<Partial<Parameters>>[] {
  const hashItems: PickItem<SignatureHash | ''>[] = [
    { label: t('(not sent)'), description: t('Sectigo uses NO_PREFERENCE'), value: '' },
    ...SIGNATURE_HASHES.map((hash) => ({ label: words`${outside(hash)}`, value: hash })),
  ];
  const languageItems: PickItem<LanguageName | ''>[] = [
    { label: t('(not sent)'), description: t('English'), value: '' },
    ...Object.entries(LANGUAGE_NAMES).map(([code, name]) => ({
      label: words`${outside(code)}`,
      description: words`${outside(name)}`,
      value: code as LanguageName,
    })),
  ];
  return [
    {
      ask: async (input, state) => {
        state.orderNumber = await input.text({
          prompt:
            orderNote === undefined
              ? t('The order number of the S/MIME certificate to replace')
              : words`${t('The order number of the S/MIME certificate to replace')}. ${outside(orderNote)}`,
          placeholder: words`1234567`,
          value: state.orderNumber ?? '',
          validate: (value) => problemText(validateOrderNumber(value, 'AutoReplaceSMIME')),
        });
      },
    },
    {
      ask: async (input, state) => {
        const hash = await input.pick<SignatureHash | ''>({
          placeholder: t('signatureHash: the hash algorithm of the new certificate'),
          items: hashItems,
          active: state.signatureHash ?? '',
        });
        if (hash) state.signatureHash = hash;
        else delete state.signatureHash;
      },
    },
    {
      ask: async (input, state) => {
        const language = await input.pick<LanguageName | ''>({
          placeholder: t('languageName: the language of the emails Sectigo sends'),
          items: languageItems,
          active: state.languageName ?? '',
        });
        if (language) state.languageName = language;
        else delete state.languageName;
      },
    },
    templateStep('verificationTemplateId', 'SMIMEVerificationTemplateID', () =>
      t('the template of the verification email'),
    ),
    templateStep('requestTemplateId', 'SMIMERequestTemplateID', () => t('the template of the request email')),
    templateStep('collectionTemplateId', 'SMIMECollectionTemplateID', () => t('the template of the collection email')),
    {
      ask: async (input, state) => {
        state.revokeOldOrder = await input.pick<boolean>({
          placeholder: t('Revoke the certificate of order {0} once it is replaced?', outside(state.orderNumber ?? '')),
          items: [
            {
              label: t('Keep the old certificate'),
              description: t('revokeOldOrder not sent: Sectigo keeps it'),
              value: false,
            },
            {
              label: t('Revoke the old certificate'),
              description: t('revokeOldOrder=Y: cannot be undone'),
              value: true,
            },
          ],
          active: state.revokeOldOrder ?? false,
        });
      },
    },
  ];
}

/** How many parameter steps there are (the CSR's choice, when a file holds several, comes before them). */
const PARAMETER_STEPS = 7;

async function askParameters(
  orderNumber: string | undefined,
  csrPicked: boolean,
  orderNote?: string,
): Promise<Parameters | undefined> {
  const defaults = readReplaceDefaults();
  const answers = await runSteps<Partial<Parameters>>(
    REPLACE_TITLE(),
    parameterSteps(orderNote),
    {
      ...(orderNumber !== undefined && { orderNumber }),
      ...(defaults.signatureHash && { signatureHash: defaults.signatureHash }),
      ...(defaults.languageName && { languageName: defaults.languageName }),
      ...(defaults.verificationTemplateId !== undefined && { verificationTemplateId: defaults.verificationTemplateId }),
      ...(defaults.requestTemplateId !== undefined && { requestTemplateId: defaults.requestTemplateId }),
      ...(defaults.collectionTemplateId !== undefined && { collectionTemplateId: defaults.collectionTemplateId }),
    },
    { before: csrPicked ? 1 : 0, after: 0 },
  );
  if (!answers || answers.orderNumber === undefined) return undefined;
  return { ...answers, orderNumber: answers.orderNumber.trim(), revokeOldOrder: answers.revokeOldOrder ?? false };
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

/** The whole replace flow. Returns the call's report, or undefined when the user stopped. */
export async function replaceSmime(deps: CallDeps, start: ReplaceStart): Promise<CallReport | undefined> {
  const automation = start.automation;
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const chosen = await chooseCsr(start.uri, start.blockIndex, automation !== undefined);
  if (!chosen) return undefined;
  const where = `${vscode.workspace.asRelativePath(chosen.uri)}${chosen.report.index > 0 ? ` #${chosen.report.index + 1}` : ''}`;

  const dialogs: DialogRecord[] = [];
  // The one refusal rule (core/csr refusals): a certain refusal stops here unless overridden; a likely one is said first.
  const predicted = refusals(chosen.report);
  const certain = predicted.some((refusal) => refusal.certainty === 'certain');
  let allowPredictedRefusal = automation?.allowPredictedRefusal ?? false;
  if (predicted.length > 0) {
    const headline = certain
      ? t('Sectigo will refuse this CSR ({0}).', outside(where))
      : t('Sectigo may refuse this CSR ({0}).', outside(where));
    const message = joinText([headline, ...predicted.map((refusal) => outside(refusal.text))], words` `);
    const answer = dialogAnswerOf(automation?.dialog);
    if (automation && answer === undefined) {
      if (certain && !allowPredictedRefusal) throw new Error(plainText(message));
    } else {
      // The focused button is the fix (a key Sectigo refuses: a new key and CSR) or the CSR's report;
      // sending a CSR Sectigo will refuse is never the default.
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
      if (choice !== 'send') return undefined;
      allowPredictedRefusal = true;
    }
  }

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
  let plan = revokePlan ?? keepPlan;
  if (plan.refusal && !(plan.refusal.overridable && allowPredictedRefusal))
    throw new Error(
      vscode.l10n.t(REFUSAL_TEMPLATE, plan.refusal.message, plan.refusal.parameter, plan.refusal.predictedErrorCode),
    );

  const answer = dialogAnswerOf(automation?.dialog);
  if (!automation || answer !== undefined) {
    const overridden = plan.refusal?.overridable ? plan.refusal : undefined;
    const confirmation = replaceConfirmation(
      words`${outside(describeAccount(active.account))}`,
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
    plan = choice;
  }
  const chosenPlan = plan;
  const revokesOld = chosenPlan === revokePlan;

  const report = await runCall(deps, active, {
    endpoint: 'AutoReplaceSMIME',
    title: t('Replacing S/MIME order {0}…', outside(orderNumber)),
    identifierKind: 'orderNumber',
    identifier: orderNumber,
    record: {
      csrUri: chosen.uri.toString(),
      csrBlockIndex: chosen.report.index,
      revokeOldOrder: revokesOld,
    },
    send: (client, _credentials, signal) => client.send(chosenPlan, { signal, allowPredictedRefusal }),
  });
  const what = t('Replace of order {0}', outside(orderNumber));
  const shown = showResult(deps, report, what, {
    repeatIsSafe: false,
    retry: () => replaceSmime(deps, { uri: chosen.uri, blockIndex: chosen.report.index, orderNumber }),
    csr: { uri: chosen.uri, blockIndex: chosen.report.index },
  });
  if (!automation) await shown;
  return { ...report, preview: previewText(chosenPlan), ...(dialogs.length > 0 ? { dialogs } : {}) };
}
