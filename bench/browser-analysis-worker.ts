// The analysis as the browser build runs it, in a web worker (as the web worker extension
// host does), for bench/browser-analysis.bench.ts: it analyses every request `rounds` times and
// answers with the median time per request. The same function times the Node side.
import { analyseCsrText } from '../src/core/csr/index';

export interface AnalysisTiming {
  /** Median milliseconds per request over the rounds (after one warm-up round). */
  medianMs: number;
  /** The signature verdicts, to check that both sides saw the same requests the same way. */
  verdicts: (boolean | null)[];
}

export async function timeAnalysis(requests: readonly string[], rounds: number): Promise<AnalysisTiming> {
  const verdicts: (boolean | null)[] = [];
  for (const text of requests) {
    const result = (await analyseCsrText(text, 'bench.csr'))[0];
    verdicts.push(result !== undefined && 'signature' in result ? result.signature.valid : null);
  }
  const perRequest: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (const text of requests) await analyseCsrText(text, 'bench.csr');
    perRequest.push((performance.now() - start) / requests.length);
  }
  perRequest.sort((a, b) => a - b);
  return { medianMs: perRequest[Math.floor(perRequest.length / 2)] as number, verdicts };
}

// In a worker: one message with the requests, one answer with the timing.
const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  onmessage: ((event: { data: { requests: string[]; rounds: number } }) => void) | null;
  postMessage(value: unknown): void;
};
if (scope.WorkerGlobalScope !== undefined) {
  scope.onmessage = (event) => {
    timeAnalysis(event.data.requests, event.data.rounds).then(
      (timing) => scope.postMessage(timing),
      (error: unknown) => scope.postMessage({ error: String(error) }),
    );
  };
}
