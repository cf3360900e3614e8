// The status bar item: which Sectigo login is active, or "not set". Never the password.
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../ids';
import type { CredentialStore } from './credentials';

export function registerStatusBar(context: vscode.ExtensionContext, credentials: CredentialStore): void {
  const item = vscode.window.createStatusBarItem('sectigo.account', vscode.StatusBarAlignment.Right, 90);
  item.name = vscode.l10n.t('Sectigo Account');
  const update = (): void => {
    const active = credentials.active();
    const count = credentials.accounts().length;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasCredentials, active !== undefined);
    if (active) {
      item.text = `$(key) ${active.loginName}`;
      item.tooltip = count > 1
        ? vscode.l10n.t('Sectigo: calls use the login {0} ({1} accounts stored). Click to switch.', active.loginName, String(count))
        : vscode.l10n.t('Sectigo: calls use the login {0}. Click to switch or add an account.', active.loginName);
      item.command = Commands.selectAccount;
      item.backgroundColor = undefined;
    } else {
      item.text = `$(key) ${vscode.l10n.t('Sectigo: not set')}`;
      item.tooltip = vscode.l10n.t('No Sectigo credentials are stored. Click to set them.');
      item.command = Commands.setCredentials;
    }
    item.accessibilityInformation = { label: active ? vscode.l10n.t('Sectigo login {0}', active.loginName) : vscode.l10n.t('Sectigo credentials not set') };
    item.show();
  };
  update();
  context.subscriptions.push(item, credentials.onDidChange(update));
}
