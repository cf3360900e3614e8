// The hook under the real pre-commit framework (Debian's `pre-commit`), as a user's commit runs it:
// pre-commit clones this repository at a commit, installs it with npm (npm install, npm pack, npm
// install -g of the tarball) and runs the hook's entry on the files. `pre-commit try-repo` does
// all of that for a repository and commit given on the command line.
//
// Honest about what it tests: try-repo takes a repository's HEAD (or a temporary copy with the
// tracked changes only), so the test first commits a snapshot of the work tree as it is now
// (tracked and untracked files, less what .gitignore leaves out) into a scratch repository and
// tries that. Network: npm's registry only (npm install of the package's dependencies); with
// Node on the PATH pre-commit uses it ("system"), downloading no Node of its own.
// About 30 s (the npm install of the development dependencies that `prepare` needs to build).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'csr');
const HOOK_ID = 'sectigo-csr-check';
/** Each pre-commit run; the first installs the environment (about 30 s here, more on a cold npm cache). */
const RUN_DEADLINE_MS = 5 * 60_000;

let scratch = '';
let snapshot = '';
let project = '';
let home = '';

/** The environment of a person's `git commit`: none of npm's own variables from `npm test` (they would
 * reach the npm that pre-commit runs), except where npm is told to find its registry. */
function commitEnvironment(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|proxy|https_proxy|noproxy|cafile|strict_ssl)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|INIT_CWD$|GIT_)/i.test(name) && !keep.test(name)) continue;
    env[name] = value;
  }
  return { ...env, PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: 'never' };
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync(
    'git',
    ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: commitEnvironment() },
  );
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function tryRepo(...files: string[]): SpawnSyncReturns<string> {
  return spawnSync('pre-commit', ['try-repo', snapshot, HOOK_ID, '--verbose', '--files', ...files], {
    cwd: project,
    encoding: 'utf8',
    timeout: RUN_DEADLINE_MS,
    maxBuffer: 16 * 1024 * 1024,
    env: commitEnvironment(),
  });
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sectigo-pre-commit-'));
  snapshot = join(scratch, 'sectigo-csr-tools');
  project = join(scratch, 'project');
  home = join(scratch, 'pre-commit-home');
  // The work tree as it is now, committed: what try-repo installs is exactly this code.
  const listed = git(root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0');
  for (const file of listed) {
    if (file === '') continue;
    const from = join(root, file);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted in the work tree, or a link
    mkdirSync(dirname(join(snapshot, file)), { recursive: true });
    copyFileSync(from, join(snapshot, file));
  }
  git(snapshot, 'init', '-q');
  git(snapshot, 'add', '-A');
  git(snapshot, 'commit', '-q', '-m', 'snapshot of the work tree under test');
  // A user's project with one weak and one compliant request.
  mkdirSync(project);
  git(project, 'init', '-q');
  copyFileSync(join(fixtures, 'rsa-1024.csr'), join(project, 'weak.csr'));
  copyFileSync(join(fixtures, 'rsa-2048-sha256.csr'), join(project, 'good.csr'));
  writeFileSync(join(project, 'notes.md'), 'not a request\n');
  git(project, 'add', '-A');
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(version.status, 0, `pre-commit is not installed (scripts/install-system-packages.sh installs it)`);
  process.stdout.write(`# ${version.stdout.trim()}, trying ${HOOK_ID} from a snapshot of ${root}\n`);
});

after(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

test('try-repo: a 1024-bit request fails the hook, naming rsa-key-too-small; the compliant one beside it does not', () => {
  const started = Date.now();
  const run = tryRepo('weak.csr', 'good.csr', 'notes.md');
  process.stdout.write(`# try-repo (installs a fresh environment): ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.error, undefined, `pre-commit did not finish: ${String(run.error)}`);
  // 1 is "a hook failed"; 3 is pre-commit's own error (it was the npm pack banner, issue 22).
  assert.equal(run.status, 1, output);
  assert.doesNotMatch(output, /An unexpected error has occurred/);
  assert.match(output, /sectigo-csr check\.+Failed/);
  assert.match(output, /weak\.csr:\d+:\d+: error rsa-key-too-small:/);
  assert.doesNotMatch(output, /good\.csr:/);
  assert.match(output, /2 inputs, 2 requests: 1 error,/, 'the hook is given the two requests, not notes.md');
});

test('git commit with the hook installed: a compliant request is committed, a 1024-bit one is refused', () => {
  const sha = git(snapshot, 'rev-parse', 'HEAD').trim();
  writeFileSync(
    join(project, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${JSON.stringify(snapshot)}\n    rev: ${sha}\n    hooks:\n      - id: ${HOOK_ID}\n`,
  );
  const install = spawnSync('pre-commit', ['install'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 60_000,
    env: commitEnvironment(),
  });
  assert.equal(install.status, 0, install.stderr);
  const commit = (...files: string[]): SpawnSyncReturns<string> => {
    git(project, 'reset', '-q');
    git(project, 'add', '.pre-commit-config.yaml', ...files);
    return spawnSync(
      'git',
      ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-m', files.join(' ')],
      {
        cwd: project,
        encoding: 'utf8',
        timeout: RUN_DEADLINE_MS,
        maxBuffer: 16 * 1024 * 1024,
        env: commitEnvironment(),
      },
    );
  };
  const started = Date.now();
  const good = commit('good.csr', 'notes.md');
  process.stdout.write(`# first commit (installs the environment): ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  assert.equal(good.status, 0, `${good.stdout}${good.stderr}`);
  assert.match(`${good.stdout}${good.stderr}`, /sectigo-csr check\.+Passed/);
  const weak = commit('weak.csr');
  const output = `${weak.stdout}${weak.stderr}`;
  assert.notEqual(weak.status, 0, output);
  assert.match(output, /weak\.csr:\d+:\d+: error rsa-key-too-small:/);
  assert.deepEqual(
    git(project, 'log', '--format=%s').trim().split('\n'),
    ['good.csr notes.md'],
    'the weak request was not committed',
  );
});
