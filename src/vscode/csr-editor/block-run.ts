// One text analysed block by block, as the editor does it (./analysis.ts), with no VS Code in
// it, so the browser bench times the very same path: the blocks an editor shows come first,
// the others follow in slices between which the host serves other work, a block whose text an
// edit left alone keeps its earlier result, an oversized block goes to the host's worker thread
// (Node), and asynchronous signature checks (the browser's) run a few at once.
import type { CsrAnalysisResult, FoundBlock, FoundRequest, SourceRange } from '../../core/csr/analyse';
import { isCsrReport } from '../../core/csr/types';
import { outside } from '../../core/outside-text';
import type { AnalysisCore, AnalysisHost } from './host';

/**
 * A block whose DER is larger than this is analysed in a worker thread: one block cannot be cut
 * into slices, and a hostile one near the editor's 1 MB limit took hundreds of milliseconds.
 * Sectigo takes at most 32,767 characters of PEM (about 24 KB of DER), so no request it would
 * accept goes there; a fresh worker needs about 80 ms to start, more than a real request costs.
 */
const WORKER_THRESHOLD_BYTES = 64 * 1024;
/**
 * How long the analysis runs before it lets the extension host serve other work: measured, a
 * 2,000-character RSA request takes about 0.4 ms, so a slice is about twenty of them.
 */
const SLICE_MS = 8;
/** How many asynchronous signature checks (the browser's) run at once before they are awaited. */
const CHECKS_AT_ONCE = 16;

type CoreCsr = AnalysisCore;

/** The DER as a string, one character per byte (a map key); no Buffer, which the browser lacks. */
const latin1 = new TextDecoder('latin1');

/** Thrown into an analysis when a newer version of the same document replaced it (or it closed). */
export class SupersededError extends Error {}

/**
 * What a block's result depends on besides the line it starts on: its DER and the shape of its
 * range and anchor relative to that line. Two blocks with the same key have the same result,
 * moved by the difference of their first lines.
 */
function blockKey(block: FoundRequest): string {
  const { range, anchor } = block;
  const shape = [
    range.startCharacter,
    range.endLine - range.startLine,
    range.endCharacter,
    anchor.startLine - range.startLine,
    anchor.startCharacter,
    anchor.endLine - range.startLine,
    anchor.endCharacter,
  ].join(',');
  return `${shape}|${latin1.decode(block.der)}`;
}

function moved(range: SourceRange, lines: number): SourceRange {
  return lines === 0 ? range : { ...range, startLine: range.startLine + lines, endLine: range.endLine + lines };
}

/** The result of a block with the same key, for this block: its lines, index and file name. */
function rebased(result: CsrAnalysisResult, block: FoundBlock, index: number, file: string): CsrAnalysisResult {
  const lines = block.range.startLine - result.range.startLine;
  if (lines === 0 && result.index === index && result.file === file) return result;
  const range = moved(result.range, lines);
  if (!isCsrReport(result)) return { ...result, file: outside(file), index, range };
  const findings = result.findings.map((finding) => ({ ...finding, range: moved(finding.range, lines) }));
  return { ...result, file: outside(file), index, range, findings };
}

/** An analysis of one text under way, block by block. */
export interface BlockRun {
  /** The results so far, one slot per block, in the order of the text. */
  readonly results: readonly (CsrAnalysisResult | undefined)[];
  /** Every block analysed: what analyseCsrText gives for the text. */
  readonly done: Promise<CsrAnalysisResult[]>;
  /** Resolves once the blocks `first` picked are analysed (the worker's ones aside). */
  readonly firstDone: Promise<void>;
  /** The key of every request block of the text. */
  readonly keys: ReadonlySet<string>;
  cancel(): void;
}

export interface RunOptions {
  /** Results of earlier versions of the same document, by block key; the run adds its own. */
  readonly known?: Map<string, CsrAnalysisResult>;
  /** The blocks to analyse before the others. */
  readonly first?: (range: SourceRange) => boolean;
  /**
   * Asked, once the blocks `first` picked are done, with how many others are left: a promise
   * returned holds those back until it resolves (or the run is cancelled).
   */
  readonly holdRest?: (blocks: number) => Promise<void> | undefined;
}

export function analyseBlocks(
  host: AnalysisHost,
  core: CoreCsr,
  text: string,
  file: string,
  options: RunOptions = {},
): BlockRun {
  const blocks = core.findRequests(text);
  const results: (CsrAnalysisResult | undefined)[] = new Array<CsrAnalysisResult | undefined>(blocks.length);
  const keys = new Map<number, string>();
  const firstOnes: number[] = [];
  const rest: number[] = [];
  // The browser's analysis answers later (WebCrypto); Node's at once, and is then not awaited.
  const notRequests: Promise<void>[] = [];
  blocks.forEach((block, index) => {
    if (block.kind !== 'request') {
      const result = core.analyseFoundBlock(block, file, index);
      if (result instanceof Promise) notRequests.push(result.then((settled) => void (results[index] = settled)));
      else results[index] = result;
      return;
    }
    const key = blockKey(block);
    keys.set(index, key);
    const earlier = options.known?.get(key);
    if (earlier !== undefined) results[index] = rebased(earlier, block, index, file);
    else (options.first?.(block.range) === true ? firstOnes : rest).push(index);
  });
  let cancelled = false;
  const cancels = new Set<() => void>();
  let reportFirstDone = (): void => undefined;
  const firstDone = new Promise<void>((resolve) => (reportFirstDone = resolve));

  const analyseAll = async (): Promise<CsrAnalysisResult[]> => {
    const inWorkers: Promise<void>[] = [];
    if (notRequests.length > 0) await Promise.all(notRequests);
    // The browser's verdicts come back later (WebCrypto): a few blocks are checked at once and
    // awaited together. Node's come at once, and nothing waits here.
    let waiting: Promise<void>[] = [];
    const settle = (): Promise<unknown> => {
      const batch = waiting;
      waiting = [];
      return Promise.all(batch);
    };
    let sliceStarted = performance.now();
    const order = [...firstOnes, ...rest];
    for (const [position, index] of order.entries()) {
      if (position === firstOnes.length) {
        if (waiting.length > 0) await settle();
        reportFirstDone();
        const held = options.holdRest?.(order.length - position);
        if (held !== undefined) {
          await held;
          sliceStarted = performance.now();
        }
      }
      if (performance.now() - sliceStarted > SLICE_MS) {
        if (waiting.length > 0) await settle();
        await host.yieldToHost();
        sliceStarted = performance.now();
      }
      if (cancelled) throw new SupersededError();
      const block = blocks[index] as FoundRequest;
      const key = keys.get(index) as string;
      if (block.der.byteLength > WORKER_THRESHOLD_BYTES && host.offThread !== undefined) {
        const running = host.offThread(block, file, index, () => new SupersededError());
        cancels.add(running.cancel);
        inWorkers.push(
          running.result
            .catch((error: unknown) => {
              if (error instanceof SupersededError) throw error;
              // No worker thread to be had: analyse here, at the cost of a pause.
              return core.analyseFoundBlock(block, file, index);
            })
            .then((result) => {
              results[index] = result;
              options.known?.set(key, result);
            })
            .finally(() => cancels.delete(running.cancel)),
        );
        continue;
      }
      const analysed = core.analyseFoundBlock(block, file, index);
      if (analysed instanceof Promise) {
        waiting.push(
          analysed.then((result) => {
            results[index] = result;
            options.known?.set(key, result);
          }),
        );
        if (waiting.length >= CHECKS_AT_ONCE) await settle();
        continue;
      }
      results[index] = analysed;
      options.known?.set(key, analysed);
    }
    if (waiting.length > 0) await settle();
    reportFirstDone();
    await Promise.all(inWorkers);
    return results as CsrAnalysisResult[];
  };
  const done = analyseAll().catch((error: unknown) => {
    reportFirstDone();
    if (error instanceof SupersededError) throw error;
    // A bug in one block: the whole-text analysis says so the way the command line would.
    return core.analyseCsrText(text, file);
  });
  return {
    results,
    done,
    firstDone,
    keys: new Set(keys.values()),
    cancel: () => {
      cancelled = true;
      for (const cancel of cancels) cancel();
    },
  };
}
