// Loads the HTTP client only when a call is made. In the packaged extension the client is
// its own bundle, dist/sectigo-client.js, next to dist/extension.js (see esbuild.mjs), and is
// required at call time; activation therefore never parses or evaluates undici.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type ClientModule = typeof import('./client-entry');

export const CLIENT_BUNDLE_NAME = 'sectigo-client.js';

let loading: Promise<ClientModule> | undefined;

/** The client module; the first call loads it (tens of milliseconds), later calls reuse it. */
export function loadClientModule(): Promise<ClientModule> {
  loading ??= (async () => {
    const bundle = join(__dirname, CLIENT_BUNDLE_NAME);
    if (!existsSync(bundle)) {
      throw new Error(
        `The Sectigo client bundle ${bundle} is missing; run "npm run build" (the extension is incomplete).`,
      );
    }
    // A runtime require of a computed path: esbuild leaves it alone, so the client stays out of extension.js.
    const requireAtCallTime = createRequire(__filename);
    return requireAtCallTime(bundle) as ClientModule;
  })();
  // A failed load is not cached, so a rebuilt bundle is picked up by the next call.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
