// Every input has a kind and a size before it is read: a device, a FIFO with no
// writer, a directory or an oversized file is refused at once with one line and
// exit 2; standard input is read up to the cap and no further.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { TEST_REVOCATION, runCli, type CliRun } from './run-cli';
import { MAX_INPUT_FILE_BYTES, readBoundedFile, readStreamUpTo } from '../../src/core/bounded-read';
import { validateRevocationReason } from '../../src/core/sectigo/validate';
import { createSectigoClient } from '../../src/core/sectigo/client';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sectigo-bounded-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  writeFileSync(join(dir, 'big'), '');
  truncateSync(join(dir, 'big'), 2 * MAX_INPUT_FILE_BYTES);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A stream that never ends, counting what was taken from it. */
function endless(): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  const stream = new Readable({
    read() {
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

function run(args: string[], stdin?: Readable): Promise<CliRun> {
  return runCli([...args, '--base-url', 'https://sectigo.invalid/products/'], {
    cwd: dir,
    env: { SECTIGO_LOGIN_NAME: 'user', SECTIGO_LOGIN_PASSWORD: 'pw' },
    stdin: (maxBytes) => readStreamUpTo(stdin ?? Readable.from([]), maxBytes),
  });
}

const replace = (csr: string): string[] => ['replace', '--order', '1', '--csr', csr];
const revokeFrom = (certificate: string): string[] => [
  'revoke',
  '--certificate',
  certificate,
  '--reason',
  'x',
  '--test',
];
const withCaFile = (caFile: string): string[] => [...TEST_REVOCATION, '--ca-file', caFile];

test('a device, a FIFO with no writer, a directory and an oversized file are refused in one line, exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [];
  for (const build of [replace, revokeFrom, withCaFile]) {
    cases.push(
      [build('/dev/zero'), /: is a device, not a regular file\.$/m],
      [build('fifo'), /: is a named pipe \(FIFO\), not a regular file\.$/m],
      [build('.'), /: is a directory, not a file\.$/m],
      [build('big'), /: is 2,097,152 bytes, over the limit of 1,048,576 bytes\.$/m],
    );
  }
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stderr.split('\n').filter(Boolean).length, 2, 'the message and the pointer to --help');
  }
});

test('endless standard input stops at the cap: replace --csr - and check - refuse it', async () => {
  const forReplace = endless();
  const result = await run(replace('-'), forReplace.stream);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--csr -: standard input is larger than the limit of 1,048,576 bytes\./);
  assert.ok(forReplace.pulled() <= MAX_INPUT_FILE_BYTES + 256 * 1024, `read ${forReplace.pulled()} bytes`);
  const forCheck = endless();
  const checked = await runCli(['check', '-'], {
    cwd: dir,
    stdin: (maxBytes) => readStreamUpTo(forCheck.stream, maxBytes),
  });
  assert.equal(checked.code, 2);
  assert.match(checked.printed, /input-too-large/);
  assert.ok(forCheck.pulled() <= 5 * 1024 * 1024, `read ${forCheck.pulled()} bytes`);
});

test('readBoundedFile reads a regular file whole and stops at the cap even when the size lies', async () => {
  writeFileSync(join(dir, 'small'), 'hello');
  assert.deepEqual(await readBoundedFile(join(dir, 'small'), 10), { kind: 'ok', bytes: Buffer.from('hello') });
  assert.deepEqual(await readBoundedFile(join(dir, 'small'), 4), {
    kind: 'refused',
    reason: 'is 5 bytes, over the limit of 4 bytes',
    tooLarge: true,
  });
  // /proc files say they are 0 bytes long.
  const status = await readBoundedFile('/proc/self/status', 10);
  assert.deepEqual(status, { kind: 'refused', reason: 'is larger than the limit of 10 bytes', tooLarge: true });
  assert.deepEqual(await readBoundedFile(join(dir, 'nothing'), 10), { kind: 'refused', reason: 'no such file' });
});

test('--reason refuses a newline, an escape or another control character with a clear message, nothing sent', async () => {
  for (const reason of ['line one\nline two', 'red \u001b[31m', 'tab\there', 'c1 \u009b']) {
    const result = await run(['revoke', '--order', '1', '--reason', reason, '--test']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /--reason: The revocation reason contains a control character \(a newline, tab or escape\)/,
    );
  }
  // Ordinary text, accents and all, is still a reason.
  assert.equal(validateRevocationReason('Schlüssel kompromittiert — ersetzt'), undefined);
});

test('NODE_EXTRA_CA_CERTS naming a device or a FIFO is skipped with a warning, never read', async () => {
  for (const [file, reason] of [
    ['/dev/zero', /is a device, not a regular file/],
    [join(dir, 'fifo'), /is a named pipe \(FIFO\)/],
  ] as const) {
    const warnings: string[] = [];
    const client = createSectigoClient({
      env: { NODE_EXTRA_CA_CERTS: file },
      log: (level, message) => level === 'warn' && warnings.push(message),
    });
    await client.close();
    assert.equal(warnings.length, 1, file);
    assert.match(warnings[0] ?? '', reason);
  }
});

test(
  'the built command line stops reading an endless standard input at the cap and exits 2',
  { timeout: 20_000 },
  async () => {
    const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    for (const args of [
      ['check', '-'],
      ['replace', '--order', '1', '--csr', '-'],
    ]) {
      const child = spawn(process.execPath, [cli, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdin.on('error', () => undefined);
      const chunk = Buffer.alloc(256 * 1024, 0x41);
      let written = 0;
      const pump = (): void => {
        while (child.stdin.writable && child.stdin.write(chunk)) written += chunk.length;
        if (child.stdin.writable) child.stdin.once('drain', pump);
      };
      pump();
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 2, output);
      assert.match(output, /(standard input is larger than the limit of [\d,]+ bytes)/);
      assert.ok(written < 64 * 1024 * 1024, `${written} bytes were taken`);
    }
  },
);
