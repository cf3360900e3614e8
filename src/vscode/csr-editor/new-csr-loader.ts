// Loads the key and request generator only when it is used. In the packaged extension it is its
// own bundle, dist/csr-new.js, beside dist/extension.js (see esbuild.mjs), required at call time.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type NewCsrModule = typeof import('./new-csr-entry');

export const NEW_CSR_BUNDLE_NAME = 'csr-new.js';

let loading: Promise<NewCsrModule> | undefined;

export function loadNewCsrModule(): Promise<NewCsrModule> {
  loading ??= (async () => {
    const bundle = join(__dirname, NEW_CSR_BUNDLE_NAME);
    if (!existsSync(bundle))
      throw new Error(
        `The key generator bundle ${bundle} is missing; run "npm run build" (the extension is incomplete).`,
      );
    // A runtime require of a computed path: esbuild leaves it alone, so the X.509 library stays out of extension.js.
    return createRequire(__filename)(bundle) as NewCsrModule;
  })();
  // A failed load is not cached, so a rebuilt bundle is picked up next time.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
