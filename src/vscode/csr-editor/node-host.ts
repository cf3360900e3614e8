// The editor's host in Node (desktop and remote windows): the analysis bundle bound to Node's
// crypto, a block too large for the extension host's thread in a worker thread, and keys
// written with Node's file system where the folder is on disk (O_EXCL, owner-only, the git
// check), through workspace.fs elsewhere. The browser entry has its own (../browser/host.ts).
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { CsrAnalysisResult, FoundRequest } from '../../core/csr/analyse';
import type { Pair } from '../../core/csr-new/pair-through-any-fs';
import type { AnalysisWorkerInput } from '../bundles/csr-analysis-worker';
import { bundleFile, loadBundle } from '../bundles/load';
import { loadCore } from '../shared/csr-analysis';
import { workspacePairWriter } from './workspace-pair-writer';
import type { EditorHost, OffThreadAnalysis } from './host';

/** Analyses one block in a fresh worker thread; the returned cancel ends the worker. */
function analyseInWorker(block: FoundRequest, file: string, index: number, superseded: () => Error): OffThreadAnalysis {
  const worker = new Worker(bundleFile('csr-analysis-worker'), {
    workerData: { kind: 'sectigo-csr-block', block, file, index } satisfies AnalysisWorkerInput,
  });
  let cancelled = false;
  const result = new Promise<CsrAnalysisResult>((resolve, reject) => {
    worker.once('message', (message: CsrAnalysisResult) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(cancelled ? superseded() : new Error(`the analysis worker stopped (exit code ${code})`)),
    );
  }).finally(() => void worker.terminate());
  return {
    result,
    cancel: () => {
      cancelled = true;
      void worker.terminate();
    },
  };
}

const onDisk = (pair: Pair<vscode.Uri>): boolean => pair.csr.scheme === 'file' && pair.key.scheme === 'file';
const paths = (pair: Pair<vscode.Uri>): Pair<string> => ({ csr: pair.csr.fsPath, key: pair.key.fsPath });

export function nodeEditorHost(): EditorHost {
  const elsewhere = workspacePairWriter();
  const generator = (): ReturnType<typeof loadBundle<'csr-new'>> => loadBundle('csr-new');
  return {
    analysis: {
      loadCore,
      offThread: analyseInWorker,
      yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
    },
    newCsr: {
      loadGenerator: generator,
      exists: (uri) => elsewhere.exists(uri),
      canWriteBeside: (uri) => uri.scheme === 'file' || elsewhere.canWriteBeside(uri),
      async checkFree(pair) {
        if (!onDisk(pair)) return elsewhere.checkFree(pair);
        return (await generator()).checkTargetsFree(paths(pair));
      },
      async write(pair, csrText, keyText) {
        if (!onDisk(pair)) return elsewhere.write(pair, csrText, keyText);
        return { keyAccess: await (await generator()).writePair(paths(pair), csrText, keyText) };
      },
      async exposedToGit(key) {
        if (key.scheme !== 'file') return null;
        return (await generator()).isUnignoredInGitWorkTree(key.fsPath);
      },
    },
    callsAvailable: true,
  };
}
