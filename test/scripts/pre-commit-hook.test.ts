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
  // Every bundle dist/cli.js loads by a relative require or import() must ship with it.
  const required = [
    ...readFileSync(join(root, bin), 'utf8').matchAll(/(?:require|import)\(["']\.\/([\w.-]+)["']\)/g),
  ].map((match) => `dist/${match[1]}`);
  assert.ok(required.includes('dist/cli-api.js'), 'dist/cli.js no longer names dist/cli-api.js: update this test');
  for (const file of required)
    assert.ok(
      files.includes(file.endsWith('.js') ? file : `${file}.js`),
      `${file} is required by ${bin} but not packed`,
    );
  assert.deepEqual(
    files.filter((file) => /^(src|test|scripts|bench|node_modules)\//.test(file) || file.endsWith('.map')),
    [],
  );
});
