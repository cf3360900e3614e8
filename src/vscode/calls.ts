// Calls to Sectigo: accounts, replace and revoke commands, log, orders tree. Composition
// only; each surface is its own file under ./calls. The HTTP client itself is not imported
// here: client-pool.ts (through client-loader.ts) requires dist/sectigo-client.js when the
// first call is made, and keeps one client per account.
import * as vscode from 'vscode';
import { Commands } from './ids';
import { registerCredentialCommands } from './calls/credential-commands';
import { CredentialStore } from './calls/credentials';
import { createSectigoLog } from './calls/log';
import { registerOrdersCommands } from './calls/orders-commands';
import { OrdersStore, type OrderHistoryReader } from './calls/orders-store';
import { registerOrdersView } from './calls/orders-tree';
import { registerReplaceCommand } from './calls/replace-command';
import { registerRevokeFromCertificate } from './calls/revoke-from-certificate';
import { registerRevokeCommand } from './calls/revoke-command';
import { registerBulkRevokeCommand } from './calls/bulk-revoke-command';
import { ClientPool } from './calls/client-pool';
import { pinLegacyAccounts } from './calls/endpoint-migration';
import { allowAutomation } from './calls/command-plumbing';
import type { CallDeps } from './calls/run-call';
import { readConnectionSettings } from './calls/settings';
import { registerStatusBar } from './calls/status-bar';

/** What the calls share with the other surfaces: the one order history (one instance, so its notices are not lost). */
export interface SectigoCalls {
  orderHistory: OrderHistoryReader;
}

export function registerSectigoCalls(context: vscode.ExtensionContext): SectigoCalls {
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
  // Accounts stored before they carried an endpoint are pinned, once, to the endpoint settings of
  // now; the user is told which endpoint each got (a remote window may read other settings).
  pinLegacyAccounts(credentials, log).then(
    (notice) => notice?.answered.catch((error: unknown) => log.error('Changing a pinned endpoint failed.', error)),
    (error: unknown) => log.error('The stored Sectigo accounts could not be migrated.', error),
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

  registerStatusBar(context, credentials);
  registerCredentialCommands(context, credentials, log);
  registerReplaceCommand(context, deps);
  registerRevokeCommand(context, deps);
  registerRevokeFromCertificate(context, deps);
  registerBulkRevokeCommand(context, deps);
  const tree = registerOrdersView(context, store, log);
  registerOrdersCommands(context, deps, tree);
  return { orderHistory: { load: () => store.load() } };
}
