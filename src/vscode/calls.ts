// Calls to Sectigo: credentials, replace and revoke commands, log, orders tree. Composition
// only; each surface is its own file under ./calls. The HTTP client itself is not imported
// here: client-loader.ts requires dist/sectigo-client.js when the first call is made.
import * as vscode from 'vscode';
import { Commands } from './ids';
import { registerCredentialCommands } from './calls/credential-commands';
import { CredentialStore } from './calls/credentials';
import { createSectigoLog } from './calls/log';
import { registerOrdersCommands } from './calls/orders-commands';
import { OrdersStore } from './calls/orders-store';
import { registerOrdersView } from './calls/orders-tree';
import { registerReplaceCommand } from './calls/replace-command';
import { registerRevokeFromCertificate } from './calls/revoke-from-certificate';
import { registerRevokeCommand } from './calls/revoke-command';
import { registerBulkRevokeCommand } from './calls/bulk-revoke-command';
import { allowAutomation, type CallDeps } from './calls/run-call';
import { registerStatusBar } from './calls/status-bar';

export function registerSectigoCalls(context: vscode.ExtensionContext): void {
  allowAutomation(context.extensionMode);
  const log = createSectigoLog();
  const credentials = new CredentialStore(context.secrets, context.globalState, (password) => log.addSecret(password));
  const store = OrdersStore.inDirectory(context.globalStorageUri.fsPath);
  const deps: CallDeps = { context, log, credentials, store };
  context.subscriptions.push(log, credentials, vscode.commands.registerCommand(Commands.showLog, () => log.show()));

  registerStatusBar(context, credentials);
  registerCredentialCommands(context, credentials, log);
  registerReplaceCommand(context, deps);
  registerRevokeCommand(context, deps);
  registerRevokeFromCertificate(context, deps);
  registerBulkRevokeCommand(context, deps);
  const tree = registerOrdersView(context, store, log);
  registerOrdersCommands(context, deps, tree);
}
