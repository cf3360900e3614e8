// Set / Clear / Select account. Set Credentials asks for the login name and the password
// (a password box); tests may pass { loginName, loginPassword } instead, which goes into the
// same SecretStorage and is never logged.
import * as vscode from 'vscode';
import { validateLoginName, validateLoginPassword } from '../../core/sectigo/validate';
import { Commands } from '../ids';
import type { AccountInfo, CredentialStore } from './credentials';
import { askPick, askText } from './input';
import type { SectigoLog } from './log';
import { isAutomation } from './run-call';

interface CredentialArguments {
  confirm: true;
  loginName: string;
  loginPassword: string;
}

async function setCredentials(credentials: CredentialStore, log: SectigoLog, given: CredentialArguments | undefined): Promise<AccountInfo | undefined> {
  if (given) {
    const account = await credentials.set({ loginName: given.loginName, loginPassword: given.loginPassword });
    log.info(`Credentials stored for login ${account.loginName}.`);
    return account;
  }
  const title = vscode.l10n.t('Sectigo credentials');
  const loginName = await askText({
    title,
    step: 1,
    totalSteps: 2,
    prompt: vscode.l10n.t('Your Sectigo reseller API login name (case sensitive)'),
    value: credentials.active()?.loginName ?? '',
    validate: validateLoginName,
  });
  if (loginName === undefined) return undefined;
  const loginPassword = await askText({
    title,
    step: 2,
    totalSteps: 2,
    prompt: vscode.l10n.t('The password for {0} (kept in VS Code\'s secret storage only)', loginName),
    password: true,
    validate: validateLoginPassword,
  });
  if (loginPassword === undefined) return undefined;
  const account = await credentials.set({ loginName, loginPassword });
  log.info(`Credentials stored for login ${account.loginName}.`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Sectigo credentials for {0} are stored and active.', account.loginName));
  return account;
}

async function clearCredentials(credentials: CredentialStore, log: SectigoLog, automation: boolean): Promise<void> {
  const accounts = credentials.accounts();
  if (accounts.length === 0) {
    if (!automation) void vscode.window.showInformationMessage(vscode.l10n.t('No Sectigo credentials are stored.'));
    return;
  }
  let toRemove: AccountInfo[];
  if (automation) {
    toRemove = accounts;
  } else {
    const all: AccountInfo = { id: '*', loginName: '' };
    const picked = await askPick<AccountInfo>({
      title: vscode.l10n.t('Clear Sectigo credentials'),
      step: 1,
      totalSteps: 1,
      placeholder: vscode.l10n.t('Which login should be forgotten?'),
      items: [
        ...accounts.map((account) => ({ label: account.loginName, description: account.id === credentials.active()?.id ? vscode.l10n.t('active') : '', value: account })),
        ...(accounts.length > 1 ? [{ label: vscode.l10n.t('All {0} logins', String(accounts.length)), value: all }] : []),
      ],
    });
    if (!picked) return;
    toRemove = picked === all ? accounts : [picked];
    const forget = vscode.l10n.t('Forget');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Forget the Sectigo password of {0}?', toRemove.map((account) => account.loginName).join(', ')),
      { modal: true },
      forget,
    );
    if (choice !== forget) return;
  }
  for (const account of toRemove) {
    await credentials.remove(account.id);
    log.info(`Credentials removed for login ${account.loginName}.`);
  }
}

async function selectAccount(credentials: CredentialStore, log: SectigoLog): Promise<void> {
  const add: AccountInfo = { id: '+', loginName: '' };
  const active = credentials.active();
  const picked = await askPick<AccountInfo>({
    title: vscode.l10n.t('Sectigo account'),
    step: 1,
    totalSteps: 1,
    placeholder: vscode.l10n.t('Which login should calls use?'),
    items: [
      ...credentials.accounts().map((account) => ({ label: `$(key) ${account.loginName}`, description: account.id === active?.id ? vscode.l10n.t('active') : '', value: account })),
      { label: `$(add) ${vscode.l10n.t('Add another login…')}`, value: add },
    ],
    ...(active ? { active } : {}),
  });
  if (!picked) return;
  if (picked === add) {
    await setCredentials(credentials, log, undefined);
    return;
  }
  await credentials.select(picked.id);
  log.info(`Active login is now ${picked.loginName}.`);
}

function asCredentialArguments(value: unknown): CredentialArguments | undefined {
  if (!isAutomation(value)) return undefined;
  const candidate = value as Partial<CredentialArguments>;
  return typeof candidate.loginName === 'string' && typeof candidate.loginPassword === 'string' ? (candidate as CredentialArguments) : undefined;
}

export function registerCredentialCommands(context: vscode.ExtensionContext, credentials: CredentialStore, log: SectigoLog): void {
  const boundary = async <T>(what: string, automation: boolean, body: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await body();
    } catch (error) {
      log.error(`${what} failed.`, error);
      if (automation) throw error;
      void vscode.window.showErrorMessage(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.setCredentials, (given?: unknown) => {
      const args = asCredentialArguments(given);
      return boundary(vscode.l10n.t('Set Sectigo credentials'), args !== undefined, () => setCredentials(credentials, log, args));
    }),
    vscode.commands.registerCommand(Commands.clearCredentials, (given?: unknown) =>
      boundary(vscode.l10n.t('Clear Sectigo credentials'), isAutomation(given), () => clearCredentials(credentials, log, isAutomation(given))),
    ),
    vscode.commands.registerCommand(Commands.selectAccount, () => boundary(vscode.l10n.t('Select Sectigo account'), false, () => selectAccount(credentials, log))),
  );
}
