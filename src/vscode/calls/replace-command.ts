// "Sectigo: Replace S/MIME Certificate…": the command's registration and its arguments; the
// flow itself (steps, plan, confirmation, call) is replace-flow.ts, shared with the orders tree.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import { automationArgs, guarded } from './command-plumbing';
import { REPLACE_AUTOMATION_SHAPE, replaceSmime, type ReplaceAutomation } from './replace-flow';
import type { CallDeps } from './run-call';

export function registerReplaceCommand(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.replaceSmime, async (...args: unknown[]) => {
      const last = args[args.length - 1];
      const uri = args[0] instanceof vscode.Uri ? args[0] : undefined;
      const blockIndex =
        typeof args[1] === 'number' && Number.isSafeInteger(args[1]) && args[1] >= 0 ? args[1] : undefined;
      // An order number to offer (a new CSR made after a -13 names the refused order); it is still asked and validated.
      const orderNumber = typeof args[2] === 'string' && /^[0-9]{1,20}$/.test(args[2]) ? args[2] : undefined;
      return guarded(
        deps,
        vscode.l10n.t('Replace S/MIME certificate'),
        automationArgs(last, {}) !== undefined,
        async () => {
          const automation = automationArgs<ReplaceAutomation>(last, REPLACE_AUTOMATION_SHAPE);
          return replaceSmime(deps, {
            ...(uri ? { uri } : {}),
            ...(blockIndex !== undefined ? { blockIndex } : {}),
            ...(orderNumber !== undefined ? { orderNumber } : {}),
            ...(automation ? { automation } : {}),
          });
        },
      );
    }),
  );
}
