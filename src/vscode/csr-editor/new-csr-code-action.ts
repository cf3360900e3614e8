// The quick fix on every problem that predicts Sectigo's -13 (a key it will not certify): create
// a compliant key and CSR with the same subject and e-mails. Every -13 finding is about the key,
// so a new key is the fix for each of them.
import * as vscode from 'vscode';
import { brokenKeyFindingCodes } from '../../core/csr/finding-help';
import { isCsrReport } from '../../core/csr/types';
import { Commands, LANGUAGE_ID } from '../shared/ids';
import type { DocumentAnalyses } from './analysis';
import { DIAGNOSTIC_SOURCE } from '../shared/problems';
import { compliantCsrTitle, findingsFixedByNewKey } from './new-key-fix';
import { toRange } from './ranges';

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

class CompliantCsrCodeActions implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly analyses: DocumentAnalyses) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const analysis = await this.analyses.get(document);
    if (token.isCancellationRequested || analysis.kind !== 'analysed') return [];
    const actions: vscode.CodeAction[] = [];
    for (const report of analysis.results.filter(isCsrReport)) {
      const codes = findingsFixedByNewKey(report);
      const block = toRange(report.range, document);
      // Also a batch's problem on this block (a shared prime): its code says a new key fixes it.
      const fixed = ours.filter(
        (diagnostic) =>
          (codes.has(codeOf(diagnostic) ?? '') || brokenKeyFindingCodes.has(codeOf(diagnostic) ?? '')) &&
          block.intersection(diagnostic.range) !== undefined,
      );
      if (fixed.length === 0) continue;
      const action = new vscode.CodeAction(compliantCsrTitle(), vscode.CodeActionKind.QuickFix);
      action.diagnostics = fixed;
      action.isPreferred = true;
      action.command = {
        command: Commands.createCompliantCsr,
        title: compliantCsrTitle(),
        arguments: [document.uri, report.index],
      };
      actions.push(action);
    }
    return actions;
  }
}

export function registerCompliantCsrCodeActions(context: vscode.ExtensionContext, analyses: DocumentAnalyses): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, new CompliantCsrCodeActions(analyses), {
      providedCodeActionKinds: CompliantCsrCodeActions.providedCodeActionKinds,
    }),
  );
}
