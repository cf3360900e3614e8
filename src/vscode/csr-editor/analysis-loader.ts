// Loads the CSR analysis only when a document needs it. In the packaged extension it is its own
// bundle, dist/csr-analysis-worker.js, beside dist/extension.js (see esbuild.mjs), required on
// first use: activation parses none of it, and a window without a CSR never does.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type CsrAnalysisModule = typeof import('./analysis-worker');

export const ANALYSIS_BUNDLE_NAME = 'csr-analysis-worker.js';

/** The bundle's path: next to dist/extension.js, so __dirname is the bundle's folder. */
export function analysisBundlePath(): string {
  return join(__dirname, ANALYSIS_BUNDLE_NAME);
}

let loaded: CsrAnalysisModule | undefined;

/** The analysis module; the first call loads it (a few milliseconds), later calls reuse it. */
export function loadAnalysisModule(): CsrAnalysisModule {
  if (loaded !== undefined) return loaded;
  const bundle = analysisBundlePath();
  if (!existsSync(bundle)) {
    throw new Error(`The CSR analysis bundle ${bundle} is missing; run "npm run build" (the extension is incomplete).`);
  }
  // A runtime require of a computed path: esbuild leaves it alone, so the analysis stays out of extension.js.
  loaded = createRequire(__filename)(bundle) as CsrAnalysisModule;
  return loaded;
}
