// The browser build's analysis (src/vscode/browser/analysis.ts: WebCrypto and @noble for the
// signature) in a web worker, as the web worker extension host runs it, for
// bench/browser-analysis.bench.ts: one message with the requests, one answer with the timing.
import { analyseInBrowser, browserCore } from '../src/vscode/browser/analysis';
import { blockByBlock, timeAnalysis } from './analysis-timing';

const scope = globalThis as unknown as {
  onmessage: ((event: { data: { requests: string[]; rounds: number } }) => void) | null;
  postMessage(value: unknown): void;
};
scope.onmessage = (event) => {
  const { requests, rounds } = event.data;
  Promise.all([
    timeAnalysis(analyseInBrowser, requests, rounds),
    timeAnalysis(blockByBlock(browserCore), requests, rounds),
  ]).then(
    ([whole, editor]) => scope.postMessage({ whole, editor }),
    (error: unknown) => scope.postMessage({ error: String(error) }),
  );
};
