// The revoke flow (AutoRevokeSSL), started by "Sectigo: Revoke SSL Certificate…", the orders tree or a certificate file. Steps: identify the certificate (order
// number, serial number or certificate ID), the reason code, the reason text; then a modal
// confirmation built from the call plan, naming the account and its endpoint first, whose
// focused button (Enter) is the harmless test revocation (test=Y). A test that succeeds offers
// the real revocation, confirmed again the same way; the orders tree keeps offering it too.
import * as vscode from 'vscode';
import { joinText, outside, words, type Text } from '../../core/outside-text';
import {
  REFUSAL_TEMPLATE,
  planCall,
  previewLines,
  previewText,
  sameRequestExcept,
  type CallPlan,
} from '../../core/sectigo/call-plan';
import type { RevocationCode, RevokeSslParams } from '../../core/sectigo/types';
import {
  REVOCATION_CODES,
  isRevocationCode,
  normalizeSerialNumber,
  responseFormatFor,
  validateCertificateId,
  validateCodeReason,
  validateOrderNumber,
  validateRevocationReason,
  validateSerialNumber,
} from '../../core/sectigo/validate';
import { ensureAccount } from './account-gate';
import { ensureTrusted } from '../shared/command-boundary';
import { confirm, dialogAnswerOf, type DialogAnswer, type DialogRecord } from './confirm';
import { describeAccount, type ActiveAccount } from './credentials';
import { runSteps, type Step } from '../shared/multi-step-input';
import { LANGUAGE_ID } from '../shared/ids';
import { problemText, t } from '../shared/text';
import type { Bundles } from '../bundles/load';
import { CERTIFICATE_HEADER_TEXT, hasCertificateHeader } from '../../core/certificate-pem';
import { readCertificateBlocks, type PemBlock } from './pem-blocks';

type SectigoClientModule = Bundles['sectigo-client'];
import type { OrderIdentifier } from '../../core/sectigo/orders-store';
import { showResult } from './result-ui';
import { runCall, type CallDeps, type CallReport } from './run-call';
import { readReplaceDefaults } from '../shared/settings';

export interface RevokeAutomation {
  confirm: true;
  orderNumber?: string;
  serialNumber?: string;
  certificateID?: string;
  revocationReason?: string;
  codeReason?: number;
  /** test=Y: Sectigo checks the request but revokes nothing. Ignored when `dialog` is given. */
  test?: boolean;
  /** Go through the confirmation and answer it: 'enter' (the focused button), 'escape', or a button label. */
  dialog?: string;
}

/** The shape automation arguments are checked against (anything else is refused, never cast). */
export const REVOKE_AUTOMATION_SHAPE = {
  orderNumber: 'string?',
  serialNumber: 'string?',
  certificateID: 'string?',
  revocationReason: 'string?',
  codeReason: 'number?',
  test: 'boolean?',
  dialog: 'string?',
} as const;

export interface RevokeTarget {
  kind: OrderIdentifier;
  value: string;
  /** Shown in the confirmation, e.g. the certificate's subject. */
  description?: string;
  /** Recorded in the history. */
  certificateUri?: string;
}

export interface RevokeStart {
  target?: RevokeTarget;
  automation?: RevokeAutomation;
  /** Run exactly this mode without a confirmation (the retry of a call already confirmed). */
  mode?: 'test' | 'real';
  reason?: { codeReason: RevocationCode; revocationReason: string };
  /** The confirmation follows a successful test revocation (its text says so). */
  afterTest?: boolean;
}

const KIND_LABELS = {
  orderNumber: 'order number',
  serialNumber: 'serial number',
  certificateID: 'certificate ID',
} as const satisfies Record<OrderIdentifier, string>;

function validatorFor(kind: OrderIdentifier): (value: string) => string | undefined {
  if (kind === 'orderNumber') return (value) => validateOrderNumber(value, 'AutoRevokeSSL');
  if (kind === 'serialNumber') return validateSerialNumber;
  return validateCertificateId;
}

function targetFromAutomation(automation: RevokeAutomation): RevokeTarget {
  const given = (['orderNumber', 'serialNumber', 'certificateID'] as const).filter(
    (kind) => automation[kind] !== undefined,
  );
  if (given.length !== 1) throw new Error('Give exactly one of orderNumber, serialNumber, certificateID.');
  const kind = given[0] as OrderIdentifier;
  return { kind, value: (automation[kind] ?? '').trim() };
}

/** The certificate a revocation names; a certificate file's subject (outside text) beside its serial number. */
function describeTarget(target: RevokeTarget): Text {
  return words`${t(KIND_LABELS[target.kind])} ${outside(target.value)}${target.description ? words` (${outside(target.description)})` : words``}`;
}

/** A certificate file holding several certificates: which one to revoke is the first step. */
interface CertificateChoice {
  name: string;
  uri: vscode.Uri;
  blocks: PemBlock[];
  /** The client bundle's certificate reader (@peculiar/x509). */
  read: SectigoClientModule['readCertificateFile'];
}

interface RevokeAnswers {
  target?: RevokeTarget;
  kind?: OrderIdentifier;
  value?: string;
  codeReason?: RevocationCode;
  revocationReason?: string;
}

/** The serial-number target of a certificate block; throws when the block cannot be revoked by serial. */
function certificateTarget(choice: Pick<CertificateChoice, 'read' | 'uri'>, block: PemBlock): RevokeTarget {
  const read = choice.read(block.text);
  if ('problem' in read) throw new Error(read.problem);
  return { kind: 'serialNumber', value: read.serial, description: read.subject, certificateUri: choice.uri.toString() };
}

/** The steps that apply: the certificate (several in a file), or how it is named and its value; then the reason. */
function revokeSteps(start: RevokeStart, choice: CertificateChoice | undefined): Step<RevokeAnswers>[] {
  const askTarget = start.target === undefined && choice === undefined;
  const askReason = start.reason === undefined;
  return [
    {
      when: () => choice !== undefined,
      ask: async (input, state) => {
        const certificates = choice as CertificateChoice;
        const block = await input.pick<PemBlock>({
          placeholder: t(
            '{0} holds {1} certificates: which one?',
            outside(certificates.name),
            certificates.blocks.length,
          ),
          items: certificates.blocks.map((candidate) => {
            const read = certificates.read(candidate.text);
            return {
              label:
                'subject' in read && read.subject
                  ? words`${outside(read.subject)}`
                  : t('Certificate {0}', candidate.index + 1),
              description: t('line {0}', candidate.range.start.line + 1),
              value: candidate,
            };
          }),
        });
        state.target = certificateTarget(certificates, block);
      },
    },
    {
      when: () => askTarget,
      ask: async (input, state) => {
        state.kind = await input.pick<OrderIdentifier>({
          placeholder: t('How do you name the certificate to revoke?'),
          items: [
            { label: t('Order number'), description: words`orderNumber`, value: 'orderNumber' },
            {
              label: t('Serial number'),
              description: t('serialNumber, hexadecimal'),
              value: 'serialNumber',
            },
            {
              label: t('Certificate ID'),
              description: t('certificateID, up to 16 digits'),
              value: 'certificateID',
            },
          ],
          active: state.kind ?? 'orderNumber',
        });
      },
    },
    {
      when: () => askTarget,
      ask: async (input, state) => {
        const kind = state.kind ?? 'orderNumber';
        const value = await input.text({
          prompt: t('The {0} of the certificate to revoke', t(KIND_LABELS[kind])),
          value: state.value ?? '',
          validate: (value) => problemText(validatorFor(kind)(value)),
        });
        state.value = value;
        state.target = { kind, value: kind === 'serialNumber' ? normalizeSerialNumber(value) : value.trim() };
      },
    },
    {
      when: () => askReason,
      ask: async (input, state) => {
        state.codeReason = await input.pick<RevocationCode>({
          placeholder: t('codeReason: why the certificate is revoked'),
          items: (Object.entries(REVOCATION_CODES) as [string, string][]).map(([code, name]) => ({
            label: words`${Number(code)}: ${outside(name)}`,
            value: Number(code) as RevocationCode,
          })),
          active: state.codeReason ?? 0,
        });
      },
    },
    {
      when: () => askReason,
      ask: async (input, state) => {
        state.revocationReason = await input.text({
          prompt: t('revocationReason: a comment for your own records (Sectigo does not act on it)'),
          value: state.revocationReason ?? '',
          validate: (value) => problemText(validateRevocationReason(value)),
        });
      },
    },
  ];
}

function reasonFromAutomation(
  automation: RevokeAutomation,
): { codeReason: RevocationCode; revocationReason: string } | undefined {
  if (automation.revocationReason === undefined) return undefined;
  const code = automation.codeReason ?? 0;
  if (!isRevocationCode(code)) throw new Error(validateCodeReason(code));
  return { codeReason: code, revocationReason: automation.revocationReason };
}

function planRevoke(active: ActiveAccount, params: RevokeSslParams): CallPlan {
  const plan = planCall(
    { endpoint: 'AutoRevokeSSL', params },
    { loginName: active.account.loginName, baseUrl: active.account.baseUrl },
    active.credentials,
  );
  if (plan.refusal)
    throw new Error(
      vscode.l10n.t(REFUSAL_TEMPLATE, plan.refusal.message, plan.refusal.parameter, plan.refusal.predictedErrorCode),
    );
  return plan;
}

/**
 * The modal confirmation: the account and its endpoint first, then the request of the test
 * revocation, which is the focused button; the real one is never the default.
 */
async function confirmRevocation(
  target: RevokeTarget,
  active: ActiveAccount,
  plans: { testPlan: CallPlan; realPlan: CallPlan },
  afterTest: boolean,
  answer: DialogAnswer | undefined,
  record: DialogRecord[],
): Promise<'test' | 'real' | undefined> {
  const who = outside(describeAccount(active.account));
  const headline = afterTest
    ? t(
        '{0}: the test revocation of the SSL certificate with {1} was accepted. Revoke it for real? This cannot be undone.',
        who,
        describeTarget(target),
      )
    : t('{0}: revoke the SSL certificate with {1}? A real revocation cannot be undone.', who, describeTarget(target));
  const detail = words`${t(
    'The test revocation (test=Y, the default button) checks the request with Sectigo and revokes nothing. The real revocation sends {0}.',
    outside(sameRequestExcept(plans.testPlan, plans.realPlan)),
  )}\n\n${joinText(previewLines(plans.testPlan), words`\n`)}`;
  return confirm<'test' | 'real'>(
    headline,
    detail,
    [
      {
        label: afterTest ? t('Test Again (test=Y)') : t('Test Revoke First (test=Y)'),
        value: 'test',
        irreversible: false,
      },
      { label: t('Revoke {0} Now', outside(target.value)), value: 'real', irreversible: true },
    ],
    { ...(answer !== undefined ? { answer } : {}), record },
  );
}

export async function revokeSsl(
  deps: CallDeps,
  start: RevokeStart,
  choice?: CertificateChoice,
): Promise<CallReport | undefined> {
  const automation = start.automation;
  if (!ensureTrusted(automation !== undefined)) return undefined;
  let target = start.target ?? (automation ? targetFromAutomation(automation) : undefined);
  let reason = start.reason ?? (automation ? reasonFromAutomation(automation) : undefined);
  if (!target || !reason) {
    const answers = await runSteps(
      t('Revoke SSL certificate'),
      revokeSteps({ ...start, ...(target && { target }), ...(reason && { reason }) }, choice),
      {},
    );
    if (!answers) return undefined;
    target ??= answers.target;
    reason ??=
      answers.codeReason !== undefined && answers.revocationReason !== undefined
        ? { codeReason: answers.codeReason, revocationReason: answers.revocationReason }
        : undefined;
    if (!target || !reason) return undefined;
  }
  const targetProblem = validatorFor(target.kind)(target.value);
  if (targetProblem) throw new Error(targetProblem);
  const active = await ensureAccount(deps.credentials, automation !== undefined);
  if (!active) return undefined;
  const responseFormat = responseFormatFor('AutoRevokeSSL', readReplaceDefaults().responseFormat);
  const base: RevokeSslParams = {
    [target.kind]: target.value,
    revocationReason: reason.revocationReason,
    codeReason: reason.codeReason,
    responseFormat,
  };
  // Both calls are planned once, here: the confirmation is rendered from them and the chosen one is sent.
  const testPlan = planRevoke(active, { ...base, test: true });
  const realPlan = planRevoke(active, { ...base, test: false });
  const dialogs: DialogRecord[] = [];
  let mode = start.mode;
  if (mode === undefined) {
    const answer = dialogAnswerOf(automation?.dialog);
    if (automation && answer === undefined) mode = automation.test === true ? 'test' : 'real';
    else
      mode = await confirmRevocation(target, active, { testPlan, realPlan }, start.afterTest === true, answer, dialogs);
    if (!mode) return undefined;
  }
  const test = mode === 'test';
  const plan = test ? testPlan : realPlan;
  const report = await runCall(deps, active, {
    endpoint: 'AutoRevokeSSL',
    title: test
      ? t('Test call for {0} (test=Y, nothing is revoked)…', describeTarget(target))
      : t('Revoking {0}…', describeTarget(target)),
    identifierKind: target.kind,
    identifier: target.value,
    test,
    record: {
      codeReason: reason.codeReason,
      revocationReason: reason.revocationReason,
      ...(target.certificateUri ? { certificateUri: target.certificateUri } : {}),
    },
    send: (client, _credentials, signal) => client.send(plan, { signal }),
  });
  const what = test
    ? t('Test revocation of {0}', describeTarget(target))
    : t('Revocation of {0}', describeTarget(target));
  const shown = showResult(deps, report, what, {
    repeatIsSafe: true,
    retry: () => revokeSsl(deps, { target, reason, mode: test ? 'test' : 'real' }),
    ...(test ? { revokeForReal: () => revokeSsl(deps, { target, reason, afterTest: true }) } : {}),
  });
  if (!automation) await shown;
  return { ...report, preview: previewText(plan), ...(dialogs.length > 0 ? { dialogs } : {}) };
}

/** The file a revocation from a certificate file reads: the one given, the active editor's, or one chosen. */
async function chooseCertificateFile(
  uri: vscode.Uri | undefined,
  automation: boolean,
): Promise<vscode.Uri | undefined> {
  if (uri) return uri;
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId !== LANGUAGE_ID && hasCertificateHeader(editor.document.getText()))
    return editor.document.uri;
  if (automation) throw new Error('No certificate file was given.');
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Choose the certificate to revoke'),
    canSelectMany: false,
    openLabel: vscode.l10n.t('Revoke this certificate…'),
    filters: { [vscode.l10n.t('Certificates')]: ['pem', 'crt', 'cer', 'der'], [vscode.l10n.t('All files')]: ['*'] },
  });
  return picked?.[0];
}

/**
 * "Revoke from Certificate File…" and the CodeLens above each certificate: the
 * revoke flow, its target the serial number of a certificate in the file (PEM or DER, read with
 * the client bundle's reader); a file of several certificates makes their choice the first step.
 */
export async function revokeFromCertificate(
  deps: CallDeps,
  uri: vscode.Uri | undefined,
  blockIndex: number | undefined,
  automation: RevokeAutomation | undefined,
): Promise<CallReport | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const file = await chooseCertificateFile(uri, automation !== undefined);
  if (!file) return undefined;
  const blocks = await readCertificateBlocks(file);
  const name = vscode.workspace.asRelativePath(file);
  if (blocks.length === 0)
    throw new Error(vscode.l10n.t('{0} holds no certificate (no {1} block).', name, CERTIFICATE_HEADER_TEXT));
  const { readCertificateFile } = await deps.clients.module();
  const choice: CertificateChoice = { name, uri: file, blocks, read: readCertificateFile };
  const only =
    blockIndex !== undefined ? blocks[blockIndex] : blocks.length === 1 || automation ? blocks[0] : undefined;
  if (blockIndex !== undefined && !only)
    throw new Error(
      vscode.l10n.t(
        '{0} has no certificate number {1}; it has {2}.',
        name,
        String(blockIndex + 1),
        String(blocks.length),
      ),
    );
  if (only) return revokeSsl(deps, { target: certificateTarget(choice, only), ...(automation ? { automation } : {}) });
  return revokeSsl(deps, {}, choice);
}
