// `sectigo-csr inspect` and `check`: run in-process through main() with a fake
// CliIo, and once as the built dist/cli.js in a child process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from './run-cli';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'csr');
let scratch = '';

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sectigo-csr-inspect-'));
});
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function run(args: string[], stdin = ''): Promise<CliRun> {
  return runCli(args, { cwd: fixtures, stdin });
}

const reportKeys = [
  'extensions',
  'file',
  'findings',
  'index',
  'microsoftTemplate',
  'publicKey',
  'signature',
  'subject',
  'subjectAltNames',
];

test('inspect --json prints exactly the documented fields', async () => {
  const result = await run(['inspect', '--json', 'ms-template-v2.csr', 'many-sans.csr', 'rsa-1024.csr']);
  assert.equal(result.code, 1, 'rsa-1024 has an error finding');
  const parsed = JSON.parse(result.stdout) as Record<string, unknown>[];
  assert.equal(parsed.length, 3);
  for (const entry of parsed) {
    assert.deepEqual(Object.keys(entry).sort(), reportKeys);
    assert.deepEqual(Object.keys(entry.publicKey as object).sort(), ['algorithm', 'curve', 'exponent', 'size']);
    assert.deepEqual(Object.keys(entry.signature as object).sort(), ['algorithm', 'hash', 'valid']);
    for (const extension of entry.extensions as object[])
      assert.deepEqual(Object.keys(extension).sort(), ['critical', 'name', 'oid']);
    for (const finding of entry.findings as object[])
      assert.deepEqual(Object.keys(finding).sort(), ['code', 'message', 'range', 'sectigoErrorCode', 'severity']);
  }
  const [template, sans, small] = parsed as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  assert.equal(template.file, 'ms-template-v2.csr');
  assert.deepEqual((template.microsoftTemplate as { v2: { majorVersion: number } }).v2.majorVersion, 100);
  assert.ok((sans.subjectAltNames as string[]).includes('email:alice@example.com'));
  assert.ok((sans.subjectAltNames as string[]).includes('DNS:mail.example.com'));
  assert.deepEqual(
    (small.findings as { code: string; sectigoErrorCode: number }[]).map((f) => [f.code, f.sectigoErrorCode]),
    [['rsa-key-too-small', -13]],
  );
});

test('non-requests are objects with an error field, and exit 2 wins over 1', async () => {
  const result = await run([
    'inspect',
    '--json',
    'rsa-1024.csr',
    'certificate.pem',
    'private-key.pem',
    'missing.csr',
    '.',
  ]);
  assert.equal(result.code, 2);
  const parsed = JSON.parse(result.stdout) as Record<string, unknown>[];
  const errors = parsed.filter((entry) => 'error' in entry);
  assert.deepEqual(
    errors.map((entry) => [entry.file, entry.code]),
    [
      ['certificate.pem', 'not-a-csr-certificate'],
      ['private-key.pem', 'not-a-csr-private-key'],
      ['missing.csr', 'unreadable'],
      ['.', 'unreadable'],
    ],
  );
  assert.match(result.stderr, /missing\.csr: error unreadable: no such file/);
  assert.match(result.stderr, /\.: error unreadable: this is a directory/);
  assert.doesNotMatch(result.stdout + result.stderr, /PRIVATE KEY-----|MIG/);
});

test('exit status: 0 clean (warnings allowed), 1 error findings, 2 usage', async () => {
  assert.equal((await run(['inspect', 'rsa-2048.csr'])).code, 0);
  assert.equal((await run(['inspect', 'no-email.csr'])).code, 0, 'a warning is not an error');
  assert.equal((await run(['check', 'broken-signature.csr'])).code, 1);
  assert.equal((await run(['inspect'])).code, 2);
  assert.equal((await run(['check'])).code, 2);
  const unknown = await run(['inspect', '--yaml', 'rsa-2048.csr']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option '--yaml'/);
  assert.equal((await run(['check', '--json', 'rsa-2048.csr'])).code, 2, 'check has no --json');
  assert.equal((await run(['inspect', '--', '--json'])).code, 2, 'after --, --json is a (missing) file name');
});

test('the readable report names key, signature, template and never the challenge password', async () => {
  const result = await run(['inspect', 'ms-template-v1.csr', 'challenge-password.csr', 'multi-block.txt']);
  assert.equal(result.code, 1, 'the multi-block file holds an RSA-1024 request');
  assert.match(result.stdout, /ms-template-v1\.csr\n {2}Subject: +E=ms-template-v1@example\.com,CN=ms-template-v1/);
  assert.match(result.stdout, /Public key: +RSA, 2048 bits, exponent 65537/);
  assert.match(result.stdout, /Signature: +sha256WithRSAEncryption \(SHA-256\), verifies/);
  assert.match(result.stdout, /MS template: +v1 name "SmimeUser"/);
  assert.match(result.stdout, /Challenge pwd: +present \(value not shown\)/);
  assert.match(result.stdout, /multi-block\.txt \(request 3 of 3, lines 33-44\)/);
  assert.match(result.stdout, /error +rsa-key-too-small: .* \[Sectigo -13\]/);
  for (const args of [
    ['inspect', 'challenge-password.csr'],
    ['inspect', '--json', 'challenge-password.csr'],
    ['check', 'challenge-password.csr'],
  ]) {
    const output = await run(args);
    assert.doesNotMatch(output.stdout + output.stderr, /never-printed-secret/);
  }
});

test('check prints only findings, one compiler-style line each', async () => {
  const clean = await run(['check', 'rsa-2048.csr', 'ec-P-384.csr']);
  assert.equal(clean.code, 0);
  assert.equal(clean.stdout, '');
  assert.match(clean.stderr, /2 inputs, 2 requests: 0 errors, 0 warnings/);
  const result = await run(['check', 'multi-block.txt', 'rsa-2048-sha1.csr', 'certificate.pem']);
  assert.equal(result.code, 2);
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0] as string, /^multi-block\.txt:33:1: error rsa-key-too-small: .*\[Sectigo -13\]$/);
  assert.match(lines[1] as string, /^rsa-2048-sha1\.csr:1:1: warning signature-hash-sha1: .*PREFER_SHA1/);
  assert.match(
    lines[2] as string,
    /^certificate\.pem:1: error not-a-csr-certificate: this is a certificate, not a certificate request$/,
  );
});

test('- reads standard input', async () => {
  const pem = readFileSync(join(fixtures, 'ec-P-256.csr'), 'utf8');
  const result = await run(['inspect', '--json', '-'], pem);
  assert.equal(result.code, 0);
  const [entry] = JSON.parse(result.stdout) as { file: string; publicKey: { curve: string } }[];
  assert.equal(entry?.file, '<stdin>');
  assert.equal(entry?.publicKey.curve, 'P-256');
  assert.equal((await run(['check', '-'], '')).code, 2, 'empty standard input is not a request');
});

test('a 50 MB file is refused from its size, quickly and without reading it', async () => {
  const huge = join(scratch, 'huge.csr');
  writeFileSync(huge, '');
  truncateSync(huge, 50 * 1024 * 1024);
  const result = await run(['inspect', '--json', huge]);
  assert.equal(result.code, 2);
  const [entry] = JSON.parse(result.stdout) as { code: string; error: string }[];
  assert.equal(entry?.code, 'input-too-large');
  assert.match(entry?.error ?? '', /52,428,800 bytes/);
});

test('hundreds of files in one process', async () => {
  const files = Array.from(
    { length: 300 },
    (_, i) => ['rsa-2048.csr', 'ec-P-256.csr', 'rsa-2048.der'][i % 3] as string,
  );
  const result = await run(['inspect', '--json', ...files]);
  assert.equal(result.code, 0);
  assert.equal((JSON.parse(result.stdout) as unknown[]).length, 300);
  // Written element by element, printed as JSON.stringify(array, null, 2) prints the whole array.
  assert.equal(result.stdout, `${JSON.stringify(JSON.parse(result.stdout), null, 2)}\n`);
  assert.equal((await run(['inspect', '--json', 'missing.csr'])).stdout.startsWith('[\n  {'), true);
});

test('over many files in a child process the output is the same, in order, through the thread pool', () => {
  const cli = join(root, 'dist', 'cli.js');
  const kinds = ['rsa-1024.csr', 'ec-P-256.csr', 'rsa-2048.der', 'multi-block.txt'];
  const alone = new Map(
    kinds.map((file) => [
      file,
      JSON.parse(
        spawnSync(process.execPath, [cli, 'inspect', '--json', file], { cwd: fixtures, encoding: 'utf8' }).stdout,
      ) as unknown[],
    ]),
  );
  const files = Array.from({ length: 120 }, (_, i) => kinds[i % kinds.length] as string);
  const together = spawnSync(process.execPath, [cli, 'inspect', '--json', ...files], {
    cwd: fixtures,
    encoding: 'utf8',
  });
  assert.equal(together.status, 1);
  assert.deepEqual(
    JSON.parse(together.stdout),
    files.flatMap((file) => alone.get(file) ?? []),
    'one process over all files says what one process per file says, in the order given',
  );
});

test('the built dist/cli.js behaves the same in a child process', () => {
  const cli = join(root, 'dist', 'cli.js');
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const json = spawnSync(process.execPath, [cli, 'inspect', '--json', 'rsa-2048.csr', 'ec-secp256k1.csr'], {
    cwd: fixtures,
    encoding: 'utf8',
  });
  assert.equal(json.status, 1, json.stderr);
  const parsed = JSON.parse(json.stdout) as { file: string; findings: { code: string }[] }[];
  assert.deepEqual(
    parsed.map((entry) => [entry.file, entry.findings.map((finding) => finding.code)]),
    [
      ['rsa-2048.csr', []],
      ['ec-secp256k1.csr', ['ec-curve-unsupported']],
    ],
  );
  const stdin = spawnSync(process.execPath, [cli, 'check', '-'], {
    cwd: fixtures,
    input: readFileSync(join(fixtures, 'rsa-2048.csr')),
    encoding: 'utf8',
  });
  assert.equal(stdin.status, 0, stdin.stderr);
  const missing = spawnSync(process.execPath, [cli, 'check', 'nope.csr'], { cwd: fixtures, encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stdout, /^nope\.csr: error unreadable: no such file$/m);
});

test('--files-from: names one a line or NUL-separated, after the FILEs; empty checks nothing; - is a file there', async () => {
  const plain = await run(['check', 'rsa-1024.csr', 'ec-P-256.csr', 'rsa-2048-sha1.csr']);
  const lines = join(scratch, 'lines.txt');
  writeFileSync(lines, 'ec-P-256.csr\r\n\r\nrsa-2048-sha1.csr\n');
  const fromFile = await run(['check', 'rsa-1024.csr', '--files-from', lines]);
  assert.equal(fromFile.stdout, plain.stdout, 'the same findings in the same order');
  assert.equal(fromFile.code, plain.code);
  assert.match(fromFile.stderr, /3 inputs, 3 requests/);
  const fromStdin = await run(['check', 'rsa-1024.csr', '--files-from=-'], 'ec-P-256.csr\0rsa-2048-sha1.csr\0');
  assert.equal(fromStdin.stdout, plain.stdout, 'NUL-separated, from standard input');
  const json = await run(['inspect', '--json', '--files-from', '-'], 'rsa-2048.csr\n');
  assert.equal((JSON.parse(json.stdout) as { file: string }[])[0]?.file, 'rsa-2048.csr');

  const empty = await run(['check', '--format', 'sarif', '--files-from', '-'], '');
  assert.equal(empty.code, 0);
  assert.deepEqual(JSON.parse(empty.stdout).runs[0].results, []);
  const dash = await run(['check', '--files-from', '-'], '-\n');
  assert.equal(dash.code, 2);
  assert.match(dash.stdout, /-: error unreadable: no such file/, 'the file named -, not standard input');

  for (const [args, stdin, problem] of [
    [['check', '--files-from', join(scratch, 'missing.txt')], '', /--files-from .*missing\.txt: no such file/],
    [['check', '--files-from', scratch], '', /--files-from .*: is a directory/],
    [['check', '--files-from'], '', /--files-from needs a LIST/],
    [['check', '--files-from', '-', '-'], 'x', /cannot be both the --files-from list and a request/],
    [['check', '--files-from', lines, '--files-from', lines], '', /given twice/],
  ] as const) {
    const result = await run([...args], stdin);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, problem);
  }
});
