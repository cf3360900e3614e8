// The browser build's analysis (src/vscode/browser/analysis.ts: WebCrypto and @noble for the
// signature) in a web worker, as the web worker extension host runs it, for
// bench/browser-analysis.bench.ts: one message with the requests and the way to analyse them,
// one answer with the timing and whether this worker had WebCrypto (only a secure context has
// crypto.subtle).
import { analyseInBrowser, browserCore } from '../src/vscode/browser/analysis';
import { yieldToHost } from '../src/vscode/browser/yield';
import { blockByBlock, timeAnalysis } from './analysis-timing';

const scope = globalThis as unknown as {
  onmessage:
    | ((event: {
        data: { requests: string[]; file: string; rounds: number; row: 'whole' | 'editor' | 'file' };
      }) => void)
    | null;
  postMessage(value: unknown): void;
  crypto?: { subtle?: unknown };
};
const editor = blockByBlock(browserCore, yieldToHost);
// One timing a message (one way of analysing, `rounds` rounds), so that the bench can interleave
// this worker with another one finely.
scope.onmessage = (event) => {
  const { requests, file, rounds, row } = event.data;
  const timing =
    row === 'whole'
      ? timeAnalysis(analyseInBrowser, requests, rounds)
      : row === 'editor'
        ? timeAnalysis(editor, requests, rounds)
        : timeAnalysis(editor, [file], rounds, requests.length);
  timing.then(
    (result) => scope.postMessage({ webCrypto: scope.crypto?.subtle !== undefined, ...result }),
    (error: unknown) => scope.postMessage({ error: String(error) }),
  );
};
