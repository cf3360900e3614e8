// "Sectigo: Find Shared Primes in Workspace Requests": every request file of the workspace read and
// analysed, then the batch GCD of core/csr/shared-primes.ts over their RSA keys; each request whose
// key shares a prime with another's gets an `rsa-shared-prime` problem naming the other. A command,
// not a diagnostic computed while typing: the comparison grows with the workspace, and a file's
// own problems must not wait for every other file. Its problems go when their file changes.
import * as vscode from 'vscode';
import type { CsrAnalysisResult } from '../../core/csr/analyse';
import { findingSentence } from '../../core/csr/refusals';
import { isCsrReport } from '../../core/csr/types';
import { outside, tokenText, words } from '../../core/outside-text';
import { registerGuarded } from '../shared/command-boundary';
import { MAX_EDITOR_CHARACTERS } from '../shared/editor-limits';
import { Commands } from '../shared/ids';
import type { SectigoLog } from '../shared/log';
import { showInformation, withProgressNotification } from '../shared/messages';
import { t } from '../shared/text';
import { displayName, type DocumentAnalyses } from './analysis';
import { DIAGNOSTIC_SOURCE, problem } from '../shared/problems';

/** Request files looked at, at most (the batch compares up to maxSharedPrimeKeys keys of them). */
export const MAX_SHARED_PRIME_FILES = 5000;
const REQUEST_FILES = '**/*.{csr,req,pem}';
const EXCLUDED = '**/{node_modules,.git}/**';

export interface SharedPrimesSummary {
  files: number;
  /** Distinct RSA keys compared, or why none were. */
  outcome: { kind: 'compared' | 'too-many' | 'too-slow'; keys: number };
  /** The requests given a shared-prime problem, as "file" or "file#index". */
  affected: string[];
}

export function registerSharedPrimesCommand(
  context: vscode.ExtensionContext,
  analyses: DocumentAnalyses,
  log: SectigoLog,
): void {
  const collection = vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-shared-primes`);
  const find = async (): Promise<SharedPrimesSummary> => {
    const uris = await vscode.workspace.findFiles(REQUEST_FILES, EXCLUDED, MAX_SHARED_PRIME_FILES);
    const core = await analyses.core();
    const byFile = new Map<string, vscode.Uri>();
    const results = await withProgressNotification(t('Reading request files'), true, async (_progress, token) => {
      const all: CsrAnalysisResult[] = [];
      for (const uri of uris) {
        if (token.isCancellationRequested) break;
        // Every read has its limit, checked before reading: a request file is far smaller.
        const { size } = await vscode.workspace.fs.stat(uri);
        if (size > MAX_EDITOR_CHARACTERS) continue;
        const name = displayName(uri);
        byFile.set(name, uri);
        all.push(...(await core.analyseCsrText(await vscode.workspace.fs.readFile(uri), name)));
      }
      return all;
    });
    const { results: withShared, outcome } = core.withSharedPrimeFindings(results, core.rsaModulusOf);
    collection.clear();
    const diagnostics = new Map<string, vscode.Diagnostic[]>();
    const affected: string[] = [];
    withShared.forEach((result, i) => {
      const before = results[i];
      if (!isCsrReport(result) || before === undefined || !isCsrReport(before)) return;
      for (const finding of result.findings.slice(before.findings.length)) {
        const range = new vscode.Range(
          finding.range.startLine,
          finding.range.startCharacter,
          finding.range.endLine,
          finding.range.endCharacter,
        );
        // The sentence names the other requests' files: outside text.
        const diagnostic = problem(
          range,
          words`${outside(findingSentence(finding))}`,
          vscode.DiagnosticSeverity.Error,
          finding.code,
        );
        diagnostics.set(result.file, [...(diagnostics.get(result.file) ?? []), diagnostic]);
        affected.push(result.index === 0 ? result.file : `${result.file}#${result.index}`);
      }
    });
    for (const [file, list] of diagnostics) {
      const uri = byFile.get(file);
      if (uri !== undefined) collection.set(uri, list);
    }
    const summary: SharedPrimesSummary = {
      files: byFile.size,
      outcome: { kind: outcome.kind, keys: outcome.keys },
      affected,
    };
    log.info(
      words`Shared primes: ${summary.files} request files, ${outcome.keys} RSA keys, ${tokenText(outcome.kind)}; ${affected.length} request(s) share a prime`,
    );
    void showInformation(
      outcome.kind !== 'compared'
        ? t('{0} RSA keys were not compared: too many or too slow (see the README).', outcome.keys)
        : affected.length === 0
          ? t('No two of {0} RSA keys in {1} request files share a prime.', outcome.keys, summary.files)
          : t('{0} requests have RSA keys that share a prime: see Problems.', affected.length),
    );
    return summary;
  };
  context.subscriptions.push(
    collection,
    // A changed file's comparison is stale: its problems go until the command runs again.
    vscode.workspace.onDidChangeTextDocument((event) => collection.delete(event.document.uri)),
    registerGuarded(log, Commands.findSharedPrimes, t('Find shared primes'), find),
  );
}
