// The replace flow (AutoReplaceSMIME), started by "Sectigo: Replace S/MIME Certificate…" from the palette, the
// editor or explorer context menu (uri), the CSR CodeLens (uri, blockIndex) or the orders
// tree ("Replace Again"). Steps: CSR, order number, signature hash, language, template IDs,
// revoke old order; then a confirmation rendered from the call plan (exactly what will be sent,
// to which account and endpoint). A CSR the analysis says Sectigo will refuse with -13 stops
// here unless the user overrides. In every confirmation the focused button (Enter) is the safe one.
import * as vscode from 'vscode';
import { planCall, previewText } from '../../core/sectigo/call-plan';
// Types only: the analysis itself (with Node's signature check) is loaded on first use, not when the extension activates.
import type { CsrReport } from '../../core/csr/index';
import { acceptedKeysText } from '../../core/csr/limits';
import { refusals } from '../../core/csr/refusals';
import { MAX_INPUT_FILE_BYTES } from '../../core/bounded-read';
import { readBoundedUri } from '../bounded-file';
import type { LanguageName, ReplaceSmimeParams, SignatureHash } from '../../core/sectigo/types';
import { LANGUAGE_NAMES, SIGNATURE_HASHES, validateOrderNumber, validateTemplateId } from '../../core/sectigo/validate';
import { Commands, LANGUAGE_ID } from '../ids';
import { ensureAccount } from './account-gate';
import { ensureTrusted } from './command-plumbing';
import { confirm, dialogAnswerOf, type DialogRecord } from './confirm';
import { describeAccount } from './credentials';
import { askPick, askText, type PickItem } from './input';
import { showResult } from './result-ui';
import { runCall, type CallDeps, type CallReport } from './run-call';
import { readReplaceDefaults } from './settings';

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
}

const TOTAL_STEPS = 7;

/**
 * The file's text as the user sees it (an open editor's unsaved edits included), or its bytes (DER).
 * A file is read only once it is known to be a regular file within the cap of a file given to a
 * call (the CLI's --csr has the same): a FIFO or /dev/zero is refused at once, never read.
 */
async function readCsrInput(uri: vscode.Uri): Promise<string | Uint8Array> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  const bytes = await readBoundedUri(uri, MAX_INPUT_FILE_BYTES);
  // DER starts with a SEQUENCE tag and is not text; everything else is read as text.
  return bytes[0] === 0x30 && bytes.some((byte) => byte === 0 || byte > 0x7e)
    ? bytes
    : Buffer.from(bytes).toString('utf8');
}

async function chooseCsr(
  uri: vscode.Uri | undefined,
  blockIndex: number | undefined,
  automation: boolean,
): Promise<ChosenCsr | undefined> {
  let target = uri;
  if (!target) {
    const editor = vscode.window.activeTextEditor;
    if (
      editor &&
      (editor.document.languageId === LANGUAGE_ID || /CERTIFICATE REQUEST-----/.test(editor.document.getText()))
    )
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
  const { analyseCsrText, isCsrReport } = await import('../../core/csr/index');
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
  const report = await askPick<CsrReport>({
    title: vscode.l10n.t('Replace S/MIME certificate'),
    step: 1,
    totalSteps: TOTAL_STEPS,
    placeholder: vscode.l10n.t('This file holds {0} CSRs: which one?', String(requests.length)),
    items: requests.map((candidate) => ({
      label: candidate.subject.text || vscode.l10n.t('CSR {0}', String(candidate.index + 1)),
      description: vscode.l10n.t('line {0}', String(candidate.range.startLine + 1)),
      value: candidate,
    })),
  });
  return report ? { uri: target, report } : undefined;
}

/** One optional template ID; empty means "not sent". */
async function askTemplateId(
  title: string,
  step: number,
  name: string,
  purpose: string,
  value: number | undefined,
): Promise<number | null | undefined> {
  const answer = await askText({
    title,
    step,
    totalSteps: TOTAL_STEPS,
    prompt: vscode.l10n.t(
      '{0}: {1} (a number; leave empty to not send it; any template ID replaces languageName)',
      name,
      purpose,
    ),
    placeholder: vscode.l10n.t('empty: not sent'),
    value: value === undefined ? '' : String(value),
    validate: (text) => (text.trim() === '' ? undefined : validateTemplateId(text.trim())),
  });
  if (answer === undefined) return undefined;
  return answer.trim() === '' ? null : Number(answer.trim());
}

async function askParameters(orderNumber: string | undefined): Promise<Omit<ReplaceAutomation, 'confirm'> | undefined> {
  const defaults = readReplaceDefaults();
  const title = vscode.l10n.t('Replace S/MIME certificate');
  const order = await askText({
    title,
    step: 1,
    totalSteps: TOTAL_STEPS,
    prompt: vscode.l10n.t('The order number of the S/MIME certificate to replace'),
    placeholder: '1234567',
    value: orderNumber,
    validate: (value) => validateOrderNumber(value, 'AutoReplaceSMIME'),
  });
  if (order === undefined) return undefined;
  const hashItems: PickItem<SignatureHash | ''>[] = [
    { label: vscode.l10n.t('(not sent)'), description: vscode.l10n.t('Sectigo uses NO_PREFERENCE'), value: '' },
    ...SIGNATURE_HASHES.map((hash) => ({ label: hash, value: hash })),
  ];
  const hash = await askPick<SignatureHash | ''>({
    title,
    step: 2,
    totalSteps: TOTAL_STEPS,
    placeholder: vscode.l10n.t('signatureHash: the hash algorithm of the new certificate'),
    items: hashItems,
    active: defaults.signatureHash ?? '',
  });
  if (hash === undefined) return undefined;
  const languageItems: PickItem<LanguageName | ''>[] = [
    { label: vscode.l10n.t('(not sent)'), description: vscode.l10n.t('English'), value: '' },
    ...Object.entries(LANGUAGE_NAMES).map(([code, name]) => ({
      label: code,
      description: name,
      value: code as LanguageName,
    })),
  ];
  const language = await askPick<LanguageName | ''>({
    title,
    step: 3,
    totalSteps: TOTAL_STEPS,
    placeholder: vscode.l10n.t('languageName: the language of the emails Sectigo sends'),
    items: languageItems,
    active: defaults.languageName ?? '',
  });
  if (language === undefined) return undefined;
  const verification = await askTemplateId(
    title,
    4,
    'SMIMEVerificationTemplateID',
    vscode.l10n.t('the template of the verification email'),
    defaults.verificationTemplateId,
  );
  if (verification === undefined) return undefined;
  const request = await askTemplateId(
    title,
    5,
    'SMIMERequestTemplateID',
    vscode.l10n.t('the template of the request email'),
    defaults.requestTemplateId,
  );
  if (request === undefined) return undefined;
  const collection = await askTemplateId(
    title,
    6,
    'SMIMECollectionTemplateID',
    vscode.l10n.t('the template of the collection email'),
    defaults.collectionTemplateId,
  );
  if (collection === undefined) return undefined;
  const verificationTemplateId = verification ?? undefined;
  const requestTemplateId = request ?? undefined;
  const collectionTemplateId = collection ?? undefined;
  const revokeOld = await askPick<boolean>({
    title,
    step: 7,
    totalSteps: TOTAL_STEPS,
    placeholder: vscode.l10n.t('Revoke the certificate of order {0} once it is replaced?', order),
    items: [
      { label: vscode.l10n.t('Keep the old certificate'), description: 'revokeOldOrder=N', value: false },
      {
        label: vscode.l10n.t('Revoke the old certificate'),
        description: vscode.l10n.t('revokeOldOrder=Y: cannot be undone'),
        value: true,
      },
    ],
    active: false,
  });
  if (revokeOld === undefined) return undefined;
  return {
    orderNumber: order.trim(),
    ...(hash ? { signatureHash: hash } : {}),
    ...(language ? { languageName: language } : {}),
    revokeOldOrder: revokeOld,
    ...(verificationTemplateId !== undefined ? { verificationTemplateId } : {}),
    ...(requestTemplateId !== undefined ? { requestTemplateId } : {}),
    ...(collectionTemplateId !== undefined ? { collectionTemplateId } : {}),
  };
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

export interface ReplaceStart {
  uri?: vscode.Uri;
  blockIndex?: number;
  orderNumber?: string;
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
      ? vscode.l10n.t('Sectigo will refuse this CSR ({0}).', where)
      : vscode.l10n.t('Sectigo may refuse this CSR ({0}).', where);
    const message = [headline, ...predicted.map((refusal) => refusal.text)].join(' ');
    const answer = dialogAnswerOf(automation?.dialog);
    if (automation && answer === undefined) {
      if (certain && !allowPredictedRefusal) throw new Error(message);
    } else {
      // The focused button opens the CSR's report; sending a CSR Sectigo will refuse is never the default.
      const choice = await confirm<'report' | 'send'>(
        message,
        vscode.l10n.t('Nothing has been sent. Generate a new key and CSR: {0}.', acceptedKeysText),
        [
          { label: vscode.l10n.t('Show CSR Report'), value: 'report', irreversible: false },
          { label: vscode.l10n.t('Send Anyway'), value: 'send', irreversible: true },
        ],
        { ...(answer !== undefined ? { answer } : {}), record: dialogs },
      );
      if (choice === 'report') await vscode.commands.executeCommand(Commands.inspectCsr, chosen.uri);
      if (choice !== 'send') return undefined;
      allowPredictedRefusal = true;
    }
  }

  const answers = automation ?? (await askParameters(start.orderNumber));
  if (!answers) return undefined;
  const orderProblem = validateOrderNumber(answers.orderNumber, 'AutoReplaceSMIME');
  if (orderProblem) throw new Error(orderProblem);
  const active = await ensureAccount(deps.credentials, automation !== undefined);
  if (!active) return undefined;
  const params = buildReplaceParams(answers, chosen.report.pem);
  // The CSR was checked above (and overridden there if at all); the plan checks the parameters.
  const plan = planCall(
    { endpoint: 'AutoReplaceSMIME', params, csrName: where },
    { loginName: active.account.loginName, baseUrl: active.account.baseUrl },
    active.credentials,
  );
  if (plan.refusal)
    throw new Error(
      `${plan.refusal.message} (${plan.refusal.parameter}; Sectigo would answer ${plan.refusal.predictedErrorCode}.)`,
    );

  const answer = dialogAnswerOf(automation?.dialog);
  if (!automation || answer !== undefined) {
    const who = describeAccount(active.account);
    const keepOld = vscode.l10n.t('Replace Only, Keep Old Certificate');
    const headline = params.revokeOldOrder
      ? vscode.l10n.t(
          '{0}: replace S/MIME order {1} and REVOKE its current certificate? The revocation cannot be undone.',
          who,
          params.orderNumber,
        )
      : vscode.l10n.t('{0}: replace S/MIME order {1}? This is what will be sent:', who, params.orderNumber);
    const detail = params.revokeOldOrder
      ? `${previewText(plan)}\n\n${vscode.l10n.t('"{0}" (the default button) sends the same with revokeOldOrder=N.', keepOld)}`
      : previewText(plan);
    const choice = await confirm<'send' | 'keep'>(
      headline,
      detail,
      params.revokeOldOrder
        ? [
            { label: keepOld, value: 'keep', irreversible: false },
            {
              label: vscode.l10n.t('Replace and Revoke Order {0}', params.orderNumber),
              value: 'send',
              irreversible: true,
            },
          ]
        : [{ label: vscode.l10n.t('Replace Order {0}', params.orderNumber), value: 'send', irreversible: false }],
      { ...(answer !== undefined ? { answer } : {}), record: dialogs },
    );
    if (!choice) return undefined;
    if (choice === 'keep') delete params.revokeOldOrder;
  }
  const sentPlan = planCall(
    { endpoint: 'AutoReplaceSMIME', params, csrName: where },
    { loginName: active.account.loginName, baseUrl: active.account.baseUrl },
    active.credentials,
  );

  const report = await runCall(deps, active, {
    endpoint: 'AutoReplaceSMIME',
    title: vscode.l10n.t('Replacing S/MIME order {0}…', params.orderNumber),
    identifierKind: 'orderNumber',
    identifier: params.orderNumber,
    record: {
      csrUri: chosen.uri.toString(),
      csrBlockIndex: chosen.report.index,
      revokeOldOrder: params.revokeOldOrder ?? false,
    },
    send: (client, creds, signal) => client.replaceSmime(creds, params, { signal, allowPredictedRefusal }),
  });
  const what = vscode.l10n.t('Replace of order {0}', params.orderNumber);
  const shown = showResult(deps, report, what, {
    repeatIsSafe: false,
    retry: () =>
      replaceSmime(deps, { uri: chosen.uri, blockIndex: chosen.report.index, orderNumber: params.orderNumber }),
  });
  if (!automation) await shown;
  return { ...report, preview: previewText(sentPlan), ...(dialogs.length > 0 ? { dialogs } : {}) };
}
