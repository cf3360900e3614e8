// The command line against servers that echo the password back in every encoding,
// in pieces, and past the excerpt limit: every byte printed (text, --json and the
// SECTIGO_CSR_DEBUG log) is searched for the password in every encoding and for any
// run of six of its characters.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_REVOCATION, runCli, type CliRun } from './run-cli';
import { ECHO_ENCODINGS, startEchoServer, type EchoServer } from '../fake-sectigo/echo-server';
import { findLeaks } from '../fake-sectigo/leaks';

// A space, &, +, %, <, ", non-ASCII and an astral character: each has its own encoding.
const PASSWORD = 'Pa55 w&rd+%<"äöZq9€x😀yK7';

let echo: EchoServer;
before(async () => {
  echo = await startEchoServer();
});
after(async () => {
  await echo.close();
});

function run(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, {
    cwd: process.cwd(),
    env: { SECTIGO_LOGIN_NAME: 'user', SECTIGO_LOGIN_PASSWORD: PASSWORD, ...env },
  });
}

test('the leak search itself finds the password in each echoed form', async () => {
  // Without this, a search that finds nothing would prove nothing.
  for (const encoding of ECHO_ENCODINGS) {
    const response = await fetch(`${echo.origin}/${encoding}-answer/`, {
      method: 'POST',
      body: new URLSearchParams({ loginName: 'user', loginPassword: PASSWORD }).toString(),
    });
    const text = await response.text();
    assert.notDeepEqual(findLeaks(text, PASSWORD), [], `${encoding}: ${text}`);
  }
});

async function leaksFor(
  mode: string,
  expectedCode: number,
  variants: Array<[string, string[], Record<string, string>]>,
): Promise<string[]> {
  const leaks: string[] = [];
  const base = ['revoke', '--order', '1', '--reason', 'x', '--test', '--base-url', `${echo.origin}/${mode}/`];
  for (const [label, extra, env] of variants) {
    const { code, printed } = await run([...base, ...extra], env);
    assert.equal(code, expectedCode, `${mode} ${label}: ${printed}`);
    leaks.push(...findLeaks(printed, PASSWORD).map((leak) => `${mode} (${label}): ${leak}`));
  }
  return leaks;
}

test('nothing of the password is printed when the server echoes it, in every form, in its error message', async () => {
  const leaks = await leaksFor('all-answer', 3, [
    ['text', [], {}],
    ['--json', ['--json'], {}],
    ['debug', [], { SECTIGO_CSR_DEBUG: '1' }],
  ]);
  assert.deepEqual(leaks, []);
});

test('nothing of the password is printed when the server echoes it in an error page, in any one form', async () => {
  const leaks: string[] = [];
  for (const encoding of ECHO_ENCODINGS) {
    // --json prints the whole excerpt and the debug log prints it again; the text output prints its
    // first 120 characters, a part of the same redacted excerpt, so a few encodings suffice there.
    const text: Array<[string, string[], Record<string, string>]> = ['raw', 'split_at_300', 'pieces'].includes(encoding)
      ? [['text', [], {}]]
      : [];
    leaks.push(
      ...(await leaksFor(`${encoding}-page`, 4, [
        ...text,
        ['--json and debug', ['--json'], { SECTIGO_CSR_DEBUG: '1' }],
      ])),
    );
  }
  assert.deepEqual(leaks, []);
});

test('a proxy password with a space is never printed; a refused proxy is named as the proxy', async () => {
  const proxyPassword = 'pr0xy pass w0rd';
  const proxies = [
    `http://me:${proxyPassword}@127.0.0.1:9`,
    `http://me:${encodeURIComponent(proxyPassword)}@127.0.0.1:9`,
    `http://me:${proxyPassword}@proxy host:3128`,
    `socks5://me:${proxyPassword}@127.0.0.1:9`,
  ];
  for (const proxy of proxies) {
    for (const extra of [[], ['--json']]) {
      const { printed } = await run([...TEST_REVOCATION, '--base-url', 'https://sectigo.invalid/products/', ...extra], {
        HTTPS_PROXY: proxy,
        SECTIGO_CSR_DEBUG: '1',
      });
      assert.deepEqual(findLeaks(printed, proxyPassword), [], printed);
      assert.deepEqual(findLeaks(printed, PASSWORD), [], printed);
      if (proxy.includes('@127.0.0.1:9') && proxy.startsWith('http:'))
        assert.match(printed, /Nothing is listening at the proxy 127\.0\.0\.1:9 /);
    }
  }
});

test('control characters from the server are printed escaped, never executed; --json stays valid JSON', async () => {
  const base = ['revoke', '--order', '1', '--reason', 'x', '--test', '--base-url', `${echo.origin}/terminal-escapes/`];
  const text = await run(base, { SECTIGO_CSR_DEBUG: '1' });
  assert.equal(text.code, 3);
  assert.doesNotMatch(text.printed, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.ok(
    text.printed.includes('\\x1b]0;pwned\\x07\\x1b[2K\\r\\x1b[32mOrder 1 replaced\\x1b[0m \\u009b2K \\u202eesrever'),
    text.printed,
  );
  const json = await run([...base, '--json']);
  assert.equal(json.code, 3);
  assert.doesNotMatch(json.printed, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  const parsed = JSON.parse(json.printed) as { errorMessage: string };
  // --json carries the server's text as it was (JSON escapes every control, the sink the C1 and
  // bidi characters too, so the document prints safely and reads back as exactly that text); the
  // text output above shows the same text escaped once, by the terminal sink.
  assert.equal(parsed.errorMessage, '\x1b]0;pwned\x07\x1b[2K\r\x1b[32mOrder 1 replaced\x1b[0m \u009b2K \u202eesrever');
});

test("control characters in a CSR's subject are printed escaped by inspect and check too", async () => {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: ['evil\u001b]0;pwned\u0007\u001b[2K\u009b31m'] }],
    keys,
    signingAlgorithm: algorithm,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sectigo-escape-'));
  try {
    writeFileSync(join(dir, 'evil.csr'), csr.toString('pem'));
    for (const args of [
      ['inspect', 'evil.csr'],
      ['inspect', '--json', 'evil.csr'],
      ['check', 'evil.csr'],
    ]) {
      const { printed } = await runCli(args, { cwd: dir });
      assert.doesNotMatch(printed, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, args.join(' '));
      if (args[0] === 'inspect') assert.match(printed, /evil(\\x1b|\\u001b)\]0\\*;pwned/, args.join(' '));
      if (args[1] === '--json') JSON.parse(printed);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
