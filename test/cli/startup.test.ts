// `sectigo-csr check one.csr` starts fast because it loads the CSR analysis alone: dist/cli.js
// holds no HTTP client (undici), no @peculiar/x509 and no reflect-metadata; the verbs that call
// Sectigo are in dist/cli-api.js, required only when one of them runs. (The time itself is
// measured by npm run bench, bench/cli-startup.bench.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const fixture = join(root, 'test', 'fixtures', 'csr', 'rsa-2048.csr');

/** The JavaScript files a run of dist/cli.js loaded, by name (a preload lists require's cache at exit). */
function filesLoaded(args: string[]): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-csr-startup-'));
  try {
    const preload = join(scratch, 'list-modules.cjs');
    const listing = join(scratch, 'modules.json');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listing)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    const result = spawnSync(process.execPath, ['--require', preload, join(dist, 'cli.js'), ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.ok(result.status === 0 || result.status === 1, `${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
    return (JSON.parse(readFileSync(listing, 'utf8')) as string[])
      .filter((file) => file !== preload)
      .map((file) => basename(file));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

test('check and inspect load dist/cli.js and nothing else', () => {
  assert.ok(existsSync(join(dist, 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  assert.deepEqual(filesLoaded(['check', fixture]), ['cli.js']);
  assert.deepEqual(filesLoaded(['inspect', '--json', fixture]), ['cli.js']);
  assert.deepEqual(filesLoaded(['check', '--format', 'sarif', fixture]), ['cli.js']);
});

test('replace and revoke load dist/cli-api.js when they run', () => {
  assert.deepEqual(filesLoaded(['replace', '--help']), ['cli.js', 'cli-api.js']);
  assert.deepEqual(filesLoaded(['revoke', '--help']), ['cli.js', 'cli-api.js']);
});

test('dist/cli.js holds none of undici, @peculiar/x509 or reflect-metadata; dist/cli-api.js does', () => {
  const cli = readFileSync(join(dist, 'cli.js'), 'utf8');
  const api = readFileSync(join(dist, 'cli-api.js'), 'utf8');
  // Names that survive minification: the packages' own error and class names.
  for (const marker of ['UndiciError', 'X509Certificate', 'defineMetadata']) {
    assert.ok(!cli.includes(marker), `dist/cli.js contains ${marker}`);
    assert.ok(api.includes(marker), `dist/cli-api.js lacks ${marker}: the marker no longer proves anything`);
  }
  assert.ok(
    cli.length < api.length / 10,
    `dist/cli.js is ${cli.length} bytes, not a small fraction of dist/cli-api.js (${api.length})`,
  );
});
