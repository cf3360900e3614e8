// Which sources went into which Node bundle, read from esbuild's metafiles of the very options
// esbuild.mjs builds with (scripts/node-build.mjs). Issue 31: the calls wing is one lazy bundle,
// so no module of src/vscode/calls is built twice (a flow evaluated twice has two module states,
// and its tree nodes fail instanceof across bundles); activation's modules stay out of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { nodeBuildOptions } from '../../scripts/node-build.mjs';

const root = resolve(__dirname, '..', '..');

/** Each source file of src/ and the Node bundles it went into. */
async function bundlesOfSources(): Promise<Map<string, string[]>> {
  const options = await nodeBuildOptions({ production: true, version: '0.0.0-test' });
  const results = await Promise.all(
    options.map(async (build) => {
      const result = await esbuild.build({
        ...build,
        absWorkingDir: root,
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      return { name: Object.keys(build.entryPoints).join(','), inputs: Object.keys(result.metafile?.inputs ?? {}) };
    }),
  );
  const where = new Map<string, string[]>();
  for (const { name, inputs } of results)
    for (const input of inputs.filter((file) => file.startsWith('src/')))
      where.set(input, [...(where.get(input) ?? []), name]);
  return where;
}

const where = bundlesOfSources();

test('no module of src/vscode/calls is in two Node bundles', async () => {
  const calls = [...(await where)].filter(([file]) => file.startsWith('src/vscode/calls/'));
  assert.ok(calls.length >= 20, `the metafiles name only ${calls.length} modules of src/vscode/calls`);
  assert.deepEqual(
    calls.filter(([, bundles]) => bundles.length > 1).map(([file, bundles]) => `${file}: ${bundles.join(', ')}`),
    [],
  );
});

test('the calls flows are in the calls bundle alone, and activation carries none of them', async () => {
  const sources = await where;
  const flows = [...sources].filter(([file]) => /^src\/vscode\/calls\/.*-(flow|commands?)\.ts$/.test(file));
  assert.ok(flows.length >= 8, `only ${flows.length} flows and commands`);
  assert.deepEqual(
    flows
      .filter(([, bundles]) => bundles.join() !== 'calls')
      .map(([file, bundles]) => `${file}: ${bundles.join(', ')}`),
    [],
  );
  // What activation evaluates of the calls: the stubs' loader, the accounts, the client pool, the
  // Orders view's shell, the status bar, the certificate lens and the endpoint migration.
  const inExtension = [...sources]
    .filter(([file, bundles]) => file.startsWith('src/vscode/calls/') && bundles.includes('extension'))
    .map(([file]) => file.replace('src/vscode/calls/', ''))
    .sort();
  assert.deepEqual(inExtension, [
    'certificate-codelens.ts',
    'client-pool.ts',
    'credentials.ts',
    'endpoint-migration.ts',
    'orders-view.ts',
    'status-bar.ts',
  ]);
});
