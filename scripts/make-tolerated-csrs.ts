// Writes the requests openssl will not make but reads (scripts/make-csr-fixtures.sh calls it):
// DER it tolerates and a strict CA may not (an explicit DEFAULT, a long-form length), a legal high-tag-number attribute, an MD4
// signature, an OID arc longer than any real one. Signed with keys openssl made, so that
// `openssl req -verify` can judge each one.
// Usage: node --import tsx scripts/make-tolerated-csrs.ts OUT_DIR RSA2048_KEY RSA1024_KEY
import { createPrivateKey, createPublicKey, generatePrimeSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bitString,
  buildRequest,
  emailOid,
  ia5,
  integer,
  nullValue,
  octetString,
  oid,
  sanEmail,
  sanExtension,
  sequence,
  set,
  spkiOf,
  tlv,
  tlvLongLength,
  toPemText,
  utf8,
  withIndefiniteOuterLength,
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

function write(
  name: string,
  parts: Omit<RequestParts, 'spki' | 'privateKey' | 'subject'> & Partial<Pick<RequestParts, 'spki' | 'privateKey'>>,
  key: { key?: KeyObject; spki: Uint8Array } = rsa2048,
  transform = (der: Uint8Array): Uint8Array => der,
): void {
  const mailbox = `${name}@example.com`;
  const der = buildRequest({
    subject: [
      ['2.5.4.3', name],
      [emailOid, mailbox],
    ],
    spki: key.spki,
    ...(key.key === undefined ? {} : { privateKey: key.key }),
    ...parts,
  });
  writeFileSync(join(out as string, `${name}.csr`), toPemText(transform(der)));
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

// Strict DER at every level (X.690 10.1: the fewest length octets), each signed so that openssl
// can say it still verifies: the outer SEQUENCE in BER's indefinite length, and long-form lengths
// where the short form fits in the outer SEQUENCE, the signature algorithm, the subject and the
// RSA key inside its BIT STRING.
write('tolerated-ber-indefinite', {}, rsa2048, withIndefiniteOuterLength);
write('tolerated-long-form-outer', {}, rsa2048, (der) => {
  const first = der[1] as number;
  return tlvLongLength(0x30, 3, der.subarray(2 + (first < 0x80 ? 0 : first & 0x7f)));
});
write('tolerated-long-form-signature-algorithm', {
  rawSignatureAlgorithm: tlvLongLength(0x30, 1, oid('1.2.840.113549.1.1.11'), nullValue()),
});
write('tolerated-long-form-subject', {
  rawSubject: sequence(
    set(sequence(oid('2.5.4.3'), utf8('tolerated-long-form-subject'))),
    tlvLongLength(0x31, 2, sequence(oid(emailOid), ia5('tolerated-long-form-subject@example.com'))),
  ),
});
const rsaNumbers = (spki: Uint8Array): [bigint, bigint] => {
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  const number = (text: string): bigint => BigInt(`0x${Buffer.from(text, 'base64url').toString('hex')}`);
  return [number(jwk.n as string), number(jwk.e as string)];
};
const [modulus, exponent] = rsaNumbers(rsa2048.spki);
write('tolerated-long-form-rsa-key', {
  spki: sequence(
    sequence(oid('1.2.840.113549.1.1.1'), nullValue()),
    bitString(tlvLongLength(0x30, 3, integer(modulus), integer(exponent))),
  ),
});
// An IDN and a mailbox on it written as raw UTF-8 in IA5Strings (dNSName, rfc822Name).
write('tolerated-idn-in-ia5', {
  extensions: [
    sanExtension([
      tlv(0x82, Buffer.from('bücher.example', 'utf8')),
      tlv(0x81, Buffer.from('anna@bücher.example', 'utf8')),
    ]),
  ],
});
// A keyUsage whose value claims one byte more than its extension holds: its OID still reads.
write('tolerated-malformed-key-usage', {
  rawExtensions: [
    sequence(oid('2.5.29.15'), Uint8Array.of(0x01, 0x01, 0xff), Uint8Array.of(0x04, 0x05, 0x03, 0x02, 0x05, 0xa0)),
  ],
  extensions: [sanExtension([sanEmail('key-usage@example.com')])],
});

// Keys no CA accepts, which are not worth verifying: a 4096-bit DSA prime and an EC curve given
// by explicit parameters, of 661 bits (its coordinates take 83 bytes, 664 bits). Numbers only
// shaped right (openssl reads them; the signatures are not real), so the analysis must name the
// key and not spend time on the signature.
const randomBelow = (bits: number): bigint =>
  BigInt(`0x${randomBytes(Math.ceil(bits / 8)).toString('hex')}`) & ((1n << BigInt(bits)) - 1n);
const dsaP = randomBelow(4096) | (1n << 4095n) | 1n;
const dsaSpki = sequence(
  sequence(
    oid('1.2.840.10040.4.1'),
    sequence(integer(dsaP), integer(generatePrimeSync(256, { bigint: true })), integer(2n)),
  ),
  bitString(integer(randomBelow(4000))),
);
write('exotic-dsa-4096', { signatureOid: '2.16.840.1.101.3.4.3.2' }, { spki: dsaSpki });

function modPow(base: bigint, power: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = power; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}
let fieldPrime = 0n;
while (fieldPrime % 4n !== 3n) fieldPrime = generatePrimeSync(661, { bigint: true });
const a = fieldPrime - 3n;
const b = randomBelow(660);
let x = 0n;
let y = 0n;
for (let candidate = 2n; y === 0n; candidate += 1n) {
  const rhs = (candidate ** 3n + a * candidate + b) % fieldPrime;
  const root = modPow(rhs, (fieldPrime + 1n) / 4n, fieldPrime);
  if ((root * root) % fieldPrime === rhs && root !== 0n) [x, y] = [candidate, root];
}
const coordinate = (value: bigint): Buffer => Buffer.from(value.toString(16).padStart(166, '0'), 'hex');
const point = Buffer.concat([Uint8Array.of(4), coordinate(x), coordinate(y)]);
const explicitSpki = sequence(
  sequence(
    oid('1.2.840.10045.2.1'),
    sequence(
      integer(1n),
      sequence(oid('1.2.840.10045.1.1'), integer(fieldPrime)),
      sequence(octetString(coordinate(a)), octetString(coordinate(b))),
      octetString(point),
      integer(generatePrimeSync(661, { bigint: true })),
      integer(1n),
    ),
  ),
  bitString(point),
);
write('exotic-explicit-curve-661', { signatureOid: '1.2.840.10045.4.3.2' }, { spki: explicitSpki });
