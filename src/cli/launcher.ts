// dist/cli.js, the `sectigo-csr` command: compiles the command line (dist/cli-main.js) with V8's
// code cache of it (dist/cli-main.cache), then runs it. Compiling the bundle and the functions a
// check runs is about 7 ms of the CPU time of `sectigo-csr check one.csr`, a process of about 60 ms
// (bench/cli-startup.bench.ts); with the cache V8 takes them ready-made. The build makes the cache
// by running a check of one request with SECTIGO_CSR_WRITE_CODE_CACHE set (esbuild.mjs). A cache
// this Node will not take (another version, other V8 flags, a bundle rebuilt since) is set aside by
// V8 itself, and the bundle compiled as usual: the cache only ever saves time.
import { readFileSync, writeFileSync } from 'node:fs';
import type NodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

// Node's Module class, taken from this file's own module: require('node:module') would load Node's
// ESM loader and source-map classes as well (four modules this command never uses).
const Module = module.constructor as typeof NodeModule & { _nodeModulePaths(from: string): string[] };

// check and inspect over many files check signatures in libuv's thread pool while this thread reads
// and decodes the next files: one pool thread per core but this thread's, at most libuv's default
// of 4. Measured on 2 cores, 1,000 files: 0.90 s with one pool thread, 1.14 s with four, which
// took this thread's core. A size the user set is kept; one file, or another verb, sets nothing.
if (
  process.env.UV_THREADPOOL_SIZE === undefined &&
  (process.argv[2] === 'check' || process.argv[2] === 'inspect') &&
  process.argv.length > 4
) {
  // Loaded only here: a check of one file does not need it.
  const cores = (module.require('node:os') as typeof import('node:os')).availableParallelism();
  process.env.UV_THREADPOOL_SIZE = String(Math.min(4, Math.max(1, cores - 1)));
}

const bundle = join(__dirname, 'cli-main.js');
const cacheFile = join(__dirname, 'cli-main.cache');
const writeCache = process.env.SECTIGO_CSR_WRITE_CODE_CACHE === '1';

function readCache(): Buffer | undefined {
  if (writeCache) return undefined;
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

// The wrapper Node's own loader puts around a CommonJS file (Module.wrap), so the bundle runs as if required.
const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundle, 'utf8')}\n});`;
const script = new Script(source, { filename: bundle, cachedData: readCache() });
const bundleModule = new Module(bundle, module);
bundleModule.filename = bundle;
bundleModule.paths = Module._nodeModulePaths(dirname(bundle));
const load = script.runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: NodeModule,
  filename: string,
  dirname: string,
) => void;
const requireFromBundle = Object.assign((id: string) => bundleModule.require(id), require);
load.call(bundleModule.exports, bundleModule.exports, requireFromBundle, bundleModule, bundle, dirname(bundle));
bundleModule.loaded = true;

const { runProcess } = bundleModule.exports as { runProcess(): Promise<void> };
void runProcess().then(() => {
  // After the run, so that the functions it compiled are in the cache too.
  if (writeCache) writeFileSync(cacheFile, script.createCachedData());
});
