// Accounts stored before accounts carried their own endpoint are pinned, once, to the endpoint
// settings this window reads at activation. In a remote window those may not be the ones the user
// meant (production by accident, or a test server), so the pinning is never silent: the log and a
// one-time notification name each account's endpoint, with "Keep" first and "Change Endpoint…".
import { countOf } from '../../core/sectigo/outcome-words';
import * as vscode from 'vscode';
import { joinText, outside, words, type Text } from '../../core/outside-text';
import { Commands } from '../shared/ids';
import { describeAccount, type AccountInfo, type CredentialStore } from './credentials';
import type { SectigoLog } from '../shared/log';
import { messageAsShown, showInformation } from '../shared/messages';
import { pickOne } from '../shared/multi-step-input';
import { t } from '../shared/text';

/** Shows the notification and resolves to the button chosen (injected by tests; the messages sink otherwise). */
export type ShowNotice = (message: Text, ...buttons: Text[]) => Thenable<Text | undefined>;

export interface PinnedNotice {
  pinned: AccountInfo[];
  /** The notification's text, as the sink renders it. */
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
  show: ShowNotice = (message, ...buttons) => showInformation(message, ...buttons),
): Promise<PinnedNotice | undefined> {
  const pinned = await credentials.migrate();
  if (pinned.length === 0) return undefined;
  const where = joinText(
    pinned.map((account) => outside(describeAccount(account))),
    words`; `,
  );
  const message = t(
    'Sectigo accounts saved before each kept its own endpoint now send their password only to the endpoint set in this window: {0}. Settings no longer move them. Is that the endpoint you meant?',
    where,
  );
  log.info(
    words`Pinned ${outside(countOf(pinned.length, 'stored Sectigo account'))} to an endpoint: ${joinText(
      pinned.map((account) => words`${outside(describeAccount(account))} (${outside(account.baseUrl)})`),
      words`; `,
    )}.`,
  );
  const keep = t('Keep');
  const change = t('Change Endpoint…');
  const answered = Promise.resolve(show(message, keep, change)).then(async (choice) => {
    log.info(choice === change ? 'Pinned endpoints: the user chose to change one.' : 'Pinned endpoints: kept.');
    if (choice !== change) return;
    const account = pinned.length === 1 ? pinned[0] : await pickAccount(pinned);
    if (!account) return;
    // Set Credentials offers the active account's login: make it this one first.
    await credentials.select(account.id);
    await vscode.commands.executeCommand(Commands.setCredentials);
  });
  return { pinned, message: messageAsShown(message), answered };
}

async function pickAccount(accounts: AccountInfo[]): Promise<AccountInfo | undefined> {
  return pickOne(
    t('Change the endpoint of which account?'),
    accounts.map((account) => ({
      label: words`${outside(describeAccount(account))}`,
      description: words`${outside(account.baseUrl)}`,
      value: account,
    })),
  );
}
