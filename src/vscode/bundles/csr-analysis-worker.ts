// Bundle entry (dist/csr-analysis-worker.js, loaded through ./load.ts): the CSR analysis; knows
// nothing of VS Code. It serves twice. The extension host requires it when the first request
// needs analysing (the loader src/extension.ts hands the editor's host and the replace flow), so dist/extension.js carries none of the analysis
// and activation never parses it. And a block too large to analyse between other work on the
// extension host's thread is analysed in a worker thread started from this same file; its
// result is plain data, so it crosses back by structured clone.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseFoundBlock, type FoundRequest } from '../../core/csr/index';

export * from '../../core/csr/index';

export interface AnalysisWorkerInput {
  readonly kind: 'sectigo-csr-block';
  readonly block: FoundRequest;
  readonly file: string;
  readonly index: number;
}

function isWorkerInput(data: unknown): data is AnalysisWorkerInput {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'sectigo-csr-block';
}

// Required by the extension host, there is no parent port: only export.
if (parentPort !== null && isWorkerInput(workerData)) {
  parentPort.postMessage(analyseFoundBlock(workerData.block, workerData.file, workerData.index));
}
