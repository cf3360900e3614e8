// `sectigo-csr revoke` end to end against the fake server, and one whole session
// whose every printed byte and log line is then searched for the password.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { makeCertificatePem, makeCsrPem } from '../fake-sectigo/csrs';
import { cliRunner } from '../fake-sectigo/cli-harness';
import { assertPrintedIsReceived, jsonRequest, textRequest } from './printed-request';
import { runCli } from './run-cli';
import { REVOCATION_CODES } from '../../src/core/sectigo/validate';

let fake: FakeSectigo;
let dir: string;
const env = { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName, SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword };
let cli: ReturnType<typeof cliRunner>;
// The top bit is set, so DER stores it with a leading 00 that is not part of the serial.
const CERTIFICATE_SERIAL = '8A7F00C1D2';

before(async () => {
  fake = await startFakeSectigo();
  dir = mkdtempSync(join(tmpdir(), 'revoke-cli-'));
  const certificatePem = await makeCertificatePem(`00${CERTIFICATE_SERIAL}`);
  writeFileSync(join(dir, 'site.pem'), certificatePem);
  writeFileSync(join(dir, 'site.der'), Buffer.from(new x509.X509Certificate(certificatePem).rawData));
  writeFileSync(join(dir, 'request.csr'), await makeCsrPem({ kind: 'ec', curve: 'P-256' }));
  cli = cliRunner(() => fake, dir, env);
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

test('--test revokes nothing and needs no --yes', async () => {
  const result = await cli.run(['revoke', '--order', ORDERS.issued, '--reason', 'checking', '--test']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /nothing was revoked/);
  assert.equal(fake.orders.get(ORDERS.issued)?.state, 'issued');
  assert.equal(fake.requests.at(-1)?.params.test, 'Y');
});

test('a real revocation needs --yes; without it nothing is sent', async () => {
  const refused = await cli.run(['revoke', '--order', ORDERS.issued, '--reason', 'key lost', '--reason-code', '1']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  // The refusal shows the request from the call plan: the target first, every parameter, the password masked.
  assert.match(
    refused.stderr,
    /POST https:\/\/127\.0\.0\.1:\d+\/products\/!AutoRevokeSSL\n  loginName = demo-reseller\n  loginPassword = •+\n  orderNumber = 1000001\n  revocationReason = key lost\n  codeReason = 1\n  responseFormat = 1\n/,
  );
  assert.equal(fake.requests.length, 0);
  const done = await cli.run(
    ['revoke', '--order', ORDERS.issued, '--reason', 'key lost', '--reason-code', '1', '--yes', '--json'],
    { SECTIGO_CSR_DEBUG: '1' },
  );
  assert.equal(done.code, 0, done.stderr);
  assert.equal(fake.requests.length, 1);
  // --json and the debug preview carry the request from the one plan, and it is what the server received.
  assertPrintedIsReceived(jsonRequest(done.stdout), fake.requests.at(-1), fake);
  const debugged = textRequest(done.stderr, '[debug] ');
  assert.ok(debugged, done.stderr);
  assertPrintedIsReceived(debugged, fake.requests.at(-1), fake);
  // And the refusal without --yes showed exactly what --yes then sent.
  const shownBeforeYes = textRequest(refused.stderr, '  ');
  assert.ok(shownBeforeYes, refused.stderr);
  assertPrintedIsReceived(shownBeforeYes, fake.requests.at(-1), fake);
  assert.deepEqual(fake.orders.get(ORDERS.issued)?.revocation, { reason: 'key lost', code: '1' });
});

test('--certificate reads the serial number from PEM and from DER', async () => {
  for (const file of ['site.pem', 'site.der']) {
    fake.reset();
    const order = fake.addOrder({ orderNumber: '3000001', state: 'issued', serialNumber: CERTIFICATE_SERIAL });
    const result = await cli.run([
      'revoke',
      '--certificate',
      file,
      '--reason',
      'decommissioned',
      '--reason-code',
      '5',
      '--yes',
    ]);
    assert.equal(result.code, 0, `${file}: ${result.stderr}`);
    assert.equal(fake.requests.at(-1)?.params.serialNumber, CERTIFICATE_SERIAL);
    assert.equal(order.state, 'revoked');
  }
});

test('--certificate-id and --serial', async () => {
  const spare = fake.orders.get(ORDERS.issuedSpare);
  assert.ok(spare);
  assert.equal((await cli.run(['revoke', '--certificate-id', spare.certificateId, '--reason', 'x', '--test'])).code, 0);
  assert.equal(
    (await cli.run(['revoke', '--serial', spare.serialNumber.toLowerCase(), '--reason', 'x', '--test', '--json'])).code,
    0,
  );
});

test('API errors exit 3; --json prints the typed error', async () => {
  const result = await cli.run(['revoke', '--order', ORDERS.revoked, '--reason', 'x', '--yes', '--json']);
  assert.equal(result.code, 3);
  const parsed = JSON.parse(result.stdout) as { kind: string; errorCode: number; explanation: { nextStep: string } };
  assert.deepEqual([parsed.kind, parsed.errorCode], ['api-error', -21]);
  const rejected = await cli.run(['revoke', '--order', ORDERS.rejected, '--reason', 'x', '--yes']);
  assert.equal(rejected.code, 3);
  assert.match(rejected.stderr, /-20: The certificate request has been rejected!/);
});

test('local problems exit 2 and send nothing', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['revoke', '--reason', 'x', '--test'], /one of --order/],
    [['revoke', '--order', '1', '--serial', 'AB', '--reason', 'x', '--test'], /only one/],
    [['revoke', '--order', ORDERS.issued, '--test'], /--reason is required/],
    [['revoke', '--order', 'ABC', '--reason', 'x', '--test'], /digits/],
    [['revoke', '--serial', 'XYZ', '--reason', 'x', '--test'], /hexadecimal/],
    [['revoke', '--certificate-id', '12345678901234567', '--reason', 'x', '--test'], /16/],
    [['revoke', '--order', '1', '--reason', 'x', '--reason-code', '2', '--test'], /--reason-code/],
    [['revoke', '--order', '1', '--reason', 'r'.repeat(1025), '--test'], /1024/],
    [['revoke', '--certificate', 'request.csr', '--reason', 'x', '--test'], /certificate request/],
    [['revoke', '--certificate', 'nothing.pem', '--reason', 'x', '--test'], /no such file/],
    [['revoke', '--order', '1', '--reason', 'x', '--test', '--response-format', '1'], /response-format/],
    [['revoke', '--order', '1', '--reason', 'x', '--test', '--login-password', 'secret'], /login-password/],
  ];
  for (const [args, message] of cases) {
    const result = await cli.run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.equal(fake.requests.length, 0);
});

test('a whole session never prints or logs the password or the CSR body', async () => {
  const debug = { SECTIGO_CSR_DEBUG: '1' };
  const csr = 'request.csr';
  await cli.run(['replace', '--order', ORDERS.issued, '--csr', csr], debug);
  await cli.run(['replace', '--order', ORDERS.issued, '--csr', csr, '--json'], debug);
  await cli.run(['replace', '--order', ORDERS.revoked, '--csr', csr], debug);
  await cli.run(['revoke', '--order', ORDERS.issued, '--reason', 'x', '--test'], debug);
  await cli.run(['revoke', '--order', ORDERS.noPermission, '--reason', 'x', '--yes', '--json'], debug);
  await cli.run(['revoke', '--order', ORDERS.issued, '--reason', 'x', '--yes'], {
    ...debug,
    SECTIGO_LOGIN_PASSWORD: `${DEMO_ACCOUNT.loginPassword}!`,
  });
  await cli.run(['revoke', '--order', ORDERS.issued, '--reason', 'x', '--test'], {
    ...debug,
    SECTIGO_LOGIN_PASSWORD: 'p'.repeat(129),
  });
  const everything = cli.transcript.join('\n') + JSON.stringify(fake.requests);
  assert.match(everything, /POST https:\/\/127\.0\.0\.1/, 'the debug log did run');
  assert.ok(fake.requests.some((received) => received.passwordMatched === true));
  const password = DEMO_ACCOUNT.loginPassword;
  for (const form of [
    password,
    encodeURIComponent(password),
    new URLSearchParams({ p: password }).toString().slice(2),
    'p'.repeat(129),
    'Dem0 p&ss',
  ]) {
    assert.equal(everything.includes(form), false, `found a form of the password: ${form.slice(0, 4)}...`);
  }
  assert.doesNotMatch(everything, /BEGIN CERTIFICATE REQUEST|MII[A-Za-z0-9+/]{20}/);
});

test('Ctrl-C during a call cancels it and says the outcome is unknown', async () => {
  let arrived: () => void = () => undefined;
  const requestArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const silent = createServer((req) => {
    req.resume();
    arrived();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/products/`;
    const listenersBefore = process.listenerCount('SIGINT');
    const pending = cli.run(['revoke', '--order', ORDERS.issued, '--reason', 'x', '--test', '--base-url', base]);
    await requestArrived;
    process.emit('SIGINT');
    const result = await pending;
    assert.equal(result.code, 4);
    assert.match(result.stderr, /Cancelled after the request was sent: it may have taken effect/);
    assert.equal(process.listenerCount('SIGINT'), listenersBefore, 'the handler is removed after the call');
  } finally {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('both revoke usages list the reason codes the validator accepts, from their one list', async () => {
  for (const args of [
    ['revoke', '--help'],
    ['revoke', '--from', 'list.txt', '--help'],
  ]) {
    const { code, stdout } = await runCli(args, { cwd: dir, env });
    assert.equal(code, 0);
    const listed = /--reason-code C +(.+)\n/.exec(stdout)?.[1] ?? '';
    assert.deepEqual(
      listed.split(', ').map((entry) => entry.split(' ')[0]),
      Object.keys(REVOCATION_CODES),
      args.join(' '),
    );
    for (const [code, name] of Object.entries(REVOCATION_CODES)) assert.ok(listed.includes(`${code} ${name}`), listed);
  }
});
