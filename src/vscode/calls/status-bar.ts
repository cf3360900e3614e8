// The status bar item: where calls go and as whom, `login @ host`, never the password. Sectigo
// production looks different from anything else: a warning background and a key icon, because
// a call there changes a real certificate and the person should not be able to miss that;
// any other endpoint (a test server, a staging API) shows a beaker and the normal background.
// The tooltip names the full base URL.
import * as vscode from 'vscode';
import { accountLabel, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import { outside, words } from '../../core/outside-text';
import { Commands, ContextKeys, STATUS_BAR_ACCOUNT_ID } from '../shared/ids';
import { createStatusBarItem, setStatusBarItem } from '../shared/labels';
import { t } from '../shared/text';
import type { CredentialStore } from './credentials';

export function registerStatusBar(context: vscode.ExtensionContext, credentials: CredentialStore): void {
  const item = createStatusBarItem(STATUS_BAR_ACCOUNT_ID, vscode.StatusBarAlignment.Right, 90);
  item.name = vscode.l10n.t('Sectigo Account');
  const update = (): void => {
    const active = credentials.active();
    const count = credentials.accounts().length;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasCredentials, active !== undefined);
    if (active) {
      const production = isProductionBaseUrl(active.baseUrl);
      const label = outside(accountLabel(active.loginName, active.baseUrl));
      const where = production
        ? t('Sectigo PRODUCTION: calls change real certificates.')
        : t('Not Sectigo production: a test or other endpoint.');
      setStatusBarItem(item, {
        text: words`${production ? words`$(key)` : words`$(beaker)`} ${label}`,
        tooltip: words`${where}\n${t('Login: {0}', outside(active.loginName))}\n${t('Endpoint: {0}', outside(active.baseUrl))}\n${
          count > 1 ? t('{0} accounts stored. Click to switch.', count) : t('Click to switch or add an account.')
        }`,
        accessibilityLabel: production
          ? t('Sectigo login {0}, production', label)
          : t('Sectigo login {0}, not production', label),
      });
      item.command = Commands.selectAccount;
      item.backgroundColor = production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    } else {
      setStatusBarItem(item, {
        text: words`$(key) ${t('Sectigo: not set')}`,
        tooltip: t('No Sectigo credentials are stored. Click to set them.'),
        accessibilityLabel: t('Sectigo credentials not set'),
      });
      item.command = Commands.setCredentials;
      item.backgroundColor = undefined;
    }
    item.show();
  };
  update();
  context.subscriptions.push(item, credentials.onDidChange(update));
}
