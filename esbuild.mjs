// Bundles the extension and the command line. Shaped like the esbuild sample:
// CommonJS for Node, 'vscode' left external, minified for production.
import * as esbuild from 'esbuild';
import { chmod } from 'node:fs/promises';

const production = process.argv.includes('--production');
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

const builds = [
  // The extension; the HTTP client is split into its own file (loaded only when a call is made).
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The HTTP client (undici, @peculiar/x509), required by src/vscode/calls/client-loader.ts at call time.
  { ...common, entryPoints: { 'sectigo-client': 'src/vscode/calls/client-entry.ts' }, outdir: 'dist' },
  // The key and CSR generator (@peculiar/x509), required by src/vscode/csr-editor/new-csr-loader.ts when a key is created.
  { ...common, entryPoints: { 'csr-new': 'src/vscode/csr-editor/new-csr-entry.ts' }, outdir: 'dist' },
  // The CSR analysis in a worker thread, for large documents (src/vscode/csr-editor/analysis.ts).
  { ...common, entryPoints: { 'csr-analysis-worker': 'src/vscode/csr-editor/analysis-worker.ts' }, outdir: 'dist' },
  // The sectigo-csr command line.
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await chmod('dist/cli.js', 0o755);
}
