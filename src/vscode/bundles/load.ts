// The one loader of the extension's lazy bundles. Every other file in this folder is a bundle
// entry: esbuild.mjs builds each into dist/<name>.js on its own, beside dist/extension.js, and
// nothing imports an entry except by type. A bundle is required the first time it is needed
// (a call, a new key, a large document), so activating the extension never parses what it does
// not use. To make a feature lazy, give it an entry here and reach it through loadBundle(); a
// bundle of commands is reached through registerOnFirstRun().
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { words, textFrom } from '../../core/outside-text';
import { guarded, isAutomation } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import type { SectigoLog } from '../shared/log';

/** Each bundle by name (its file in dist/ and its entry here) and what it exports. */
export interface Bundles {
  /** The HTTP client (undici) and the certificate reader (@peculiar/x509). */
  'sectigo-client': typeof import('./sectigo-client');
  /** The key and request generator (@peculiar/x509). */
  'csr-new': typeof import('./csr-new');
  /** The CSR analysis; also the worker thread for a block too large for the extension host's thread. */
  'csr-analysis-worker': typeof import('./csr-analysis-worker');
  /** Set, Clear and Select account. */
  'calls-credentials': typeof import('./calls-credentials');
  /** Replace, Revoke, Revoke from Certificate File. */
  'calls-replace-revoke': typeof import('./calls-replace-revoke');
  /** Revoke from List, and the resume of an interrupted run. */
  'calls-bulk': typeof import('./calls-bulk');
  /** The Orders view's tree and its commands (which run the replace, revoke and bulk flows). */
  'calls-orders': typeof import('./calls-orders');
  /** The assistants' tools (language model tools), run on their first call. */
  'assistant-tools': typeof import('./assistant-tools');
}

export type BundleName = keyof Bundles;

/** What each bundle is, for the message when it is missing. */
const PURPOSE = {
  'sectigo-client': 'the Sectigo client bundle',
  'csr-new': 'the key generator bundle',
  'csr-analysis-worker': 'the CSR analysis bundle',
  'calls-credentials': 'the account commands bundle',
  'calls-replace-revoke': 'the replace and revoke bundle',
  'calls-bulk': 'the bulk revocation bundle',
  'calls-orders': 'the orders view bundle',
  'assistant-tools': 'the assistant tools bundle',
} as const satisfies Record<BundleName, string>;

/**
 * The commands each bundle of commands registers: activation registers a stub under each id, and
 * the bundle registers the real ones when the first of them runs. package.json declares them all
 * (test/vscode/activation.test.ts checks that activation registers every one).
 */
export const COMMANDS_OF = {
  'calls-credentials': [Commands.setCredentials, Commands.clearCredentials, Commands.selectAccount],
  'calls-replace-revoke': [Commands.replaceSmime, Commands.revokeSsl, Commands.revokeFromCertificate],
  'calls-bulk': [Commands.revokeFromList, Commands.resumeBulkRun, Commands.discardBulkRun, Commands.showRunReport],
  'calls-orders': [
    Commands.refreshOrders,
    Commands.clearOrders,
    Commands.copyOrderNumber,
    Commands.openOrderCsr,
    Commands.showOrderLogEntry,
    Commands.removeOrder,
    Commands.revokeOrder,
    Commands.testRevokeOrder,
    Commands.revokeOrderForReal,
    Commands.revokeSelectedOrders,
    Commands.replaceOrderAgain,
  ],
} as const satisfies Partial<Record<BundleName, readonly string[]>>;

export type CommandBundleName = keyof typeof COMMANDS_OF;

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
 * Registers a stub under each command of a bundle of commands. The first run of any of them loads
 * the bundle, replaces the stubs by the bundle's own registrations (`register`, given the loaded
 * bundle) and runs the command with its arguments, as if it had been registered from the start.
 * Returns the function that does that loading, for a view whose provider is in the same bundle.
 */
export function registerOnFirstRun<N extends CommandBundleName, R>(
  context: vscode.ExtensionContext,
  log: SectigoLog,
  name: N,
  register: (bundle: Bundles[N]) => R,
): () => Promise<R> {
  let installed: Promise<R> | undefined;
  const install = (): Promise<R> => {
    installed ??= loadBundle(name).then((bundle) => {
      // Disposing the stubs and registering the real commands happen in one turn: no run can fall between.
      for (const stub of stubs) stub.dispose();
      // The bundle has its own copy of the command boundary: it learns the extension mode too.
      bundle.allowAutomation(context.extensionMode);
      return register(bundle);
    });
    installed.catch(() => (installed = undefined));
    return installed;
  };
  const stubs = COMMANDS_OF[name].map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      // Only the loading is guarded here: the real command has its own boundary.
      const loaded = await guarded(
        { log },
        words`Loading ${textFrom(PURPOSE[name as BundleName])}`,
        isAutomation(args[args.length - 1]),
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
