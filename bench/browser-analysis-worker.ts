// The browser build's analysis (src/vscode/browser/analysis.ts: WebCrypto and @noble for the
// signature) in a web worker, as the web worker extension host runs it, for
// bench/browser-analysis.bench.ts: one message with the requests, one answer with the timing.
import { analyseInBrowser, browserCore } from '../src/vscode/browser/analysis';
import { yieldToHost } from '../src/vscode/browser/yield';
import { blockByBlock, timeAnalysis } from './analysis-timing';

const scope = globalThis as unknown as {
  onmessage: ((event: { data: { requests: string[]; file: string; rounds: number } }) => void) | null;
  postMessage(value: unknown): void;
};
scope.onmessage = (event) => {
  const { requests, file, rounds } = event.data;
  const editor = blockByBlock(browserCore, yieldToHost);
  // One after the other, so that no two timings share the worker.
  (async () => ({
    whole: await timeAnalysis(analyseInBrowser, requests, rounds),
    editor: await timeAnalysis(editor, requests, rounds),
    file: await timeAnalysis(editor, [file], rounds, requests.length),
  }))().then(
    (timings) => scope.postMessage(timings),
    (error: unknown) => scope.postMessage({ error: String(error) }),
  );
};
