// Accounts: an account is a login *and* the endpoint it belongs to (base URL, and the CA file
// and proxy that endpoint needs). Its password is only ever sent to that endpoint: the
// settings sectigo.baseUrl, caFile and proxy are only the defaults offered when an account is
// added, so no later settings write, workspace or remote window can redirect it. The login
// name and password live in SecretStorage (with the base URL they were saved for, checked on
// every read); globalState keeps the list (login names and endpoints are not secrets) and
// which one is active. Nothing here logs or returns a password except getActive().
import * as vscode from 'vscode';
import { accountLabel, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import type { Credentials } from '../../core/sectigo/types';
import { validateLoginName, validateLoginPassword } from '../../core/sectigo/validate';

const ACCOUNTS_KEY = 'sectigo.accounts';
const secretKey = (accountId: string): string => `sectigo.account.${accountId}`;

/** Where an account's calls go. */
export interface AccountEndpoint {
  baseUrl: string;
  /** Extra trusted CA certificates (PEM file) for this endpoint; '' for none. */
  caFile: string;
  /** Proxy URL for this endpoint; '' for the environment's. */
  proxy: string;
}

export interface AccountInfo extends AccountEndpoint {
  id: string;
  loginName: string;
}

export interface ActiveAccount {
  account: AccountInfo;
  credentials: Credentials;
}

interface AccountList {
  accounts: AccountInfo[];
  activeId: string | undefined;
}

interface StoredSecret extends Credentials {
  /** The base URL the password was saved for (absent in secrets stored before accounts had endpoints). */
  baseUrl?: string;
}

function isStoredSecret(value: unknown): value is StoredSecret {
  const candidate = value as Partial<StoredSecret> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.loginName === 'string' &&
    typeof candidate.loginPassword === 'string' &&
    (candidate.baseUrl === undefined || typeof candidate.baseUrl === 'string')
  );
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
      if (event.key.startsWith('sectigo.account.')) this.changed.fire();
    });
  }

  private stored(): { list: AccountList; needsMigration: boolean } {
    const stored = this.state.get<Partial<AccountList>>(ACCOUNTS_KEY);
    let needsMigration = false;
    const accounts: AccountInfo[] = [];
    for (const raw of Array.isArray(stored?.accounts) ? (stored.accounts as unknown[]) : []) {
      const account = raw as Partial<AccountInfo> | null;
      if (typeof account?.id !== 'string' || typeof account.loginName !== 'string') continue;
      if (typeof account.baseUrl !== 'string') {
        // Stored before accounts had an endpoint: it belongs to the endpoint in use when it was stored, which is the current setting.
        needsMigration = true;
        accounts.push({ id: account.id, loginName: account.loginName, ...this.endpointDefaults() });
      } else {
        accounts.push({ id: account.id, loginName: account.loginName, baseUrl: account.baseUrl, caFile: typeof account.caFile === 'string' ? account.caFile : '', proxy: typeof account.proxy === 'string' ? account.proxy : '' });
      }
    }
    const activeId = accounts.some((account) => account.id === stored?.activeId) ? stored?.activeId : accounts[0]?.id;
    return { list: { accounts, activeId }, needsMigration };
  }

  private list(): AccountList {
    return this.stored().list;
  }

  /** Pins accounts stored before accounts had endpoints to today's endpoint settings, once. Returns how many. */
  async migrate(): Promise<number> {
    const { list, needsMigration } = this.stored();
    if (!needsMigration) return 0;
    await this.saveList(list);
    return list.accounts.length;
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
    const raw = await this.secrets.get(secretKey(account.id));
    if (raw === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (!isStoredSecret(parsed)) return undefined;
    // A password saved for another endpoint is never sent here.
    if (parsed.baseUrl !== undefined && parsed.baseUrl !== account.baseUrl) return undefined;
    this.onSecret(parsed.loginPassword);
    return { account, credentials: { loginName: parsed.loginName, loginPassword: parsed.loginPassword } };
  }

  /** Stores (or replaces) the account with this login at this endpoint and makes it active. Throws on invalid input. */
  async set(credentials: Credentials, endpoint: AccountEndpoint): Promise<AccountInfo> {
    const problem = validateLoginName(credentials.loginName) ?? validateLoginPassword(credentials.loginPassword);
    if (problem) throw new Error(problem);
    this.onSecret(credentials.loginPassword);
    const list = this.list();
    const existing = list.accounts.find((candidate) => candidate.loginName === credentials.loginName && candidate.baseUrl === endpoint.baseUrl);
    const account: AccountInfo = { id: existing?.id ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`, loginName: credentials.loginName, ...endpoint };
    const accounts = existing ? list.accounts.map((candidate) => (candidate.id === account.id ? account : candidate)) : [...list.accounts, account];
    const secret: StoredSecret = { loginName: credentials.loginName, loginPassword: credentials.loginPassword, baseUrl: endpoint.baseUrl };
    await this.secrets.store(secretKey(account.id), JSON.stringify(secret));
    await this.saveList({ accounts, activeId: account.id });
    return account;
  }

  async select(accountId: string): Promise<void> {
    const list = this.list();
    if (!list.accounts.some((account) => account.id === accountId)) throw new Error(vscode.l10n.t('No such Sectigo account.'));
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
