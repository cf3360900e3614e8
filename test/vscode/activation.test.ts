// Activation does almost nothing: it registers every command and view package.json declares,
// and evaluates no bundle but dist/extension.js. The lazy bundles (the HTTP client, the key
// generator, the CSR analysis, and whatever else dist/ grows) load on first use only; a window
// that opens one .csr must not pay for the calls. This file sorts first, so it runs before any
// other test opens a request or runs a command (which would load those bundles by design).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sectigo-csr-tools.sectigo-csr-tools';
/** Bundles of the command line, which the extension never loads. */
const COMMAND_LINE_BUNDLES = new Set(['cli.js', 'cli-api.js', 'cli-mcp.js']);

interface Contributes {
  commands?: { command: string }[];
  views?: Record<string, { id: string }[]>;
  languageModelTools?: { name: string }[];
}

type Window = typeof vscode.window;

/** Records the ids of the views given a provider while `during` runs. */
async function viewsRegisteredDuring(during: () => Promise<void>): Promise<Set<string>> {
  // The tests bundle lies inside the extension's folder, so it gets the very API object the
  // extension gets: wrapping its registrations here sees the extension's calls.
  const window = vscode.window as { -readonly [K in keyof Window]: Window[K] };
  const original = {
    createTreeView: window.createTreeView,
    registerTreeDataProvider: window.registerTreeDataProvider,
    registerWebviewViewProvider: window.registerWebviewViewProvider,
  };
  const views = new Set<string>();
  window.createTreeView = <T>(id: string, options: vscode.TreeViewOptions<T>): vscode.TreeView<T> => {
    views.add(id);
    return original.createTreeView.call(vscode.window, id, options) as vscode.TreeView<T>;
  };
  window.registerTreeDataProvider = <T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.Disposable => {
    views.add(id);
    return original.registerTreeDataProvider.call(vscode.window, id, provider);
  };
  window.registerWebviewViewProvider = (id, provider, options) => {
    views.add(id);
    return original.registerWebviewViewProvider.call(vscode.window, id, provider, options);
  };
  try {
    await during();
  } finally {
    Object.assign(window, original);
  }
  return views;
}

describe('activation', function () {
  it('registers every command and view without evaluating any bundle but extension.js', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded in this window`);
    assert.equal(
      extension.isActive,
      false,
      'the extension was active before this test, so its activation cannot be observed: this file must run first',
    );
    const dist = join(extension.extensionPath, 'dist');
    const lazyBundles = readdirSync(dist).filter(
      (name) => name.endsWith('.js') && name !== 'extension.js' && !COMMAND_LINE_BUNDLES.has(name),
    );
    // The bundles named in the issue are there, so "none of them loaded" says something: the HTTP
    // client, the key generator, the CSR analysis, and the calls (accounts, replace and revoke, bulk,
    // the orders view's tree), whose commands activation registers as stubs.
    for (const name of ['sectigo-client.js', 'csr-new.js', 'csr-analysis-worker.js', 'calls.js', 'assistant-tools.js'])
      assert.ok(lazyBundles.includes(name), `dist/${name} is missing: run npm run build`);

    // The language model tools registered by activation, seen the same way as the views.
    const lm = vscode.lm as { -readonly [K in keyof typeof vscode.lm]: (typeof vscode.lm)[K] };
    const registerTool = lm.registerTool;
    const tools = new Set<string>();
    lm.registerTool = <T>(name: string, tool: vscode.LanguageModelTool<T>): vscode.Disposable => {
      tools.add(name);
      return registerTool.call(vscode.lm, name, tool) as vscode.Disposable;
    };
    let views: Set<string>;
    try {
      views = await viewsRegisteredDuring(async () => {
        await extension.activate();
      });
    } finally {
      lm.registerTool = registerTool;
    }

    const evaluated = Object.keys(require.cache)
      .filter((file) => dirname(file) === dist)
      .map((file) => basename(file))
      .sort();
    assert.deepEqual(evaluated, ['extension.js'], 'activation evaluated a lazy bundle');

    const contributes = (extension.packageJSON as { contributes?: Contributes }).contributes ?? {};
    const registered = new Set(await vscode.commands.getCommands(true));
    const missingCommands = (contributes.commands ?? [])
      .map((entry) => entry.command)
      .filter((command) => !registered.has(command));
    assert.deepEqual(missingCommands, [], 'declared in package.json but not registered by activation');
    // The assistants' tools too (their work is in a lazy bundle, which the check above saw unloaded).
    assert.ok((contributes.languageModelTools ?? []).length > 0, 'package.json declares language model tools');
    const missingTools = (contributes.languageModelTools ?? [])
      .map((tool) => tool.name)
      .filter((name) => !tools.has(name));
    assert.deepEqual(
      missingTools,
      [],
      'language model tools declared in package.json but not registered by activation',
    );
    const declaredViews = Object.values(contributes.views ?? {}).flatMap((list) => list.map((view) => view.id));
    assert.ok(declaredViews.length > 0, 'package.json declares views');
    assert.deepEqual(
      declaredViews.filter((id) => !views.has(id)),
      [],
      'declared in package.json but given no provider by activation',
    );
  });

  it('runs a stub command by loading its bundle, whose commands then replace the stubs', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension?.isActive, 'the extension is active (the test above activated it)');
    const dist = join(extension.extensionPath, 'dist');
    const evaluated = (): string[] =>
      Object.keys(require.cache)
        .filter((file) => dirname(file) === dist)
        .map((file) => basename(file));
    assert.ok(!evaluated().includes('calls.js'), 'the calls bundle is not loaded yet');
    // A call command with no question to answer (automation clears the history, empty in this fresh
    // window): its stub loads the calls bundle and runs it; the HTTP client stays unloaded.
    await vscode.commands.executeCommand('sectigo.orders.clear', { confirm: true });
    const loaded = evaluated();
    assert.ok(loaded.includes('calls.js'), 'running the stub loaded the calls bundle');
    assert.ok(!loaded.includes('sectigo-client.js'), 'clearing the history loaded the HTTP client too');
    // The bundle registered the real command under every id whose stub it disposed.
    const contributes = (extension.packageJSON as { contributes?: Contributes }).contributes ?? {};
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      (contributes.commands ?? []).map((entry) => entry.command).filter((command) => !registered.has(command)),
      [],
      'a command declared in package.json is gone after its bundle replaced the stubs',
    );
  });
});
