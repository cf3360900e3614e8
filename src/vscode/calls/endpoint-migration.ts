// Accounts stored before accounts carried their own endpoint are pinned, once, to the endpoint
// settings this window reads at activation. In a remote window those may not be the ones the user
// meant (production by accident, or a test server), so the pinning is never silent: the log and a
// one-time notification name each account's endpoint, with "Keep" first and "Change Endpoint…".
import { countOf } from '../../core/sectigo/outcome-words';
import * as vscode from 'vscode';
import { Commands } from '../shared/ids';
import { describeAccount, type AccountInfo, type CredentialStore } from './credentials';
import type { SectigoLog } from '../shared/log';

/** Shows the notification and resolves to the button chosen (injected by tests; VS Code's otherwise). */
export type ShowNotice = (message: string, ...buttons: string[]) => Thenable<string | undefined>;

export interface PinnedNotice {
  pinned: AccountInfo[];
  /** The notification's text, as also logged. */
  message: string;
  /** Settles when the user has answered the notification (and any Set Credentials it started has ended). */
  answered: Promise<void>;
}

/**
 * Pins legacy accounts and tells the user where each now goes. Returns undefined when nothing
 * needed pinning (every later activation), so the notification is shown once.
 */
export async function pinLegacyAccounts(
  credentials: CredentialStore,
  log: SectigoLog,
  show: ShowNotice = (message, ...buttons) => vscode.window.showInformationMessage(message, ...buttons),
): Promise<PinnedNotice | undefined> {
  const pinned = await credentials.migrate();
  if (pinned.length === 0) return undefined;
  const where = pinned.map((account) => describeAccount(account)).join('; ');
  const message = vscode.l10n.t(
    'Sectigo accounts saved before each kept its own endpoint now send their password only to the endpoint set in this window: {0}. Settings no longer move them. Is that the endpoint you meant?',
    where,
  );
  log.info(
    `Pinned ${countOf(pinned.length, 'stored Sectigo account')} to an endpoint: ${pinned.map((account) => `${describeAccount(account)} (${account.baseUrl})`).join('; ')}.`,
  );
  const keep = vscode.l10n.t('Keep');
  const change = vscode.l10n.t('Change Endpoint…');
  const answered = Promise.resolve(show(message, keep, change)).then(async (choice) => {
    log.info(`Pinned endpoints: ${choice === change ? 'the user chose to change one' : 'kept'}.`);
    if (choice !== change) return;
    const account = pinned.length === 1 ? pinned[0] : await pickAccount(pinned);
    if (!account) return;
    // Set Credentials offers the active account's login: make it this one first.
    await credentials.select(account.id);
    await vscode.commands.executeCommand(Commands.setCredentials);
  });
  return { pinned, message, answered };
}

async function pickAccount(accounts: AccountInfo[]): Promise<AccountInfo | undefined> {
  const picked = await vscode.window.showQuickPick(
    accounts.map((account) => ({ label: describeAccount(account), description: account.baseUrl, account })),
    { title: vscode.l10n.t('Change the endpoint of which account?') },
  );
  return picked?.account;
}
