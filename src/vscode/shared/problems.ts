// The sink of the Problems panel: the only module that makes a vscode.Diagnostic. It takes a Text,
// never a string, and gives VS Code renderProblem's rendering (core/problem-text.ts): every outside
// value (a finding's sentence, which may quote the subject; a reader's error) on one line, cut to
// the problem bound and redacted with every secret the extension knows (known-secrets.ts).
import * as vscode from 'vscode';
import { findingHelpUri } from '../../core/csr/finding-help';
import type { Text } from '../../core/outside-text';
import { renderProblem } from '../../core/problem-text';
import { knownSecrets } from './known-secrets';

/** The name the Problems panel shows beside each of the extension's problems. */
export const DIAGNOSTIC_SOURCE = 'sectigo-csr';

/** A problem of the extension, its code linked to the code's README anchor when it has one. */
export function problem(
  range: vscode.Range,
  message: Text,
  severity: vscode.DiagnosticSeverity,
  code?: string,
): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, renderProblem(message, knownSecrets()), severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  if (code !== undefined) diagnostic.code = { value: code, target: vscode.Uri.parse(findingHelpUri(code)) };
  return diagnostic;
}
