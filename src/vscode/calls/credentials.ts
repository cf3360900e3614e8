// Credentials: several Sectigo accounts, one active. The login name and password of each
// account live in SecretStorage only; globalState keeps the list of account ids, their login
// names (shown in the status bar and pickers; a login name is not a secret) and which one is
// active. Nothing here logs or returns a password except getActive(), for the call itself.
import * as vscode from 'vscode';
import type { Credentials } from '../../core/sectigo/types';
import { validateLoginName, validateLoginPassword } from '../../core/sectigo/validate';

const ACCOUNTS_KEY = 'sectigo.accounts';
const secretKey = (accountId: string): string => `sectigo.account.${accountId}`;

export interface AccountInfo {
  id: string;
  loginName: string;
}

interface AccountList {
  accounts: AccountInfo[];
  activeId: string | undefined;
}

function isCredentials(value: unknown): value is Credentials {
  const candidate = value as Partial<Credentials> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.loginName === 'string' && typeof candidate.loginPassword === 'string';
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
  ) {
    // Another window may change a secret: refresh the status bar then.
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith('sectigo.account.')) this.changed.fire();
    });
  }

  private list(): AccountList {
    const stored = this.state.get<Partial<AccountList>>(ACCOUNTS_KEY);
    const accounts = Array.isArray(stored?.accounts)
      ? stored.accounts.filter((account): account is AccountInfo => typeof account?.id === 'string' && typeof account.loginName === 'string')
      : [];
    const activeId = accounts.some((account) => account.id === stored?.activeId) ? stored?.activeId : accounts[0]?.id;
    return { accounts, activeId };
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

  /** The active account's credentials, or undefined when none are stored (or the secret was lost). */
  async getActive(): Promise<Credentials | undefined> {
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
    if (!isCredentials(parsed)) return undefined;
    this.onSecret(parsed.loginPassword);
    return parsed;
  }

  /** Stores (or replaces) the account with this login name and makes it active. Throws on invalid input. */
  async set(credentials: Credentials): Promise<AccountInfo> {
    const problem = validateLoginName(credentials.loginName) ?? validateLoginPassword(credentials.loginPassword);
    if (problem) throw new Error(problem);
    this.onSecret(credentials.loginPassword);
    const list = this.list();
    let account = list.accounts.find((candidate) => candidate.loginName === credentials.loginName);
    if (!account) {
      account = { id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`, loginName: credentials.loginName };
      list.accounts.push(account);
    }
    await this.secrets.store(secretKey(account.id), JSON.stringify({ loginName: credentials.loginName, loginPassword: credentials.loginPassword }));
    await this.saveList({ accounts: list.accounts, activeId: account.id });
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
