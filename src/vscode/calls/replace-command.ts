// "Sectigo: Replace S/MIME Certificate…" (AutoReplaceSMIME). Invoked from the palette, the
// editor or explorer context menu (uri), the CSR CodeLens (uri, blockIndex) or the orders
// tree ("Replace Again"). Steps: CSR, order number, signature hash, language, template IDs,
// revoke old order; then a confirmation showing exactly what will be sent. A CSR the
// pre-flight says Sectigo will refuse with -13 stops here unless the user overrides.
import * as vscode from 'vscode';
import { analyseCsrText, isCsrReport, maxInputLength, type CsrReport } from '../../core/csr/index';
import { acceptedKeysText } from '../../core/csr/limits';
import { refusals } from '../../core/csr/refusals';
import type { LanguageName, ReplaceSmimeParams, SignatureHash } from '../../core/sectigo/types';
import { LANGUAGE_NAMES, SIGNATURE_HASHES, validateOrderNumber, validateTemplateId } from '../../core/sectigo/validate';
import { Commands, LANGUAGE_ID } from '../ids';
import { askPick, askText, type PickItem } from './input';
import { ensureCredentials, ensureTrusted, isAutomation, requestPreview, runCall, showResult, type CallDeps, type CallReport } from './run-call';
import { readConnectionSettings, readReplaceDefaults } from './settings';

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
}

interface ChosenCsr {
  uri: vscode.Uri;
  report: CsrReport;
}

const TOTAL_STEPS = 5;

/** The file's text as the user sees it (an open editor's unsaved edits included), or its bytes (DER). */
async function readCsrInput(uri: vscode.Uri): Promise<string | Uint8Array> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.length > maxInputLength) throw new Error(vscode.l10n.t('{0} is too large to be a CSR.', vscode.workspace.asRelativePath(uri)));
  // DER starts with a SEQUENCE tag and is not text; everything else is read as text.
  return bytes[0] === 0x30 && bytes.some((byte) => byte === 0 || byte > 0x7e) ? bytes : Buffer.from(bytes).toString('utf8');
}

async function chooseCsr(uri: vscode.Uri | undefined, blockIndex: number | undefined, automation: boolean): Promise<ChosenCsr | undefined> {
  let target = uri;
  if (!target) {
    const editor = vscode.window.activeTextEditor;
    if (editor && (editor.document.languageId === LANGUAGE_ID || /CERTIFICATE REQUEST-----/.test(editor.document.getText()))) target = editor.document.uri;
  }
  if (!target) {
    if (automation) throw new Error('No CSR file was given.');
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Choose the CSR of the replacement certificate'),
      canSelectMany: false,
      openLabel: vscode.l10n.t('Use this CSR'),
      filters: { [vscode.l10n.t('Certificate requests')]: ['csr', 'req', 'pem', 'p10', 'der'], [vscode.l10n.t('All files')]: ['*'] },
    });
    target = picked?.[0];
    if (!target) return undefined;
  }
  const name = vscode.workspace.asRelativePath(target);
  // The same analysis as the CodeLens, so a block index means the same block here and there.
  const results = analyseCsrText(await readCsrInput(target), name);
  const requests = results.filter(isCsrReport);
  if (blockIndex !== undefined) {
    const result = results.find((candidate) => candidate.index === blockIndex);
    if (!result) throw new Error(vscode.l10n.t('{0} has no block number {1}.', name, String(blockIndex + 1)));
    if (!isCsrReport(result)) throw new Error(vscode.l10n.t('Block {0} of {1} cannot be sent: {2}.', String(blockIndex + 1), name, result.error));
    return { uri: target, report: result };
  }
  if (requests.length === 0) {
    const firstError = results.find((result) => !isCsrReport(result));
    throw new Error(vscode.l10n.t('{0} holds no certificate request that can be sent{1}.', name, firstError && !isCsrReport(firstError) ? `: ${firstError.error}` : ''));
  }
  if (requests.length === 1 || automation) return { uri: target, report: requests[0] as CsrReport };
  const report = await askPick<CsrReport>({
    title: vscode.l10n.t('Replace S/MIME certificate'),
    step: 1,
    totalSteps: TOTAL_STEPS,
    placeholder: vscode.l10n.t('This file holds {0} CSRs: which one?', String(requests.length)),
    items: requests.map((candidate) => ({ label: candidate.subject.text || vscode.l10n.t('CSR {0}', String(candidate.index + 1)), description: vscode.l10n.t('line {0}', String(candidate.range.startLine + 1)), value: candidate })),
  });
  return report ? { uri: target, report } : undefined;
}

function parseTemplateIds(value: string): { ids: (number | undefined)[]; problem?: string } {
  if (value.trim() === '') return { ids: [undefined, undefined, undefined] };
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length > 3) return { ids: [], problem: vscode.l10n.t('At most three IDs: verification, request, collection.') };
  const ids: (number | undefined)[] = [];
  for (const part of parts) {
    if (part === '') {
      ids.push(undefined);
      continue;
    }
    const problem = validateTemplateId(part);
    if (problem) return { ids: [], problem };
    ids.push(Number(part));
  }
  while (ids.length < 3) ids.push(undefined);
  return { ids };
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
    ...Object.entries(LANGUAGE_NAMES).map(([code, name]) => ({ label: code, description: name, value: code as LanguageName })),
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
  const defaultIds = [defaults.verificationTemplateId, defaults.requestTemplateId, defaults.collectionTemplateId];
  const templates = await askText({
    title,
    step: 4,
    totalSteps: TOTAL_STEPS,
    prompt: vscode.l10n.t('S/MIME template IDs: verification, request, collection (comma-separated; empty: not sent)'),
    placeholder: '12, , 34',
    value: defaultIds.some((id) => id !== undefined) ? defaultIds.map((id) => (id === undefined ? '' : String(id))).join(', ') : '',
    validate: (value) => parseTemplateIds(value).problem,
  });
  if (templates === undefined) return undefined;
  const [verificationTemplateId, requestTemplateId, collectionTemplateId] = parseTemplateIds(templates).ids;
  const revokeOld = await askPick<boolean>({
    title,
    step: 5,
    totalSteps: TOTAL_STEPS,
    placeholder: vscode.l10n.t('Revoke the certificate of order {0} once it is replaced?', order),
    items: [
      { label: vscode.l10n.t('Keep the old certificate'), description: 'revokeOldOrder=N', value: false },
      { label: vscode.l10n.t('Revoke the old certificate'), description: vscode.l10n.t('revokeOldOrder=Y: cannot be undone'), value: true },
    ],
    active: false,
  });
  if (revokeOld === undefined) return undefined;
  return {
    orderNumber: order,
    ...(hash ? { signatureHash: hash } : {}),
    ...(language ? { languageName: language } : {}),
    revokeOldOrder: revokeOld,
    ...(verificationTemplateId !== undefined ? { verificationTemplateId } : {}),
    ...(requestTemplateId !== undefined ? { requestTemplateId } : {}),
    ...(collectionTemplateId !== undefined ? { collectionTemplateId } : {}),
  };
}

export function buildReplaceParams(answers: Omit<ReplaceAutomation, 'confirm'>, csr: string): ReplaceSmimeParams {
  const defaults = readReplaceDefaults();
  return {
    orderNumber: answers.orderNumber,
    csr,
    ...(answers.signatureHash ? { signatureHash: answers.signatureHash } : {}),
    ...(answers.revokeOldOrder ? { revokeOldOrder: true } : {}),
    responseFormat: defaults.responseFormat,
    ...(answers.languageName ? { languageName: answers.languageName } : {}),
    ...(answers.verificationTemplateId !== undefined ? { SMIMEVerificationTemplateID: answers.verificationTemplateId } : {}),
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

  // The one refusal rule (core/csr refusals): a certain refusal stops here unless overridden; a likely one is said first.
  const predicted = refusals(chosen.report);
  const certain = predicted.some((refusal) => refusal.certainty === 'certain');
  let allowPredictedRefusal = automation?.allowPredictedRefusal ?? false;
  if (predicted.length > 0) {
    const headline = certain ? vscode.l10n.t('Sectigo will refuse this CSR ({0}).', where) : vscode.l10n.t('Sectigo may refuse this CSR ({0}).', where);
    const message = [headline, ...predicted.map((refusal) => refusal.text)].join(' ');
    if (automation) {
      if (certain && !allowPredictedRefusal) throw new Error(message);
    } else {
      const sendAnyway = vscode.l10n.t('Send Anyway');
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: vscode.l10n.t('Nothing has been sent. Generate a new key and CSR: {0}.', acceptedKeysText) }, sendAnyway);
      if (choice !== sendAnyway) return undefined;
      allowPredictedRefusal = true;
    }
  }

  const answers = automation ?? (await askParameters(start.orderNumber));
  if (!answers) return undefined;
  const orderProblem = validateOrderNumber(answers.orderNumber, 'AutoReplaceSMIME');
  if (orderProblem) throw new Error(orderProblem);
  const credentials = await ensureCredentials(deps, automation !== undefined);
  if (!credentials) return undefined;
  const params = buildReplaceParams(answers, chosen.report.pem);

  if (!automation) {
    const settings = readConnectionSettings();
    const preview = requestPreview('AutoReplaceSMIME', settings.baseUrl, credentials.loginName, [
      ['orderNumber', params.orderNumber],
      ['csr', vscode.l10n.t('{0} ({1} characters)', where, String(params.csr.length))],
      ['signatureHash', params.signatureHash],
      ['revokeOldOrder', params.revokeOldOrder],
      ['responseFormat', params.responseFormat],
      ['languageName', params.languageName],
      ['SMIMEVerificationTemplateID', params.SMIMEVerificationTemplateID],
      ['SMIMERequestTemplateID', params.SMIMERequestTemplateID],
      ['SMIMECollectionTemplateID', params.SMIMECollectionTemplateID],
    ]);
    const send = params.revokeOldOrder ? vscode.l10n.t('Replace and Revoke Order {0}', params.orderNumber) : vscode.l10n.t('Replace Order {0}', params.orderNumber);
    const headline = params.revokeOldOrder
      ? vscode.l10n.t('Replace S/MIME order {0} and REVOKE its current certificate? The revocation cannot be undone.', params.orderNumber)
      : vscode.l10n.t('Replace S/MIME order {0}? This is what will be sent:', params.orderNumber);
    const choice = await vscode.window.showWarningMessage(headline, { modal: true, detail: preview }, send);
    if (choice !== send) return undefined;
  }

  const report = await runCall(deps, credentials, {
    endpoint: 'AutoReplaceSMIME',
    title: vscode.l10n.t('Replacing S/MIME order {0}…', params.orderNumber),
    identifierKind: 'orderNumber',
    identifier: params.orderNumber,
    record: { csrUri: chosen.uri.toString(), csrBlockIndex: chosen.report.index, revokeOldOrder: params.revokeOldOrder ?? false },
    send: (client, creds, signal) => client.replaceSmime(creds, params, { signal, allowPredictedRefusal }),
  });
  const what = vscode.l10n.t('Replace of order {0}', params.orderNumber);
  const shown = showResult(deps, report, what, {
    repeatIsSafe: false,
    retry: () => replaceSmime(deps, { uri: chosen.uri, blockIndex: chosen.report.index, orderNumber: params.orderNumber }),
  });
  if (!automation) await shown;
  return report;
}

export function registerReplaceCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.replaceSmime, async (...args: unknown[]) => {
      const last = args[args.length - 1];
      const automation = isAutomation(last) ? (last as unknown as ReplaceAutomation) : undefined;
      const uri = args[0] instanceof vscode.Uri ? args[0] : undefined;
      const blockIndex = typeof args[1] === 'number' ? args[1] : undefined;
      return guarded(deps, vscode.l10n.t('Replace S/MIME certificate'), automation !== undefined, () => replaceSmime(deps, { uri, blockIndex, automation }));
    }),
  );
}

/** The command boundary: an unexpected error is logged with its causes and shown with a next step; automation gets it thrown. */
export async function guarded<T>(deps: CallDeps, what: string, automation: boolean, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    deps.log.error(`${what} failed.`, error);
    if (automation) throw error;
    const showLog = vscode.l10n.t('Show Log');
    const choice = await vscode.window.showErrorMessage(`${what}: ${error instanceof Error ? error.message : String(error)}`, showLog);
    if (choice === showLog) deps.log.show();
    return undefined;
  }
}
