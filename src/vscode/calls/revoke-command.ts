// "Sectigo: Revoke SSL Certificate…": the command's registration; the flow itself (target,
// reason, plan, test first, call) is revoke-flow.ts, shared with the orders tree and certificate files.
import * as vscode from 'vscode';
import { registerGuarded } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { t } from '../shared/text';
import { REVOKE_AUTOMATION_SHAPE, revokeSsl } from './revoke-flow';
import type { CallDeps } from './run-call';

export function registerRevokeCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.revokeSsl, t('Revoke SSL certificate'), async (args) => {
      const automation = args.automation(REVOKE_AUTOMATION_SHAPE);
      return revokeSsl(deps, { ...(automation ? { automation } : {}) });
    }),
  );
}
