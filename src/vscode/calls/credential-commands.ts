// Set / Clear / Select account. Set Credentials asks for the API endpoint (offering the
// sectigo.baseUrl setting), the CA file and proxy it keeps (offering the sectigo.caFile and
// sectigo.proxy settings, shown before they are kept), the login name and the password (a password box). Tests may pass
// { loginName, loginPassword, baseUrl?, caFile?, proxy? } instead, which goes into the same
// SecretStorage and is never logged.
import * as vscode from 'vscode';
import { PRODUCTION_BASE_URL, hostOf, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import { loadBundle } from '../bundles/load';
import { validateLoginName, validateLoginPassword } from '../../core/sectigo/validate';
import { Commands } from '../shared/ids';
import { problemText, t } from '../shared/text';
import { showInformation } from '../shared/messages';
import { joinText, outside, words, type Text } from '../../core/outside-text';
import { automationArgs, registerGuarded } from '../shared/command-boundary';
import { confirm } from './confirm';
import { describeAccount, type AccountEndpoint, type AccountInfo, type CredentialStore } from './credentials';
import { askOnce, runSteps, type StepInput } from '../shared/multi-step-input';
import type { SectigoLog } from '../shared/log';
import { readConnectionSettings } from '../shared/settings';

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
      words`Ignored workspace values for ${outside(settings.ignoredWorkspaceSettings.join(', '))}: an account's endpoint defaults come from user (or remote) settings only.`,
    );
  }
  return { baseUrl: settings.baseUrl, caFile: settings.caFile, proxy: settings.proxy };
}

interface CredentialAnswers {
  baseUrl?: string;
  caFile: string;
  proxy: string;
  loginName?: string;
  loginPassword?: string;
}

type ConnectionChoice = 'keep' | 'caFile' | 'proxy' | 'neither';

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
 * The step that names the endpoint, CA file and proxy the account will keep, offered from the
 * settings, with a way to change or clear each. It asks again after every change, so what is
 * stored is what was last shown.
 */
async function askConnection(
  input: StepInput,
  state: CredentialAnswers,
  shownProxy: (proxy: string) => string,
): Promise<void> {
  for (;;) {
    const lines = connectionLines(state, shownProxy);
    const choice = await input.pick<ConnectionChoice>({
      placeholder: t(
        'How calls to {0} connect: the account keeps this CA file and proxy',
        outside(hostOf(state.baseUrl ?? '')),
      ),
      items: [
        {
          label: t('Use These'),
          description: lines.ca,
          detail: lines.proxy,
          value: 'keep',
        },
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
  given: CredentialArguments | undefined,
): Promise<AccountInfo | undefined> {
  const defaults = endpointDefaults(log);
  // The client's own rule for base URLs (https; http only on loopback), so an account never keeps one a call would refuse.
  const { validateBaseUrl, proxyDisplay } = await loadBundle('sectigo-client');
  if (given) {
    const endpoint: AccountEndpoint = {
      baseUrl: given.baseUrl ?? defaults.baseUrl,
      caFile: given.caFile ?? defaults.caFile,
      proxy: given.proxy ?? defaults.proxy,
    };
    const problem = validateBaseUrl(endpoint.baseUrl);
    if (problem) throw new Error(problem);
    const account = await credentials.set({ loginName: given.loginName, loginPassword: given.loginPassword }, endpoint);
    log.info(words`Credentials stored for ${outside(describeAccount(account))} (${outside(account.baseUrl)}).`);
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
        // The CA file and proxy the account keeps, said before it is stored: a production login must
        // not pick up a test CA (or a proxy) from the settings unseen.
        ask: async (input, state) => askConnection(input, state, proxyDisplay),
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
    ],
    { caFile: defaults.caFile, proxy: defaults.proxy },
  );
  const { baseUrl, loginName, loginPassword, caFile, proxy } = answers ?? {};
  if (baseUrl === undefined || loginName === undefined || loginPassword === undefined) return undefined;
  const endpoint: AccountEndpoint = { baseUrl: baseUrl.trim(), caFile: caFile ?? '', proxy: proxy ?? '' };
  const account = await credentials.set({ loginName, loginPassword }, endpoint);
  log.info(
    words`Credentials stored for ${outside(describeAccount(account))} (${outside(account.baseUrl)}${account.caFile ? words`, CA file ${outside(account.caFile)}` : words``}${account.proxy ? words`, with a proxy` : words``}).`,
  );
  void showInformation(
    isProductionBaseUrl(account.baseUrl)
      ? t(
          'Sectigo credentials for {0} are stored and active. Calls with them change real certificates.',
          outside(describeAccount(account)),
        )
      : t('Sectigo credentials for {0} are stored and active.', outside(describeAccount(account))),
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
    const picked = await askOnce(t('Clear Sectigo credentials'), (input) =>
      input.pick<AccountInfo>({
        placeholder: t('Which login should be forgotten?'),
        items: [
          ...accounts.map((account) => ({
            label: words`${outside(describeAccount(account))}`,
            description: account.id === credentials.active()?.id ? t('active') : words``,
            value: account,
          })),
          ...(accounts.length > 1 ? [{ label: t('All {0} logins', accounts.length), value: all }] : []),
        ],
      }),
    );
    if (!picked) return;
    toRemove = picked === all ? accounts : [picked];
    // The safe choice is the focused one (the confirmation rule): Enter keeps the password.
    const choice = await confirm<'keep' | 'forget'>(
      toRemove.length === 1
        ? t('Forget the Sectigo password of {0}?', outside(describeAccount(toRemove[0] as AccountInfo)))
        : t(
            'Forget the Sectigo passwords of {0}?',
            joinText(
              toRemove.map((account) => outside(describeAccount(account))),
              words`, `,
            ),
          ),
      t('A forgotten password must be typed again (Set Credentials) before the next call.'),
      [
        {
          label: toRemove.length === 1 ? t('Keep the Password') : t('Keep the Passwords'),
          value: 'keep',
          irreversible: false,
        },
        { label: t('Forget'), value: 'forget', irreversible: true },
      ],
    );
    if (choice !== 'forget') return;
  }
  for (const account of toRemove) {
    await credentials.remove(account.id);
    log.info(words`Credentials removed for ${outside(describeAccount(account))}.`);
  }
}

async function selectAccount(credentials: CredentialStore, log: SectigoLog): Promise<void> {
  const add: AccountInfo = { id: '+', loginName: '', ...NO_ACCOUNT };
  const active = credentials.active();
  const picked = await askOnce(t('Sectigo account'), (input) =>
    input.pick<AccountInfo>({
      placeholder: t('Which login should calls use?'),
      items: [
        ...credentials.accounts().map((account) => ({
          label: words`${isProductionBaseUrl(account.baseUrl) ? words`$(key)` : words`$(beaker)`} ${outside(describeAccount(account))}`,
          description: account.id === active?.id ? t('active') : words``,
          detail: words`${outside(account.baseUrl)}`,
          value: account,
        })),
        { label: words`$(add) ${t('Add another login…')}`, value: add },
      ],
      ...(active ? { active } : {}),
    }),
  );
  if (!picked) return;
  if (picked === add) {
    await setCredentials(credentials, log, undefined);
    return;
  }
  await credentials.select(picked.id);
  log.info(words`Active account is now ${outside(describeAccount(picked))} (${outside(picked.baseUrl)}).`);
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
  context.subscriptions.push(
    registerGuarded(log, Commands.setCredentials, t('Set Sectigo credentials'), async (args) =>
      setCredentials(credentials, log, asCredentialArguments(args.last)),
    ),
    registerGuarded(log, Commands.clearCredentials, t('Clear Sectigo credentials'), async (args) =>
      clearCredentials(credentials, log, args.automated),
    ),
    registerGuarded(log, Commands.selectAccount, t('Select Sectigo account'), async () =>
      selectAccount(credentials, log),
    ),
  );
}
