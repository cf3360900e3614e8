// "Sectigo: Revoke SSL Certificate…": the command's registration; the flow itself (target,
// reason, plan, test first, call) is revoke-flow.ts, shared with the orders tree and certificate files.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import { automationArgs, guarded } from './command-plumbing';
import { REVOKE_AUTOMATION_SHAPE, revokeSsl, type RevokeAutomation } from './revoke-flow';
import type { CallDeps } from './run-call';

export function registerRevokeCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.revokeSsl, async (...args: unknown[]) => {
      const what = vscode.l10n.t('Revoke SSL certificate');
      const last = args[args.length - 1];
      return guarded(deps, what, automationArgs(last, {}) !== undefined, async () => {
        const automation = automationArgs<RevokeAutomation>(last, REVOKE_AUTOMATION_SHAPE);
        return revokeSsl(deps, { ...(automation ? { automation } : {}) });
      });
    }),
  );
}
