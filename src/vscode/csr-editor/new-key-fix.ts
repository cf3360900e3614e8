// What the "new key" fix is offered for and how it is named: shared by the quick fix, the
// CodeLens beside the refusal and the order remembered after a -13.
import * as vscode from 'vscode';
import { keyRefusedErrorCode } from '../../core/csr/limits';
import { refusals } from '../../core/csr/refusals';
import type { CsrReport } from '../../core/csr/types';

export { keyRefusedErrorCode };

/** The findings a new key fixes: those the one refusal rule says Sectigo refuses (or may refuse) with -13. */
export function findingsFixedByNewKey(report: CsrReport): Set<string> {
  return new Set(
    refusals(report)
      .filter((refusal) => refusal.sectigoErrorCode === keyRefusedErrorCode)
      .map((refusal) => refusal.findingCode),
  );
}

export function compliantCsrTitle(): string {
  return vscode.l10n.t('Create a compliant key and CSR…');
}
