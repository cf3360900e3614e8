// "Sectigo: Revoke SSL Certificate…" (AutoRevokeSSL). Steps: identify the certificate (order
// number, serial number or certificate ID), the reason code, the reason text; then a modal
// confirmation naming the certificate that offers the harmless test revocation (test=Y)
// first. A test that succeeds offers the real revocation, confirmed again.
import * as vscode from 'vscode';
import type { RevocationCode, RevokeSslParams } from '../../core/sectigo/types';
import {
  REVOCATION_CODES,
  normalizeSerialNumber,
  validateCertificateId,
  validateOrderNumber,
  validateRevocationReason,
  validateSerialNumber,
} from '../../core/sectigo/validate';
import { Commands } from '../ids';
import { askPick, askText } from './input';
import type { OrderIdentifier } from './orders-store';
import { ensureCredentials, ensureTrusted, isAutomation, requestPreview, runCall, showResult, type CallDeps, type CallReport } from './run-call';
import { guarded } from './replace-command';
import { readConnectionSettings, readReplaceDefaults } from './settings';

export interface RevokeAutomation {
  confirm: true;
  orderNumber?: string;
  serialNumber?: string;
  certificateID?: string;
  revocationReason: string;
  codeReason?: RevocationCode;
  /** test=Y: Sectigo checks the request but revokes nothing. */
  test: boolean;
}

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
  /** Skip the mode question: run exactly this mode (still confirmed when real). */
  mode?: 'test' | 'real';
  reason?: { codeReason: RevocationCode; revocationReason: string };
}

const KIND_LABELS: Record<OrderIdentifier, string> = {
  orderNumber: 'order number',
  serialNumber: 'serial number',
  certificateID: 'certificate ID',
};

function validatorFor(kind: OrderIdentifier): (value: string) => string | undefined {
  if (kind === 'orderNumber') return (value) => validateOrderNumber(value, 'AutoRevokeSSL');
  if (kind === 'serialNumber') return validateSerialNumber;
  return validateCertificateId;
}

function targetFromAutomation(automation: RevokeAutomation): RevokeTarget {
  const given = (['orderNumber', 'serialNumber', 'certificateID'] as const).filter((kind) => automation[kind] !== undefined);
  if (given.length !== 1) throw new Error('Give exactly one of orderNumber, serialNumber, certificateID.');
  const kind = given[0] as OrderIdentifier;
  return { kind, value: String(automation[kind]) };
}

export function describeTarget(target: RevokeTarget): string {
  return `${vscode.l10n.t(KIND_LABELS[target.kind])} ${target.value}${target.description ? ` (${target.description})` : ''}`;
}

async function askTarget(totalSteps: number): Promise<RevokeTarget | undefined> {
  const title = vscode.l10n.t('Revoke SSL certificate');
  const kind = await askPick<OrderIdentifier>({
    title,
    step: 1,
    totalSteps,
    placeholder: vscode.l10n.t('How do you name the certificate to revoke?'),
    items: [
      { label: vscode.l10n.t('Order number'), description: 'orderNumber', value: 'orderNumber' },
      { label: vscode.l10n.t('Serial number'), description: vscode.l10n.t('serialNumber, hexadecimal'), value: 'serialNumber' },
      { label: vscode.l10n.t('Certificate ID'), description: vscode.l10n.t('certificateID, up to 16 digits'), value: 'certificateID' },
    ],
    active: 'orderNumber',
  });
  if (!kind) return undefined;
  const value = await askText({ title, step: 2, totalSteps, prompt: vscode.l10n.t('The {0} of the certificate to revoke', vscode.l10n.t(KIND_LABELS[kind])), validate: validatorFor(kind) });
  if (value === undefined) return undefined;
  return { kind, value: kind === 'serialNumber' ? normalizeSerialNumber(value) : value };
}

async function askReason(firstStep: number, totalSteps: number): Promise<{ codeReason: RevocationCode; revocationReason: string } | undefined> {
  const title = vscode.l10n.t('Revoke SSL certificate');
  const codeReason = await askPick<RevocationCode>({
    title,
    step: firstStep,
    totalSteps,
    placeholder: vscode.l10n.t('codeReason: why the certificate is revoked'),
    items: (Object.entries(REVOCATION_CODES) as [string, string][]).map(([code, name]) => ({ label: `${code}: ${name}`, value: Number(code) as RevocationCode })),
    active: 0,
  });
  if (codeReason === undefined) return undefined;
  const revocationReason = await askText({
    title,
    step: firstStep + 1,
    totalSteps,
    prompt: vscode.l10n.t('revocationReason: a comment for your own records (Sectigo does not act on it)'),
    validate: validateRevocationReason,
  });
  if (revocationReason === undefined) return undefined;
  return { codeReason, revocationReason };
}

/** The modal confirmation. Returns the mode chosen, or undefined. The test revocation comes first. */
async function confirmRevocation(target: RevokeTarget, params: RevokeSslParams, loginName: string, onlyReal: boolean): Promise<'test' | 'real' | undefined> {
  const settings = readConnectionSettings();
  const preview = requestPreview('AutoRevokeSSL', settings.baseUrl, loginName, [
    [target.kind, target.value],
    ['revocationReason', params.revocationReason],
    ['codeReason', params.codeReason],
    ['test', onlyReal ? 'N' : vscode.l10n.t('Y for the test, N for the real revocation')],
    ['responseFormat', params.responseFormat],
  ]);
  const testFirst = vscode.l10n.t('Test Revoke First (test=Y)');
  const real = vscode.l10n.t('Revoke {0} Now', target.value);
  const headline = vscode.l10n.t('Revoke the SSL certificate with {0}? A real revocation cannot be undone.', describeTarget(target));
  const detail = onlyReal ? preview : `${vscode.l10n.t('A test revocation checks the request with Sectigo and revokes nothing.')}\n\n${preview}`;
  const choice = onlyReal
    ? await vscode.window.showWarningMessage(headline, { modal: true, detail }, real)
    : await vscode.window.showWarningMessage(headline, { modal: true, detail }, testFirst, real);
  if (choice === testFirst) return 'test';
  if (choice === real) return 'real';
  return undefined;
}

export async function revokeSsl(deps: CallDeps, start: RevokeStart): Promise<CallReport | undefined> {
  const automation = start.automation;
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const target = start.target ?? (automation ? targetFromAutomation(automation) : await askTarget(4));
  if (!target) return undefined;
  const targetProblem = validatorFor(target.kind)(target.value);
  if (targetProblem) throw new Error(targetProblem);
  const reason =
    start.reason ??
    (automation ? { codeReason: automation.codeReason ?? 0, revocationReason: automation.revocationReason } : await askReason(start.target ? 1 : 3, start.target ? 2 : 4));
  if (!reason) return undefined;
  const credentials = await ensureCredentials(deps, automation !== undefined);
  if (!credentials) return undefined;
  // AutoRevokeSSL knows responseFormat 0 and 1 only.
  const responseFormat = readReplaceDefaults().responseFormat === 0 ? 0 : 1;
  const base: RevokeSslParams = { [target.kind]: target.value, revocationReason: reason.revocationReason, codeReason: reason.codeReason, responseFormat };
  let mode: 'test' | 'real' | undefined = automation ? (automation.test ? 'test' : 'real') : undefined;
  if (!automation) {
    mode = await confirmRevocation(target, base, credentials.loginName, start.mode === 'real');
    if (!mode) return undefined;
  }
  const test = mode === 'test';
  const params: RevokeSslParams = { ...base, test };
  const report = await runCall(deps, credentials, {
    endpoint: 'AutoRevokeSSL',
    title: test ? vscode.l10n.t('Test-revoking {0}…', describeTarget(target)) : vscode.l10n.t('Revoking {0}…', describeTarget(target)),
    identifierKind: target.kind,
    identifier: target.value,
    test,
    record: { codeReason: reason.codeReason, revocationReason: reason.revocationReason, ...(target.certificateUri ? { certificateUri: target.certificateUri } : {}) },
    send: (client, creds, signal) => client.revokeSsl(creds, params, { signal }),
  });
  const what = test ? vscode.l10n.t('Test revocation of {0}', describeTarget(target)) : vscode.l10n.t('Revocation of {0}', describeTarget(target));
  const shown = showResult(deps, report, what, {
    repeatIsSafe: true,
    retry: () => revokeSsl(deps, { target, reason, mode: test ? 'test' : 'real' }),
    ...(test ? { revokeForReal: () => revokeSsl(deps, { target, reason, mode: 'real' }) } : {}),
  });
  if (!automation) await shown;
  return report;
}

export function registerRevokeCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.revokeSsl, async (...args: unknown[]) => {
      const last = args[args.length - 1];
      const automation = isAutomation(last) ? (last as unknown as RevokeAutomation) : undefined;
      return guarded(deps, vscode.l10n.t('Revoke SSL certificate'), automation !== undefined, () => revokeSsl(deps, { automation }));
    }),
  );
}
