// The CSR analysis as both wings load it: on first use, not at activation, from its own bundle
// (dist/csr-analysis-worker.js, ../bundles/load.ts), so dist/extension.js carries none of it;
// and never on a text too large for the editor's thread.
import { loadBundle, type Bundles } from '../bundles/load';

type CoreCsr = Bundles['csr-analysis-worker'];

export { MAX_EDITOR_CHARACTERS } from './editor-limits';

/** The CSR analysis, loaded once on first need. */
export function loadCore(): Promise<CoreCsr> {
  return loadBundle('csr-analysis-worker');
}
