// The browser build's analysis (src/vscode/browser/analysis.ts: WebCrypto and @noble for the
// signature) in a web worker, as the web worker extension host runs it, for
// bench/browser-analysis.bench.ts: one message with the requests, one answer with the timing.
import { analyseInBrowser } from '../src/vscode/browser/analysis';
import { timeAnalysis } from './analysis-timing';

const scope = globalThis as unknown as {
  onmessage: ((event: { data: { requests: string[]; rounds: number } }) => void) | null;
  postMessage(value: unknown): void;
};
scope.onmessage = (event) => {
  timeAnalysis(analyseInBrowser, event.data.requests, event.data.rounds).then(
    (timing) => scope.postMessage(timing),
    (error: unknown) => scope.postMessage({ error: String(error) }),
  );
};
