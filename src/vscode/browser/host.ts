// The editor's host in the browser's web worker (vscode.dev, github.dev, any web client): the
// analysis in this thread (no worker threads here; the extension host is itself a worker, so a
// long analysis holds up extensions, never the editor's UI), the key generator from this same
// bundle on first use, files written through workspace.fs, and no calls.
import { workspacePairWriter } from '../workspace-pair-writer';
import type { EditorHost } from '../csr-editor/host';
import { analyseInBrowser, browserGenerator } from './analysis';

export function browserEditorHost(): EditorHost {
  const writer = workspacePairWriter();
  return {
    analysis: { analyse: analyseInBrowser },
    newCsr: {
      // The X.509 library is a lazily initialised module of this bundle: parsed on first use.
      loadGenerator: async () => browserGenerator,
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
