// "Sectigo: Replace S/MIME Certificate…": the command's registration and its arguments; the
// flow itself (steps, plan, confirmation, call) is replace-flow.ts, shared with the orders tree.
import * as vscode from 'vscode';
import { automationArgs, registerGuarded } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { t } from '../shared/text';
import { REPLACE_AUTOMATION_SHAPE, replaceSmime, type ReplaceAutomation } from './replace-flow';
import type { CallDeps } from './run-call';

export function registerReplaceCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.replaceSmime, t('Replace S/MIME certificate'), async (args, raw) => {
      // An order number to offer (a new CSR made after a -13 names the refused order); it is still asked and validated.
      const offered = raw[2];
      const orderNumber = typeof offered === 'string' && /^[0-9]{1,20}$/.test(offered) ? offered : undefined;
      const automation = automationArgs<ReplaceAutomation>(args.last, REPLACE_AUTOMATION_SHAPE);
      return replaceSmime(deps, {
        ...(args.uri ? { uri: args.uri } : {}),
        ...(args.blockIndex !== undefined ? { blockIndex: args.blockIndex } : {}),
        ...(orderNumber !== undefined ? { orderNumber } : {}),
        ...(automation ? { automation } : {}),
      });
    }),
  );
}
