// Bundles the extension and the command line. Shaped like the esbuild sample:
// CommonJS for Node, 'vscode' left external, minified for production.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readFile, readdir, rm } from 'node:fs/promises';
import { browserBuildOptions } from './scripts/browser-build.mjs';
import { nodeBuildOptions } from './scripts/node-build.mjs';

const production = process.argv.includes('--production');
const { version } = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');

const builds = [
  ...(await nodeBuildOptions({ production, version })),
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
  const results = await Promise.all(builds.map((options) => esbuild.build({ ...options, metafile: true })));
  await removeStaleBundles(results.flatMap((result) => Object.keys(result.metafile?.outputs ?? {})));
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

/**
 * Removes what an earlier build left in dist/ and this one did not make (a bundle since merged or
 * renamed, such as the four calls-* bundles before issue 31): .vscodeignore ships every dist/*.js,
 * so a stale bundle would go into the .vsix. The code cache is the command line's, kept.
 */
async function removeStaleBundles(outputs) {
  const made = new Set(outputs.map((output) => output.replace(/^dist\//, '')));
  for (const name of await readdir('dist')) {
    const built = name.replace(/\.(map|LEGAL\.txt)$/, '');
    if (/\.js$/.test(built) && !made.has(built) && !made.has(name)) await rm(`dist/${name}`, { force: true });
  }
}
