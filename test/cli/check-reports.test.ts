// What `check --format sarif` and `--format gitlab` say beyond the findings: where the files are
// (from the git work tree's top folder, with its commit, branch and remote, and never a credential
// of the remote's URL), and a fingerprint per finding that stays when the request moves and changes
// when the request or the finding does. GitLab's code quality report has the documented shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from './run-cli';
import { findingCodes } from '../../src/core/csr/index';
import { FINGERPRINT_KEY, GITHUB_FINGERPRINT_KEY } from '../../src/cli/sarif';
import { buildRequest, spkiOf, toPemText } from '../core/csr/build-csr';
import { findSecret } from '../secret-forms';

const fixtures = join(__dirname, '..', 'fixtures', 'csr');
const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

/* eslint-disable @typescript-eslint/no-explicit-any -- walking an untyped JSON document */
type Json = any;

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

const TOKEN = 'ghp_Xq7Lw2Rr9Tk4Mn8Vb5Zc3Yd6';

async function sarifIn(cwd: string, files: string[]): Promise<{ log: Json; printed: string }> {
  const run = await runCli(['check', '--format', 'sarif', ...files], { cwd });
  return { log: JSON.parse(run.stdout), printed: run.printed };
}

test('in a git work tree: paths from its top folder, its commit, branch and remote, no credential', async () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'check-git-')));
  try {
    const root = join(base, 'certs-repo');
    mkdirSync(join(root, 'requests', 'smime'), { recursive: true });
    writeFileSync(join(root, 'requests', 'smime', 'weak.csr'), fixture('rsa-1024.csr'));
    git(root, 'init', '--quiet', '--initial-branch=release');
    git(root, 'add', '.');
    git(root, 'commit', '--quiet', '-m', 'requests');
    git(root, 'remote', 'add', 'origin', `https://ci-bot:${TOKEN}@github.com/acme/certs-repo.git`);

    const { log, printed } = await sarifIn(join(root, 'requests'), ['smime/weak.csr']);
    const [run] = log.runs;
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(root).href}/` } });
    assert.deepEqual(run.versionControlProvenance, [
      {
        repositoryUri: 'https://github.com/acme/certs-repo.git',
        revisionId: git(root, 'rev-parse', 'HEAD'),
        branch: 'release',
        mappedTo: { uriBaseId: '%SRCROOT%' },
      },
    ]);
    assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, {
      uri: 'requests/smime/weak.csr',
      uriBaseId: '%SRCROOT%',
    });
    assert.equal(findSecret(printed, TOKEN), undefined, 'the token of the remote URL, in any form');
    assert.equal(findSecret(printed, `ci-bot:${TOKEN}`), undefined);

    const gitlab = await runCli(['check', '--format', 'gitlab', 'smime/weak.csr'], { cwd: join(root, 'requests') });
    assert.equal(JSON.parse(gitlab.stdout)[0].location.path, 'requests/smime/weak.csr');
    assert.equal(findSecret(gitlab.printed, TOKEN), undefined);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('outside any work tree: paths from the working folder, no provenance', async () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'check-plain-')));
  try {
    writeFileSync(join(base, 'weak.csr'), fixture('rsa-1024.csr'));
    const { log } = await sarifIn(base, ['weak.csr']);
    const [run] = log.runs;
    assert.equal(run.versionControlProvenance, undefined);
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(base).href}/` } });
    assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'weak.csr');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a fingerprint follows the request and the finding, not the file, the line or the line ends', async () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const long = 'x'.repeat(70);
  // Two subject fields too long: two findings of one code in one request, told apart.
  const twoLong = toPemText(
    buildRequest({
      subject: [
        ['2.5.4.3', long],
        ['2.5.4.10', long],
      ],
      spki: spkiOf(key.publicKey),
      privateKey: key.privateKey,
    }),
  );
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'check-fingerprint-')));
  try {
    writeFileSync(join(base, 'a.csr'), twoLong);
    writeFileSync(join(base, 'b.txt'), `Sent by Alice:\r\n\r\n${twoLong.replace(/\n/g, '\r\n')}\r\nThanks\r\n`);
    writeFileSync(join(base, 'weak.csr'), fixture('rsa-1024.csr'));
    const fingerprints = async (): Promise<Map<string, string[]>> => {
      const { log } = await sarifIn(base, ['a.csr', 'b.txt', 'weak.csr']);
      const byFile = new Map<string, string[]>();
      for (const result of log.runs[0].results) {
        const uri = result.locations[0].physicalLocation.artifactLocation.uri;
        assert.equal(result.partialFingerprints[FINGERPRINT_KEY], result.partialFingerprints[GITHUB_FINGERPRINT_KEY]);
        assert.match(result.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}$/);
        byFile.set(uri, [
          ...(byFile.get(uri) ?? []),
          `${result.ruleId} ${result.partialFingerprints[FINGERPRINT_KEY]}`,
        ]);
      }
      return byFile;
    };
    const first = await fingerprints();
    assert.deepEqual(await fingerprints(), first, 'the same in every run');
    const inA = first.get('a.csr') ?? [];
    assert.equal(inA.filter((entry) => entry.startsWith('subject-field-too-long ')).length, 2);
    assert.equal(new Set(inA).size, inA.length, 'two findings of one code in one request differ');
    assert.deepEqual(first.get('b.txt'), inA, 'the same request elsewhere, with CRLF and text around it');
    const weak = first.get('weak.csr') ?? [];
    assert.ok(weak.length > 0);
    assert.ok(
      weak.every((entry) => !inA.some((other) => other.split(' ')[1] === entry.split(' ')[1])),
      'another request',
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test("check --format gitlab: GitLab's code quality report, one issue per finding and per unreadable input", async () => {
  const files = ['rsa-1024.csr', 'rsa-2048-sha1.csr', 'challenge-password.csr', 'multi-block.txt', 'certificate.pem'];
  const gitlab = await runCli(['check', '--format', 'gitlab', ...files], { cwd: fixtures });
  const plain = await runCli(['check', ...files], { cwd: fixtures });
  assert.equal(gitlab.code, plain.code);
  assert.equal(gitlab.stdout, `${JSON.stringify(JSON.parse(gitlab.stdout), null, 2)}\n`, 'pretty JSON, streamed');
  const issues = JSON.parse(gitlab.stdout) as Json[];
  const reports = JSON.parse((await runCli(['inspect', '--json', ...files], { cwd: fixtures })).stdout) as Json[];
  const findings = reports.flatMap((report) => (report.error ? [report] : report.findings));
  assert.equal(issues.length, findings.length);
  const severities: Record<string, string> = { error: 'major', warning: 'minor', info: 'info' };
  for (const issue of issues) {
    assert.deepEqual(Object.keys(issue).sort(), ['check_name', 'description', 'fingerprint', 'location', 'severity']);
    assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity));
    assert.ok(issue.check_name in findingCodes || issue.check_name === 'not-a-csr-certificate', issue.check_name);
    if (issue.check_name in findingCodes)
      assert.equal(issue.severity, severities[findingCodes[issue.check_name as keyof typeof findingCodes]]);
    assert.match(issue.location.path, /^test\/fixtures\/csr\/[\w.-]+$/);
    assert.ok(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1);
    assert.ok(issue.location.lines.end >= issue.location.lines.begin);
    assert.ok(issue.description.length > 0);
  }
  assert.equal(new Set(issues.map((issue) => issue.fingerprint)).size, issues.length, 'fingerprints are unique');
  const empty = await runCli(['check', '--format', 'gitlab', 'rsa-2048.csr'], { cwd: fixtures });
  assert.equal(empty.stdout, '[]\n');
  assert.equal(empty.code, 0);
});

/** The shell of the README's GitHub Actions step "Check the requests", as written there. */
function readmeCheckStep(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const step = /- name: Check the requests\n\s+run: (.+)\n/.exec(readme);
  assert.ok(step, 'the README has the step');
  return step[1] as string;
}

test("the README's GitHub Actions step checks every request of the repository into csr.sarif, through --files-from", () => {
  const script = readmeCheckStep();
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'check-workflow-')));
  try {
    const bin = join(base, 'bin');
    mkdirSync(bin);
    const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
    writeFileSync(join(bin, 'sectigo-csr'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
    const env = { ...gitEnv, PATH: `${bin}:${process.env.PATH ?? ''}` };
    const step = (repo: string): { status: number | null; sarif: Json } => {
      // As GitHub runs a step: bash -e -o pipefail.
      const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
        cwd: repo,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      let sarif: Json;
      try {
        sarif = JSON.parse(readFileSync(join(repo, 'csr.sarif'), 'utf8'));
      } catch {
        sarif = undefined;
      }
      return { status: result.status, sarif };
    };
    const repo = (name: string, files: Record<string, string>): string => {
      const root = join(base, name);
      mkdirSync(join(root, 'certs'), { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text);
      git(root, 'init', '--quiet', '--initial-branch=main');
      git(root, 'add', '.');
      git(root, 'commit', '--quiet', '--allow-empty', '-m', 'files');
      return root;
    };

    const mixed = step(
      repo('mixed', {
        'certs/alice smith.csr': fixture('rsa-2048-sha1.csr'),
        'weak.req': fixture('rsa-1024.csr'),
        'notes.txt': fixture('rsa-1024.csr'),
      }),
    );
    assert.equal(mixed.status, 0, 'error findings (exit 1) let the upload run');
    const uris = new Set(
      mixed.sarif.runs[0].results.map((result: Json) => result.locations[0].physicalLocation.artifactLocation.uri),
    );
    assert.deepEqual(
      [...uris].sort(),
      ['certs/alice%20smith.csr', 'weak.req'],
      'tracked requests only, names with spaces too',
    );

    const broken = step(repo('broken', { 'certs/server.csr': fixture('certificate.pem') }));
    assert.notEqual(broken.status, 0, 'a file that is not a request fails the step');

    const none = step(repo('none', { 'README.md': 'no requests here\n' }));
    assert.equal(none.status, 0);
    assert.deepEqual(none.sarif.runs[0].results, [], 'a log without results to upload');
    assert.equal(none.sarif.runs[0].invocations[0].executionSuccessful, true);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
