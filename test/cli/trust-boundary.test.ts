// The trust promises at their boundaries, tried as an attacker would: a server field carrying the
// password (newOrderNumber), echoes in upper case and UTF-16, passwords that look like JSON values,
// usage errors under --json, and file names and subjects that try to print lines of their own.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from './run-cli';
import { startEchoServer, type EchoServer } from '../fake-sectigo/echo-server';
import { findLeaks } from '../fake-sectigo/leaks';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { ExitCode } from '../../src/cli/io';

const PASSWORD = 'Zebra-Quartz-7781-Lumen';
const dir = mkdtempSync(join(tmpdir(), 'trust-boundary-'));
let echo: EchoServer;
let fake: FakeSectigo;
/** Passwords that are also JSON values or words of the program's own output. */
const LOOKALIKES = ['200', '0', 'success', 'true', 'null', 'AutoRevokeSSL', 'errorCode', '"', '[redacted]'];

before(async () => {
  echo = await startEchoServer();
  fake = await startFakeSectigo({
    accounts: LOOKALIKES.map((loginPassword, index) => ({ loginName: `lookalike${index}`, loginPassword })),
  });
  writeFileSync(join(dir, 'new.csr'), await makeCsrPem({ kind: 'ec', curve: 'P-256' }));
  LOOKALIKES.forEach((_password, index) =>
    fake.addOrder({ orderNumber: lookalikeOrder(index), state: 'issued', owner: `lookalike${index}` }),
  );
});
const lookalikeOrder = (index: number): string => String(3_000_001 + index);
after(async () => {
  await echo.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { cwd: dir, env: { SECTIGO_LOGIN_NAME: 'user', SECTIGO_LOGIN_PASSWORD: PASSWORD, ...env } });
}

const replaceAt = (mode: string, extra: string[] = []): string[] => [
  'replace',
  '--order',
  '1',
  '--csr',
  'new.csr',
  '--yes',
  '--base-url',
  `${echo.origin}/${mode}/`,
  ...extra,
];

test('a newOrderNumber that carries the password, part of it or it upper-cased is an unexpected answer, never printed', async () => {
  for (const mode of ['order-echo', 'order-part', 'order-upper']) {
    for (const [extra, env] of [
      [[], {}],
      [['--json'], {}],
      [[], { SECTIGO_CSR_DEBUG: '1' }],
    ] as const) {
      const result = await run(replaceAt(mode, [...extra]), env);
      assert.equal(result.code, ExitCode.transport, `${mode}: ${result.printed}`);
      assert.match(result.printed, /new order number is not a number/);
      assert.doesNotMatch(result.printed, /the new order number is [^n]/);
      assert.deepEqual(findLeaks(result.printed, PASSWORD), [], `${mode} ${extra.join(' ')}`);
      if (extra.length > 0) {
        const parsed = JSON.parse(result.stdout) as { kind: string; newOrderNumber?: string };
        assert.equal(parsed.kind, 'transport-error');
        assert.equal(parsed.newOrderNumber, undefined);
      }
    }
  }
});

test('an answer in UTF-16 (LE without a BOM, BE with one) is decoded before the search: the echo is withheld', async () => {
  for (const mode of ['utf16le-answer-body', 'utf16be-answer-body']) {
    for (const extra of [[], ['--json']]) {
      const result = await run(
        ['revoke', '--order', '1', '--reason', 'x', '--test', '--base-url', `${echo.origin}/${mode}/`, ...extra],
        { SECTIGO_CSR_DEBUG: '1' },
      );
      assert.equal(result.code, ExitCode.apiError, `${mode}: ${result.printed}`);
      assert.match(result.printed, /server text withheld/);
      assert.deepEqual(findLeaks(result.printed, PASSWORD), [], mode);
    }
  }
});

test('--json has the same fields and values whatever the password is, even one spelled like a JSON value', async () => {
  const shapes = new Map<string, unknown>();
  for (const [index, password] of LOOKALIKES.entries()) {
    const result = await runCli(
      [
        'revoke',
        '--order',
        lookalikeOrder(index),
        '--reason',
        'x',
        '--test',
        '--json',
        '--base-url',
        fake.url,
        '--ca-file',
        fake.caFile,
      ],
      { cwd: dir, env: { SECTIGO_LOGIN_NAME: `lookalike${index}`, SECTIGO_LOGIN_PASSWORD: password } },
    );
    assert.equal(result.code, ExitCode.ok, `${password}: ${result.printed}`);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(parsed.kind, 'success');
    assert.equal(parsed.errorCode, 0);
    assert.equal(parsed.httpStatus, 200);
    assert.equal(parsed.endpoint, 'AutoRevokeSSL');
    const { durationMs, request, ...stable } = parsed as { durationMs: number; request: Record<string, unknown> };
    assert.equal(typeof durationMs, 'number');
    assert.equal(typeof request, 'object');
    shapes.set(password, { ...stable, requestFields: Object.keys(request).sort() });
  }
  const [first, ...others] = [...shapes.values()];
  for (const shape of others) assert.deepEqual(shape, first);
});

test('a usage error with --json prints a JSON error object on standard output', async () => {
  for (const args of [
    ['revoke', '--json', '--order', 'abc', '--reason', 'x'],
    ['revoke', '--json', '--no-such-flag'],
    ['replace', '--json', '--order', '1'],
    ['revoke', '--json', '--from', 'missing.csv', '--reason', 'x'],
    ['inspect', '--json', '--no-such-flag', 'new.csr'],
    ['new', '--json', '--no-such-flag'],
  ]) {
    const result = await run(args);
    assert.equal(result.code, ExitCode.usage, `${args.join(' ')}: ${result.printed}`);
    const parsed = JSON.parse(result.stdout) as { kind: string; message: string; exitCode: number };
    assert.equal(parsed.kind, 'usage-error', args.join(' '));
    assert.equal(parsed.exitCode, 2);
    assert.ok(parsed.message.length > 0);
    assert.deepEqual(findLeaks(result.printed, PASSWORD), []);
  }
});

// Every Unicode format character class the issue names, and more: bidi marks and isolates, the
// Arabic letter mark, the separators, BOM, word joiner, soft hyphen, an invisible tag character.
const INVISIBLES = [
  '\u200f',
  '\u061c',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u2060',
  '\u00ad',
  '\u2066',
  '\u{e0041}',
  '\u180e',
];

test('one line is one line: a file name or CN with newlines and invisible characters cannot print a line of its own', async () => {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const forged = '\n::error file=x.csr::pwned\n  Signature:      sha256WithRSAEncryption, verifies\r\n';
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [`evil${forged}${INVISIBLES.join('x')}`] }],
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: `a.example${forged}` }])],
  });
  const fileName = `req\n::warning::forged\u2028name.csr`;
  writeFileSync(join(dir, fileName), csr.toString('pem'));
  writeFileSync(join(dir, 'bad\n::error::x.csr'), 'not a request');
  for (const args of [
    ['inspect', fileName],
    ['check', fileName],
    ['check', 'bad\n::error::x.csr'],
    ['inspect', 'bad\n::error::x.csr'],
  ]) {
    const { printed } = await runCli(args, { cwd: dir });
    for (const line of printed.split('\n')) {
      assert.doesNotMatch(line, /^\s*::/, `${args[0]}: a line starts with a workflow command: ${line}`);
      assert.doesNotMatch(line, /^\s*Signature:\s+sha256WithRSA/, `${args[0]}: forged signature line`);
    }
    assert.doesNotMatch(printed, /[\r\u2028\u2029\p{Cf}]/u, `${args[0]}: an invisible character was printed`);
    if (args[1] === fileName) assert.ok(printed.includes('req\\n::warning::forged\\u2028name.csr'), printed);
    if (args[0] === 'inspect' && args[1] === fileName) {
      assert.ok(printed.includes('\\u200f') && printed.includes('\\udb40\\udc41'), printed);
      assert.equal(printed.match(/^ {2}Signature:/gm)?.length, 1);
    }
  }
});

test('a bulk run against an echoing server: nothing of the password in what it prints or in its journal', async () => {
  writeFileSync(join(dir, 'list.txt'), '1001\n1002\n');
  const journal = join(dir, 'echo.journal.jsonl');
  for (const mode of ['all-answer', 'utf16le-answer-body', 'order-upper']) {
    const result = await run(
      [
        'revoke',
        '--from',
        'list.txt',
        '--reason',
        'x',
        '--test',
        '--journal',
        journal,
        '--base-url',
        `${echo.origin}/${mode}/`,
      ],
      { SECTIGO_CSR_DEBUG: '1' },
    );
    // A revocation's "0" answer with a second line (here the password) is a success; the line is not kept.
    assert.equal(result.code, mode === 'order-upper' ? ExitCode.ok : ExitCode.apiError, result.printed);
    const stored = readFileSync(journal);
    for (const text of [result.printed, stored.toString('utf8'), stored.toString('latin1')])
      assert.deepEqual(findLeaks(text, PASSWORD), [], mode);
    rmSync(journal);
  }
});

test('a 70 KB server message is journalled cut and marked, and the same command reads the journal back', async () => {
  writeFileSync(join(dir, 'long.txt'), '2001\n');
  const journal = join(dir, 'long.journal.jsonl');
  const args = ['revoke', '--from', 'long.txt', '--reason', 'x', '--test', '--journal', journal];
  const first = await run([...args, '--base-url', `${echo.origin}/long-answer/`]);
  assert.equal(first.code, ExitCode.apiError, first.printed);
  const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
  for (const line of lines) assert.ok(Buffer.byteLength(line) < 8 * 1024, `${Buffer.byteLength(line)} bytes`);
  assert.match(lines.at(-1) ?? '', /… \[cut: \d+ more bytes\]/);
  // Run again (with --retry-failed, so the target is sent again): the journal is read, not refused.
  const again = await run([...args, '--retry-failed', '--base-url', `${echo.origin}/long-answer/`]);
  assert.equal(again.code, ExitCode.apiError, again.printed);
  assert.doesNotMatch(again.printed, /too long|cannot be used/);
});
