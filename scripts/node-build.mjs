// The Node bundles of the extension and the command line: what esbuild.mjs builds beside the
// browser's (./browser-build.mjs), and what test/scripts/node-bundles.test.ts builds again to read
// their metafiles (which source went into which bundle).
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * @param {{ production: boolean, version: string }} options
 * @returns {Promise<Array<import('esbuild').BuildOptions & { entryPoints: Record<string, string> }>>}
 */
export async function nodeBuildOptions({ production, version }) {
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: production ? 'external' : 'inline',
  };

  // dist/cli-main.js requires dist/cli-api.js (replace, revoke: undici, @peculiar/x509) only when one of
  // those verbs runs, so `sectigo-csr check one.csr` parses the CSR analysis alone (src/cli/api-verbs.ts);
  // and dist/cli-mcp.js (the MCP server and its SDK) only for `sectigo-csr mcp` (src/cli/mcp.ts).
  const CLI_API_BUNDLE = './cli-api.js';
  const CLI_MCP_BUNDLE = './cli-mcp.js';
  /** @type {import('esbuild').Plugin} */
  const cliApiApart = {
    name: 'cli-api-apart',
    setup(build) {
      build.onResolve({ filter: /^\.\/api-verbs$/ }, () => ({ path: CLI_API_BUNDLE, external: true }));
      build.onResolve({ filter: /^\.\/mcp$/ }, () => ({ path: CLI_MCP_BUNDLE, external: true }));
    },
  };

  // 'vscode' is required once per bundle, not once per module. Left to itself esbuild turns each
  // module's `import * as vscode from 'vscode'` into its own __toESM(require('vscode')), and each
  // of those copies every property of the API object onto a new one: measured in the extension
  // host's CPU profile at about 15 ms of the 20 ms module evaluation of dist/extension.js. Here
  // every import of 'vscode' resolves to one module of this bundle that re-exports the real one,
  // so the copy is made once.
  /** @type {import('esbuild').Plugin} */
  const vscodeOnce = {
    name: 'vscode-once',
    setup(build) {
      build.onResolve({ filter: /^vscode$/ }, (args) =>
        args.namespace === 'vscode-once'
          ? { path: 'vscode', external: true }
          : { path: 'vscode', namespace: 'vscode-once' },
      );
      build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({
        contents: "export * from 'vscode';",
        loader: 'js',
      }));
    },
  };

  // The extension's lazy bundles: every file of src/vscode/bundles/ except the loader is an entry,
  // built on its own into dist/<name>.js and required (or run as a worker) by load.ts on first use.
  const BUNDLES = 'src/vscode/bundles';
  const lazyBundles = (await readdir(`${root}/${BUNDLES}`))
    .filter((file) => file.endsWith('.ts') && file !== 'load.ts')
    .map((file) => ({
      ...common,
      entryPoints: { [file.replace(/\.ts$/, '')]: `${BUNDLES}/${file}` },
      outdir: 'dist',
      plugins: [vscodeOnce],
    }));

  const builds = [
    // The extension: registration only; what it loads later is in the lazy bundles.
    { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', plugins: [vscodeOnce] },
    ...lazyBundles,
    // The sectigo-csr command line; `--version` prints package.json's version (src/cli/version.ts).
    {
      ...common,
      entryPoints: { 'cli-main': 'src/cli/main.ts' },
      outdir: 'dist',
      // Minified in every build: `npm install` (the pre-commit hook) and `npm link` make the plain build,
      // and every start reads, hashes and keeps this file's text (half the size, about 1 ms of CPU less
      // a start); the source map still points a debugger at src/.
      minify: true,
      define: { SECTIGO_CSR_VERSION: JSON.stringify(version) },
      plugins: [cliApiApart],
      // import('./cli-api.js') as require(): dist/cli.js compiles this bundle from V8's code cache, and
      // in Node 20 a script made from a code cache has no import() (its host options are not restored).
      supported: { 'dynamic-import': false },
    },
    // The `sectigo-csr` command (package.json "bin"): runs dist/cli-main.js with its code cache.
    { ...common, entryPoints: { cli: 'src/cli/launcher.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
    // The command line's verbs that call Sectigo, loaded by dist/cli.js on demand.
    { ...common, entryPoints: { 'cli-api': 'src/cli/api-verbs.ts' }, outdir: 'dist' },
    // The analysis threads of check and inspect over many files (src/cli/analysis-threads.ts).
    // Minified like the command line: every thread reads and compiles it.
    { ...common, entryPoints: { 'cli-analysis-thread': 'src/cli/analysis-thread.ts' }, outdir: 'dist', minify: true },
    // The MCP server (`sectigo-csr mcp`), loaded by dist/cli.js on demand.
    {
      ...common,
      entryPoints: { 'cli-mcp': 'src/cli/mcp.ts' },
      outdir: 'dist',
      define: { SECTIGO_CSR_VERSION: JSON.stringify(version) },
    },
  ];
  return builds;
}
