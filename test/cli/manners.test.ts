// The command line's manners: `--version` prints package.json's version (in-process and as the
// built dist/cli.js, where esbuild puts it in), and `help VERB` prints that verb's own help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verbNames } from '../../src/cli/main';
import { runCli, type CliRun } from './run-cli';

const root = join(__dirname, '..', '..');
const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function run(args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: root });
}

test('--version prints the version in package.json', async () => {
  assert.match(packageVersion, /^\d+\.\d+\.\d+/);
  const { code, stdout, stderr } = await run(['--version']);
  assert.deepEqual({ code, stdout, stderr }, { code: 0, stdout: `${packageVersion}\n`, stderr: '' });
});

test('the built dist/cli.js prints the same version without reading package.json', (t) => {
  const dist = join(root, 'dist');
  assert.ok(existsSync(join(dist, 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  // A copy of the bundles away from the project: no package.json to read, so the version must be built in.
  const away = mkdtempSync(join(tmpdir(), 'sectigo-csr-version-'));
  t.after(() => rmSync(away, { recursive: true, force: true }));
  cpSync(dist, join(away, 'dist'), { recursive: true });
  const result = spawnSync(process.execPath, [join(away, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `${packageVersion}\n`);
});

test('help VERB prints the same text as VERB --help, for every verb', async () => {
  const verbs = verbNames();
  assert.ok(verbs.includes('replace') && verbs.includes('check'));
  const general = (await run(['help'])).stdout;
  for (const verb of verbs) {
    const viaHelp = await run(['help', verb]);
    const viaFlag = await run([verb, '--help']);
    assert.equal(viaHelp.code, 0, verb);
    assert.equal(viaHelp.stdout, viaFlag.stdout, verb);
    assert.notEqual(viaHelp.stdout, general, `help ${verb} printed the general usage`);
    assert.match(viaHelp.stdout, new RegExp(`sectigo-csr ${verb}\\b`));
  }
});

test('help for an unknown verb says so and exits 2', async () => {
  const result = await run(['help', 'renew']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /no help for unknown command 'renew'/);
  assert.equal(result.stdout, '');
});

test('every help text states one exit status, revoke --from its own', async () => {
  const helps = [...verbNames().map((verb) => [verb, '--help']), ['revoke', '--from', 'list.txt', '--help']];
  for (const args of helps) {
    const { stdout } = await run(args);
    assert.equal(stdout.match(/^Exit status/gm)?.length, 1, `${args.join(' ')}:\n${stdout}`);
  }
  assert.match((await run(helps.at(-1) as string[])).stdout, /Exit status: 0 every target revoked/);
});

test('--help wins over a flag left without its value: revoke --from --help prints the list help', async () => {
  for (const args of [
    ['revoke', '--from', '--help'],
    ['replace', '--order', '--help'],
    ['revoke', '--reason', '--help', '--order', '1'],
  ]) {
    const result = await run(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stdout, new RegExp(`sectigo-csr ${args[0]}\\b`), args.join(' '));
    assert.equal(result.stderr, '');
  }
  assert.match((await run(['revoke', '--from', '--help'])).stdout, /Exit status: 0 every target revoked/);
});

test("check's count line puts each noun in its number, never '(s)'", async () => {
  const one = await run(['check', 'test/fixtures/csr/rsa-2048-sha256.csr']);
  assert.match(one.stderr, /^sectigo-csr check: 1 input, 1 request: 0 errors, 0 warnings, \d+ info\n$/);
  const two = await run(['check', 'test/fixtures/csr/rsa-1024.csr', 'test/fixtures/csr/rsa-2048-sha256.csr']);
  assert.match(two.stderr, /^sectigo-csr check: 2 inputs, 2 requests: 1 error, /);
  assert.doesNotMatch(one.stderr + two.stderr, /\(s\)/);
});
