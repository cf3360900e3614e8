// The editor's host in the browser's web worker (vscode.dev, github.dev, any web client): the
// analysis in this thread (no worker threads here; the extension host is itself a worker, so a
// long analysis holds up extensions, never the editor's UI), the key generator as a lazy chunk
// on first use, files written through workspace.fs, and no calls.
import type * as vscode from 'vscode';
import type { EditorHost, RequestGenerator } from '../csr-editor/host';
import { workspacePairWriter } from '../csr-editor/workspace-pair-writer';
import { loadChunk } from './load-chunk';
import { yieldToHost } from './yield';

export function browserEditorHost(context: vscode.ExtensionContext): EditorHost {
  const writer = workspacePairWriter();
  const analysis = (): Promise<typeof import('./analysis')> => import('./analysis');
  return {
    analysis: { loadCore: async () => (await analysis()).browserCore, yieldToHost },
    newCsr: {
      async loadGenerator(): Promise<RequestGenerator> {
        const [{ makeRequestPair }, { analyseInBrowser }] = await Promise.all([
          loadChunk(context.extensionUri, 'browser-csr-new'),
          analysis(),
        ]);
        return {
          generateRequest: (subject, keyType, passphrase, file) =>
            makeRequestPair(analyseInBrowser, subject, keyType, passphrase, file),
        };
      },
      exists: (uri) => writer.exists(uri),
      canWriteBeside: (uri) => writer.canWriteBeside(uri),
      checkFree: (pair) => writer.checkFree(pair),
      write: (pair, csrText, keyText) => writer.write(pair, csrText, keyText),
      // git is not at hand in a browser: the key's exposure to a commit cannot be told.
      exposedToGit: async () => null,
    },
    callsAvailable: false,
  };
}
