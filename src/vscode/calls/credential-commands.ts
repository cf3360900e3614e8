// Set / Clear / Select account. Set Credentials asks for the API endpoint (offering the
// sectigo.baseUrl setting), the login name and the password (a password box); the account
// keeps that endpoint, with the caFile and proxy settings of that moment. Tests may pass
// { loginName, loginPassword, baseUrl?, caFile?, proxy? } instead, which goes into the same
// SecretStorage and is never logged.
import * as vscode from 'vscode';
import { PRODUCTION_BASE_URL, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import { loadClientModule } from './client-loader';
import { validateLoginName, validateLoginPassword } from '../../core/sectigo/validate';
import { Commands } from '../ids';
import { automationArgs, isAutomation } from './command-plumbing';
import { describeAccount, type AccountEndpoint, type AccountInfo, type CredentialStore } from './credentials';
import { askPick, askText } from './input';
import type { SectigoLog } from './log';
import { readConnectionSettings } from './settings';

interface CredentialArguments {
  confirm: true;
  loginName: string;
  loginPassword: string;
  baseUrl?: string;
  caFile?: string;
  proxy?: string;
}

const NO_ACCOUNT: Omit<AccountInfo, 'id' | 'loginName'> = { baseUrl: '', caFile: '', proxy: '' };

/** The endpoint of a new account: the settings are the defaults; a workspace value of them is never used. */
function endpointDefaults(log: SectigoLog): AccountEndpoint {
  const settings = readConnectionSettings();
  if (settings.ignoredWorkspaceSettings.length > 0) {
    log.warn(
      `Ignored workspace values for ${settings.ignoredWorkspaceSettings.join(', ')}: an account's endpoint defaults come from user (or remote) settings only.`,
    );
  }
  return { baseUrl: settings.baseUrl, caFile: settings.caFile, proxy: settings.proxy };
}

async function setCredentials(
  credentials: CredentialStore,
  log: SectigoLog,
  given: CredentialArguments | undefined,
): Promise<AccountInfo | undefined> {
  const defaults = endpointDefaults(log);
  // The client's own rule for base URLs (https; http only on loopback), so an account never keeps one a call would refuse.
  const { validateBaseUrl } = await loadClientModule();
  if (given) {
    const endpoint: AccountEndpoint = {
      baseUrl: given.baseUrl ?? defaults.baseUrl,
      caFile: given.caFile ?? defaults.caFile,
      proxy: given.proxy ?? defaults.proxy,
    };
    const problem = validateBaseUrl(endpoint.baseUrl);
    if (problem) throw new Error(problem);
    const account = await credentials.set({ loginName: given.loginName, loginPassword: given.loginPassword }, endpoint);
    log.info(`Credentials stored for ${describeAccount(account)} (${account.baseUrl}).`);
    return account;
  }
  const title = vscode.l10n.t('Sectigo credentials');
  const baseUrl = await askText({
    title,
    step: 1,
    totalSteps: 3,
    prompt: vscode.l10n.t(
      'The API endpoint this login belongs to: its password will only ever be sent there. Sectigo production is {0}',
      PRODUCTION_BASE_URL,
    ),
    value: defaults.baseUrl,
    validate: (value) => validateBaseUrl(value.trim()),
  });
  if (baseUrl === undefined) return undefined;
  const loginName = await askText({
    title,
    step: 2,
    totalSteps: 3,
    prompt: vscode.l10n.t('Your Sectigo reseller API login name (case sensitive)'),
    value: credentials.active()?.loginName ?? '',
    validate: validateLoginName,
  });
  if (loginName === undefined) return undefined;
  const loginPassword = await askText({
    title,
    step: 3,
    totalSteps: 3,
    prompt: vscode.l10n.t("The password for {0} (kept in VS Code's secret storage only)", loginName),
    password: true,
    validate: validateLoginPassword,
  });
  if (loginPassword === undefined) return undefined;
  const endpoint = { ...defaults, baseUrl: baseUrl.trim() };
  const account = await credentials.set({ loginName, loginPassword }, endpoint);
  log.info(
    `Credentials stored for ${describeAccount(account)} (${account.baseUrl}${account.caFile ? `, CA file ${account.caFile}` : ''}${account.proxy ? ', with a proxy' : ''}).`,
  );
  void vscode.window.showInformationMessage(
    isProductionBaseUrl(account.baseUrl)
      ? vscode.l10n.t(
          'Sectigo credentials for {0} are stored and active. Calls with them change real certificates.',
          describeAccount(account),
        )
      : vscode.l10n.t('Sectigo credentials for {0} are stored and active.', describeAccount(account)),
  );
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
    const all: AccountInfo = { id: '*', loginName: '', ...NO_ACCOUNT };
    const picked = await askPick<AccountInfo>({
      title: vscode.l10n.t('Clear Sectigo credentials'),
      step: 1,
      totalSteps: 1,
      placeholder: vscode.l10n.t('Which login should be forgotten?'),
      items: [
        ...accounts.map((account) => ({
          label: describeAccount(account),
          description: account.id === credentials.active()?.id ? vscode.l10n.t('active') : '',
          value: account,
        })),
        ...(accounts.length > 1
          ? [{ label: vscode.l10n.t('All {0} logins', String(accounts.length)), value: all }]
          : []),
      ],
    });
    if (!picked) return;
    toRemove = picked === all ? accounts : [picked];
    const forget = vscode.l10n.t('Forget');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Forget the Sectigo password of {0}?',
        toRemove.map((account) => describeAccount(account)).join(', '),
      ),
      { modal: true },
      forget,
    );
    if (choice !== forget) return;
  }
  for (const account of toRemove) {
    await credentials.remove(account.id);
    log.info(`Credentials removed for ${describeAccount(account)}.`);
  }
}

async function selectAccount(credentials: CredentialStore, log: SectigoLog): Promise<void> {
  const add: AccountInfo = { id: '+', loginName: '', ...NO_ACCOUNT };
  const active = credentials.active();
  const picked = await askPick<AccountInfo>({
    title: vscode.l10n.t('Sectigo account'),
    step: 1,
    totalSteps: 1,
    placeholder: vscode.l10n.t('Which login should calls use?'),
    items: [
      ...credentials.accounts().map((account) => ({
        label: `${isProductionBaseUrl(account.baseUrl) ? '$(key)' : '$(beaker)'} ${describeAccount(account)}`,
        description: account.id === active?.id ? vscode.l10n.t('active') : '',
        detail: account.baseUrl,
        value: account,
      })),
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
  log.info(`Active account is now ${describeAccount(picked)} (${picked.baseUrl}).`);
}

function asCredentialArguments(value: unknown): CredentialArguments | undefined {
  return automationArgs<CredentialArguments>(value, {
    loginName: 'string',
    loginPassword: 'string',
    baseUrl: 'string?',
    caFile: 'string?',
    proxy: 'string?',
  });
}

export function registerCredentialCommands(
  context: vscode.ExtensionContext,
  credentials: CredentialStore,
  log: SectigoLog,
): void {
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
      return boundary(vscode.l10n.t('Set Sectigo credentials'), args !== undefined, () =>
        setCredentials(credentials, log, args),
      );
    }),
    vscode.commands.registerCommand(Commands.clearCredentials, (given?: unknown) =>
      boundary(vscode.l10n.t('Clear Sectigo credentials'), isAutomation(given), () =>
        clearCredentials(credentials, log, isAutomation(given)),
      ),
    ),
    vscode.commands.registerCommand(Commands.selectAccount, () =>
      boundary(vscode.l10n.t('Select Sectigo account'), false, () => selectAccount(credentials, log)),
    ),
  );
}
