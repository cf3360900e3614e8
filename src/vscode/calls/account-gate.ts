// The account a call uses: the active one, or on first use the user is asked to add one.
import * as vscode from 'vscode';
import { Commands } from '../shared/ids';
import { showModal } from '../shared/messages';
import { t } from '../shared/text';
import type { ActiveAccount, CredentialStore } from './credentials';

export async function ensureAccount(
  credentials: CredentialStore,
  automation: boolean,
): Promise<ActiveAccount | undefined> {
  const existing = await credentials.getActive();
  if (existing) return existing;
  if (automation)
    throw new Error(vscode.l10n.t('No Sectigo credentials are set: run "Sectigo: Set Credentials" first.'));
  const choice = await showModal(
    'information',
    t(
      "Sectigo needs your reseller API login name and password, and the API endpoint they belong to. The password is kept in VS Code's secret storage only.",
    ),
    undefined,
    [t('Set Credentials…')],
  );
  if (!choice) return undefined;
  await vscode.commands.executeCommand(Commands.setCredentials);
  return credentials.getActive();
}
