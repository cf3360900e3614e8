// The table of contents of the product: every feature is registered here, in order. Each
// register…(context) is one surface (src/vscode/calls for calls to Sectigo, src/vscode/csr-editor
// for CSR files in the editor, both over src/vscode/shared). Nothing heavy is loaded here: the
// HTTP client, the key generator and the analysis worker are lazy bundles (src/vscode/bundles).
import * as vscode from 'vscode';
import { OrdersStore } from './core/sectigo/orders-store';
import { registerBulkRevokeCommand } from './vscode/calls/bulk-revoke-command';
import { ClientPool } from './vscode/calls/client-pool';
import { registerCredentialCommands } from './vscode/calls/credential-commands';
import { CredentialStore } from './vscode/calls/credentials';
import { pinLegacyAccounts } from './vscode/calls/endpoint-migration';
import { registerOrdersCommands } from './vscode/calls/orders-commands';
import { registerOrdersView } from './vscode/calls/orders-tree';
import { registerReplaceCommand } from './vscode/calls/replace-command';
import { registerRevokeCommand } from './vscode/calls/revoke-command';
import { registerRevokeFromCertificate } from './vscode/calls/revoke-from-certificate-command';
import type { CallDeps } from './vscode/calls/run-call';
import { registerStatusBar } from './vscode/calls/status-bar';
import { DocumentAnalyses } from './vscode/csr-editor/analysis';
import { registerCodeLens } from './vscode/csr-editor/codelens';
import { registerDiagnostics } from './vscode/csr-editor/diagnostics';
import { registerHover } from './vscode/csr-editor/hover';
import { registerInspectCommands } from './vscode/csr-editor/inspect-report';
import { registerPemLanguageAdapter } from './vscode/csr-editor/language';
import { registerNewCsrCommands } from './vscode/csr-editor/new-csr-command';
import { nodeEditorHost } from './vscode/csr-editor/node-host';
import { registerCompliantCsrCodeActions } from './vscode/csr-editor/new-csr-code-action';
import { RememberedOrders } from './vscode/csr-editor/remembered-order';
import { allowAutomation } from './vscode/shared/command-boundary';
import { Commands } from './vscode/shared/ids';
import { createSectigoLog } from './vscode/shared/log';
import { readConnectionSettings } from './vscode/shared/settings';

export function activate(context: vscode.ExtensionContext): void {
  // What every surface shares: the automation gate, the one log, the accounts, the clients, the order history.
  allowAutomation(context.extensionMode);
  const log = createSectigoLog();
  const credentials = new CredentialStore(
    context.secrets,
    context.globalState,
    (password) => log.addSecret(password),
    () => {
      const { baseUrl, caFile, proxy } = readConnectionSettings();
      return { baseUrl, caFile, proxy };
    },
  );
  const store = OrdersStore.inDirectory(context.globalStorageUri.fsPath);
  const clients = new ClientPool(log);
  const deps: CallDeps = { context, log, credentials, store, clients };
  context.subscriptions.push(
    log,
    credentials,
    clients,
    credentials.onDidChange(() => clients.retain(credentials.accounts().map((account) => account.id))),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  );
  // Accounts stored before they carried an endpoint are pinned, once, to the endpoint settings of
  // now; the user is told which endpoint each got (a remote window may read other settings).
  pinLegacyAccounts(credentials, log).then(
    (notice) => notice?.answered.catch((error: unknown) => log.error('Changing a pinned endpoint failed.', error)),
    (error: unknown) => log.error('The stored Sectigo accounts could not be migrated.', error),
  );

  // Calls to Sectigo.
  registerStatusBar(context, credentials);
  registerCredentialCommands(context, credentials, log);
  registerReplaceCommand(context, deps);
  registerRevokeCommand(context, deps);
  registerRevokeFromCertificate(context, deps);
  registerBulkRevokeCommand(context, deps);
  const tree = registerOrdersView(context, store, log);
  registerOrdersCommands(context, deps, tree);

  // CSR files in the editor: one analysis per document version, shared by every surface.
  // What differs from the browser build (src/vscode/browser/extension.ts): worker threads, Node's file system.
  const host = nodeEditorHost();
  const analyses = new DocumentAnalyses(host.analysis);
  context.subscriptions.push(analyses);
  // The order a new request was made for (after a -13), kept across reloads.
  const remembered = new RememberedOrders(context.globalState);
  registerPemLanguageAdapter(context);
  registerCodeLens(context, analyses, remembered, host.callsAvailable);
  registerDiagnostics(context, analyses);
  registerHover(context, analyses);
  registerInspectCommands(context, analyses, log);
  registerNewCsrCommands(context, analyses, store, remembered, log, host);
  registerCompliantCsrCodeActions(context, analyses);
}

export function deactivate(): void {}
