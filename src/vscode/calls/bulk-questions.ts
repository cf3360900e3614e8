// The questions of a bulk revocation: the reason for every target, what Revoke from List… starts
// with (an unfinished run to resume, the tested list to revoke for real, or another list), and
// whether to resume or discard the unfinished run of the chosen list. Each is a multi-step input.
import * as vscode from 'vscode';
import { countText, outside, timeText, words, type Text } from '../../core/outside-text';
import { accountLabel } from '../../core/sectigo/call-plan';
import type { InterruptedRun } from '../../core/sectigo/bulk/run-store';
import type { PassedTest } from '../../core/sectigo/bulk/stored-run';
import type { BulkTarget } from '../../core/sectigo/bulk/targets';
import type { RevocationCode } from '../../core/sectigo/types';
import { REVOCATION_CODES, validateRevocationReason } from '../../core/sectigo/validate';
import { askOnce, runSteps, type PickItem } from '../shared/multi-step-input';
import { problemText, t } from '../shared/text';

export interface Reason {
  codeReason?: RevocationCode | undefined;
  revocationReason?: string | undefined;
}

/** The reason for every target; `fromList` mentions the list's own columns, which orders from the tree do not have. */
export async function askReason(targets: readonly BulkTarget[], fromList: boolean): Promise<Reason | undefined> {
  const everyRowHasOne = targets.every((target) => target.reason !== undefined);
  const answers = await runSteps<{ code?: RevocationCode; text?: string }>(
    fromList ? t('Revoke from list') : t('Revoke selected orders'),
    [
      {
        ask: async (input, state) => {
          state.code = await input.pick<RevocationCode>({
            placeholder: fromList
              ? t('codeReason for every certificate in the list (a codeReason column overrides it)')
              : t('codeReason for every selected certificate'),
            items: (Object.entries(REVOCATION_CODES) as [string, string][]).map(([code, name]) => ({
              label: words`${Number(code)}: ${outside(name)}`,
              value: Number(code) as RevocationCode,
            })),
            active: state.code ?? 0,
          });
        },
      },
      {
        ask: async (input, state) => {
          state.text = await input.text({
            prompt: everyRowHasOne
              ? t('revocationReason: every row of the list has its own; leave empty to keep them')
              : fromList
                ? t('revocationReason: a comment for your own records (a revocationReason column overrides it)')
                : t('revocationReason: a comment for your own records'),
            value: state.text ?? '',
            validate: (value) =>
              problemText(everyRowHasOne && value === '' ? undefined : validateRevocationReason(value)),
          });
        },
      },
    ],
    {},
  );
  if (!answers) return undefined;
  return { codeReason: answers.code, revocationReason: answers.text === '' ? undefined : answers.text };
}

/** What Revoke from List… starts with, while a run is unfinished or a passed test waits. */
export type StartChoice = { kind: 'resume'; run: InterruptedRun } | { kind: 'tested' } | { kind: 'file' };

/** "(105 of 150 left)": how much of a run is left. */
export function leftWords(run: Pick<InterruptedRun, 'left' | 'total'>): string {
  return vscode.l10n.t('{0} of {1} left', run.left.toLocaleString(), run.total.toLocaleString());
}

/** Who a run goes to as, `login @ host`, and whether it is a test call. */
function runDescription(run: InterruptedRun): Text {
  const kind = run.manifest.test ? t('test call (test=Y)') : t('real revocation');
  return words`${kind} · ${outside(accountLabel(run.manifest.loginName, run.manifest.endpoint))}`;
}

/**
 * The first choice of Revoke from List…: the unfinished runs first (each "Resume", with what is
 * left), then the list whose test passed ("Revoke for real the 12 certificates tested at 14:05"),
 * then another list.
 */
export function askStart(
  unfinished: readonly InterruptedRun[],
  passed: PassedTest | undefined,
): Promise<StartChoice | undefined> {
  // Icons as icons (iconPath), never `$(name)` in a label, which a screen reader reads out as a word.
  const items: PickItem<StartChoice>[] = unfinished.slice(0, 5).map((run) => ({
    label: t('Resume {0} ({1})', outside(run.manifest.source), outside(leftWords(run))),
    iconPath: new vscode.ThemeIcon('debug-continue'),
    description: runDescription(run),
    value: { kind: 'resume', run },
  }));
  if (passed) {
    const at = new Date(passed.at);
    const when = timeText(at, at.toDateString() === new Date().toDateString() ? 'hour-minute' : 'date-time');
    items.push({
      label:
        passed.count === 1
          ? t('Revoke for real the 1 certificate tested at {0}', when)
          : t('Revoke for real the {0} certificates tested at {1}', countText(passed.count), when),
      iconPath: new vscode.ThemeIcon('circle-slash'),
      description: words`${outside(passed.source)} · ${outside(passed.loginName)}`,
      value: { kind: 'tested' },
    });
  }
  items.push({
    label: t('Choose a List File…'),
    iconPath: new vscode.ThemeIcon('folder-opened'),
    value: { kind: 'file' },
  });
  return askOnce(t('Revoke from list'), (input) =>
    input.pick<StartChoice>({
      placeholder:
        unfinished.length > 0
          ? t('A revocation from a list is unfinished: resume it, or choose a list')
          : t('A test revocation passed: revoke those for real, or choose a list'),
      items,
    }),
  );
}

/**
 * The list chosen has an unfinished run: resume it ("Resume (105 of 150 left)", first), or discard
 * it explicitly before a new run, which would send again what Sectigo already answered.
 */
export function askResumeOrDiscard(run: InterruptedRun): Promise<'resume' | 'discard' | undefined> {
  return askOnce(t('Revoke from list'), (input) =>
    input.pick<'resume' | 'discard'>({
      placeholder: t(
        '{0} has an unfinished run ({1}): resume it, or discard it before a new run',
        outside(run.manifest.source),
        runDescription(run),
      ),
      items: [
        {
          label: t('Resume ({0})', outside(leftWords(run))),
          iconPath: new vscode.ThemeIcon('debug-continue'),
          value: 'resume',
        },
        {
          label: t('Discard the Unfinished Run, Then Start a New One'),
          iconPath: new vscode.ThemeIcon('trash'),
          description: t('sends again the {0} already answered', countText(run.done + run.failed)),
          value: 'discard',
        },
      ],
    }),
  );
}
