// Sending one call and recording it: the account's pooled client, a cancellable progress
// notification, one log line and one history entry naming the endpoint and the login. The
// commands decide (their parameters, the call plan, the confirmation); result-ui.ts shows the
// outcome; this file sends and records.
import * as vscode from 'vscode';
import { outside, words, textFrom, type Text } from '../../core/outside-text';
import { hostOf } from '../../core/sectigo/call-plan';
import { ALREADY_REVOKED_WORDS, acceptedWords } from '../../core/sectigo/outcome-words';
import { isAlreadyRevoked, stateOfAnswer } from '../../core/sectigo/order-state';
import { describeResult } from '../../core/sectigo/describe-result';
import type { ApiResult, Endpoint, SectigoApi, Credentials } from '../../core/sectigo/types';
import type { ClientPool } from './client-pool';
import type { DialogRecord } from './confirm';
import type { ActiveAccount, CredentialStore } from './credentials';
import type { CsrAnalysisModule, LoadModule } from '../shared/lazy-modules';
import { LOG_CHANNEL_NAME, type SectigoLog } from '../shared/log';
import { newEntryId, type OrderEntry, type OrderIdentifier, type OrdersStore } from '../../core/sectigo/orders-store';
import { withProgressNotification } from '../shared/messages';
import { readConnectionSettings } from '../shared/settings';

export interface CallDeps {
  context: vscode.ExtensionContext;
  log: SectigoLog;
  credentials: CredentialStore;
  store: OrdersStore;
  clients: ClientPool;
  /** The CSR analysis's bundle, loaded on first use (the replace flow reads the request with it). */
  loadAnalysis: LoadModule<CsrAnalysisModule>;
}

/** What a programmatic caller gets back from a network command. */
export interface CallReport {
  result: ApiResult;
  /** The history entry written for this call (undefined when nothing was sent). */
  entry: OrderEntry | undefined;
  ordersFile: string;
  /** The audit record (every real call and -21), beside ordersFile. */
  auditFile: string;
  /** The LogOutputChannel's file (context.logUri/Sectigo.log). */
  logFile: string;
  /** The lines this call wrote to the log, as written. */
  logLines: readonly string[];
  /** The preview confirmed (or that would have been), as text. */
  preview?: string;
  /** The confirmations shown on the way, when automation asked for them to be answered. */
  dialogs?: DialogRecord[];
}

export interface CallSpec {
  endpoint: Endpoint;
  /** Progress title, e.g. "Replacing S/MIME order 123…". */
  title: Text;
  identifierKind: OrderIdentifier;
  identifier: string;
  /** Fields recorded in the history (never a secret). */
  record: Partial<OrderEntry>;
  test?: boolean;
  send(client: SectigoApi, credentials: Credentials, signal: AbortSignal): Promise<ApiResult>;
}

function durationOf(result: ApiResult): number | undefined {
  return 'durationMs' in result ? result.durationMs : undefined;
}

/** Sends one call with progress and cancellation, logs it and records it. Never throws for an API or network failure. */
export async function runCall(deps: CallDeps, active: ActiveAccount, spec: CallSpec): Promise<CallReport> {
  const { account, credentials } = active;
  const entryId = newEntryId();
  const logFile = vscode.Uri.joinPath(deps.context.logUri, `${LOG_CHANNEL_NAME}.log`).fsPath;
  const log = deps.log.forEntry(entryId);
  // The account carries its endpoint; only the timeout comes from the settings at call time.
  const client = await deps.clients.clientFor(account, readConnectionSettings().timeoutSeconds);
  const started = new Date();
  const result = await withProgressNotification(
    words`${spec.title} (${outside(hostOf(account.baseUrl))})`,
    true,
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
  const duration = durationOf(result);
  const logLine = log.info(
    words`${textFrom(spec.endpoint)} ${textFrom(spec.identifierKind)} ${outside(spec.identifier)}${spec.test ? words` (test=Y)` : words``} at ${outside(account.baseUrl)} as ${outside(credentials.loginName)}: ${outside(describeResult(result))}${spec.test && result.kind === 'success' ? words`, ${outside(acceptedWords(true))}` : words``}${result.kind === 'api-error' && isAlreadyRevoked(result) ? words`, ${outside(ALREADY_REVOKED_WORDS)}` : words``}${duration !== undefined ? words`, ${duration} ms` : words``} [entry ${outside(entryId)}]`,
  );
  const state = stateOfAnswer(result, spec.test ?? false);
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
      baseUrl: account.baseUrl,
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
  return {
    result,
    entry,
    ordersFile: deps.store.file,
    auditFile: deps.store.auditFile,
    logFile,
    logLines: [...log.lines()],
  };
}
