// The subject of a new request: RFC 4514 parsing, the options, and copying an old request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseCsrText, isCsrReport, type CsrReport } from '../../../src/core/csr/index';
import {
  emailAddressOid,
  emailProblem,
  isKeyType,
  keyTypes,
  parseRfc4514,
  recommendedKeyType,
  subjectFromOptions,
  subjectFromReport,
} from '../../../src/core/csr-new/subject';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'csr');

function reportOf(name: string): CsrReport {
  const [result] = analyseCsrText(readFileSync(join(fixtures, name)), name);
  assert.ok(result !== undefined && isCsrReport(result));
  return result;
}

test('only the key types Sectigo accepts are offered, the recommended one among them', () => {
  assert.deepEqual([...keyTypes], ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384']);
  assert.ok(isKeyType(recommendedKeyType));
  for (const refused of ['rsa-1024', 'rsa-8192', 'ec-p521', 'ed25519', 'RSA-2048', ''])
    assert.equal(isKeyType(refused), false, refused);
});

test('RFC 4514: the last RDN is the most significant, escapes and multi-valued RDNs are kept', () => {
  const rdns = parseRfc4514('CN=Alice\\, Jr.+UID=alice, O=Example \\"Ltd\\", OU=M\\C3\\BCnchen,C=DE');
  assert.deepEqual(rdns, [
    [{ oid: '2.5.4.6', value: 'DE' }],
    [{ oid: '2.5.4.11', value: 'München' }],
    [{ oid: '2.5.4.10', value: 'Example "Ltd"' }],
    [
      { oid: '2.5.4.3', value: 'Alice, Jr.' },
      { oid: '0.9.2342.19200300.100.1.1', value: 'alice' },
    ],
  ]);
  assert.deepEqual(parseRfc4514('2.5.4.3=x,OID.2.5.4.10=y,1.2.3.4=#0c0161'), [
    [{ oid: '1.2.3.4', value: '0c0161', hexDer: true }],
    [{ oid: '2.5.4.10', value: 'y' }],
    [{ oid: '2.5.4.3', value: 'x' }],
  ]);
  assert.deepEqual(parseRfc4514('CN=\\ padded\\ '), [[{ oid: '2.5.4.3', value: ' padded ' }]]);
});

test('RFC 4514: mistakes are named, not guessed at', () => {
  assert.throws(() => parseRfc4514(''), /empty/);
  assert.throws(() => parseRfc4514('CN'), /'CN' is not TYPE=value/);
  assert.throws(() => parseRfc4514('XYZ=1'), /'XYZ' is not an attribute type/);
  assert.throws(() => parseRfc4514('CN=a\\q'), /not an escape/);
  assert.throws(() => parseRfc4514('CN=\\FF'), /UTF-8/);
  assert.throws(() => parseRfc4514('CN=#zz'), /hex-encoded DER/);
});

test('e-mail addresses must fit an rfc822Name', () => {
  assert.equal(emailProblem('alice@example.com'), null);
  assert.equal(emailProblem('a.b+tag@mail.example.co.uk'), null);
  for (const bad of [
    'alice',
    '@example.com',
    'alice@',
    'al ice@example.com',
    'jörg@example.com',
    'a@b@c',
    'a@exa_mple.com',
    `${'a'.repeat(250)}@e.com`,
  ]) {
    assert.notEqual(emailProblem(bad), null, bad);
  }
});

test('from options: the e-mail goes to the SAN and, once, to the subject', () => {
  assert.deepEqual(subjectFromOptions({ email: 'alice@example.com' }), {
    rdns: [[{ oid: '2.5.4.3', value: 'alice@example.com' }], [{ oid: emailAddressOid, value: 'alice@example.com' }]],
    emails: ['alice@example.com'],
  });
  assert.deepEqual(subjectFromOptions({ email: 'alice@example.com', cn: 'Alice Example' }).rdns[0], [
    { oid: '2.5.4.3', value: 'Alice Example' },
  ]);
  const withEmail = subjectFromOptions({ email: 'alice@example.com', subject: 'E=Alice@Example.com,CN=Alice,C=GB' });
  assert.equal(withEmail.rdns.flat().filter((part) => part.oid === emailAddressOid).length, 1, 'not added twice');
  const without = subjectFromOptions({ email: 'alice@example.com', subject: 'CN=Alice,C=GB' });
  assert.deepEqual(without.rdns.at(-1), [{ oid: emailAddressOid, value: 'alice@example.com' }]);
  assert.throws(() => subjectFromOptions({ email: 'alice@example.com', cn: 'A', subject: 'CN=B' }), /not both/);
  assert.throws(() => subjectFromOptions({ email: 'nobody' }), /not an e-mail address/);
});

test('from an old request: its subject as it reads, its SAN and subject e-mails without duplicates', () => {
  const small = subjectFromReport(reportOf('rsa-1024.csr'));
  assert.deepEqual(small.emails, ['rsa-1024@example.com']);
  assert.deepEqual(
    small.rdns.map((rdn) => rdn.map((part) => part.value)),
    [['GB'], ['Greater Manchester'], ['Salford'], ['Example Ltd'], ['rsa-1024'], ['rsa-1024@example.com']],
  );
  const many = subjectFromReport(reportOf('many-sans.csr'));
  assert.ok(many.emails.includes('alice@example.com'));
  assert.equal(new Set(many.emails.map((email) => email.toLowerCase())).size, many.emails.length);
  assert.throws(() => subjectFromReport(reportOf('no-email.csr')), /no usable e-mail address/);
});
