// `sectigo-csr new`: in-process through main() with a fake CliIo (and a stand-in for the
// terminal prompt), checked with our own `check` and with openssl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCommand } from '../../src/cli/new';
import type { CliCommand } from '../../src/cli/io';
import { runCli, type CliRun } from './run-cli';
import type { SecretPrompt } from '../../src/cli/secret-prompt';
import { findSecret } from '../secret-forms';
import { analyseCsrText, isCsrReport } from '../../src/core/csr/index';

const fixtures = join(__dirname, '..', 'fixtures', 'csr');
const passphrase = 'Zq7<kV9&mW2 ✓ "Lx"';
let scratch = '';

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sectigo-csr-new-'));
});
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function run(args: string[], options: { cwd?: string; command?: CliCommand } = {}): Promise<CliRun> {
  // A command built with a stand-in prompt takes the arguments after `new`; main() takes the verb too.
  return runCli(options.command ? args : ['new', ...args], {
    cwd: options.cwd ?? scratch,
    env: { W12_PASS: passphrase, EMPTY: '' },
    command: options.command,
  });
}

/** A fresh folder per test, so that "nothing written" can be checked by listing it. */
function folder(name: string): string {
  const path = join(scratch, name);
  mkdirSync(path);
  return path;
}

function assertNoSecretIn(result: CliRun, keyPem: string | null): void {
  const output = result.stdout + result.stderr;
  assert.equal(findSecret(output, passphrase), undefined, 'the passphrase is never printed, in any form');
  assert.doesNotMatch(output, /PRIVATE KEY/);
  if (keyPem !== null) {
    // No line of the key's Base64 appears anywhere in what was printed.
    for (const line of keyPem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----')))
      assert.equal(output.includes(line), false);
  }
}

test('the secret search finds the passphrase however it is encoded or cut', () => {
  for (const prefix of ['', 'a', 'ab']) {
    assert.notEqual(
      findSecret(`log: ${Buffer.from(`${prefix}${passphrase}!`).toString('base64')}`, passphrase),
      undefined,
      `base64 after ${prefix.length}`,
    );
  }
  assert.notEqual(findSecret(JSON.stringify({ p: passphrase }), passphrase), undefined);
  assert.notEqual(
    findSecret(`<b>${passphrase.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</b>`, passphrase),
    undefined,
  );
  assert.notEqual(findSecret(`p=${encodeURIComponent(passphrase)}`, passphrase), undefined);
  assert.notEqual(findSecret(`…${passphrase.slice(3, 12)}…`, passphrase), undefined);
  assert.equal(
    findSecret('Wrote new.key (the private key, mode 0600, encrypted with your passphrase)', passphrase),
    undefined,
  );
});

test('--email: the request passes check and openssl, the key opens with the passphrase and is 0600', async () => {
  const dir = folder('email');
  const result = await run(
    [
      '--email',
      'alice@example.com',
      '--cn',
      'Alice Example',
      '--key-type',
      'rsa-2048',
      '--out',
      'alice.csr',
      '--key-out',
      'alice.key',
      '--passphrase-env',
      'W12_PASS',
    ],
    { cwd: dir },
  );
  assert.equal(result.code, 0, result.stderr);
  const keyPem = readFileSync(join(dir, 'alice.key'), 'utf8');
  assertNoSecretIn(result, keyPem);
  assert.match(result.stdout, /Wrote alice\.csr/);
  assert.equal(statSync(join(dir, 'alice.key')).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir).sort(), ['alice.csr', 'alice.key'], 'no temporary files left');
  assert.match(keyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  assert.equal(findSecret(keyPem + readFileSync(join(dir, 'alice.csr'), 'utf8'), passphrase), undefined);

  const check = await runCli(['check', join(dir, 'alice.csr')], { cwd: dir });
  assert.equal(check.code, 0, 'sectigo-csr check exits 0');
  const verify = spawnSync('openssl', ['req', '-in', join(dir, 'alice.csr'), '-verify', '-noout', '-subject'], {
    encoding: 'utf8',
  });
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stdout + verify.stderr, /verify OK/);
  assert.match(verify.stdout, /CN = Alice Example, emailAddress = alice@example.com/);
  const key = spawnSync('openssl', ['pkey', '-in', join(dir, 'alice.key'), '-passin', 'env:W12_PASS', '-pubout'], {
    encoding: 'utf8',
    env: { ...process.env, W12_PASS: passphrase },
  });
  assert.equal(key.status, 0, key.stderr);
  const requestKey = execFileSync('openssl', ['req', '-in', join(dir, 'alice.csr'), '-pubkey', '-noout'], {
    encoding: 'utf8',
  });
  assert.equal(key.stdout, requestKey, 'the key is the request key');
  const wrong = spawnSync('openssl', ['pkey', '-in', join(dir, 'alice.key'), '-passin', 'pass:wrong', '-noout'], {
    encoding: 'utf8',
  });
  assert.notEqual(wrong.status, 0, 'a wrong passphrase does not open it');
});

test('--from - reads the old request from standard input', async () => {
  const dir = folder('stdin');
  const result = await runCli(
    [
      'new',
      '--from',
      '-',
      '--key-type',
      'ec-p256',
      '--out',
      'n.csr',
      '--key-out',
      'n.key',
      '--no-passphrase',
      '--json',
    ],
    { cwd: dir, stdin: readFileSync(join(fixtures, 'ec-P-256.csr')) },
  );
  assert.equal(result.code, 0);
  const [report] = JSON.parse(result.stdout) as { subject: string; subjectAltNames: string[] }[];
  const [old] = analyseCsrText(readFileSync(join(fixtures, 'ec-P-256.csr')), 'old');
  assert.ok(old && isCsrReport(old));
  assert.equal(report?.subject, old.subject.text);
  // The old request had its e-mail only in the subject; the new one also has it in the SAN, as S/MIME wants.
  assert.deepEqual(old.subjectAltNames, []);
  assert.deepEqual(report?.subjectAltNames, ['email:ec-P-256@example.com']);
});

test('--from a 1024-bit request copies its subject and e-mails onto a key Sectigo accepts (the default type)', async () => {
  const dir = folder('from');
  const result = await run(
    ['--from', join(fixtures, 'rsa-1024.csr'), '--out', 'new.csr', '--key-out', 'new.key', '--no-passphrase', '--json'],
    { cwd: dir },
  );
  assert.equal(result.code, 0, result.stderr);
  const [report] = JSON.parse(result.stdout) as Record<string, unknown>[];
  assert.ok(report !== undefined);
  assert.equal(report.file, 'new.csr');
  assert.equal(report.subject, 'E=rsa-1024@example.com,CN=rsa-1024,O=Example Ltd,L=Salford,ST=Greater Manchester,C=GB');
  assert.deepEqual(report.subjectAltNames, ['email:rsa-1024@example.com']);
  assert.deepEqual(report.publicKey, { algorithm: 'RSA', size: 3072, curve: null, exponent: '65537' });
  assert.deepEqual(report.findings, []);
  // The shape of `inspect --json`.
  const inspected = (await runCli(['inspect', '--json', 'new.csr'], { cwd: dir })).stdout;
  assert.deepEqual(JSON.parse(inspected), [report]);
  const keyPem = readFileSync(join(dir, 'new.key'), 'utf8');
  assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assertNoSecretIn(result, keyPem);
  assert.equal(statSync(join(dir, 'new.key')).mode & 0o777, 0o600);
});

test('refusals: unoffered key types, missing or conflicting options, no terminal: exit 2, nothing written', async () => {
  const dir = folder('refusals');
  const base = ['--out', 'x.csr', '--key-out', 'x.key'];
  const cases: [string[], RegExp][] = [
    [
      ['--email', 'a@example.com', '--key-type', 'rsa-1024', '--no-passphrase', ...base],
      /rsa-1024 is not offered; choose one of rsa-2048, rsa-3072, rsa-4096, ec-p256, ec-p384/,
    ],
    [['--email', 'a@example.com', '--key-type', 'ec-p521', '--no-passphrase', ...base], /not offered/],
    [['--email', 'a@example.com', ...base], /no terminal to ask for a passphrase/],
    [['--email', 'a@example.com', '--passphrase-env', 'W12_PASS', '--no-passphrase', ...base], /not both/],
    [['--email', 'a@example.com', '--passphrase-env', 'UNSET_W12', ...base], /UNSET_W12 is not set/],
    [['--email', 'a@example.com', '--passphrase-env', 'EMPTY', ...base], /EMPTY is empty/],
    [['--no-passphrase', ...base], /either --email or --from/],
    [['--email', 'a@example.com', '--from', 'old.csr', '--no-passphrase', ...base], /either --email or --from/],
    [['--from', join(fixtures, 'rsa-1024.csr'), '--cn', 'x', '--no-passphrase', ...base], /go with --email/],
    [['--from', join(fixtures, 'no-email.csr'), '--no-passphrase', ...base], /no usable e-mail address/],
    [
      ['--from', join(fixtures, 'certificate.pem'), '--no-passphrase', ...base],
      /a certificate, not a certificate request/,
    ],
    [['--from', join(fixtures, 'multi-block.txt'), '--no-passphrase', ...base], /exactly one/],
    [['--from', 'missing.csr', '--no-passphrase', ...base], /no such file/],
    [['--email', 'not-an-address', '--no-passphrase', ...base], /not an e-mail address/],
    [
      ['--email', 'a@example.com', '--subject', 'BOGUS=1', '--no-passphrase', ...base],
      /'BOGUS' is not an attribute type/,
    ],
    [['--email', 'a@example.com', '--no-passphrase', '--out', 'x.csr'], /--key-out NEW.key is required/],
    [['--email', 'a@example.com', '--no-passphrase', '--out', 'same', '--key-out', 'same'], /same file/],
    [['--email', 'a@example.com', '--email', 'b@example.com', '--no-passphrase', ...base], /more than once/],
    [['--email', 'a@example.com', '--bogus', '--no-passphrase', ...base], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args, { cwd: dir, command: newCommand(() => null) });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.deepEqual(readdirSync(dir), [], `${args.join(' ')} wrote nothing`);
  }
});

test('a subject Sectigo would refuse is not written (exit 1, the finding named)', async () => {
  const dir = folder('findings');
  const result = await run(
    [
      '--email',
      'a@example.com',
      '--cn',
      'x'.repeat(65),
      '--key-type',
      'ec-p256',
      '--no-passphrase',
      '--out',
      'x.csr',
      '--key-out',
      'x.key',
    ],
    { cwd: dir },
  );
  assert.equal(result.code, 1);
  assert.match(result.stderr, /nothing written: .*subject-field-too-long/);
  assert.deepEqual(readdirSync(dir), []);
});

test('existing files are never overwritten, and a failed write leaves neither file', async () => {
  const dir = folder('existing');
  writeFileSync(join(dir, 'old.key'), 'precious');
  const args = ['--email', 'a@example.com', '--key-type', 'ec-p256', '--no-passphrase'];
  const keyExists = await run([...args, '--out', 'new.csr', '--key-out', 'old.key'], { cwd: dir });
  assert.equal(keyExists.code, 2);
  assert.match(keyExists.stderr, /old\.key already exists; it is never overwritten/);
  assert.equal(readFileSync(join(dir, 'old.key'), 'utf8'), 'precious');
  assert.deepEqual(readdirSync(dir), ['old.key']);
  const csrExists = await run([...args, '--out', 'old.key', '--key-out', 'new.key'], { cwd: dir });
  assert.equal(csrExists.code, 2);
  assert.deepEqual(readdirSync(dir), ['old.key']);
  const noFolder = await run([...args, '--out', 'new.csr', '--key-out', join('missing', 'new.key')], { cwd: dir });
  assert.equal(noFolder.code, 2);
  assert.match(noFolder.stderr, /the folder .*missing does not exist/);
  assert.deepEqual(readdirSync(dir), ['old.key']);
  // A key name the file system takes, but not its temporary name beside it: the request, already
  // written to its own temporary file, is removed too.
  const longName = `${'k'.repeat(250)}.key`;
  const failedWrite = await run([...args, '--out', 'new.csr', '--key-out', longName], { cwd: dir });
  assert.equal(failedWrite.code, 2);
  assert.match(failedWrite.stderr, /nothing was written: the file name is too long/);
  assert.deepEqual(readdirSync(dir), ['old.key']);
});

test('the terminal prompt: asked twice; the same answer encrypts the key, different answers write nothing', async () => {
  const dir = folder('prompt');
  const answers =
    (...values: (string | null)[]): (() => SecretPrompt) =>
    () =>
    async () =>
      values.shift() ?? null;
  const args = ['--email', 'a@example.com', '--key-type', 'ec-p256', '--out', 'p.csr', '--key-out', 'p.key'];
  const differ = await run(args, { cwd: dir, command: newCommand(answers(passphrase, 'other')) });
  assert.equal(differ.code, 2);
  assert.match(differ.stderr, /differ/);
  assert.deepEqual(readdirSync(dir), []);
  const empty = await run(args, { cwd: dir, command: newCommand(answers('')) });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /empty \(use --no-passphrase/);
  const same = await run(args, { cwd: dir, command: newCommand(answers(passphrase, passphrase)) });
  assert.equal(same.code, 0, same.stderr);
  const keyPem = readFileSync(join(dir, 'p.key'), 'utf8');
  assertNoSecretIn(same, keyPem);
  const opened = spawnSync('openssl', ['pkey', '-in', join(dir, 'p.key'), '-passin', 'env:W12_PASS', '-noout'], {
    env: { ...process.env, W12_PASS: passphrase },
  });
  assert.equal(opened.status, 0);
});

test('a key inside a git work tree that is not ignored draws a loud warning; an ignored one does not', async () => {
  const repo = folder('repo');
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(join(repo, '.gitignore'), '*.key\n');
  const args = ['--email', 'a@example.com', '--key-type', 'ec-p256', '--no-passphrase'];
  const ignored = await run([...args, '--out', 'a.csr', '--key-out', 'a.key'], { cwd: repo });
  assert.equal(ignored.code, 0, ignored.stderr);
  assert.doesNotMatch(ignored.stderr, /WARNING/);
  const exposed = await run([...args, '--out', 'b.csr', '--key-out', 'b.pem'], { cwd: repo });
  assert.equal(exposed.code, 0, exposed.stderr);
  assert.match(exposed.stderr, /WARNING: the private key b\.pem is inside a git work tree and not ignored/);
  const outside = await run([...args, '--out', 'c.csr', '--key-out', 'c.pem'], { cwd: folder('no-repo') });
  assert.equal(outside.code, 0);
  assert.equal(existsSync(join(scratch, 'no-repo', 'c.pem')), true);
});
