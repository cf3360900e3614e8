// .pre-commit-hooks.yaml: the pre-commit framework installs this repository with npm (install,
// pack, install the tarball) and runs the hook's entry on the staged files its pattern matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

/** The hook's `key: value` lines (the file is one flat list entry; no YAML library needed). */
function hookFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8').split('\n')) {
    const match = /^[- ] (\w+): (.*)$/.exec(line);
    if (match) fields[match[1] as string] = (match[2] as string).trim();
  }
  return fields;
}

test("the hook runs the package's own sectigo-csr check on .csr and .req files", () => {
  const hook = hookFields();
  assert.equal(hook.id, 'sectigo-csr-check');
  assert.equal(hook.language, 'node');
  const [command, verb] = (hook.entry ?? '').split(' ');
  assert.ok(command !== undefined && command in manifest.bin, `entry ${hook.entry} is not one of package.json's bin`);
  assert.equal(verb, 'check');
  const files = new RegExp(hook.files ?? '');
  for (const name of ['alice.csr', 'certs/www.req']) assert.ok(files.test(name), name);
  for (const name of ['www.pem', 'alice.csr.txt', 'notes.md']) assert.ok(!files.test(name), name);
});

test('npm pack (how pre-commit installs it) builds and ships the command line and nothing else', () => {
  assert.match(manifest.scripts.prepare ?? '', /esbuild\.mjs/, 'a git checkout has no dist/: prepare must build it');
  const pack = spawnSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(pack.status, 0, pack.stderr);
  const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path) ?? [];
  const bin = Object.values(manifest.bin)[0]?.replace(/^\.\//, '') ?? '';
  assert.ok(files.includes(bin), `${bin} is not in the package: ${files.join(', ')}`);
  // Every file dist/cli.js loads must ship with it: the command line it compiles and that one's code
  // cache (named beside it: join(__dirname, 'cli-main.js')), and what the command line requires
  // (the bundles it loads do their own requiring inside themselves).
  const required = new Set<string>();
  const scan = (file: string): void => {
    const text = readFileSync(join(root, file), 'utf8');
    const named = [
      ...text.matchAll(/(?:require|import)\(["']\.\/([\w.-]+)["']\)/g),
      ...text.matchAll(/join\)?\(__dirname, ["']([\w.-]+)["']\)/g),
    ].map((match) => `dist/${match[1]}`);
    for (const name of named.map((entry) => (/\.(js|cache)$/.test(entry) ? entry : `${entry}.js`))) {
      if (required.has(name)) continue;
      required.add(name);
      if (file === bin && name.endsWith('.js')) scan(name);
    }
  };
  scan(bin);
  for (const expected of ['dist/cli-main.js', 'dist/cli-main.cache', 'dist/cli-api.js'])
    assert.ok(required.has(expected), `${bin} no longer leads to ${expected}: update this test`);
  for (const file of required) assert.ok(files.includes(file), `${file} is loaded by ${bin} but not packed`);
  assert.deepEqual(
    files.filter((file) => /^(src|test|scripts|bench|node_modules)\//.test(file) || file.endsWith('.map')),
    [],
  );
});
