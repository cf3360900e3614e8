// Times an analysis over a list of requests, the same way in Node and in a browser's worker
// (bench/browser-analysis.bench.ts): one warm-up round, then the median time per request.
import type { CsrAnalysisResult } from '../src/core/csr/types';
import type { AnalysisCore } from '../src/vscode/csr-editor/host';

export type Analyse = (text: string, file: string) => CsrAnalysisResult[] | Promise<CsrAnalysisResult[]>;

export interface AnalysisTiming {
  /** Median milliseconds per request over the rounds (after one warm-up round). */
  medianMs: number;
  /** The signature verdicts, to check that both sides saw the same requests the same way. */
  verdicts: (boolean | null)[];
}

export async function timeAnalysis(
  analyse: Analyse,
  requests: readonly string[],
  rounds: number,
): Promise<AnalysisTiming> {
  const verdicts: (boolean | null)[] = [];
  for (const text of requests) {
    const result = (await analyse(text, 'bench.csr'))[0];
    verdicts.push(result !== undefined && 'signature' in result ? result.signature.valid : null);
  }
  const perRequest: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (const text of requests) await analyse(text, 'bench.csr');
    perRequest.push((performance.now() - start) / requests.length);
  }
  perRequest.sort((a, b) => a - b);
  return { medianMs: perRequest[Math.floor(perRequest.length / 2)] as number, verdicts };
}

/** The editor's way (src/vscode/csr-editor/analysis.ts): the blocks found, then each analysed and awaited in turn. */
export function blockByBlock(core: AnalysisCore): Analyse {
  return async (text, file) => {
    const results: CsrAnalysisResult[] = [];
    for (const [index, block] of core.findRequests(text).entries()) {
      const result = core.analyseFoundBlock(block, file, index);
      results.push(result instanceof Promise ? await result : result);
    }
    return results;
  };
}
