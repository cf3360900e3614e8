// The status bar item: where calls go and as whom, `login @ host`, never the password. Sectigo
// production looks different from anything else: a warning background and a key icon, because
// a call there changes a real certificate and the person should not be able to miss that;
// any other endpoint (a test server, a staging API) shows a beaker and the normal background.
// The tooltip names the full base URL.
import * as vscode from 'vscode';
import { accountLabel, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import { Commands, ContextKeys } from '../shared/ids';
import type { CredentialStore } from './credentials';

export function registerStatusBar(context: vscode.ExtensionContext, credentials: CredentialStore): void {
  const item = vscode.window.createStatusBarItem('sectigo.account', vscode.StatusBarAlignment.Right, 90);
  item.name = vscode.l10n.t('Sectigo Account');
  const update = (): void => {
    const active = credentials.active();
    const count = credentials.accounts().length;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasCredentials, active !== undefined);
    if (active) {
      const production = isProductionBaseUrl(active.baseUrl);
      const label = accountLabel(active.loginName, active.baseUrl);
      item.text = `${production ? '$(key)' : '$(beaker)'} ${label}`;
      const where = production
        ? vscode.l10n.t('Sectigo PRODUCTION: calls change real certificates.')
        : vscode.l10n.t('Not Sectigo production: a test or other endpoint.');
      item.tooltip = [
        where,
        vscode.l10n.t('Login: {0}', active.loginName),
        vscode.l10n.t('Endpoint: {0}', active.baseUrl),
        count > 1
          ? vscode.l10n.t('{0} accounts stored. Click to switch.', String(count))
          : vscode.l10n.t('Click to switch or add an account.'),
      ].join('\n');
      item.command = Commands.selectAccount;
      item.backgroundColor = production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      item.accessibilityInformation = {
        label: production
          ? vscode.l10n.t('Sectigo login {0}, production', label)
          : vscode.l10n.t('Sectigo login {0}, not production', label),
      };
    } else {
      item.text = `$(key) ${vscode.l10n.t('Sectigo: not set')}`;
      item.tooltip = vscode.l10n.t('No Sectigo credentials are stored. Click to set them.');
      item.command = Commands.setCredentials;
      item.backgroundColor = undefined;
      item.accessibilityInformation = { label: vscode.l10n.t('Sectigo credentials not set') };
    }
    item.show();
  };
  update();
  context.subscriptions.push(item, credentials.onDidChange(update));
}
