// The editor's host in Node (desktop and remote windows): large analyses in a worker thread,
// keys written with Node's file system where the folder is on disk (O_EXCL, owner-only, the git
// check), through workspace.fs elsewhere. The browser entry has its own (../browser/host.ts).
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { CsrAnalysisResult } from '../../core/csr/types';
import type { Pair } from '../../core/csr-new/pair-writer';
import { workspacePairWriter } from '../workspace-pair-writer';
import { SupersededError } from './analysis';
import type { AnalysisWorkerInput } from './analysis-worker';
import type { EditorHost, OffThreadAnalysis } from './host';
import { loadNewCsrModule } from './new-csr-loader';

/** The analysis in this thread with Node's signature check (loaded on first use: a lazy module of the bundle). */
async function analyseHere(text: string, file: string): Promise<CsrAnalysisResult[]> {
  return (await import('../../core/csr/index')).analyseCsrText(text, file);
}

/** Analyses text in a fresh worker thread; the returned cancel ends the worker. */
function analyseInWorker(text: string, file: string): OffThreadAnalysis {
  // Next to dist/extension.js (esbuild.mjs bundles it), so __dirname is the bundle's folder.
  const worker = new Worker(join(__dirname, 'csr-analysis-worker.js'), {
    workerData: { text, file } satisfies AnalysisWorkerInput,
  });
  let cancelled = false;
  const results = new Promise<CsrAnalysisResult[]>((resolve, reject) => {
    worker.once('message', (message: CsrAnalysisResult[]) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(cancelled ? new SupersededError() : new Error(`the analysis worker stopped (exit code ${code})`)),
    );
  }).finally(() => void worker.terminate());
  return {
    results,
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
  return {
    analysis: { analyse: analyseHere, offThread: analyseInWorker },
    newCsr: {
      loadGenerator: loadNewCsrModule,
      exists: (uri) => elsewhere.exists(uri),
      canWriteBeside: (uri) => uri.scheme === 'file' || elsewhere.canWriteBeside(uri),
      async checkFree(pair) {
        if (!onDisk(pair)) return elsewhere.checkFree(pair);
        return (await loadNewCsrModule()).checkTargetsFree(paths(pair));
      },
      async write(pair, csrText, keyText) {
        if (!onDisk(pair)) return elsewhere.write(pair, csrText, keyText);
        await (await loadNewCsrModule()).writePair(paths(pair), csrText, keyText);
        return { ownerOnly: true };
      },
      async exposedToGit(key) {
        if (key.scheme !== 'file') return null;
        return (await loadNewCsrModule()).isUnignoredInGitWorkTree(key.fsPath);
      },
    },
    callsAvailable: true,
  };
}
