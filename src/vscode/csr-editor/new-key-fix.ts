// What the "new key" fix is offered for and how it is named: shared by the quick fix, the
// CodeLens beside the refusal and the order remembered after a -13.
import * as vscode from 'vscode';
import { keyRefusedErrorCode } from '../../core/csr/limits';
import { brokenKeyFindingCodes } from '../../core/csr/finding-help';
import { refusals } from '../../core/csr/refusals';
import type { CsrReport } from '../../core/csr/types';

export { keyRefusedErrorCode };

/**
 * The findings a new key fixes: those the one refusal rule says Sectigo refuses (or may refuse)
 * with -13, and the weak keys its pre-issuance checks refuse (brokenKeyFindingCodes).
 */
export function findingsFixedByNewKey(report: CsrReport): Set<string> {
  return new Set([
    ...refusals(report)
      .filter((refusal) => refusal.sectigoErrorCode === keyRefusedErrorCode)
      .map((refusal) => refusal.findingCode),
    ...report.findings.filter((finding) => brokenKeyFindingCodes.has(finding.code)).map((finding) => finding.code),
  ]);
}

export function compliantCsrTitle(): string {
  return vscode.l10n.t('Create a compliant key and CSR…');
}
