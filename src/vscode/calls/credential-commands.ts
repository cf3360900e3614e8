// Set / Clear / Select account. Set Credentials asks four things: the API endpoint (offering the
// sectigo.baseUrl setting), the login name, the password (a password box, from its first key),
// then the CA file and proxy the account keeps (offering the sectigo.caFile and sectigo.proxy
// settings, shown before they are kept; a production endpoint never gets the settings' CA file
// unless it is chosen). The login and password come straight after the endpoint, so keys typed
// ahead by someone who knows the questions land in the boxes meant for them, never in a list's
// filter box. Tests may pass { loginName, loginPassword, baseUrl?, caFile?, proxy? } instead,
// which goes into the same SecretStorage and is never logged.
import * as vscode from 'vscode';
import { PRODUCTION_BASE_URL, accountLabel, hostOf, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import { validateLoginName, validateLoginPassword } from '../../core/sectigo/validate';
import { Commands } from '../shared/ids';
import { problemText, t } from '../shared/text';
import { showInformation } from '../shared/messages';
import { joinText, outside, words, type Text } from '../../core/outside-text';
import { registerGuarded, type Automation } from '../shared/command-boundary';
import { confirmPick } from './confirm';
import type { AccountEndpoint, AccountInfo, CredentialStore } from './credentials';
import { askOnce, runSteps, type StepInput } from '../shared/multi-step-input';
import type { SectigoLog } from '../shared/log';
import type { ClientPool } from './client-pool';
import type { CallDeps } from './run-call';
import { readConnectionSettings } from '../shared/settings';

/** What automation may give Set Credentials instead of the questions (tests and development only). */
const CREDENTIAL_ARGUMENTS = {
  loginName: 'string',
  loginPassword: 'string',
  baseUrl: 'string?',
  caFile: 'string?',
  proxy: 'string?',
} as const;
type CredentialArguments = Automation<typeof CREDENTIAL_ARGUMENTS>;

const NO_ACCOUNT: Omit<AccountInfo, 'id' | 'loginName'> = { baseUrl: '', caFile: '', proxy: '' };

/** The endpoint of a new account: the settings are the defaults; a workspace value of them is never used. */
function endpointDefaults(log: SectigoLog): AccountEndpoint {
  const settings = readConnectionSettings();
  if (settings.ignoredWorkspaceSettings.length > 0) {
    log.warn(
      words`Ignored workspace values for ${outside(settings.ignoredWorkspaceSettings.join(', '))}: an account's endpoint defaults come from user (or remote) settings only.`,
    );
  }
  return { baseUrl: settings.baseUrl, caFile: settings.caFile, proxy: settings.proxy };
}

interface CredentialAnswers {
  baseUrl?: string;
  caFile: string;
  /** The CA file was chosen in the connection step (not only offered from the settings). */
  caFileChosen?: boolean;
  proxy: string;
  loginName?: string;
  loginPassword?: string;
}

type ConnectionChoice = 'keep' | 'caFile' | 'settingsCaFile' | 'proxy' | 'neither';

/** How the account will connect, in the words of the connection step (the proxy's user and password never shown). */
function connectionLines(state: CredentialAnswers, shownProxy: (proxy: string) => string): { ca: Text; proxy: Text } {
  return {
    ca: state.caFile
      ? t('CA file: {0}', outside(state.caFile))
      : t("CA file: none (the system's trusted certificates)"),
    proxy: state.proxy
      ? t('Proxy: {0}', outside(shownProxy(state.proxy)))
      : t('Proxy: none set (HTTPS_PROXY and NO_PROXY of the environment apply)'),
  };
}

/**
 * The step that names the CA file and proxy the account will keep, offered from the settings, with
 * a way to change or clear each; the first choice (Enter) keeps what it shows. It asks again after
 * a change, so what is stored is what was last shown; "Use Neither" clears both and goes on. A
 * production endpoint starts without the settings' CA file (a test server's CA has no business
 * there): it is offered as a choice of its own, named.
 */
async function askConnection(
  input: StepInput,
  state: CredentialAnswers,
  shownProxy: (proxy: string) => string,
  settingsCaFile: string,
): Promise<void> {
  const production = isProductionBaseUrl(state.baseUrl ?? '');
  // Until the person chooses one, the CA file follows the endpoint: the settings' for another endpoint, none for production.
  if (!state.caFileChosen) state.caFile = production ? '' : settingsCaFile;
  for (;;) {
    const lines = connectionLines(state, shownProxy);
    const offerSettingsCa = production && settingsCaFile !== '' && state.caFile !== settingsCaFile;
    const choice = await input.pick<ConnectionChoice>({
      placeholder: production
        ? t(
            'How calls to {0} (Sectigo production) connect: the account keeps this CA file and proxy',
            outside(hostOf(state.baseUrl ?? '')),
          )
        : t('How calls to {0} connect: the account keeps this CA file and proxy', outside(hostOf(state.baseUrl ?? ''))),
      items: [
        {
          label: t('Use These'),
          description: lines.ca,
          detail: lines.proxy,
          value: 'keep',
        },
        ...(offerSettingsCa
          ? [
              {
                label: t('Add the CA File of the Settings…'),
                description: words`${outside(settingsCaFile)}`,
                detail: t("Only for a TLS-inspecting proxy between you and Sectigo; never a test server's CA"),
                value: 'settingsCaFile' as const,
              },
            ]
          : []),
        {
          label: t('Change the CA File…'),
          description: lines.ca,
          detail: t('Only for a server whose certificate no public CA signed, such as a test server'),
          value: 'caFile',
        },
        { label: t('Change the Proxy…'), description: lines.proxy, value: 'proxy' },
        ...(state.caFile || state.proxy
          ? [
              {
                label: t('Use Neither'),
                description: t('No CA file and no proxy for this account'),
                value: 'neither' as const,
              },
            ]
          : []),
      ],
      active: 'keep',
    });
    if (choice === 'keep') return;
    if (choice === 'neither') {
      state.caFile = '';
      state.proxy = '';
      state.caFileChosen = true;
      return;
    }
    if (choice === 'settingsCaFile') {
      state.caFile = settingsCaFile;
      state.caFileChosen = true;
    } else if (choice === 'caFile') {
      state.caFile = (
        await input.text({
          prompt: t(
            'The CA certificate file (PEM) that signed {0}; leave empty for none',
            outside(hostOf(state.baseUrl ?? '')),
          ),
          value: state.caFile,
          placeholder: t('empty: no CA file'),
        })
      ).trim();
      state.caFileChosen = true;
    } else {
      // The current proxy is never put into the box: it may hold a user name and password.
      state.proxy = (
        await input.text({
          prompt: t('The proxy for calls of this account (http://host:port); leave empty for none'),
          placeholder: state.proxy ? words`${outside(shownProxy(state.proxy))}` : t('empty: no proxy'),
        })
      ).trim();
    }
  }
}

async function setCredentials(
  credentials: CredentialStore,
  log: SectigoLog,
  clients: ClientPool,
  given: CredentialArguments | undefined,
): Promise<AccountInfo | undefined> {
  const defaults = endpointDefaults(log);
  // The client's own rule for base URLs (https; http only on loopback), so an account never keeps one a call would refuse.
  const { validateBaseUrl, proxyDisplay } = await clients.module();
  if (given) {
    const endpoint: AccountEndpoint = {
      baseUrl: given.baseUrl ?? defaults.baseUrl,
      caFile: given.caFile ?? defaults.caFile,
      proxy: given.proxy ?? defaults.proxy,
    };
    const problem = validateBaseUrl(endpoint.baseUrl);
    if (problem) throw new Error(problem);
    const account = await credentials.set({ loginName: given.loginName, loginPassword: given.loginPassword }, endpoint);
    log.info(words`Credentials stored for ${outside(credentials.describe(account))} (${outside(account.baseUrl)}).`);
    return account;
  }
  const answers = await runSteps<CredentialAnswers>(
    t('Sectigo credentials'),
    [
      {
        ask: async (input, state) => {
          state.baseUrl = await input.text({
            prompt: t(
              'The API endpoint this login belongs to: its password will only ever be sent there. Sectigo production is {0}',
              outside(PRODUCTION_BASE_URL),
            ),
            value: state.baseUrl ?? defaults.baseUrl,
            validate: (value) => problemText(validateBaseUrl(value.trim())),
          });
        },
      },
      {
        ask: async (input, state) => {
          state.loginName = await input.text({
            prompt: t('Your Sectigo reseller API login name (case sensitive)'),
            value: state.loginName ?? credentials.active()?.loginName ?? '',
            validate: (value) => problemText(validateLoginName(value)),
          });
        },
      },
      {
        ask: async (input, state) => {
          state.loginPassword = await input.text({
            prompt: t("The password for {0} (kept in VS Code's secret storage only)", outside(state.loginName ?? '')),
            password: true,
            validate: (value) => problemText(validateLoginPassword(value)),
          });
        },
      },
      {
        // The CA file and proxy the account keeps, said before it is stored: a production login must
        // not pick up a test CA (or a proxy) from the settings unseen.
        ask: async (input, state) => askConnection(input, state, proxyDisplay, defaults.caFile),
      },
    ],
    { caFile: defaults.caFile, proxy: defaults.proxy },
  );
  const { baseUrl, loginName, loginPassword, caFile, proxy } = answers ?? {};
  if (baseUrl === undefined || loginName === undefined || loginPassword === undefined) return undefined;
  const endpoint: AccountEndpoint = { baseUrl: baseUrl.trim(), caFile: caFile ?? '', proxy: proxy ?? '' };
  const account = await credentials.set({ loginName, loginPassword }, endpoint);
  log.info(
    words`Credentials stored for ${outside(credentials.describe(account))} (${outside(account.baseUrl)}${account.caFile ? words`, CA file ${outside(account.caFile)}` : words``}${account.proxy ? words`, with a proxy` : words``}).`,
  );
  // Production or not first: a toast too narrow for the whole line still says it.
  void showInformation(
    isProductionBaseUrl(account.baseUrl)
      ? t(
          'Sectigo production: {0} is stored and active. Calls with it change real certificates.',
          outside(accountLabel(account.loginName, account.baseUrl)),
        )
      : t(
          'Not production: {0} is stored and active (a test or other endpoint).',
          outside(accountLabel(account.loginName, account.baseUrl)),
        ),
  );
  return account;
}

async function clearCredentials(credentials: CredentialStore, log: SectigoLog, automation: boolean): Promise<void> {
  const accounts = credentials.accounts();
  if (accounts.length === 0) {
    if (!automation) void showInformation(t('No Sectigo credentials are stored.'));
    return;
  }
  let toRemove: AccountInfo[];
  if (automation) {
    toRemove = accounts;
  } else {
    const all: AccountInfo = { id: '*', loginName: '', ...NO_ACCOUNT };
    // Two steps: which login, then whether to forget it, as a choice whose first answer (Enter)
    // keeps the password; no modal with a Cancel beside a Keep that mean the same.
    const answers = await runSteps<{ picked?: AccountInfo; forget?: boolean }>(
      t('Clear Sectigo credentials'),
      [
        {
          ask: async (input, state) => {
            state.picked = await input.pick<AccountInfo>({
              placeholder: t('Which login should be forgotten?'),
              items: [
                ...accounts.map((account) => ({
                  label: words`${outside(credentials.describe(account))}`,
                  description: account.id === credentials.active()?.id ? t('active') : words``,
                  value: account,
                })),
                ...(accounts.length > 1 ? [{ label: t('All {0} logins', accounts.length), value: all }] : []),
              ],
              ...(state.picked ? { active: state.picked } : {}),
            });
          },
        },
        {
          ask: async (input, state) => {
            const chosen = state.picked === all ? accounts : state.picked ? [state.picked] : [];
            const names = joinText(
              chosen.map((account) => outside(credentials.describe(account))),
              words`, `,
            );
            const answer = await confirmPick<'keep' | 'forget'>(
              input,
              chosen.length === 1
                ? t('Forget the Sectigo password of {0}?', names)
                : t('Forget the Sectigo passwords of {0}?', names),
              [
                {
                  label: chosen.length === 1 ? t('Keep the Password') : t('Keep the Passwords'),
                  value: 'keep',
                  irreversible: false,
                },
                {
                  label: chosen.length === 1 ? t('Forget It') : t('Forget Them'),
                  detail: t('A forgotten password must be typed again (Set Credentials) before the next call'),
                  value: 'forget',
                  irreversible: true,
                },
              ],
            );
            state.forget = answer === 'forget';
          },
        },
      ],
      {},
    );
    if (!answers?.forget || !answers.picked) return;
    toRemove = answers.picked === all ? accounts : [answers.picked];
  }
  for (const account of toRemove) {
    await credentials.remove(account.id);
    log.info(words`Credentials removed for ${outside(credentials.describe(account))}.`);
  }
}

async function selectAccount(credentials: CredentialStore, log: SectigoLog, clients: ClientPool): Promise<void> {
  const add: AccountInfo = { id: '+', loginName: '', ...NO_ACCOUNT };
  const active = credentials.active();
  const picked = await askOnce(t('Sectigo account'), (input) =>
    input.pick<AccountInfo>({
      placeholder: t('Which login should calls use?'),
      items: [
        // The icon as an icon, not as `$(beaker)` in the label, which a screen reader reads out as a word.
        ...credentials.accounts().map((account) => ({
          label: words`${outside(credentials.describe(account))}`,
          iconPath: new vscode.ThemeIcon(isProductionBaseUrl(account.baseUrl) ? 'key' : 'beaker'),
          description: account.id === active?.id ? t('active') : words``,
          detail: words`${outside(account.baseUrl)}`,
          value: account,
        })),
        { label: t('Add another login…'), iconPath: new vscode.ThemeIcon('add'), value: add },
      ],
      ...(active ? { active } : {}),
    }),
  );
  if (!picked) return;
  if (picked === add) {
    await setCredentials(credentials, log, clients, undefined);
    return;
  }
  await credentials.select(picked.id);
  log.info(words`Active account is now ${outside(credentials.describe(picked))} (${outside(picked.baseUrl)}).`);
}

export function registerCredentialCommands(context: vscode.ExtensionContext, deps: CallDeps): void {
  const { credentials, log, clients } = deps;
  context.subscriptions.push(
    registerGuarded(log, Commands.setCredentials, t('Set Sectigo credentials'), async (args) =>
      setCredentials(credentials, log, clients, args.automation(CREDENTIAL_ARGUMENTS)),
    ),
    registerGuarded(log, Commands.clearCredentials, t('Clear Sectigo credentials'), async (args) =>
      clearCredentials(credentials, log, args.automated),
    ),
    registerGuarded(log, Commands.selectAccount, t('Select Sectigo account'), async () =>
      selectAccount(credentials, log, clients),
    ),
  );
}
