// The git work tree of a folder, read from .git's files without running git: compared with what
// git itself says (rev-parse, symbolic-ref) on real repositories made by git, in the shapes CI and
// people have: a subfolder, packed refs, a linked work tree, a detached HEAD, a branch with no
// commit yet, remotes with credentials or in scp form. And what must not hang or fail: a .git that
// is a pipe, an oversized HEAD, a folder in no repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findGitWorkTree, publicRemoteUri } from '../../src/core/git-work-tree';

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnv });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

function scratch(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'git-work-tree-')));
}

/** A repository with one commit on main, a subfolder, and `remote` as origin. */
function repository(remote?: string): string {
  const root = join(scratch(), 'repo');
  mkdirSync(join(root, 'certs', 'deep'), { recursive: true });
  git(root, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(root, 'certs', 'a.csr'), 'x\n');
  git(root, 'add', '.');
  git(root, 'commit', '--quiet', '-m', 'first');
  if (remote !== undefined) git(root, 'remote', 'add', 'origin', remote);
  return root;
}

test('a subfolder of a repository: its top folder, commit, branch and remote, as git says', () => {
  const root = repository('https://github.com/acme/certs.git');
  try {
    const found = findGitWorkTree(join(root, 'certs', 'deep'));
    assert.deepEqual(found, {
      root,
      repositoryUri: 'https://github.com/acme/certs.git',
      revisionId: git(root, 'rev-parse', 'HEAD'),
      branch: 'main',
    });
  } finally {
    rmSync(join(root, '..'), { recursive: true, force: true });
  }
});

test('packed refs, a detached HEAD, and a linked work tree with its own branch', () => {
  const root = repository('git@github.com:acme/certs.git');
  try {
    git(root, 'pack-refs', '--all');
    assert.equal(findGitWorkTree(root)?.revisionId, git(root, 'rev-parse', 'HEAD'), 'read from packed-refs');
    assert.equal(findGitWorkTree(root)?.repositoryUri, 'ssh://github.com/acme/certs.git', 'scp form as a URI');

    const linked = join(root, '..', 'linked');
    git(root, 'worktree', 'add', '--quiet', '-b', 'feature', linked);
    writeFileSync(join(linked, 'b.csr'), 'y\n');
    git(linked, 'add', '.');
    git(linked, 'commit', '--quiet', '-m', 'second');
    const fromLinked = findGitWorkTree(join(linked));
    assert.equal(fromLinked?.root, linked);
    assert.equal(fromLinked?.branch, 'feature');
    assert.equal(fromLinked?.revisionId, git(linked, 'rev-parse', 'HEAD'));
    assert.notEqual(fromLinked?.revisionId, git(root, 'rev-parse', 'HEAD'));
    assert.equal(fromLinked?.repositoryUri, 'ssh://github.com/acme/certs.git', 'the remote is in the common config');

    git(root, 'checkout', '--quiet', '--detach');
    const detached = findGitWorkTree(root);
    assert.equal(detached?.branch, undefined, 'a detached HEAD names no branch');
    assert.equal(detached?.revisionId, git(root, 'rev-parse', 'HEAD'));
  } finally {
    rmSync(join(root, '..'), { recursive: true, force: true });
  }
});

test('a branch with no commit and no remote: the work tree is the repository', () => {
  const root = join(scratch(), 'new');
  mkdirSync(root);
  try {
    git(root, 'init', '--quiet', '--initial-branch=trunk');
    assert.deepEqual(findGitWorkTree(root), { root, repositoryUri: pathToFileURL(root).href, branch: 'trunk' });
  } finally {
    rmSync(join(root, '..'), { recursive: true, force: true });
  }
});

test('a remote URL keeps no user name, password, query or fragment', () => {
  const root = '/work/tree';
  assert.equal(
    publicRemoteUri('https://ci-user:ghp_S3cretT0kenValue@github.com/acme/certs.git', root),
    'https://github.com/acme/certs.git',
  );
  assert.equal(
    publicRemoteUri('https://x-access-token:abc%40def@host.example/r?token=1#f', root),
    'https://host.example/r',
  );
  assert.equal(publicRemoteUri('ssh://git:pw123456@host.example:2222/r.git', root), 'ssh://host.example:2222/r.git');
  assert.equal(publicRemoteUri('deploy:hunter22hunter@host.example:acme/r.git', root), 'ssh://host.example/acme/r.git');
  assert.equal(publicRemoteUri('../mirror.git', root), pathToFileURL('/work/mirror.git').href);
  assert.equal(publicRemoteUri('https://exa mple/r', root), undefined);
});

test('a .git that is a pipe, an oversized HEAD, a folder in no repository: no work tree, at once', () => {
  const base = scratch();
  try {
    const outside = join(base, 'plain');
    mkdirSync(outside);
    assert.equal(findGitWorkTree(outside), undefined);

    const piped = join(base, 'piped');
    mkdirSync(piped);
    assert.equal(spawnSync('mkfifo', [join(piped, '.git')]).status, 0);
    assert.equal(findGitWorkTree(piped), undefined, 'a pipe is never opened for reading');

    const huge = join(base, 'huge');
    mkdirSync(join(huge, '.git'), { recursive: true });
    writeFileSync(join(huge, '.git', 'HEAD'), `ref: refs/heads/${'x'.repeat(100_000)}`);
    writeFileSync(join(huge, '.git', 'config'), '');
    assert.equal(findGitWorkTree(huge), undefined, 'a HEAD larger than any git writes is not read');

    const escaping = join(base, 'escaping');
    mkdirSync(join(escaping, '.git'), { recursive: true });
    writeFileSync(join(escaping, '.git', 'HEAD'), 'ref: refs/heads/../../../../etc/passwd\n');
    assert.equal(findGitWorkTree(escaping)?.revisionId, undefined, 'a ref never leads out of the git folder');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
