// Setup the extension-host tests share: the extension, the workspace folder, global settings,
// and a connection to a fake Sectigo server with the demo account's credentials.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/vscode/shared/ids';
import { DEMO_ACCOUNT, type FakeSectigo } from '../fake-sectigo/server';

export const EXTENSION_ID = 'sectigo-csr-tools.sectigo-csr-tools';
/** Passed to a command so that it asks for no confirmation (honoured only outside a production install). */
export const automation = { confirm: true } as const;

export async function activateExtension(): Promise<void> {
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
}

/** The first workspace folder, or a path inside it. */
export function workspaceUri(...relative: string[]): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(root, 'the tests need a workspace folder');
  return relative.length > 0 ? vscode.Uri.joinPath(root, ...relative) : root;
}

export async function writeWorkspaceFile(relative: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(relative);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

export async function setGlobal(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(Settings.section).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Points the extension at the fake server and stores the demo account's credentials. */
export async function connectToFake(fake: FakeSectigo): Promise<void> {
  await setGlobal(Settings.baseUrl, fake.url);
  await setGlobal(Settings.caFile, fake.caFile);
  await vscode.commands.executeCommand(Commands.setCredentials, {
    ...automation,
    loginName: DEMO_ACCOUNT.loginName,
    loginPassword: DEMO_ACCOUNT.loginPassword,
  });
}

/** Stores the demo account's credentials pinned to the fake server, whatever the settings say. */
export async function pinDemoAccountTo(fake: FakeSectigo): Promise<void> {
  await vscode.commands.executeCommand(Commands.setCredentials, {
    ...automation,
    ...DEMO_ACCOUNT,
    baseUrl: fake.url,
    caFile: fake.caFile,
  });
}

/** Undoes connectToFake: the settings back to their defaults, the credentials forgotten. */
export async function disconnectFromFake(): Promise<void> {
  await setGlobal(Settings.baseUrl, undefined);
  await setGlobal(Settings.caFile, undefined);
  await vscode.commands.executeCommand(Commands.clearCredentials, automation);
}

/** The `source` of the extension's own diagnostics. */
export const DIAGNOSTIC_SOURCE = 'sectigo-csr';

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
}

/** Resolves with our diagnostics for uri once they satisfy the predicate (waits on the change event). */
export function diagnosticsWhere(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = (): void => {
      const current = ourDiagnostics(uri);
      if (!predicate(current)) return;
      subscription.dispose();
      resolve(current);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    check();
  });
}

export function codeValue(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? code.value : code;
}

export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The lens command only answers for documents VS Code has loaded.
  await vscode.workspace.openTextDocument(uri);
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

export function titles(lenses: readonly vscode.CodeLens[]): string[] {
  return lenses.map((lens) => lens.command?.title ?? '');
}

/** Runs a command as a real Promise (executeCommand gives a Thenable), for assert.rejects to wait on. */
export function runCommand<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(command, ...args));
}
