// Problems for every finding, kept up to date while the user types: re-analysis waits for a
// pause in typing (per document), and a result that went stale while it was computed (the user
// typed again, or closed the file) is dropped thanks to a per-document generation counter.
import * as vscode from 'vscode';
import { isCsrReport, type CsrAnalysisResult, type Severity } from '../../core/csr/types';
import { LANGUAGE_ID } from '../shared/ids';
import type { DocumentAnalyses } from './analysis';
import { toRange } from './ranges';
import { findingSentence } from '../../core/csr/refusals';
import { outside, outsideError, words } from '../../core/outside-text';
import { DIAGNOSTIC_SOURCE, problem } from '../shared/problems';
import { t } from '../shared/text';
import { skippedText } from './report-markdown';
/**
 * How long typing must pause before the document is analysed again. Short, because a check
 * re-analyses only the blocks an edit changed (./analysis.ts): measured, a keystroke in a 1 MB
 * file of 500 requests costs about 20 ms, most of it finding the blocks.
 */
const DIAGNOSTIC_DELAY_MS = 100;

/**
 * Schemes whose documents are the user's files; a git or diff copy must not double the Problems.
 * Any other writable file system (a virtual workspace's FileSystemProvider) holds the user's
 * files too; git's copies are read-only.
 */
const CHECKED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-userdata']);

function severityOf(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}

function diagnosticsFor(document: vscode.TextDocument, results: readonly CsrAnalysisResult[]): vscode.Diagnostic[] {
  return results.flatMap((result) => {
    if (!isCsrReport(result)) {
      // Another PEM block beside the request (a certificate, a key) is worth a note, not an error.
      const severity = result.code.startsWith('not-a-csr')
        ? vscode.DiagnosticSeverity.Information
        : vscode.DiagnosticSeverity.Error;
      // The analysis's sentence may quote the input or a reader's error: outside text.
      return [problem(toRange(result.range, document), words`${outside(result.error)}`, severity, result.code)];
    }
    return result.findings.map((finding) =>
      problem(
        toRange(finding.range, document),
        // A finding's sentence may quote the subject or a SAN: outside text.
        words`${outside(findingSentence(finding))}`,
        severityOf(finding.severity),
        finding.code,
      ),
    );
  });
}

function shouldCheck(document: vscode.TextDocument): boolean {
  const scheme = document.uri.scheme;
  return (
    document.languageId === LANGUAGE_ID &&
    (CHECKED_SCHEMES.has(scheme) || vscode.workspace.fs.isWritableFileSystem(scheme) === true)
  );
}

class CsrDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generations = new Map<string, number>();
  /**
   * The document object each URI's problems belong to. An untitled name is reused at once, and
   * the new document's open can arrive before the old one's close: that close must not wipe the
   * newcomer's pending check.
   */
  private readonly tracked = new Map<string, vscode.TextDocument>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analyses: DocumentAnalyses) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.schedule(event.document, DIAGNOSTIC_DELAY_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        const tracked = this.tracked.get(document.uri.toString());
        if (tracked === undefined || tracked === document) this.forget(document.uri);
      }),
    ];
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Queues a check; a later call for the same document replaces it. */
  schedule(document: vscode.TextDocument, delayMs: number): void {
    const key = document.uri.toString();
    if (!shouldCheck(document)) {
      // Every keystroke in every file comes through here: do nothing unless this one was ours
      // (its language was changed away from pkcs10, so its problems are no longer ours to show).
      if (this.generations.has(key)) this.forget(document.uri);
      return;
    }
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    this.tracked.set(key, document);
    const pending = this.timers.get(key);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(document, key, generation);
      }, delayMs),
    );
  }

  private async check(document: vscode.TextDocument, key: string, generation: number): Promise<void> {
    let diagnostics: vscode.Diagnostic[];
    try {
      const analysis = await this.analyses.get(document);
      if (analysis.kind === 'analysed') diagnostics = diagnosticsFor(document, analysis.results);
      else {
        diagnostics = [
          problem(
            new vscode.Range(0, 0, 0, 0),
            skippedText(analysis),
            vscode.DiagnosticSeverity.Information,
            analysis.kind === 'binary' ? 'binary-input' : 'input-too-large',
          ),
        ];
      }
    } catch (error) {
      // The analysis promises never to throw; if it does, say so on the file rather than fail silently.
      diagnostics = [
        problem(
          new vscode.Range(0, 0, 0, 0),
          t('The request could not be analysed: {0}', outsideError(error)),
          vscode.DiagnosticSeverity.Error,
        ),
      ];
    }
    if (this.generations.get(key) !== generation || document.isClosed) return;
    this.collection.set(document.uri, diagnostics);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.delete(key);
    // A check still running for the closed document finds no generation (or a closed document) and is dropped.
    this.generations.delete(key);
    this.tracked.delete(key);
    if (this.collection.has(uri)) this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

export function registerDiagnostics(context: vscode.ExtensionContext, analyses: DocumentAnalyses): CsrDiagnostics {
  const diagnostics = new CsrDiagnostics(analyses);
  context.subscriptions.push(diagnostics);
  return diagnostics;
}
