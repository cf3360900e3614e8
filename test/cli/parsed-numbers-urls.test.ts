// Numbers and URLs from outside, parsed, as the command line shows them: a 401-digit errorCode is
// no API answer (never null in --json), and production is named on the parsed URL in the refusal
// without --yes, whatever its spelling.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './run-cli';
import { startEchoServer, type EchoServer } from '../fake-sectigo/echo-server';
import { ExitCode } from '../../src/cli/io';

let echo: EchoServer;
before(async () => {
  echo = await startEchoServer();
});
after(async () => {
  await echo.close();
});

const env = { SECTIGO_LOGIN_NAME: 'user', SECTIGO_LOGIN_PASSWORD: 'Unrelated-Pass-2026' };
const LONG = '9'.repeat(401);

test('an errorCode of 401 digits is no API answer: exit 4, a bounded excerpt, and no null in --json', async () => {
  for (const body of [`-${LONG}\nmessage\n`, `{"errorCode": ${LONG}}`, `errorCode=${LONG}`]) {
    const baseUrl = echo.program(() => ({
      body,
      contentType: body.startsWith('{') ? 'application/json' : 'text/plain',
    }));
    const args = ['revoke', '--order', '1', '--reason', 'x', '--test', '--base-url', baseUrl];
    const text = await runCli(args, { cwd: process.cwd(), env });
    assert.equal(text.code, ExitCode.transport, text.printed);
    assert.match(
      text.printed,
      /Not an answer from the Sectigo API: the answer has (an errorCode of 401 digits|no numeric errorCode)/,
    );
    assert.ok(text.printed.length < 2000, `${text.printed.length} characters printed`);
    const json = await runCli([...args, '--json'], { cwd: process.cwd(), env });
    assert.equal(json.code, ExitCode.transport);
    const parsed = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(parsed.kind, 'transport-error');
    assert.ok(!('errorCode' in parsed) || typeof parsed.errorCode === 'number', json.stdout);
    assert.doesNotMatch(json.stdout, /\bnull\b/);
  }
});

test('the refusal without --yes names Sectigo production in any spelling of its URL, and a test server as not production', async () => {
  const revoke = (baseUrl: string): Promise<Awaited<ReturnType<typeof runCli>>> =>
    runCli(['revoke', '--order', '1', '--reason', 'x', '--base-url', baseUrl], { cwd: process.cwd(), env });
  for (const spelling of [
    'https://secure.trust-provider.com/products/',
    'https://secure.trust-provider.com:443/products/',
    'https://SECURE.Trust-Provider.com./products/./',
    'https://secure.trust-provider.com/%70roducts',
  ]) {
    const result = await revoke(spelling);
    assert.equal(result.code, ExitCode.usage, result.printed);
    assert.match(
      result.printed,
      /would be sent to secure\.trust-provider\.com\.?(:443)? \(Sectigo production\) as user/i,
      spelling,
    );
  }
  const test = await revoke(echo.program(() => ({ body: '0\n' })));
  assert.match(test.printed, /would be sent to 127\.0\.0\.1:\d+ \(not production\) as user/);
});
