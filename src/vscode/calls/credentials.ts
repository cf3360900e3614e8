// Accounts: an account is a login *and* the endpoint it belongs to (base URL, and the CA file
// and proxy that endpoint needs). Its password is only ever sent to that endpoint: the
// settings sectigo.baseUrl, caFile and proxy are only the defaults offered when an account is
// added, so no later settings write, workspace or remote window can redirect it. The login
// name and password live in SecretStorage (with the base URL they were saved for, checked on
// every read); globalState keeps the list (login names and endpoints are not secrets) and
// which one is active. Nothing here logs or returns a password except getActive().
import * as vscode from 'vscode';
import { StateKeys } from '../shared/ids';
import { newLocalId } from '../../core/local-id';
import { accountLabel, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import {
  parseAccountList,
  secretFor,
  withAccount,
  type AccountEndpoint,
  type AccountInfo,
  type AccountList,
  type StoredSecret,
} from '../../core/sectigo/accounts';
import type { Credentials } from '../../core/sectigo/types';
import { validateLoginName, validateLoginPassword } from '../../core/sectigo/validate';

const ACCOUNTS_KEY = StateKeys.accounts;
const secretKey = (accountId: string): string => `${StateKeys.accountSecretPrefix}${accountId}`;

export type { AccountEndpoint, AccountInfo } from '../../core/sectigo/accounts';

export interface ActiveAccount {
  account: AccountInfo;
  credentials: Credentials;
}

/** `login @ host`, marked when it is not Sectigo's production API. */
export function describeAccount(account: AccountInfo): string {
  const label = accountLabel(account.loginName, account.baseUrl);
  return isProductionBaseUrl(account.baseUrl) ? label : `${label} ${vscode.l10n.t('(not production)')}`;
}

export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    /** Told about every password read or stored, so the log can scrub it. */
    private readonly onSecret: (password: string) => void,
    /** The endpoint settings at this moment: used only to migrate accounts stored before they carried one. */
    private readonly endpointDefaults: () => AccountEndpoint,
  ) {
    // Another window may change a secret: refresh the status bar then.
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(StateKeys.accountSecretPrefix)) this.changed.fire();
    });
  }

  private stored(): { list: AccountList; needsMigration: boolean; pinnedIds: string[] } {
    // The settings are read only for an account stored before accounts had endpoints.
    return parseAccountList(this.state.get(ACCOUNTS_KEY), this.endpointDefaults);
  }

  private list(): AccountList {
    return this.stored().list;
  }

  /** Pins accounts stored before accounts had endpoints to today's endpoint settings, once. Returns the accounts pinned now. */
  async migrate(): Promise<AccountInfo[]> {
    const { list, needsMigration, pinnedIds } = this.stored();
    if (!needsMigration) return [];
    await this.saveList(list);
    return list.accounts.filter((account) => pinnedIds.includes(account.id));
  }

  private async saveList(list: AccountList): Promise<void> {
    await this.state.update(ACCOUNTS_KEY, list);
    this.changed.fire();
  }

  accounts(): AccountInfo[] {
    return this.list().accounts;
  }

  active(): AccountInfo | undefined {
    const list = this.list();
    return list.accounts.find((account) => account.id === list.activeId);
  }

  /** The active account with its credentials, or undefined when none is stored (or the secret was lost or belongs elsewhere). */
  async getActive(): Promise<ActiveAccount | undefined> {
    const account = this.active();
    if (!account) return undefined;
    // A password saved for another endpoint (or login) is never sent here.
    const credentials = secretFor(account, await this.secrets.get(secretKey(account.id)));
    if (!credentials) return undefined;
    this.onSecret(credentials.loginPassword);
    return { account, credentials };
  }

  /** Stores (or replaces) the account with this login at this endpoint and makes it active. Throws on invalid input. */
  async set(credentials: Credentials, endpoint: AccountEndpoint): Promise<AccountInfo> {
    const problem = validateLoginName(credentials.loginName) ?? validateLoginPassword(credentials.loginPassword);
    if (problem) throw new Error(problem);
    this.onSecret(credentials.loginPassword);
    const { list, account } = withAccount(this.list(), credentials.loginName, endpoint, newLocalId);
    const secret: StoredSecret = {
      loginName: credentials.loginName,
      loginPassword: credentials.loginPassword,
      baseUrl: endpoint.baseUrl,
    };
    await this.secrets.store(secretKey(account.id), JSON.stringify(secret));
    await this.saveList(list);
    return account;
  }

  async select(accountId: string): Promise<void> {
    const list = this.list();
    if (!list.accounts.some((account) => account.id === accountId))
      throw new Error(vscode.l10n.t('No such Sectigo account.'));
    await this.saveList({ accounts: list.accounts, activeId: accountId });
  }

  /** Removes one account (its secret too); the next one becomes active. */
  async remove(accountId: string): Promise<void> {
    const list = this.list();
    await this.secrets.delete(secretKey(accountId));
    const accounts = list.accounts.filter((account) => account.id !== accountId);
    await this.saveList({ accounts, activeId: list.activeId === accountId ? accounts[0]?.id : list.activeId });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
