// What every call to Sectigo goes through: workspace trust, credentials (asked for on first
// use), the settings read from user settings only, the lazily loaded client, a cancellable
// progress notification, one log line, one history entry and a result notification with
// the next step. Commands build the parameters; this file sends them.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ApiResult, Credentials, Endpoint, SectigoApi } from '../../core/sectigo/types';
import { Commands } from '../ids';
import { loadClientModule, type ClientModule } from './client-loader';
import type { CredentialStore } from './credentials';
import { LOG_CHANNEL_NAME, type EntryLog, type SectigoLog } from './log';
import { newEntryId, type OrderEntry, type OrderIdentifier, type OrderState, type OrdersStore } from './orders-store';
import { readConnectionSettings, type ConnectionSettings } from './settings';

export interface CallDeps {
  context: vscode.ExtensionContext;
  log: SectigoLog;
  credentials: CredentialStore;
  store: OrdersStore;
}

/** Given by tests (or scripts) as the last argument of a command: no prompts, no modal dialogs. */
export interface Automation {
  confirm: true;
}

let automationAllowed = false;

/**
 * Argument objects that skip the prompts are honoured only when the extension runs under
 * test or development: in an installed extension another extension must not be able to
 * revoke a certificate without the user seeing the confirmation.
 */
export function allowAutomation(mode: vscode.ExtensionMode): void {
  automationAllowed = mode !== vscode.ExtensionMode.Production;
}

export function isAutomation(value: unknown): value is Automation & Record<string, unknown> {
  return automationAllowed && typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && (value as { confirm?: unknown }).confirm === true;
}

/** What a programmatic caller gets back from a network command. */
export interface CallReport {
  result: ApiResult;
  /** The history entry written for this call (undefined when nothing was sent). */
  entry: OrderEntry | undefined;
  ordersFile: string;
  /** The LogOutputChannel's file (context.logUri/Sectigo.log). */
  logFile: string;
  /** The lines this call wrote to the log, as written. */
  logLines: readonly string[];
}

export const PASSWORD_MASK = '••••••••';

/** In an untrusted workspace calls are off: a cloned repository must not drive them. */
export function ensureTrusted(automation: boolean): boolean {
  if (vscode.workspace.isTrusted) return true;
  const message = vscode.l10n.t(
    'Calls to Sectigo are turned off in an untrusted workspace, so that a cloned repository cannot make them on your behalf. The CSR analysis keeps working. Trust this workspace to replace or revoke certificates.',
  );
  if (automation) throw new Error(message);
  void vscode.window.showWarningMessage(message, vscode.l10n.t('Manage Workspace Trust')).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** The active account's credentials; on first use, asks for them (Set Credentials). */
export async function ensureCredentials(deps: CallDeps, automation: boolean): Promise<Credentials | undefined> {
  const existing = await deps.credentials.getActive();
  if (existing) return existing;
  if (automation) throw new Error(vscode.l10n.t('No Sectigo credentials are set: run "Sectigo: Set Credentials" first.'));
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Sectigo needs your reseller API login name and password. They are kept in VS Code\'s secret storage only.'),
    { modal: true },
    vscode.l10n.t('Set Credentials…'),
  );
  if (!choice) return undefined;
  await vscode.commands.executeCommand(Commands.setCredentials);
  return deps.credentials.getActive();
}

export async function createClient(module: ClientModule, settings: ConnectionSettings, log: EntryLog): Promise<SectigoApi> {
  const extraCaCertificates: string[] = [];
  if (settings.caFile) {
    try {
      extraCaCertificates.push(await readFile(settings.caFile, 'utf8'));
    } catch (error) {
      throw new Error(vscode.l10n.t('The CA file in the setting sectigo.caFile ({0}) cannot be read.', settings.caFile), { cause: error });
    }
  }
  return module.createSectigoClient({
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutSeconds * 1000,
    ...(settings.proxy ? { proxy: settings.proxy } : {}),
    extraCaCertificates,
    log: (level, message) => {
      if (level === 'error') log.error(message);
      else log[level](message);
    },
  });
}

/** Loads the client module, turning a failure into a readable message. */
export async function clientModule(log: SectigoLog): Promise<ClientModule> {
  try {
    return await loadClientModule();
  } catch (error) {
    log.error('The Sectigo client could not be loaded.', error);
    throw error;
  }
}

export interface CallSpec {
  endpoint: Endpoint;
  /** Progress title, e.g. "Replacing S/MIME order 123…". */
  title: string;
  identifierKind: OrderIdentifier;
  identifier: string;
  /** Fields recorded in the history (never a secret). */
  record: Partial<OrderEntry>;
  test?: boolean;
  send(client: SectigoApi, credentials: Credentials, signal: AbortSignal): Promise<ApiResult>;
}

function stateOf(result: ApiResult, test: boolean): OrderState | undefined {
  switch (result.kind) {
    case 'success':
      return result.endpoint === 'AutoReplaceSMIME' ? 'replaced' : test ? 'test-revoked' : 'revoked';
    case 'api-error':
      // -21 at AutoRevokeSSL: already revoked, which is what a revocation wanted.
      return result.endpoint === 'AutoRevokeSSL' && result.errorCode === -21 ? 'revoked' : 'failed';
    case 'validation-error':
      return undefined;
    case 'transport-error':
      return result.outcome === 'unknown' ? 'outcome-unknown' : 'failed';
    case 'cancelled':
      return result.outcome === 'unknown' ? 'outcome-unknown' : undefined;
  }
}

export function describeResult(result: ApiResult): string {
  switch (result.kind) {
    case 'success':
      return result.newOrderNumber ? `errorCode 0 (success, new order ${result.newOrderNumber})` : 'errorCode 0 (success)';
    case 'api-error':
      return `errorCode ${result.errorCode} (${result.explanation.meaning} Server said: ${result.errorMessage})`;
    case 'validation-error':
      return `not sent: ${result.parameter} (would be ${result.predictedErrorCode}): ${result.message}`;
    case 'transport-error':
      return `${result.outcome === 'unknown' ? 'OUTCOME UNKNOWN' : 'not sent'}: ${result.message}${result.httpStatus ? ` (HTTP ${result.httpStatus})` : ''}`;
    case 'cancelled':
      return `cancelled (${result.outcome === 'unknown' ? 'OUTCOME UNKNOWN: the request may have reached Sectigo' : 'nothing was sent'})`;
  }
}

function durationOf(result: ApiResult): number | undefined {
  return 'durationMs' in result ? result.durationMs : undefined;
}

/** Sends one call with progress and cancellation, logs it and records it. Never throws for an API or network failure. */
export async function runCall(deps: CallDeps, credentials: Credentials, spec: CallSpec): Promise<CallReport> {
  const settings = readConnectionSettings();
  const entryId = newEntryId();
  const logFile = vscode.Uri.joinPath(deps.context.logUri, `${LOG_CHANNEL_NAME}.log`).fsPath;
  const log = deps.log.forEntry(entryId);
  if (settings.ignoredWorkspaceSettings.length > 0) {
    log.warn(`Ignored workspace values for ${settings.ignoredWorkspaceSettings.join(', ')}: connection settings come from user settings only.`);
  }
  const module = await clientModule(deps.log);
  const client = await createClient(module, settings, log);
  const started = new Date();
  let result: ApiResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: spec.title, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          return await spec.send(client, credentials, controller.signal);
        } finally {
          subscription.dispose();
        }
      },
    );
  } finally {
    await client.close().catch((error: unknown) => log.warn(`Closing the client failed: ${String(error)}`));
  }
  const duration = durationOf(result);
  const logLine = log.info(
    `${spec.endpoint} ${spec.identifierKind} ${spec.identifier}${spec.test ? ' (test=Y)' : ''} at ${settings.baseUrl} as ${credentials.loginName}: ${describeResult(result)}${duration !== undefined ? `, ${duration} ms` : ''} [entry ${entryId}]`,
  );
  const state = stateOf(result, spec.test ?? false);
  let entry: OrderEntry | undefined;
  if (state !== undefined) {
    entry = {
      ...spec.record,
      id: entryId,
      time: started.toISOString(),
      endpoint: spec.endpoint,
      identifierKind: spec.identifierKind,
      identifier: spec.identifier,
      state,
      baseUrl: settings.baseUrl,
      loginName: credentials.loginName,
      logLine,
      ...(spec.test !== undefined ? { test: spec.test } : {}),
      ...(duration !== undefined ? { durationMs: duration } : {}),
      ...(result.kind === 'success' && result.newOrderNumber ? { newOrderNumber: result.newOrderNumber } : {}),
      ...(result.kind === 'api-error' ? { errorCode: result.errorCode, message: result.errorMessage } : {}),
      ...(result.kind === 'api-error' && result.retryAfter ? { retryAfter: result.retryAfter } : {}),
      ...(result.kind === 'transport-error' || result.kind === 'cancelled' ? { message: result.message } : {}),
      ...(result.kind === 'success' && result.note ? { message: result.note } : {}),
    };
    try {
      await deps.store.add(entry);
    } catch (error) {
      log.error('The call could not be recorded in the order history.', error);
    }
  }
  return { result, entry, ordersFile: deps.store.file, logFile, logLines: [...log.lines()] };
}

export interface ResultActions {
  /** Runs the same call again (offered after -42 at the given time, and after a revoke whose answer was lost). */
  retry?: () => Thenable<unknown> | Promise<unknown>;
  /** Offered after a successful test revoke. */
  revokeForReal?: () => Thenable<unknown> | Promise<unknown>;
  /** Whether repeating the call blindly is safe (revoke: a repeat answers -21). */
  repeatIsSafe: boolean;
}

/** The result notification with its next actions. Not awaited by automation. */
export async function showResult(deps: CallDeps, report: CallReport, what: string, actions: ResultActions): Promise<void> {
  const { result } = report;
  const showLog = vscode.l10n.t('Show Log');
  switch (result.kind) {
    case 'success': {
      if (result.newOrderNumber) {
        const copy = vscode.l10n.t('Copy New Order Number');
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0}: done. New order number {1}.', what, result.newOrderNumber), copy, showLog);
        if (choice === copy) await vscode.env.clipboard.writeText(result.newOrderNumber);
        if (choice === showLog) deps.log.show();
        return;
      }
      const realRevoke = vscode.l10n.t('Revoke for Real…');
      const buttons = actions.revokeForReal ? [realRevoke, showLog] : [showLog];
      const message = report.entry?.state === 'test-revoked'
        ? vscode.l10n.t('{0}: Sectigo accepted the test revocation (test=Y). Nothing was revoked.', what)
        : vscode.l10n.t('{0}: done.', what) + (result.note ? ` ${result.note}` : '');
      const choice = await vscode.window.showInformationMessage(message, ...buttons);
      if (choice === realRevoke) await actions.revokeForReal?.();
      if (choice === showLog) deps.log.show();
      return;
    }
    case 'api-error': {
      const buttons: string[] = [showLog];
      const setCredentials = vscode.l10n.t('Set Credentials…');
      if (result.errorCode === -16) buttons.unshift(setCredentials);
      let retryLabel: string | undefined;
      if (result.retryAfter && actions.retry) {
        retryLabel = vscode.l10n.t('Retry at {0}', new Date(result.retryAfter).toLocaleTimeString());
        buttons.unshift(retryLabel);
      }
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t('{0}: Sectigo answered {1}. {2} {3}', what, String(result.errorCode), result.explanation.meaning, result.explanation.nextStep),
        ...buttons,
      );
      if (choice === setCredentials) await vscode.commands.executeCommand(Commands.setCredentials);
      if (choice === showLog) deps.log.show();
      if (choice === retryLabel && result.retryAfter && actions.retry) scheduleRetry(what, result.retryAfter, actions.retry);
      return;
    }
    case 'validation-error': {
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t('{0}: not sent. {1} ({2}; Sectigo would answer {3}.)', what, result.message, result.parameter, String(result.predictedErrorCode)),
        showLog,
      );
      if (choice === showLog) deps.log.show();
      return;
    }
    case 'transport-error':
    case 'cancelled': {
      if (result.outcome === 'unknown') {
        const retry = vscode.l10n.t('Send Again');
        const buttons = actions.repeatIsSafe && actions.retry ? [retry, showLog] : [showLog];
        const advice = actions.repeatIsSafe
          ? vscode.l10n.t('Sending it again is safe: a repeated revocation answers "already revoked".')
          : vscode.l10n.t('Check the order in the Sectigo portal before trying again: a replacement sent twice may create two orders.');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('{0}: OUTCOME UNKNOWN. {1} The request may have reached Sectigo. {2}', what, result.message, advice),
          { modal: false },
          ...buttons,
        );
        if (choice === retry) await actions.retry?.();
        if (choice === showLog) deps.log.show();
        return;
      }
      const choice =
        result.kind === 'cancelled'
          ? await vscode.window.showInformationMessage(vscode.l10n.t('{0}: cancelled; nothing was sent.', what))
          : await vscode.window.showErrorMessage(vscode.l10n.t('{0}: not sent. {1}', what, result.message), showLog);
      if (choice === showLog) deps.log.show();
      return;
    }
  }
}

/** After -42: tell the user when the call limit has passed, and offer the retry then. */
function scheduleRetry(what: string, retryAfter: string, retry: () => Thenable<unknown> | Promise<unknown>): void {
  const wait = Math.max(0, Date.parse(retryAfter) - Date.now());
  const timer = setTimeout(() => {
    const again = vscode.l10n.t('Retry Now');
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: the Sectigo call limit should have passed.', what), again).then((choice) => {
      if (choice === again) void retry();
    });
  }, Math.min(wait, 2 ** 31 - 1));
  timer.unref?.();
}

/** The request as it will be sent, one parameter a line, the password masked and the CSR named, not shown. */
export function requestPreview(endpoint: Endpoint, baseUrl: string, loginName: string, parameters: [string, string | number | boolean | undefined][]): string {
  const lines = [`POST ${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}!${endpoint}`, `loginName = ${loginName}`, `loginPassword = ${PASSWORD_MASK}`];
  for (const [name, value] of parameters) {
    if (value === undefined || value === '') continue;
    lines.push(`${name} = ${typeof value === 'boolean' ? (value ? 'Y' : 'N') : String(value)}`);
  }
  return lines.join('\n');
}
