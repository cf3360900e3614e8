// Times an analysis over a list of requests, the same way in Node and in a browser's worker
// (bench/browser-analysis.bench.ts): one warm-up round, then the median time per request.
import type { CsrAnalysisResult } from '../src/core/csr/types';
import { analyseBlocks } from '../src/vscode/csr-editor/block-run';
import type { AnalysisCore } from '../src/vscode/csr-editor/host';

export type Analyse = (text: string, file: string) => CsrAnalysisResult[] | Promise<CsrAnalysisResult[]>;

export interface AnalysisTiming {
  /** Median milliseconds per request over the rounds (after one warm-up round). */
  medianMs: number;
  /** The signature verdicts, to check that both sides saw the same requests the same way. */
  verdicts: (boolean | null)[];
}

/** `requests`: texts of one request each, or of `blocksPerText` each (a file of many requests). */
export async function timeAnalysis(
  analyse: Analyse,
  requests: readonly string[],
  rounds: number,
  blocksPerText = 1,
): Promise<AnalysisTiming> {
  const verdicts: (boolean | null)[] = [];
  for (const text of requests) {
    for (const result of await analyse(text, 'bench.csr'))
      verdicts.push('signature' in result ? result.signature.valid : null);
  }
  const perRequest: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (const text of requests) await analyse(text, 'bench.csr');
    perRequest.push((performance.now() - start) / (requests.length * blocksPerText));
  }
  perRequest.sort((a, b) => a - b);
  return { medianMs: perRequest[Math.floor(perRequest.length / 2)] as number, verdicts };
}

/**
 * The editor's way: the same block runner as src/vscode/csr-editor/analysis.ts (block-run.ts),
 * over `core`, yielding with `yieldToHost` between slices.
 */
export function blockByBlock(core: AnalysisCore, yieldToHost: () => Promise<void>): Analyse {
  const host = { loadCore: () => Promise.resolve(core), yieldToHost };
  return (text, file) => analyseBlocks(host, core, text, file).done;
}
