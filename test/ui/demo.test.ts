// `npm run demo` starts: the whole chain (package, fake server, code-server with the .vsix,
// sample workspace) comes up and the workbench shows the extension, then --smoke stops it and
// nothing is left running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../scripts/vscode/code-server';
import { DEMO_ACCOUNT, TYPED_DEMO_ACCOUNT } from '../fake-sectigo/accounts';

function processesMentioning(text: string): string[] {
  const listing = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
  return listing.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

test('the demo starts, shows the extension in the workbench and stops cleanly', () => {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo.ts', '--smoke', '--skip-system-packages'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 5 * 60_000,
    },
  );
  assert.equal(result.status, 0, `demo --smoke failed:\n${result.stdout}\n${result.stderr}`);
  const ready = /demo ready at (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=\S+)/.exec(result.stdout);
  assert.ok(ready, `no "demo ready" line in:\n${result.stdout}`);
  assert.match(result.stderr, /lists the sample requests and shows the Sectigo view container/);
  // The address, the fake server's fixed demo login and password (to be typed) and the steps;
  // never the tests' own password, and no install output (that is in the log).
  assert.ok(result.stdout.includes(`open this address in a browser:  ${ready[1]}`), result.stdout);
  assert.match(result.stdout, new RegExp(`Demo login name: +${TYPED_DEMO_ACCOUNT.loginName}\\n`));
  assert.match(result.stdout, new RegExp(`Demo password: +${TYPED_DEMO_ACCOUNT.loginPassword} `));
  assert.match(result.stdout, /1\. Run "Sectigo: Set Credentials…"/);
  assert.match(result.stdout, /four steps/);
  // What reaches the practice server is the demo user's to see, in a file of the workspace.
  assert.match(result.stdout, /Every call the practice server receives is listed in practice-server-calls\.log/);
  // Each stage says how long it took, measured.
  assert.ok((result.stderr.match(/^\[demo\]     done in \d+\.\d s$/gm) ?? []).length >= 3, result.stderr);
  assert.doesNotMatch(result.stderr, /about a minute/);
  assert.ok(!(result.stdout + result.stderr).includes(DEMO_ACCOUNT.loginPassword), "the tests' password was printed");
  assert.deepEqual(
    result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('[demo] ')),
    [],
    "every line on standard error is one of the demo's own progress lines",
  );
  // Its code-server (found by its port) is gone with it.
  assert.deepEqual(processesMentioning(`127.0.0.1:${ready[2]}`), []);
});

test('the demo refuses a bad --port with a clear message', () => {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo.ts', '--smoke', '--skip-system-packages', '--port', 'eighty'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  assert.equal(result.status, 1);
  assert.match(result.stderr, /--port needs a port number between 1 and 65535, not "eighty"/);
});

test('npm run demo -- --help prints the usage and starts nothing', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--help'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^npm run demo \[-- OPTIONS\]/);
  for (const option of ['--port N', '--skip-system-packages', '--smoke', '--help'])
    assert.ok(result.stdout.includes(option));
  assert.equal(result.stderr, '', 'a stage started');
  const typo = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--prot', '8080'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /unknown option --prot 8080; npm run demo -- --help lists the options/);
});
