// The generator: the request passes our analysis with the right hash, and the key file opens
// with the passphrase (and only with it) in Node and OpenSSL alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { NonCompliantRequestError, generateRequest } from '../../../src/core/csr-new/generate';
import { pbkdf2Iterations, privateKeyPem } from '../../../src/core/csr-new/private-key-pem';
import { subjectFromOptions, subjectFromReport } from '../../../src/core/csr-new/subject';

test('EC P-384 is signed with SHA-384, P-256 with SHA-256; the SAN carries the e-mail', async () => {
  for (const [keyType, hash, curve] of [
    ['ec-p384', 'SHA-384', 'P-384'],
    ['ec-p256', 'SHA-256', 'P-256'],
  ] as const) {
    const created = await generateRequest(
      subjectFromOptions({ email: 'alice@example.com', cn: 'Alice' }),
      keyType,
      null,
      'new.csr',
    );
    assert.equal(created.report.signature.hash, hash);
    assert.equal(created.report.signature.valid, true);
    assert.equal(created.report.publicKey.curve, curve);
    assert.deepEqual(created.report.subjectAltNames, ['email:alice@example.com']);
    assert.equal(created.report.subject.text, 'E=alice@example.com,CN=Alice');
    assert.deepEqual(created.report.findings, []);
    assert.match(created.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    // The key written is the key of the request.
    const publicFromKey = createPublicKey(createPrivateKey(created.keyPem)).export({ type: 'spki', format: 'der' });
    const requestText = execFileSync('openssl', ['req', '-pubkey', '-noout'], { input: created.csrPem }).toString();
    assert.deepEqual(createPublicKey(requestText).export({ type: 'spki', format: 'der' }), publicFromKey);
  }
});

test('a request that would draw an error finding is refused, with the finding named', async () => {
  const subject = subjectFromOptions({ email: 'alice@example.com', cn: 'x'.repeat(65) });
  await assert.rejects(generateRequest(subject, 'ec-p256', null), (error: unknown) => {
    assert.ok(error instanceof NonCompliantRequestError);
    assert.match(error.message, /subject-field-too-long/);
    return true;
  });
});

test('the encrypted key: PBES2 with PBKDF2-HMAC-SHA256 at 600,000 iterations and AES-256-CBC, read by openssl and Node', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const passphrase = 'correct horse ✓ battery';
  const pem = await privateKeyPem(der, passphrase);
  assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  const structure = execFileSync('openssl', ['asn1parse'], { input: pem }).toString();
  assert.match(structure, /:PBES2/);
  assert.match(structure, /:PBKDF2/);
  assert.match(structure, new RegExp(`INTEGER +:0*${pbkdf2Iterations.toString(16).toUpperCase()}\\n`));
  assert.match(structure, /:hmacWithSHA256/);
  assert.match(structure, /:aes-256-cbc/);
  const opened = execFileSync('openssl', ['pkey', '-passin', 'env:W12_TEST_PASS'], {
    input: pem,
    env: { ...process.env, W12_TEST_PASS: passphrase },
  }).toString();
  assert.deepEqual(createPrivateKey(opened).export({ type: 'pkcs8', format: 'der' }), der);
  assert.deepEqual(createPrivateKey({ key: pem, passphrase }).export({ type: 'pkcs8', format: 'der' }), der);
  assert.throws(() => createPrivateKey({ key: pem, passphrase: 'wrong' }));
  assert.equal(pem.includes(passphrase), false);
  await assert.rejects(privateKeyPem(der, ''), /empty/);
});

test('a subject with escapes, a multi-valued RDN, non-ASCII and an unknown OID survives being copied (--from)', async () => {
  const text = 'CN=Zoë \\"Z\\" O\\+Brien\\, Jr.+UID=zoe,OU=\\#1 team\\ ,O=Exämple\\; Ltd\\=,1.2.3.4=plain,C=GB';
  const first = await generateRequest(subjectFromOptions({ email: 'zoe@example.com', subject: text }), 'ec-p256', null);
  assert.deepEqual(first.report.findings, []);
  assert.equal(first.report.subject.text, `E=zoe@example.com,${text}`);
  const copied = await generateRequest(subjectFromReport(first.report), 'ec-p256', null);
  assert.equal(copied.report.subject.text, first.report.subject.text);
  assert.deepEqual(copied.report.subjectAltNames, ['email:zoe@example.com']);
});
