// The questions of a bulk revocation: the reason for every target, and (while a test passed)
// whether to revoke the tested list for real or choose another. Each is a multi-step input.
import * as vscode from 'vscode';
import type { PassedTest } from '../../core/sectigo/bulk/stored-run';
import type { BulkTarget } from '../../core/sectigo/bulk/targets';
import type { RevocationCode } from '../../core/sectigo/types';
import { REVOCATION_CODES, validateRevocationReason } from '../../core/sectigo/validate';
import { askOnce, runSteps } from '../shared/multi-step-input';

export interface Reason {
  codeReason?: RevocationCode | undefined;
  revocationReason?: string | undefined;
}

/** The reason for every target; `fromList` mentions the list's own columns, which orders from the tree do not have. */
export async function askReason(targets: readonly BulkTarget[], fromList: boolean): Promise<Reason | undefined> {
  const everyRowHasOne = targets.every((target) => target.reason !== undefined);
  const answers = await runSteps<{ code?: RevocationCode; text?: string }>(
    fromList ? vscode.l10n.t('Revoke from list') : vscode.l10n.t('Revoke selected orders'),
    [
      {
        ask: async (input, state) => {
          state.code = await input.pick<RevocationCode>({
            placeholder: fromList
              ? vscode.l10n.t('codeReason for every certificate in the list (a codeReason column overrides it)')
              : vscode.l10n.t('codeReason for every selected certificate'),
            items: (Object.entries(REVOCATION_CODES) as [string, string][]).map(([code, name]) => ({
              label: `${code}: ${name}`,
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
              ? vscode.l10n.t('revocationReason: every row of the list has its own; leave empty to keep them')
              : fromList
                ? vscode.l10n.t(
                    'revocationReason: a comment for your own records (a revocationReason column overrides it)',
                  )
                : vscode.l10n.t('revocationReason: a comment for your own records'),
            value: state.text ?? '',
            validate: (value) => (everyRowHasOne && value === '' ? undefined : validateRevocationReason(value)),
          });
        },
      },
    ],
    {},
  );
  if (!answers) return undefined;
  return { codeReason: answers.code, revocationReason: answers.text === '' ? undefined : answers.text };
}

/** "Revoke for real the 12 certificates tested at 14:05": the first choice of Revoke from List… while a passed test waits. */
export function askTestedOrNewList(passed: PassedTest): Promise<'tested' | 'file' | undefined> {
  const at = new Date(passed.at);
  const when =
    at.toDateString() === new Date().toDateString()
      ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : at.toLocaleString();
  return askOnce(vscode.l10n.t('Revoke from list'), (input) =>
    input.pick<'tested' | 'file'>({
      placeholder: vscode.l10n.t('A test revocation passed: revoke those for real, or choose a list'),
      items: [
        {
          label: `$(circle-slash) ${vscode.l10n.t('Revoke for real the {0} certificates tested at {1}', passed.count.toLocaleString(), when)}`,
          description: `${passed.source} · ${passed.loginName}`,
          value: 'tested',
        },
        { label: `$(folder-opened) ${vscode.l10n.t('Choose a List File…')}`, value: 'file' },
      ],
    }),
  );
}
