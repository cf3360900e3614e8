// One analysis per document version, shared by CodeLens, diagnostics, hover and the report, so
// a keystroke costs one parse however many surfaces ask. The analysis module (and the X.509
// library under it) is loaded on first use, not at activation: esbuild turns the dynamic import
// into a lazily initialised module inside the same bundle. Where it runs (this thread, a worker)
// is the host's (./host.ts): Node has worker threads, the browser's extension host does not.
import * as vscode from 'vscode';
import type { CsrAnalysisResult } from '../../core/csr/types';
import type { AnalysisHost, OffThreadAnalysis } from './host';

/** Above this many characters a document is not parsed on the UI path (the editor must not stall). */
export const MAX_EDITOR_CHARACTERS = 1024 * 1024;
/**
 * Above this many characters the analysis runs in a worker thread: a file packed with requests
 * took about 1.4 s per megabyte to analyse, which must not stall the extension host (and with
 * it every extension's completions and hovers). Below it, a worker costs more than it saves:
 * measured, 64 KB of requests (62 of them) take about 25 ms in process once warm, while a fresh
 * worker needs about 80 ms just to start and about 200 ms in all.
 */
export const WORKER_THRESHOLD_CHARACTERS = 64 * 1024;
/** How much of a document is looked at to decide that it is binary. */
const BINARY_SNIFF_CHARACTERS = 8192;

export type DocumentAnalysis =
  | { readonly kind: 'analysed'; readonly results: readonly CsrAnalysisResult[] }
  | { readonly kind: 'too-large'; readonly characters: number }
  | { readonly kind: 'binary' };

/** The analysis without a signature verifier of its own (the host brings Node's or the browser's). */
type CoreCsr = typeof import('../../core/csr/analyse');

let coreModule: Promise<CoreCsr> | undefined;

/** The CSR analysis, loaded once on first need. */
export function loadCore(): Promise<CoreCsr> {
  coreModule ??= import('../../core/csr/analyse');
  return coreModule;
}

/** Character count without copying the text out (getText on a huge file is itself costly). */
export function documentLength(document: vscode.TextDocument): number {
  if (document.lineCount === 0) return 0;
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/**
 * A NUL or a run of replacement characters near the start means the file was not text (DER
 * opened as text, an archive renamed .csr): analysing the decoded garbage would only mislead.
 */
export function looksBinary(sample: string): boolean {
  if (sample.includes('\u0000')) return true;
  const replacements = sample.match(/\uFFFD/g)?.length ?? 0;
  return replacements > 8 && replacements > sample.length / 100;
}

/** How the file is named in reports: relative to the workspace when it is in one. */
export function displayName(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.path;
  return vscode.workspace.asRelativePath(uri, false);
}

/** Thrown into a worker's analysis when a newer version of the same document replaced it. */
export class SupersededError extends Error {}

interface CacheEntry {
  /** The document object itself: an untitled name is reused by the next untitled document, at version 1 again. */
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly analysis: Promise<DocumentAnalysis>;
}

/** Per-document cache keyed by version; entries go when the document closes. */
export class DocumentAnalyses implements vscode.Disposable {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly workers = new Map<string, () => void>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly host: AnalysisHost) {
    this.subscription = vscode.workspace.onDidCloseTextDocument((document) => {
      const key = document.uri.toString();
      // A reused untitled name may already belong to a newer document: leave that one's work alone.
      if (this.entries.get(key)?.document !== document) return;
      this.entries.delete(key);
      this.workers.get(key)?.();
      this.workers.delete(key);
    });
  }

  get(document: vscode.TextDocument): Promise<DocumentAnalysis> {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.document === document && cached.version === document.version)
      return cached.analysis;
    // A worker still busy with an older version of this document is no longer worth its CPU.
    this.workers.get(key)?.();
    this.workers.delete(key);
    const analysis = this.analyse(document, key).catch((error: unknown) => {
      // Whoever waited on the older version gets the newer one instead.
      const latest = this.entries.get(key);
      if (error instanceof SupersededError && latest !== undefined) return latest.analysis;
      throw error;
    });
    this.entries.set(key, { document, version: document.version, analysis });
    return analysis;
  }

  private async analyse(document: vscode.TextDocument, key: string): Promise<DocumentAnalysis> {
    const characters = documentLength(document);
    if (characters > MAX_EDITOR_CHARACTERS) return { kind: 'too-large', characters };
    const sampleEnd = document.positionAt(Math.min(characters, BINARY_SNIFF_CHARACTERS));
    if (looksBinary(document.getText(new vscode.Range(new vscode.Position(0, 0), sampleEnd))))
      return { kind: 'binary' };
    // Taken before the first await, so the result belongs to the version it is cached under.
    const text = document.getText();
    const file = displayName(document.uri);
    if (text.length > WORKER_THRESHOLD_CHARACTERS && this.host.offThread !== undefined) {
      const running: OffThreadAnalysis = this.host.offThread(text, file);
      this.workers.set(key, running.cancel);
      try {
        return { kind: 'analysed', results: await running.results };
      } catch (error) {
        if (error instanceof SupersededError) throw error;
        // No worker (the bundle is not beside us, as when running from sources): analyse here.
      } finally {
        if (this.workers.get(key) === running.cancel) this.workers.delete(key);
      }
    }
    return { kind: 'analysed', results: await this.host.analyse(text, file) };
  }

  /** Analyses text that is not (or not all of) a document: a selection, the clipboard. */
  async analyseText(text: string, label: string): Promise<DocumentAnalysis> {
    if (text.length > MAX_EDITOR_CHARACTERS) return { kind: 'too-large', characters: text.length };
    if (looksBinary(text.slice(0, BINARY_SNIFF_CHARACTERS))) return { kind: 'binary' };
    if (text.length > WORKER_THRESHOLD_CHARACTERS && this.host.offThread !== undefined) {
      try {
        return { kind: 'analysed', results: await this.host.offThread(text, label).results };
      } catch {
        // No worker (the bundle is not beside us, as when running from sources): analyse here.
      }
    }
    return { kind: 'analysed', results: await this.host.analyse(text, label) };
  }

  dispose(): void {
    this.subscription.dispose();
    for (const cancel of this.workers.values()) cancel();
    this.workers.clear();
    this.entries.clear();
  }
}
