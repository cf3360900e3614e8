// Passwords that share six or more characters with the program's own words ("loginPassword",
// "sectigo-csr revoke", "answered", "certificate"): what the program says is printed intact (and
// --json stays valid JSON), while a server's text echoing a piece of such a password is withheld.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { cliRunner } from '../fake-sectigo/cli-harness';
import { startEchoServer, type EchoServer } from '../fake-sectigo/echo-server';
import { SERVER_TEXT_WITHHELD } from '../../src/core/sectigo/redact';

const PASSWORDS = ['demo-password-2026', 'MySectigoAnswered!', 'x sectigo-csr revoke', 'my certificate 1'];

let fake: FakeSectigo;
let echo: EchoServer;
let dir: string;
let cli: ReturnType<typeof cliRunner>;

before(async () => {
  fake = await startFakeSectigo();
  echo = await startEchoServer();
  dir = mkdtempSync(join(tmpdir(), 'own-wording-'));
  cli = cliRunner(() => fake, dir, { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName });
});
after(async () => {
  await Promise.all([fake.close(), echo.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The same run with a password that shares nothing with any word printed: what every run should print. */
const UNRELATED = 'Qz9#Kw!7vX';

test("the program's own words are printed whole when the password shares letters with them", async () => {
  const args = ['revoke', '--order', ORDERS.issued, '--reason', 'certificate answered', '--test'];
  const baseline = await cli.run(args, { SECTIGO_LOGIN_PASSWORD: UNRELATED });
  const baselineJson = await cli.run([...args, '--json'], { SECTIGO_LOGIN_PASSWORD: UNRELATED });
  assert.match(baseline.stderr, /^sectigo-csr revoke: Sectigo answered -16: /);
  for (const password of PASSWORDS) {
    const text = await cli.run(args, { SECTIGO_LOGIN_PASSWORD: password });
    assert.equal(text.code, 3, text.stderr);
    assert.equal(text.stderr, baseline.stderr, password);
    const json = await cli.run([...args, '--json'], { SECTIGO_LOGIN_PASSWORD: password });
    const printed = JSON.parse(json.stdout) as { durationMs: number; request: { parameters: Record<string, string> } };
    const expected = JSON.parse(baselineJson.stdout) as { durationMs: number };
    assert.deepEqual({ ...printed, durationMs: 0 }, { ...expected, durationMs: 0 }, password);
    assert.ok(!json.stdout.includes(password), password);
  }
});

test('a server echoing such a password in pieces has its text withheld, and ours kept', async () => {
  const base = ['revoke', '--order', '1', '--reason', 'x', '--test', '--base-url', `${echo.origin}/pieces-answer/`];
  const baseline = await cli.run(base, { SECTIGO_LOGIN_PASSWORD: UNRELATED });
  assert.ok(
    baseline.stderr.startsWith(`sectigo-csr revoke: Sectigo answered -16: ${SERVER_TEXT_WITHHELD}\n`),
    baseline.stderr,
  );
  for (const password of PASSWORDS) {
    const text = await cli.run(base, { SECTIGO_LOGIN_PASSWORD: password });
    assert.equal(text.code, 3, text.stderr);
    assert.equal(text.stderr, baseline.stderr, password);
    const debug = await cli.run(base, { SECTIGO_LOGIN_PASSWORD: password, SECTIGO_CSR_DEBUG: '1' });
    // Nothing of the echo ("Login refused: " and the password's pieces) and nothing of ours cut.
    assert.doesNotMatch(debug.stderr, /Login refused|\[redacted\]/, debug.stderr);
    assert.ok(!debug.stderr.includes(password.slice(0, 7)), debug.stderr);
    const json = await cli.run([...base, '--json'], { SECTIGO_LOGIN_PASSWORD: password });
    assert.equal((JSON.parse(json.stdout) as { errorMessage: string }).errorMessage, SERVER_TEXT_WITHHELD);
  }
});
