// `sectigo-csr replace` end to end against the fake server: flags, confirmation,
// exit statuses, --json, and that nothing is sent when the input is wrong.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_ACCOUNT,
  LIMITED_ACCOUNT,
  LIMITED_ACCOUNT_CALLS,
  ORDERS,
  startFakeSectigo,
  type FakeSectigo,
} from '../fake-sectigo/server';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { cliRunner } from '../fake-sectigo/cli-harness';
import { runCli } from './run-cli';
import { DEFAULT_RESPONSE_FORMAT, LANGUAGE_NAMES, RESPONSE_FORMATS } from '../../src/core/sectigo/validate';
import { assertPrintedIsReceived, jsonRequest, textRequest } from './printed-request';

let fake: FakeSectigo;
let dir: string;
let csrPem: string;
const env = { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName, SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword };
let cli: ReturnType<typeof cliRunner>;

before(async () => {
  fake = await startFakeSectigo();
  dir = mkdtempSync(join(tmpdir(), 'replace-cli-'));
  csrPem = await makeCsrPem({ kind: 'ec', curve: 'P-384' });
  writeFileSync(join(dir, 'new.csr'), csrPem);
  const body = csrPem.replace(/-----[^-]+-----/g, '').replace(/\s/g, '');
  writeFileSync(join(dir, 'new.der'), Buffer.from(body, 'base64'));
  writeFileSync(join(dir, 'small.csr'), await makeCsrPem({ kind: 'rsa', bits: 1024 }));
  writeFileSync(
    join(dir, 'with-text.txt'),
    `Certificate Request:\n    Data: (openssl req -text output)\n${csrPem}\nthanks, Alice\n`,
  );
  writeFileSync(join(dir, 'two.csr'), `${csrPem}\n${csrPem}`);
  writeFileSync(join(dir, 'dsa.csr'), readFileSync(join(__dirname, '..', 'fixtures', 'csr', 'dsa-2048.csr')));
  // 30,000 bytes of DER (a long OID arc: refused from its size, before any decoding) and 70 KB of text.
  writeFileSync(
    join(dir, 'huge.der'),
    Buffer.concat([Uint8Array.of(0x30, 0x82, 0x75, 0x2c, 0x06, 0x82, 0x75, 0x28), Buffer.alloc(30000 - 8, 0xff)]),
  );
  writeFileSync(join(dir, 'huge.txt'), 'x'.repeat(70_000));
  writeFileSync(join(dir, 'cut.der'), Buffer.from(body, 'base64').subarray(0, 200));
  writeFileSync(join(dir, 'broken-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n');
  cli = cliRunner(() => fake, dir, env);
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

test('replace prints the new order number and exits 0', async () => {
  const result = await cli.run([
    'replace',
    '--order',
    ORDERS.issued,
    '--csr',
    'new.csr',
    '--language',
    'fr',
    '--signature-hash',
    'INFER_FROM_CSR',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /new order number is 2000001/);
  const sent = fake.requests.at(-1)?.params;
  assert.equal(sent?.languageName, 'fr');
  assert.equal(sent?.signatureHash, 'INFER_FROM_CSR');
  assert.equal(fake.requests.at(-1)?.passwordMatched, true);
});

test('a DER CSR, a CSR on standard input and a PEM block inside other text are accepted', async () => {
  assert.equal((await cli.run(['replace', '--order', ORDERS.issued, '--csr', 'new.der'])).code, 0);
  assert.equal((await cli.run(['replace', '--order', ORDERS.issued, '--csr', '-'], {}, csrPem)).code, 0);
  const surrounded = await cli.run(['replace', '--order', ORDERS.issued, '--csr', 'with-text.txt']);
  assert.equal(surrounded.code, 0, surrounded.stderr);
  assert.equal(fake.requests.length, 3);
  // Every form sends the same canonical PEM, never the text around it (the fake server records its length only).
  assert.deepEqual(
    fake.requests.map((request) => request.params.csr),
    Array(3).fill(`[${csrPem.trimEnd().length} characters]`),
  );
});

test('a likely refusal is said as a note and the request is sent', async () => {
  const result = await cli.run(['replace', '--order', ORDERS.issued, '--csr', 'dsa.csr']);
  assert.match(
    result.stderr,
    /^sectigo-csr replace: note: Sectigo may refuse \(-13\): The key algorithm DSA is not a key type Sectigo lists \(RSA, EC\)\.$/m,
  );
  assert.equal(fake.requests.length, 1, 'a likely refusal does not stop the call');
});

test('--json prints the typed result', async () => {
  const result = await cli.run([
    'replace',
    '--order',
    ORDERS.issued,
    '--csr',
    'new.csr',
    '--response-format',
    '2',
    '--json',
  ]);
  assert.equal(result.code, 0);
  const parsed = JSON.parse(result.stdout) as {
    kind: string;
    newOrderNumber: string;
    responseFormat: number;
    request: { parameters: Record<string, string> };
  };
  assert.deepEqual([parsed.kind, parsed.newOrderNumber, parsed.responseFormat], ['success', '2000001', 2]);
  // The CSR as the README documents it: "<file> (<n> characters)", n the length of what was sent.
  // (The fake server records the CSR it received as "[<n> characters]".)
  const sent = /^\[(\d+) characters\]$/.exec(fake.requests.at(-1)?.params.csr ?? '')?.[1];
  assert.ok(sent !== undefined);
  assert.equal(parsed.request.parameters.csr, `new.csr (${sent} characters)`);
  assert.match(parsed.request.parameters.loginPassword ?? '', /^•+$/, 'the password is masked');
  assert.ok(!result.stdout.includes('BEGIN CERTIFICATE REQUEST'));
});

test('--revoke-old needs --yes; without it nothing is sent and the exit status is 2', async () => {
  const refused = await cli.run(['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--revoke-old']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  assert.equal(fake.requests.length, 0);
  const confirmed = await cli.run(['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--revoke-old', '--yes']);
  assert.equal(confirmed.code, 0, confirmed.stderr);
  assert.equal(fake.orders.get(ORDERS.issued)?.state, 'revoked');
});

test('the request printed is the request the server received, field for field and in order', async () => {
  // Every optional field, so a field planned for display but sent differently (or not at all) shows.
  const args = [
    'replace',
    '--order',
    ORDERS.issued,
    '--csr',
    'new.der',
    '--signature-hash',
    'REQUIRE_SHA2',
    '--ca-certificate-id',
    '7',
    '--revoke-old',
    '--verification-template',
    '11',
    '--request-template',
    '12',
    '--collection-template',
    '13',
    '--response-format',
    '2',
  ];
  const refused = await cli.run(args);
  assert.equal(refused.code, 2, refused.stderr);
  assert.equal(fake.requests.length, 0);
  const shownBeforeYes = textRequest(refused.stderr, '  ');
  assert.ok(shownBeforeYes, refused.stderr);

  const sent = await cli.run([...args, '--yes', '--json'], { SECTIGO_CSR_DEBUG: '1' });
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(fake.requests.length, 1);
  const received = fake.requests[0];
  assertPrintedIsReceived(jsonRequest(sent.stdout), received, fake);
  const debugged = textRequest(sent.stderr, '[debug] ');
  assert.ok(debugged, sent.stderr);
  assertPrintedIsReceived(debugged, received, fake);
  // What the refusal showed is what --yes then sent.
  assertPrintedIsReceived(shownBeforeYes, received, fake);
  assert.deepEqual(
    Object.keys(received?.params ?? {}).filter((name) => /Template|caCertificate|revokeOld/.test(name)),
    [
      'caCertificateID',
      'revokeOldOrder',
      'SMIMEVerificationTemplateID',
      'SMIMERequestTemplateID',
      'SMIMECollectionTemplateID',
    ],
  );
});

test('an API error exits 3 with code, message, meaning and next step', async () => {
  const result = await cli.run(['replace', '--order', ORDERS.beingIssued, '--csr', 'new.csr']);
  assert.equal(result.code, 3);
  assert.match(result.stderr, /answered -22: The certificate is currently being issued!/);
  assert.match(result.stderr, /Next step: Wait/);
});

test('local problems exit 2 and send nothing', async () => {
  const cases: Array<[string[], RegExp, Record<string, string>?]> = [
    [['replace', '--csr', 'new.csr'], /--order is required/],
    [['replace', '--order', ORDERS.issued], /--csr is required/],
    [['replace', '--order', ORDERS.issued, '--csr', 'missing.csr'], /no such file/],
    [['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--language', 'pl'], /--language/],
    [['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--signature-hash', 'SHA1'], /--signature-hash/],
    [['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--response-format', '3'], /--response-format/],
    [['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--request-template', 'x'], /--request-template/],
    [['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--colour', 'blue'], /colour/],
    [['replace', '--order', ORDERS.issued, '--order', '2', '--csr', 'new.csr'], /more than once/],
    [
      ['replace', '--order', ORDERS.issued, '--csr', 'small.csr'],
      /--csr small\.csr: Sectigo will answer -13: The RSA key has 1024 bits; Sectigo accepts 2048 to 8192 bits\. Nothing was sent\./,
    ],
    [
      ['replace', '--order', ORDERS.issued, '--csr', 'huge.der'],
      /--csr huge\.der: as PEM the request would be 40,\d{3} characters; Sectigo accepts at most 32,767\. Nothing was sent\./,
    ],
    [
      ['replace', '--order', ORDERS.issued, '--csr', 'huge.txt'],
      /--csr huge\.txt: the file is 70,000 bytes, too long for one request/,
    ],
    [
      ['replace', '--order', ORDERS.issued, '--csr', 'cut.der'],
      /--csr cut\.der: this is not a valid certificate request: the request is truncated/,
    ],
    [['replace', '--order', ORDERS.issued, '--csr', 'two.csr'], /2 certificate requests/],
    [['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--timeout', 'soon'], /--timeout/],
    [
      ['replace', '--order', ORDERS.issued, '--csr', 'new.csr'],
      /SECTIGO_LOGIN_PASSWORD/,
      { SECTIGO_LOGIN_PASSWORD: '' },
    ],
  ];
  cases.push([
    ['replace', '--order', ORDERS.issued, '--csr', 'new.csr', '--ca-file', 'broken-ca.pem'],
    /certificate 1 of 1 cannot be read/,
  ]);
  for (const [args, message, extraEnv] of cases) {
    const result = await cli.run(args, extraEnv);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.equal(fake.requests.length, 0);
});

test('a plain http:// base URL other than loopback is refused before sending', async () => {
  const { code, stderr } = await runCli(
    ['replace', '--order', '1', '--csr', 'new.csr', '--base-url', 'http://secure.trust-provider.com/products/'],
    { cwd: dir, env },
  );
  assert.equal(code, 2);
  assert.match(stderr, /https/);
});

test('-42 prints the time of the next safe try', async () => {
  const limited = {
    SECTIGO_LOGIN_NAME: LIMITED_ACCOUNT.loginName,
    SECTIGO_LOGIN_PASSWORD: LIMITED_ACCOUNT.loginPassword,
  };
  for (let call = 0; call < LIMITED_ACCOUNT_CALLS; call++)
    assert.equal((await cli.run(['replace', '--order', ORDERS.issued, '--csr', 'new.csr'], limited)).code, 3);
  const result = await cli.run(['replace', '--order', ORDERS.issued, '--csr', 'new.csr'], limited);
  assert.equal(result.code, 3);
  assert.match(result.stderr, /answered -42: Call limit reached!/);
  const nextTry = /Next safe try: not before (\S+)/.exec(result.stderr)?.[1] ?? '';
  assert.ok(Date.parse(nextTry) > Date.now(), result.stderr);
});

test('the usage names every language code and response format the validators accept, from their one list', async () => {
  const { code, stdout, stderr } = await runCli(['replace', '--help'], { cwd: dir, env });
  assert.equal(code, 0, stderr);
  const language = /--language xx +email language: ([a-z ]+)\n/.exec(stdout);
  assert.deepEqual(language?.[1]?.trim().split(' '), Object.keys(LANGUAGE_NAMES));
  const formats = /--response-format ([0-9|]+) .*\(default (\d)/.exec(stdout);
  assert.deepEqual(formats?.[1]?.split('|').map(Number), [...RESPONSE_FORMATS.AutoReplaceSMIME]);
  assert.equal(Number(formats?.[2]), DEFAULT_RESPONSE_FORMAT);
});
