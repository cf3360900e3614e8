// The table of contents of the product: every feature is registered here, in order. Each line is
// one surface (src/vscode/calls for calls to Sectigo, src/vscode/csr-editor for CSR files in the
// editor, both over src/vscode/shared). Activation does only what drawing a CSR's lenses needs:
// the calls' commands are stubs until first run, which loads the calls bundle (registerCallsOnFirstRun
// in src/vscode/bundles/load.ts); the HTTP client, the key generator and the CSR analysis are lazy
// bundles too, whose loaders are handed down from here (nothing else imports the loader); and what
// no lens needs waits until after activation (afterActivation).
import * as vscode from 'vscode';
import { OrdersStore } from './core/sectigo/orders-store';
import { unfinishedRunCheckNeeded } from './core/sectigo/bulk/run-store';
import { bundleFile, loadBundle, registerCallsOnFirstRun } from './vscode/bundles/load';
import { registerCertificateCodeLens } from './vscode/calls/certificate-codelens';
import { ClientPool } from './vscode/calls/client-pool';
import { CredentialStore } from './vscode/calls/credentials';
import { pinLegacyAccounts } from './vscode/calls/endpoint-migration';
import { registerOrdersView } from './vscode/calls/orders-view';
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
import { registerSharedPrimesCommand } from './vscode/csr-editor/shared-primes-command';
import { RememberedOrders } from './vscode/csr-editor/remembered-order';
import { registerAssistantTools } from './vscode/assistant/register-tools';
import { afterActivation } from './vscode/shared/after-activation';
import { allowAutomation } from './vscode/shared/command-boundary';
import { Commands, StateKeys } from './vscode/shared/ids';
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
  const clients = new ClientPool(log, () => loadBundle('sectigo-client'));
  const loadAnalysis = (): ReturnType<typeof loadBundle<'csr-analysis-worker'>> => loadBundle('csr-analysis-worker');
  const deps: CallDeps = { context, log, credentials, store, clients, loadAnalysis };
  context.subscriptions.push(
    log,
    credentials,
    clients,
    credentials.onDidChange(() => clients.retain(credentials.accounts().map((account) => account.id))),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  );
  // Accounts stored before they carried an endpoint are pinned, once, to the endpoint settings of
  // now; the user is told which endpoint each got (a remote window may read other settings).
  afterActivation(context, log, 'Migrating the stored Sectigo accounts', async () => {
    const notice = await pinLegacyAccounts(credentials, log);
    notice?.answered.catch((error: unknown) => log.error('Changing a pinned endpoint failed.', error));
  });

  // Calls to Sectigo. The account in the status bar is drawn once activate() has returned: no lens
  // needs it. Every command of the calls is a stub until the first of them runs, which loads the
  // calls bundle and registers the real commands (the functions named here) in place of the stubs.
  afterActivation(context, log, 'Showing the Sectigo account', () => registerStatusBar(context, credentials));
  const calls = registerCallsOnFirstRun(context, log, (bundle) => {
    bundle.registerCredentialCommands(context, deps);
    bundle.registerReplaceCommand(context, deps);
    bundle.registerRevokeCommand(context, deps);
    bundle.registerRevokeFromCertificate(context, deps);
    bundle.registerBulkRevokeCommand(context, deps);
    const tree = bundle.registerOrdersTree(context, store, log);
    bundle.registerOrdersCommands(context, deps);
    return { bundle, tree };
  });
  registerCertificateCodeLens(context);
  // A bulk run cut short by a reload or crash is offered for resuming (and a stale record of one
  // marked finished); the calls bundle loads only when there is one.
  afterActivation(context, log, 'Looking for an interrupted revocation', async () => {
    const runs = vscode.Uri.joinPath(context.globalStorageUri, StateKeys.bulkRunsFolder).fsPath;
    if (await unfinishedRunCheckNeeded(runs, (await store.load()).runs))
      (await calls()).bundle.offerResumeAfterActivation(context, deps);
  });
  // The Orders view is made now; its tree (and the calls' commands) load when it is first shown.
  registerOrdersView(context, store, log, async () => (await calls()).tree);

  // CSR files in the editor: one analysis per document version, shared by every surface.
  // What differs from the browser build (src/vscode/browser/extension.ts): worker threads, Node's file system.
  const host = nodeEditorHost({
    loadAnalysis,
    loadGenerator: () => loadBundle('csr-new'),
    analysisWorkerFile: bundleFile('csr-analysis-worker'),
  });
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
  registerSharedPrimesCommand(context, analyses, log);
  // The analysis as tools for AI assistants (agent mode, vscode.lm.invokeTool): read-only, loaded on first call.
  registerAssistantTools(context, async () => (await loadBundle('assistant-tools')).nodeAssistantTools(analyses));
}

export function deactivate(): void {}
