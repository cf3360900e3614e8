// One analysis per document version, shared by CodeLens, diagnostics, hover and the report, so
// a keystroke costs one parse however many surfaces ask. The analysis itself is the host's
// (./host.ts: Node's bundle with its crypto, or the browser's with WebCrypto), loaded with the
// first CSR document, not at activation. Nothing here imports a Node built-in.
//
// A document is analysed block by block: the blocks an editor shows come first (the CodeLens
// draws them without waiting for the rest), the others follow in slices of a few milliseconds
// between which the extension host serves everything else (in a file of many, only once the
// lenses in view are out, so their CPU does not slow the drawing), and a block whose text an edit
// left alone keeps its earlier result. So opening a file of 500 requests draws its first lenses in a
// few milliseconds, and a keystroke in it re-analyses one block, not 500.
import * as vscode from 'vscode';
import type { CsrAnalysisResult, SourceRange } from '../../core/csr/analyse';
import { outside, type Outside } from '../../core/outside-text';
import { MAX_EDITOR_CHARACTERS } from '../shared/editor-limits';
import { SupersededError, analyseBlocks, type BlockRun } from './block-run';
import type { AnalysisCore, AnalysisHost } from './host';

export { MAX_EDITOR_CHARACTERS } from '../shared/editor-limits';
/** Lines beyond the visible ones whose blocks still come first (what a short scroll shows next). */
const VIEW_MARGIN_LINES = 60;
/** With no editor showing the document yet, its top is what will be seen first. */
const TOP_LINES = 200;
/** How much of a document is looked at to decide that it is binary. */
const BINARY_SNIFF_CHARACTERS = 8192;
/**
 * From this many blocks out of view, those wait until the lenses in view are out. Measured on a
 * 1 MB file of 500 requests with the window settled: analysing the other 490 (about 200 ms of
 * the extension host) while VS Code asked for the first lenses left that request waiting 60-70 ms
 * and made the page draw them 110 ms later than an extension that costs nothing; a few dozen
 * blocks cost less than that wait.
 */
const HELD_REST_BLOCKS = 64;
/** After the lenses in view are handed out, how long the page gets to draw them before the rest starts. */
const DRAW_GRACE_MS = 50;
/**
 * The longest the rest waits for VS Code to ask for lenses: it asks 250-375 ms after the editor
 * has the text (its CodeLens delay), and never when lenses are off or no editor shows the file.
 */
const HELD_REST_DEADLINE_MS = 600;

export type DocumentAnalysis =
  | { readonly kind: 'analysed'; readonly results: readonly CsrAnalysisResult[] }
  | { readonly kind: 'too-large'; readonly characters: number }
  | { readonly kind: 'binary' };

/** Character count without copying the text out (getText on a huge file is itself costly). */
function documentLength(document: vscode.TextDocument): number {
  if (document.lineCount === 0) return 0;
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/**
 * A NUL or a run of replacement characters near the start means the file was not text (DER
 * opened as text, an archive renamed .csr): analysing the decoded garbage would only mislead.
 */
function looksBinary(sample: string): boolean {
  if (sample.includes('\u0000')) return true;
  const replacements = sample.match(/\uFFFD/g)?.length ?? 0;
  return replacements > 8 && replacements > sample.length / 100;
}

/** How the file is named in reports: relative to the workspace when it is in one (outside text: the name is the user's). */
export function displayName(uri: vscode.Uri): Outside {
  if (uri.scheme === 'untitled') return outside(uri.path);
  return outside(vscode.workspace.asRelativePath(uri, false));
}

/**
 * Whether a block is in an editor showing the document, or within `marginLines` of it; undefined
 * when no editor shows it.
 */
export function inViewOf(
  document: vscode.TextDocument,
  marginLines = VIEW_MARGIN_LINES,
): ((range: SourceRange) => boolean) | undefined {
  const spans = vscode.window.visibleTextEditors
    .filter((editor) => editor.document === document)
    .flatMap((editor) => editor.visibleRanges)
    .map((range): [number, number] => [range.start.line - marginLines, range.end.line + marginLines]);
  if (spans.length === 0) return undefined;
  return (range) => spans.some(([from, to]) => range.startLine <= to && range.endLine >= from);
}

/** The blocks to analyse first: those in view, or the top of the document when no editor shows it yet. */
function inView(document: vscode.TextDocument): (range: SourceRange) => boolean {
  return inViewOf(document) ?? ((range) => range.startLine <= TOP_LINES);
}

interface CacheEntry {
  /** The document object itself: an untitled name is reused by the next untitled document, at version 1 again. */
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly analysis: Promise<DocumentAnalysis>;
  /** Resolves once the blocks in view are analysed. */
  readonly firstDone: Promise<void>;
  /** The results so far while the analysis runs. */
  readonly partial?: readonly (CsrAnalysisResult | undefined)[];
  complete: boolean;
  readonly cancel: () => void;
  /** The blocks in view were handed out: the others, if held, may start once they are drawn. */
  readonly firstHandedOut: () => void;
}

/** What is known of a document now: everything, or the blocks analysed so far. */
export interface AnalysisSoFar {
  readonly analysis: DocumentAnalysis;
  readonly complete: boolean;
}

/** Per-document cache keyed by version; entries go when the document closes. */
export class DocumentAnalyses implements vscode.Disposable {
  private readonly entries = new Map<string, CacheEntry>();
  /** Per document, the result of every block analysed lately, by block key (./analysis.ts blockKey). */
  private readonly known = new Map<string, Map<string, CsrAnalysisResult>>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly host: AnalysisHost) {
    this.subscription = vscode.workspace.onDidCloseTextDocument((document) => {
      const key = document.uri.toString();
      // A reused untitled name may already belong to a newer document: leave that one's work alone.
      const entry = this.entries.get(key);
      if (entry?.document !== document) return;
      this.entries.delete(key);
      this.known.delete(key);
      entry.cancel();
    });
  }

  /** The analysis's pure functions (summaries, sentences, links), loaded on first use. */
  core(): Promise<AnalysisCore> {
    return this.host.loadCore();
  }

  /**
   * Analyses text that is not (or not all of) a document: a selection, the clipboard, a file an
   * assistant's tool names (which may allow more than the editor's limit: the work is sliced anyway).
   */
  async analyseText(text: string, label: string, maxCharacters = MAX_EDITOR_CHARACTERS): Promise<DocumentAnalysis> {
    if (text.length > maxCharacters) return { kind: 'too-large', characters: text.length };
    if (looksBinary(text.slice(0, BINARY_SNIFF_CHARACTERS))) return { kind: 'binary' };
    const core = await this.host.loadCore();
    return { kind: 'analysed', results: await analyseBlocks(this.host, core, text, label).done };
  }

  /** Every block of the document analysed. */
  get(document: vscode.TextDocument): Promise<DocumentAnalysis> {
    return this.entry(document).analysis;
  }

  /**
   * As soon as the blocks in view are analysed: those (and whatever else is done), and whether
   * that is all. A CodeLens draws this, then asks again when `get` resolves.
   */
  async soon(document: vscode.TextDocument): Promise<AnalysisSoFar> {
    const entry = this.entry(document);
    await Promise.race([entry.firstDone, entry.analysis.then(() => undefined)]);
    entry.firstHandedOut();
    if (entry.complete || entry.partial === undefined) return { analysis: await entry.analysis, complete: true };
    const results = entry.partial.filter((result): result is CsrAnalysisResult => result !== undefined);
    return { analysis: { kind: 'analysed', results }, complete: results.length === entry.partial.length };
  }

  private entry(document: vscode.TextDocument): CacheEntry {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.document === document && cached.version === document.version) return cached;
    // An analysis still busy with an older version of this document is no longer worth its CPU.
    cached?.cancel();
    const entry = this.start(document, key);
    this.entries.set(key, entry);
    return entry;
  }

  private start(document: vscode.TextDocument, key: string): CacheEntry {
    const settled = (analysis: DocumentAnalysis): CacheEntry => ({
      document,
      version: document.version,
      analysis: Promise.resolve(analysis),
      firstDone: Promise.resolve(),
      complete: true,
      cancel: () => undefined,
      firstHandedOut: () => undefined,
    });
    const characters = documentLength(document);
    if (characters > MAX_EDITOR_CHARACTERS) return settled({ kind: 'too-large', characters });
    const sampleEnd = document.positionAt(Math.min(characters, BINARY_SNIFF_CHARACTERS));
    if (looksBinary(document.getText(new vscode.Range(new vscode.Position(0, 0), sampleEnd))))
      return settled({ kind: 'binary' });
    // Taken now, so the result belongs to the version it is cached under.
    const text = document.getText();
    const file = displayName(document.uri);
    const first = inView(document);
    // The analysis bundle loads with the first document (a few milliseconds); later ones find it loaded.
    let run: BlockRun | undefined;
    let cancelled = false;
    // Many blocks out of view wait for the lenses in view (HELD_REST_BLOCKS), at most a deadline.
    let releaseRest = (): void => undefined;
    const restReleased = new Promise<void>((resolve) => (releaseRest = resolve));
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const releaseIn = (ms: number): void => void timers.add(setTimeout(releaseRest, ms));
    const holdRest = (blocks: number): Promise<void> | undefined => {
      if (blocks < HELD_REST_BLOCKS) return undefined;
      releaseIn(HELD_REST_DEADLINE_MS);
      return restReleased;
    };
    const started = this.host.loadCore().then((core) => {
      if (cancelled) throw new SupersededError();
      run = analyseBlocks(this.host, core, text, file, { known: this.knownFor(key), first, holdRest });
      return run;
    });
    const entry: CacheEntry = {
      document,
      version: document.version,
      get partial() {
        return run?.results;
      },
      firstDone: started.then(
        (running) => running.firstDone,
        () => undefined,
      ),
      complete: false,
      cancel: () => {
        cancelled = true;
        run?.cancel();
        for (const timer of timers) clearTimeout(timer);
        // A held run wakes to find itself cancelled.
        releaseRest();
      },
      firstHandedOut: () => releaseIn(DRAW_GRACE_MS),
      analysis: started
        .then((running) => running.done.then((results) => ({ results, keys: running.keys })))
        .then(
          ({ results, keys }): DocumentAnalysis => {
            entry.complete = true;
            this.forgetOtherBlocks(key, keys);
            return { kind: 'analysed', results };
          },
          (error: unknown) => {
            // Whoever waited on the older version gets the newer one instead; a closed document, nothing.
            if (!(error instanceof SupersededError)) throw error;
            const latest = this.entries.get(key);
            return latest !== undefined && latest !== entry ? latest.analysis : { kind: 'analysed', results: [] };
          },
        ),
    };
    return entry;
  }

  private knownFor(key: string): Map<string, CsrAnalysisResult> {
    let known = this.known.get(key);
    if (known === undefined) {
      known = new Map();
      this.known.set(key, known);
    }
    return known;
  }

  /** Keeps only the blocks of the version just analysed, so the memory follows the document. */
  private forgetOtherBlocks(key: string, current: ReadonlySet<string>): void {
    const known = this.known.get(key);
    if (known === undefined || known.size <= current.size) return;
    for (const block of known.keys()) if (!current.has(block)) known.delete(block);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const entry of this.entries.values()) entry.cancel();
    this.entries.clear();
    this.known.clear();
  }
}
