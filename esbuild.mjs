// Bundles the extension and the command line. Shaped like the esbuild sample:
// CommonJS for Node, 'vscode' left external, minified for production.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readFile, readdir, rm } from 'node:fs/promises';
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
  // A rebuilt bundle would not match the cache (V8 would set it aside): none, rather than a stale one.
  await rm('dist/cli-main.cache', { force: true });
  const contexts = await Promise.all(
    builds.map((options) => esbuild.context({ ...options, plugins: [...(options.plugins ?? []), watchReport] })),
  );
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await chmod('dist/cli.js', 0o755);
  await writeCliCodeCache();
}

/**
 * dist/cli-main.cache, V8's code cache of the command line (src/cli/launcher.ts), made by a check
 * of one request so that the functions a check runs are in it. Run without NODE_OPTIONS: V8 takes a
 * cache only under the flags it was made with, and `sectigo-csr` runs without them. Without the
 * request (a copy without the tests) there is no cache, and the command compiles as it goes.
 */
async function writeCliCodeCache() {
  const cache = 'dist/cli-main.cache';
  await rm(cache, { force: true });
  const request = 'test/fixtures/csr/rsa-2048.csr';
  if (!existsSync(request)) return;
  const env = { ...process.env, SECTIGO_CSR_WRITE_CODE_CACHE: '1' };
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, ['dist/cli.js', 'check', request], { env, stdio: 'ignore', timeout: 60_000 });
  if (run.status !== 0 || !existsSync(cache)) throw new Error(`making ${cache} failed (exit ${run.status})`);
}
