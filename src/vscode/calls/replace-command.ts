// "Sectigo: Replace S/MIME Certificate…": the command's registration and its arguments; the
// flow itself (steps, plan, confirmation, call) is replace-flow.ts, shared with the orders tree.
import * as vscode from 'vscode';
import { registerGuarded } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { t } from '../shared/text';
import { replaceSmime } from './replace-flow';
import { replaceAutomationOf } from './replace-questions';
import type { CallDeps } from './run-call';

export function registerReplaceCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.replaceSmime, t('Replace S/MIME certificate'), async (args) => {
      // An order number to offer, the third argument (a new CSR made after a -13 names the refused
      // order); it is still asked and validated.
      const offered = args.textAt(2, 20);
      const orderNumber = offered !== undefined && /^[0-9]{1,20}$/.test(offered) ? offered : undefined;
      const automation = replaceAutomationOf(args);
      return replaceSmime(deps, {
        ...(args.uri ? { uri: args.uri } : {}),
        ...(args.blockIndex !== undefined ? { blockIndex: args.blockIndex } : {}),
        ...(orderNumber !== undefined ? { orderNumber } : {}),
        ...(automation ? { automation } : {}),
      });
    }),
  );
}
