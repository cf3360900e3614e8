// The account model, apart from where it is stored: an account is a login *and* the endpoint
// it was saved for (base URL, CA file, proxy). A password is sent only to that endpoint; the
// endpoint settings are only defaults for a new account, and for migrating accounts stored
// before accounts carried one. Pure: the VS Code store (vscode/calls/credentials.ts) and the
// tests use the same functions.
import { sameBaseUrl } from './call-plan';
import type { Credentials } from './types';

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

export interface AccountList {
  accounts: AccountInfo[];
  activeId: string | undefined;
}

/** What the secret store holds for an account. */
export interface StoredSecret extends Credentials {
  /** The base URL the password was saved for (absent in secrets stored before accounts had endpoints). */
  baseUrl?: string;
}

/**
 * Reads the stored list, dropping malformed entries. An account without an endpoint was stored
 * before accounts had one: it gets `defaults` (read only then, when a function; the endpoint settings in use when it was stored
 * are today's), `needsMigration` says the list should be written back once, and `pinnedIds` names
 * those accounts (the user is told which endpoint each was pinned to).
 */
export function parseAccountList(
  stored: unknown,
  defaults: AccountEndpoint | (() => AccountEndpoint),
): { list: AccountList; needsMigration: boolean; pinnedIds: string[] } {
  // A function is called only when an account lacks an endpoint: the editor reads settings for it.
  let endpoint: AccountEndpoint | undefined;
  const defaultEndpoint = (): AccountEndpoint => (endpoint ??= typeof defaults === 'function' ? defaults() : defaults);
  const raw = (typeof stored === 'object' && stored !== null ? stored : {}) as {
    accounts?: unknown;
    activeId?: unknown;
  };
  let needsMigration = false;
  const pinnedIds: string[] = [];
  const accounts: AccountInfo[] = [];
  for (const item of Array.isArray(raw.accounts) ? (raw.accounts as unknown[]) : []) {
    const account = (typeof item === 'object' && item !== null ? item : {}) as Partial<
      Record<keyof AccountInfo, unknown>
    >;
    if (typeof account.id !== 'string' || typeof account.loginName !== 'string') continue;
    if (typeof account.baseUrl !== 'string' || account.baseUrl === '') {
      needsMigration = true;
      pinnedIds.push(account.id);
      accounts.push({ id: account.id, loginName: account.loginName, ...defaultEndpoint() });
      continue;
    }
    accounts.push({
      id: account.id,
      loginName: account.loginName,
      baseUrl: account.baseUrl,
      caFile: typeof account.caFile === 'string' ? account.caFile : '',
      proxy: typeof account.proxy === 'string' ? account.proxy : '',
    });
  }
  const activeId = accounts.find((account) => account.id === raw.activeId)?.id ?? accounts[0]?.id;
  return { list: { accounts, activeId }, needsMigration, pinnedIds };
}

/** The stored secret if it is well-formed and was saved for this account's endpoint; otherwise undefined (never sent elsewhere). */
export function secretFor(account: AccountInfo, raw: string | undefined): Credentials | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const secret = parsed as Partial<StoredSecret> | null;
  if (
    typeof secret !== 'object' ||
    secret === null ||
    typeof secret.loginName !== 'string' ||
    typeof secret.loginPassword !== 'string'
  )
    return undefined;
  if (secret.loginName !== account.loginName) return undefined;
  if (secret.baseUrl !== undefined && secret.baseUrl !== account.baseUrl) return undefined;
  return { loginName: secret.loginName, loginPassword: secret.loginPassword };
}

/** Adds or updates the account with this login at this endpoint (the same login at another endpoint is another account) and makes it active. */
export function withAccount(
  list: AccountList,
  loginName: string,
  endpoint: AccountEndpoint,
  newId: () => string,
): { list: AccountList; account: AccountInfo } {
  const existing = list.accounts.find(
    (candidate) => candidate.loginName === loginName && sameBaseUrl(candidate.baseUrl, endpoint.baseUrl),
  );
  const account: AccountInfo = { id: existing?.id ?? newId(), loginName, ...endpoint };
  const accounts = existing
    ? list.accounts.map((candidate) => (candidate.id === account.id ? account : candidate))
    : [...list.accounts, account];
  return { list: { accounts, activeId: account.id }, account };
}
