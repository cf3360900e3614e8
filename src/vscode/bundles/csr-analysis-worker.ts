// Bundle entry run as a worker thread (dist/csr-analysis-worker.js, its file from ./load.ts): the
// CSR analysis of one large text off the extension host's thread; knows nothing of VS Code. The results are plain data, so they
// cross back to the extension host by structured clone.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseCsrText } from '../../core/csr/index';

export interface AnalysisWorkerInput {
  readonly text: string;
  readonly file: string;
}

const input = workerData as AnalysisWorkerInput;
parentPort?.postMessage(analyseCsrText(input.text, input.file));
