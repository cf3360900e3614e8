// The one certificate-file reader (the command line's --certificate and list rows, the editor's
// certificate files and list rows): PEM or DER, the first of several, the serial as
// AutoRevokeSSL takes it, and a clear reason for what is not a certificate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { isCertificateRefusal, readCertificateFile } from '../../src/core/certificate-file';
import {
  certificateBlocks,
  certificatePem,
  hasCertificateHeader,
  notACertificate,
} from '../../src/core/certificate-pem';
import { makeCertificatePem, makeCsrPem } from '../fake-sectigo/csrs';

test('a PEM certificate: its serial in upper case without the leading zero byte, and its subject', async () => {
  const read = readCertificateFile(Buffer.from(await makeCertificatePem('00f00d')));
  assert.ok(!isCertificateRefusal(read), JSON.stringify(read));
  assert.equal(read.serial, 'F00D');
  assert.equal(read.subject, 'CN=www.example.test');
  assert.equal(read.certificates, 1);
});

test('DER bytes read the same as their PEM; a chain is counted and its first certificate read', async () => {
  const first = await makeCertificatePem('0A0B0C');
  const der = new Uint8Array(new X509Certificate(first).rawData);
  const fromDer = readCertificateFile(der);
  assert.ok(!isCertificateRefusal(fromDer));
  assert.equal(fromDer.serial, 'A0B0C');
  assert.equal(certificatePem(der).replace(/\s/g, ''), first.replace(/\s/g, ''));
  const chain = first + (await makeCertificatePem('02F00D'));
  const read = readCertificateFile(chain);
  assert.ok(!isCertificateRefusal(read));
  assert.equal(read.serial, 'A0B0C');
  assert.equal(read.certificates, 2);
  assert.deepEqual(
    certificateBlocks(`junk\n${chain}`).map((block) => block.start),
    [5, 5 + first.length],
  );
});

test('a request, a private key, garbage and an over-long serial are refused with the reason', async () => {
  const request = readCertificateFile(await makeCsrPem({ kind: 'ec', curve: 'P-256' }));
  assert.ok(isCertificateRefusal(request));
  assert.equal(request.code, 'request');
  assert.match(request.problem, /certificate request \(CSR\), not a certificate/);
  const key = readCertificateFile('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
  assert.ok(isCertificateRefusal(key));
  assert.equal(key.code, 'private-key');
  const garbage = readCertificateFile(new Uint8Array([0x30, 0x03, 0x01, 0x02, 0x00]));
  assert.ok(isCertificateRefusal(garbage));
  assert.equal(garbage.problem, 'not a PEM or DER X.509 certificate.');
  const long = readCertificateFile(await makeCertificatePem(`7${'F'.repeat(40)}`));
  assert.ok(isCertificateRefusal(long));
  assert.equal(long.code, 'serial-too-long');
  assert.equal(notACertificate(await makeCertificatePem('01')), undefined);
  assert.equal(hasCertificateHeader('no certificate'), false);
});
