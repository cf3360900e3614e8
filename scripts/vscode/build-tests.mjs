// Bundles the extension-host tests (test/vscode/**) into out/test/vscode/*.js. 'vscode' is
// provided by the extension host and 'mocha' is loaded from node_modules by the runner, so both
// stay external; everything else a test imports (ids, the fake Sectigo server) is bundled in.
// `--outdir DIR` builds elsewhere, so that runs started at the same time do not share files.
// `--workspace DIR` also makes DIR a fresh workspace with the fixtures as csr/ (the tests write
// into their workspace), for the "Extension Tests" launch configuration of .vscode/launch.json.
import * as esbuild from 'esbuild';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}

const entryPoints = Object.fromEntries(
  ['test/vscode/index.ts', ...testFiles('test/vscode')].map((file) => [
    relative('test/vscode', file).replace(/\.ts$/, ''),
    file,
  ]),
);

const outdirIndex = process.argv.indexOf('--outdir');
const outdir = outdirIndex >= 0 ? process.argv[outdirIndex + 1] : 'out/test/vscode';
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  sourcesContent: false,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

const workspaceIndex = process.argv.indexOf('--workspace');
if (workspaceIndex >= 0) {
  const workspace = process.argv[workspaceIndex + 1];
  if (!workspace) throw new Error('--workspace needs a folder');
  rmSync(workspace, { recursive: true, force: true });
  cpSync('test/fixtures/csr', join(workspace, 'csr'), { recursive: true });
}
