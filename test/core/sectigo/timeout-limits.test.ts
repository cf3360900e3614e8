// The call timeout's default and maximum are one fact: the client, the CLI's --timeout and the
// extension's sectigo.timeoutSeconds setting (declared in package.json) all use the core's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from '../../../src/core/sectigo/types';
import { TEST_REVOCATION, runCli, type CliRun } from '../../cli/run-cli';

test("package.json declares the timeout setting with the core's default and maximum", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: {
      configuration:
        | { properties: Record<string, { default?: unknown; maximum?: unknown }> }
        | Array<{ properties: Record<string, { default?: unknown; maximum?: unknown }> }>;
    };
  };
  const sections = [manifest.contributes.configuration].flat();
  const setting = sections
    .map((section) => section.properties['sectigo.timeoutSeconds'])
    .find((found) => found !== undefined);
  assert.ok(setting, 'sectigo.timeoutSeconds is declared');
  assert.equal(setting.default, DEFAULT_TIMEOUT_SECONDS);
  assert.equal(setting.maximum, MAX_TIMEOUT_SECONDS);
});

test('the CLI accepts --timeout up to the maximum and refuses more, naming it', async () => {
  const run = (timeout: string): Promise<CliRun> =>
    runCli(
      [...TEST_REVOCATION, '--timeout', timeout, '--base-url', 'http://127.0.0.1:9/products/'],
      // Port 9 on loopback: nothing listens, so an accepted timeout ends in "connection refused".
      { cwd: process.cwd(), env: { SECTIGO_LOGIN_NAME: 'user', SECTIGO_LOGIN_PASSWORD: 'not-a-real-password' } },
    );
  const over = await run(String(MAX_TIMEOUT_SECONDS + 1));
  assert.equal(over.code, 2);
  assert.match(over.stderr, new RegExp(`--timeout needs a number of seconds between 0 and ${MAX_TIMEOUT_SECONDS}\\.`));
  const at = await run(String(MAX_TIMEOUT_SECONDS));
  assert.doesNotMatch(at.stderr, /--timeout/, at.stderr);
  assert.match(at.stderr, /Nothing is listening/, at.stderr);
});
