// Bundles the extension and the command line. Shaped like the esbuild sample:
// CommonJS for Node, 'vscode' left external, minified for production.
import * as esbuild from 'esbuild';
import { chmod, readFile, readdir } from 'node:fs/promises';
import { browserBuildOptions } from './scripts/browser-build.mjs';

const production = process.argv.includes('--production');
const { version } = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');

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

// dist/cli.js requires dist/cli-api.js (replace, revoke: undici, @peculiar/x509) only when one of
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
const lazyBundles = (await readdir(BUNDLES))
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
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    define: { SECTIGO_CSR_VERSION: JSON.stringify(version) },
    plugins: [cliApiApart],
  },
  // The command line's verbs that call Sectigo, loaded by dist/cli.js on demand.
  { ...common, entryPoints: { 'cli-api': 'src/cli/api-verbs.ts' }, outdir: 'dist' },
  // The MCP server (`sectigo-csr mcp`), loaded by dist/cli.js on demand.
  {
    ...common,
    entryPoints: { 'cli-mcp': 'src/cli/mcp.ts' },
    outdir: 'dist',
    define: { SECTIGO_CSR_VERSION: JSON.stringify(version) },
  },
  // The browser entry (package.json "browser") and its lazy part: the editor features, no Node built-in, no calls.
  browserBuildOptions({ production }),
];

// In --watch mode each rebuild is reported in the lines the problem matcher of .vscode/tasks.json
// reads: "[watch] build started", "[watch] error FILE:LINE:COLUMN: MESSAGE" per error, then
// "[watch] build finished" once every bundle is done (F5 waits for that line).
let buildsRunning = 0;
/** @type {import('esbuild').Plugin} */
const watchReport = {
  name: 'watch-report',
  setup(build) {
    build.onStart(() => {
      if (buildsRunning++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        const where = location ? `${location.file}:${location.line}:${location.column + 1}` : 'esbuild.mjs:1:1';
        console.log(`[watch] error ${where}: ${text}`);
      }
      if (--buildsRunning === 0) console.log('[watch] build finished');
    });
  },
};

if (watch) {
  const contexts = await Promise.all(
    builds.map((options) => esbuild.context({ ...options, plugins: [...(options.plugins ?? []), watchReport] })),
  );
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await chmod('dist/cli.js', 0o755);
}
