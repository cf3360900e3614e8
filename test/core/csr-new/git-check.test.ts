// The "is the key about to be committed?" check asks git, in a folder the user chose, which may be
// a repository someone else prepared. git runs programs its repository config names (an fsmonitor
// hook): the check must not run them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUnignoredInGitWorkTree } from '../../../src/core/csr-new/pair-on-node-fs';

test('a repository that names an fsmonitor program does not get it run by the check', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'git-check-'));
  execFileSync('git', ['init', '-q', repo]);
  const marker = join(repo, 'fsmonitor-ran');
  const hook = join(repo, 'hook.sh');
  writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(hook, 0o755);
  execFileSync('git', ['-C', repo, 'config', 'core.fsmonitor', hook]);
  // The check still answers: the key is in a work tree and not ignored.
  assert.equal(await isUnignoredInGitWorkTree(join(repo, 'new.key')), true);
  assert.equal(existsSync(marker), false, "git ran the repository's fsmonitor program");
});

test('an ignored key is reported as ignored', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'git-check-'));
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(join(repo, '.gitignore'), '*.key\n');
  assert.equal(await isUnignoredInGitWorkTree(join(repo, 'new.key')), false);
});
