// scripts/install-system-packages.sh checks (and installs) what the tests need, and with
// `--for demo` only what the demo needs: run with a stub dpkg-query that records what it is asked
// about and answers "installed", so nothing is installed and the question is the answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const script = join(root, 'scripts', 'install-system-packages.sh');

function asked(args: string[]): { status: number | null; packages: string[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'system-packages-'));
  try {
    const record = join(dir, 'asked.txt');
    writeFileSync(record, '');
    const stub = join(dir, 'dpkg-query');
    writeFileSync(stub, `#!/bin/sh\necho "$3" >> "${record}"\nprintf 'install ok installed'\n`);
    chmodSync(stub, 0o755);
    const result = spawnSync('bash', [script, ...args], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` },
    });
    return {
      status: result.status,
      packages: readFileSync(record, 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
      stderr: result.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the tests need every package; the demo only what code-server needs, not the tools of the tests', () => {
  const all = asked([]);
  assert.equal(all.status, 0, all.stderr);
  for (const name of ['chromium', 'pre-commit', 'wine64', 'openssl', 'unzip', 'libkrb5-dev'])
    assert.ok(all.packages.includes(name), name);
  const demo = asked(['--for', 'demo']);
  assert.equal(demo.status, 0, demo.stderr);
  assert.deepEqual(demo.packages.sort(), ['g++', 'libkrb5-dev', 'make', 'pkg-config', 'python3', 'ripgrep']);
  assert.equal(asked(['--everything']).status, 2);
  // The demo asks for its own set.
  assert.match(
    readFileSync(join(root, 'scripts', 'demo.ts'), 'utf8'),
    /install-system-packages\.sh'\), '--for', 'demo'\]/,
  );
});

test("the README's Quick start says as many Set Credentials steps as the flow has", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## The commands'));
  assert.match(quickStart, /It asks four things: the\s+API endpoint/);
  // The flow's steps, counted where they are declared: four asks in Set Credentials' runSteps.
  const flow = readFileSync(join(root, 'src', 'vscode', 'calls', 'credential-commands.ts'), 'utf8');
  const steps = flow.slice(flow.indexOf("t('Sectigo credentials')"), flow.indexOf('{ caFile: defaults.caFile'));
  assert.equal(steps.match(/ask: async \(input, state\)/g)?.length, 4);
});
