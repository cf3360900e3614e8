// Writes the requests openssl will not make but reads (scripts/make-csr-fixtures.sh calls it):
// DER it tolerates and a strict CA may not (an explicit DEFAULT, a long-form length), a legal high-tag-number attribute, an MD4
// signature, an OID arc longer than any real one. Signed with keys openssl made, so that
// `openssl req -verify` can judge each one.
// Usage: node --import tsx scripts/make-tolerated-csrs.ts OUT_DIR RSA2048_KEY RSA1024_KEY
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildRequest,
  emailOid,
  octetString,
  oid,
  sanEmail,
  sanExtension,
  sequence,
  set,
  spkiOf,
  tlv,
  toPemText,
  type RequestParts,
} from '../test/core/csr/build-csr';

const [out, rsa2048Path, rsa1024Path] = process.argv.slice(2);
if (out === undefined || rsa2048Path === undefined || rsa1024Path === undefined) {
  process.stderr.write('usage: make-tolerated-csrs.ts OUT_DIR RSA2048_KEY RSA1024_KEY\n');
  process.exit(2);
}
const load = (path: string): { key: KeyObject; spki: Uint8Array } => {
  const key = createPrivateKey(readFileSync(path));
  return { key, spki: spkiOf(createPublicKey(key)) };
};
const rsa2048 = load(rsa2048Path);
const rsa1024 = load(rsa1024Path);

function write(name: string, parts: Omit<RequestParts, 'spki' | 'privateKey' | 'subject'>, key = rsa2048): void {
  const mailbox = `${name}@example.com`;
  const der = buildRequest({
    subject: [
      ['2.5.4.3', name],
      [emailOid, mailbox],
    ],
    spki: key.spki,
    privateKey: key.key,
    ...parts,
  });
  writeFileSync(join(out as string, `${name}.csr`), toPemText(der));
}

const emailProtection = sequence(oid('1.3.6.1.5.5.7.3.4'));
// critical FALSE written out: DER leaves a DEFAULT value out.
write('tolerated-critical-false', {
  rawExtensions: [sequence(oid('2.5.29.37'), Uint8Array.of(0x01, 0x01, 0x00), octetString(emailProtection))],
});
// A length in the long form where the short one fits: extKeyUsage's SEQUENCE written 30 81 0a.
write('tolerated-long-form-length', {
  extensions: [
    ['2.5.29.37', false, Uint8Array.of(0x30, 0x81, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04)],
  ],
});
// An extensionRequest attribute whose SET of values is empty.
write('tolerated-empty-extension-request', { rawAttributes: [sequence(oid('1.2.840.113549.1.9.14'), set())] });
// A private attribute whose value has a high tag number ([APPLICATION 1234]): legal DER. A 1024-bit key, so -13 must still show.
write(
  'tolerated-high-tag-attribute',
  { rawAttributes: [sequence(oid('1.3.6.1.4.1.99999.1'), set(Uint8Array.of(0x5f, 0x89, 0x52, 0x02, 0x68, 0x69)))] },
  rsa1024,
);
// Labelled md4WithRSAEncryption, signed with SHA-256: the label is what a reader reports.
write('tolerated-md4-signature', { signatureOid: '1.2.840.113549.1.1.3' });
// An extension whose OID has a 21-octet arc.
const longArc = tlv(0x06, Uint8Array.from([0x2b, ...Array.from({ length: 20 }, () => 0xff), 0x01]));
write('tolerated-long-oid-arc', {
  rawExtensions: [sequence(longArc, octetString(Uint8Array.of(0x05, 0x00)))],
  extensions: [sanExtension([sanEmail('arc@example.com')])],
});
