// A UI session as steps that build on each other, like a person's path through the workbench.
import { test } from 'node:test';
import type { Workbench } from './workbench';

/**
 * The steps of one session, which build on each other: once one fails, the later ones fail at
 * once instead of waiting out their timeouts. A failed step saves a screenshot named after it.
 */
export function sessionSteps(
  workbench: () => Workbench | undefined,
  screenshotPrefix: string,
): (name: string, body: () => Promise<void>) => void {
  let failedStep: string | undefined;
  return (name, body) => {
    test(name, async () => {
      if (failedStep !== undefined) throw new Error(`not run: the earlier step "${failedStep}" failed`);
      try {
        await body();
      } catch (error) {
        failedStep = name;
        await workbench()
          ?.screenshot(`${screenshotPrefix}${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`)
          .catch(() => undefined);
        throw error;
      }
    });
  };
}
