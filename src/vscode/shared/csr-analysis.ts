// The CSR analysis as both wings load it: on first use, not at activation, from its own bundle
// (dist/csr-analysis-worker.js, ../bundles/load.ts), so dist/extension.js carries none of it;
// and never on a text too large for the editor's thread.
import { loadBundle, type Bundles } from '../bundles/load';

type CoreCsr = Bundles['csr-analysis-worker'];

/** Above this many characters a document is not parsed on the UI path (the editor must not stall). */
export const MAX_EDITOR_CHARACTERS = 1024 * 1024;

/** The CSR analysis, loaded once on first need. */
export function loadCore(): Promise<CoreCsr> {
  return loadBundle('csr-analysis-worker');
}
