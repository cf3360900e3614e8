// The one loader of the extension's lazy bundles. Every other file in this folder is a bundle
// entry: esbuild.mjs builds each into dist/<name>.js on its own, beside dist/extension.js, and
// nothing imports an entry except by type. A bundle is required the first time it is needed
// (a call, a new key, a large document), so activating the extension never parses what it does
// not use. To make a feature lazy, give it an entry here and reach it through loadBundle().
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Each bundle by name (its file in dist/ and its entry here) and what it exports. */
export interface Bundles {
  /** The HTTP client (undici) and the certificate reader (@peculiar/x509). */
  'sectigo-client': typeof import('./sectigo-client');
  /** The key and request generator (@peculiar/x509). */
  'csr-new': typeof import('./csr-new');
  /** The CSR analysis; also the worker thread for a block too large for the extension host's thread. */
  'csr-analysis-worker': typeof import('./csr-analysis-worker');
}

export type BundleName = keyof Bundles;

/** What each bundle is, for the message when it is missing. */
const PURPOSE: Record<BundleName, string> = {
  'sectigo-client': 'The Sectigo client bundle',
  'csr-new': 'The key generator bundle',
  'csr-analysis-worker': 'The CSR analysis bundle',
};

const loading = new Map<BundleName, Promise<unknown>>();

/** The bundle's file beside dist/extension.js. */
export function bundleFile(name: BundleName): string {
  return join(__dirname, `${name}.js`);
}

/** The bundle's exports; the first call loads it (tens of milliseconds), later calls reuse it. */
export function loadBundle<N extends BundleName>(name: N): Promise<Bundles[N]> {
  let pending = loading.get(name) as Promise<Bundles[N]> | undefined;
  if (!pending) {
    pending = (async () => {
      const file = bundleFile(name);
      if (!existsSync(file))
        throw new Error(`${PURPOSE[name]} ${file} is missing; run "npm run build" (the extension is incomplete).`);
      // A runtime require of a computed path: esbuild leaves it alone, so the bundle stays out of extension.js.
      return createRequire(__filename)(file) as Bundles[N];
    })();
    loading.set(name, pending);
    // A failed load is not kept, so a rebuilt bundle is picked up by the next call.
    pending.catch(() => loading.delete(name));
  }
  return pending;
}
