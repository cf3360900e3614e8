// `sectigo-csr check one.csr` starts fast (the time itself is measured by npm run bench,
// bench/cli-startup.bench.ts), because:
// - dist/cli.js is a launcher that compiles the command line, dist/cli-main.js, with V8's code cache
//   of it (dist/cli-main.cache, made by the build): the cache matches the bundle, and a broken or
//   foreign cache is only ignored;
// - dist/cli-main.js holds no HTTP client (undici), no @peculiar/x509 and no reflect-metadata: the
//   verbs that call Sectigo are in dist/cli-api.js, required only when one of them runs;
// - a check of one RSA request loads neither node:crypto nor Node's stream classes (its signature is
//   checked in JavaScript, its output written to the descriptors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Script } from 'node:vm';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const fixture = (name: string): string => join(root, 'test', 'fixtures', 'csr', name);

interface Loaded {
  /** JavaScript files required (require's cache at exit), by name. */
  files: string[];
  /** Node's own modules loaded after the process started running user code. */
  builtins: string[];
  status: number | null;
  stdout: string;
}

/** What a run of dist/cli.js loaded: a preload lists require's cache and Node's module list at exit. */
function loaded(args: string[], cli = join(dist, 'cli.js')): Loaded {
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-csr-startup-'));
  try {
    const preload = join(scratch, 'list-modules.cjs');
    const listing = join(scratch, 'modules.json');
    writeFileSync(
      preload,
      `const before = new Set(process.moduleLoadList);\nprocess.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listing)}, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList.filter((name) => !before.has(name)) })));\n`,
    );
    const result = spawnSync(process.execPath, ['--require', preload, cli, ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.ok(result.status === 0 || result.status === 1, `${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
    const list = JSON.parse(readFileSync(listing, 'utf8')) as { files: string[]; builtins: string[] };
    return {
      files: list.files.filter((file) => file !== preload).map((file) => basename(file)),
      builtins: list.builtins,
      status: result.status,
      stdout: result.stdout,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

test('the code cache matches the command line it was made for', () => {
  assert.ok(
    existsSync(join(dist, 'cli-main.js')),
    'dist/cli-main.js is missing: run `npm run build` first (npm test does)',
  );
  const source = readFileSync(join(dist, 'cli-main.js'), 'utf8');
  const script = new Script(Module.wrap(source), {
    filename: join(dist, 'cli-main.js'),
    cachedData: readFileSync(join(dist, 'cli-main.cache')),
  });
  assert.equal(script.cachedDataRejected, false, 'V8 takes dist/cli-main.cache for dist/cli-main.js');
});

test('a check of one RSA request loads neither node:crypto nor the stream classes; an EC request loads OpenSSL', () => {
  const rsa = loaded(['check', fixture('rsa-2048.csr')]);
  assert.deepEqual(rsa.files, ['cli.js']);
  const heavy = (name: string): boolean =>
    /crypto|^NativeModule (stream|net|tty)$|internal\/streams\/readable/.test(name);
  assert.deepEqual(rsa.builtins.filter(heavy), []);
  const ec = loaded(['check', fixture('ec-P-256.csr')]);
  assert.ok(ec.builtins.includes('NativeModule crypto'), 'the EC signature is checked by OpenSSL');
  assert.equal(ec.status, 0);
  for (const args of [
    ['inspect', '--json', fixture('rsa-2048.csr')],
    ['check', '--format', 'sarif', fixture('rsa-1024.csr')],
  ])
    assert.deepEqual(loaded(args).files, ['cli.js'], args.join(' '));
});

test('replace and revoke load dist/cli-api.js when they run', () => {
  assert.deepEqual(loaded(['replace', '--help']).files, ['cli.js', 'cli-api.js']);
  assert.deepEqual(loaded(['revoke', '--help']).files, ['cli.js', 'cli-api.js']);
});

test('a cache that does not fit (another Node, a damaged file) is ignored, and none is no worse', () => {
  const copy = mkdtempSync(join(tmpdir(), 'sectigo-csr-cache-'));
  try {
    cpSync(dist, copy, { recursive: true });
    const expected = spawnSync(process.execPath, [join(dist, 'cli.js'), 'check', fixture('rsa-1024.csr')], {
      encoding: 'utf8',
    });
    assert.equal(expected.status, 1);
    for (const damage of [
      () => writeFileSync(join(copy, 'cli-main.cache'), Buffer.alloc(5000, 0x5a)),
      () => rmSync(join(copy, 'cli-main.cache')),
    ]) {
      damage();
      const run = spawnSync(process.execPath, [join(copy, 'cli.js'), 'check', fixture('rsa-1024.csr')], {
        encoding: 'utf8',
      });
      assert.equal(run.status, expected.status);
      assert.equal(run.stdout, expected.stdout);
      assert.equal(run.stderr, expected.stderr);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('dist/cli-main.js holds none of undici, @peculiar/x509 or reflect-metadata; dist/cli-api.js does', () => {
  const cli = readFileSync(join(dist, 'cli-main.js'), 'utf8');
  const api = readFileSync(join(dist, 'cli-api.js'), 'utf8');
  // Names that survive minification: the packages' own error and class names.
  for (const marker of ['UndiciError', 'X509Certificate', 'defineMetadata']) {
    assert.ok(!cli.includes(marker), `dist/cli-main.js contains ${marker}`);
    assert.ok(api.includes(marker), `dist/cli-api.js lacks ${marker}: the marker no longer proves anything`);
  }
  assert.ok(
    cli.length < api.length / 10,
    `dist/cli-main.js is ${cli.length} bytes, not a small fraction of dist/cli-api.js (${api.length})`,
  );
});
