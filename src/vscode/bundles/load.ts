// The one loader of the extension's lazy bundles. Every other file in this folder is a bundle
// entry: esbuild.mjs builds each into dist/<name>.js on its own, beside dist/extension.js, and
// nothing imports an entry except by type. A bundle is required the first time it is needed
// (a call, a new key, a large document), so activating the extension never parses what it does
// not use. Only src/extension.ts imports this file: it hands each user the loader of its bundle
// (../shared/lazy-modules.ts names their types). To make a feature lazy, give it an entry here
// and hand down `() => loadBundle(name)`; the calls' commands are stubs until the first of them
// runs (registerCallsOnFirstRun).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { words, textFrom } from '../../core/outside-text';
import { commandArguments, guarded } from '../shared/command-boundary';
import { CALL_COMMANDS } from '../shared/ids';
import type { SectigoLog } from '../shared/log';
import type { CsrAnalysisModule, KeyGeneratorModule, SectigoClientModule } from '../shared/lazy-modules';

/** Each bundle by name (its file in dist/ and its entry here) and what it exports. */
export interface Bundles {
  /** The HTTP client (undici) and the certificate reader (@peculiar/x509). */
  'sectigo-client': SectigoClientModule;
  /** The key and request generator (@peculiar/x509). */
  'csr-new': KeyGeneratorModule;
  /** The CSR analysis; also the worker thread for a block too large for the extension host's thread. */
  'csr-analysis-worker': CsrAnalysisModule;
  /** Every command of ids.ts's CallCommands, and the Orders view's tree. */
  calls: typeof import('./calls');
  /** The assistants' tools (language model tools), run on their first call. */
  'assistant-tools': typeof import('./assistant-tools');
}

export type BundleName = keyof Bundles;

/** What each bundle is, for the message when it is missing. */
const PURPOSE = {
  'sectigo-client': 'the Sectigo client bundle',
  'csr-new': 'the key generator bundle',
  'csr-analysis-worker': 'the CSR analysis bundle',
  calls: 'the calls bundle',
  'assistant-tools': 'the assistant tools bundle',
} as const satisfies Record<BundleName, string>;

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
        throw new Error(
          `The file of ${PURPOSE[name]}, ${file}, is missing; run "npm run build" (the extension is incomplete).`,
        );
      // A runtime require of a computed path: esbuild leaves it alone, so the bundle stays out of extension.js.
      return createRequire(__filename)(file) as Bundles[N];
    })();
    loading.set(name, pending);
    // A failed load is not kept, so a rebuilt bundle is picked up by the next call.
    pending.catch(() => loading.delete(name));
  }
  return pending;
}

/**
 * Registers a stub under each of the calls' commands (ids.ts's CALL_COMMANDS, which package.json
 * declares; test/vscode/activation.test.ts checks that activation registers every declared one).
 * The first run of any of them loads the calls bundle, replaces the stubs by the bundle's own
 * registrations (`register`, given the loaded bundle) and runs the command with its arguments, as
 * if it had been registered from the start. Returns the function that does that loading, for the
 * Orders view (whose tree is in the bundle) and the offer to resume an interrupted run.
 */
export function registerCallsOnFirstRun<R>(
  context: vscode.ExtensionContext,
  log: SectigoLog,
  register: (bundle: Bundles['calls']) => R,
): () => Promise<R> {
  let installed: Promise<R> | undefined;
  const install = (): Promise<R> => {
    installed ??= loadBundle('calls').then((bundle) => {
      // Disposing the stubs and registering the real commands happen in one turn: no run can fall between.
      for (const stub of stubs) stub.dispose();
      // The bundle has its own copy of the command boundary: it learns the extension mode too.
      bundle.allowAutomation(context.extensionMode);
      return register(bundle);
    });
    installed.catch(() => (installed = undefined));
    return installed;
  };
  const stubs = CALL_COMMANDS.map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      // Only the loading is guarded here: the real command has its own boundary.
      const loaded = await guarded(
        { log },
        words`Loading ${textFrom(PURPOSE.calls)}`,
        commandArguments(args).automated,
        async () => {
          await install();
          return true;
        },
      );
      return loaded ? vscode.commands.executeCommand(id, ...args) : undefined;
    }),
  );
  context.subscriptions.push(...stubs);
  return install;
}
