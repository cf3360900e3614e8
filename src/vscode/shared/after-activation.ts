// Work no CSR lens needs (the account migration, the interrupted-run check, the order history's
// context key) runs after activation, not during it: activate() returns first and the work starts
// on a later turn of the event loop, so a window that opens one .csr draws its lenses without it.
import * as vscode from 'vscode';
import { words, textFrom, type Literal } from '../../core/outside-text';
import type { SectigoLog } from './log';

/** Runs `work` once activate() has returned; a failure is logged as `what` failed. */
export function afterActivation<T extends string>(
  context: vscode.ExtensionContext,
  log: SectigoLog,
  what: T & Literal<T>,
  work: () => Promise<unknown> | void,
): void {
  const timer = setTimeout(() => {
    Promise.resolve()
      .then(work)
      .catch((error: unknown) => log.error(words`${textFrom<T>(what)} failed.`, error));
  }, 0);
  context.subscriptions.push(new vscode.Disposable(() => clearTimeout(timer)));
}
