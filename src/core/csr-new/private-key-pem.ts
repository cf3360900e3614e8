// The private key as PKCS#8 PEM, plain or encrypted (PKCS#5 PBES2: PBKDF2-HMAC-SHA256 and
// AES-256-CBC), in the form `openssl pkey -passin` and Node's createPrivateKey read.
//
// Why not Node's own KeyObject.export({ cipher: 'aes-256-cbc', passphrase })? It writes the same
// PBES2 structure, but OpenSSL's default key derivation behind it is PBKDF2-HMAC-SHA256 with
// only 2,048 iterations and an 8-byte salt (checked with `openssl asn1parse` on Node 20 /
// OpenSSL 3.0), which a stolen key file would not survive against a GPU. We derive with
// 600,000 iterations (OWASP's figure for PBKDF2-HMAC-SHA256) and a 16-byte salt instead.
//
// WebCrypto only (globalThis.crypto, in Node 20 and in browsers alike): the editor's browser
// build makes keys with this same module. Its AES-CBC pads with PKCS#7, as PBES2 requires.
import { base64Lines } from './pem-text';

export const pbkdf2Iterations = 600_000;
const saltBytes = 16;
const ivBytes = 16;

const oid = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
};

// A few DER encoders: the structure is fixed and small, and no dependency of ours encodes PBES2.
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}
function der(tag: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(tag), derLength(content.length), content]);
}
const sequence = (...parts: Uint8Array[]): Uint8Array => der(0x30, concat(parts));
const octetString = (bytes: Uint8Array): Uint8Array => der(0x04, bytes);
const derNull = Uint8Array.of(0x05, 0x00);
function integer(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  if (bytes.length === 0 || (bytes[0] as number) & 0x80) bytes.unshift(0);
  return der(0x02, Uint8Array.from(bytes));
}
function objectIdentifier(dotted: string): Uint8Array {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [(first as number) * 40 + (second as number)];
  for (const arc of rest) {
    const groups: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Uint8Array.from(bytes));
}

function toPem(label: string, bytes: Uint8Array): string {
  return `-----BEGIN ${label}-----\n${base64Lines(bytes)}\n-----END ${label}-----\n`;
}

/** PKCS#8 PEM of `pkcs8Der`: "PRIVATE KEY" when `passphrase` is null, else "ENCRYPTED PRIVATE KEY". */
export async function privateKeyPem(pkcs8Der: Uint8Array<ArrayBuffer>, passphrase: string | null): Promise<string> {
  if (passphrase === null) return toPem('PRIVATE KEY', pkcs8Der);
  if (passphrase === '') throw new Error('the passphrase is empty');
  const { subtle } = globalThis.crypto;
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(saltBytes));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(ivBytes));
  const secret = new TextEncoder().encode(passphrase);
  let encrypted: Uint8Array;
  try {
    const material = await subtle.importKey('raw', secret, 'PBKDF2', false, ['deriveKey']);
    // Asynchronous: the derivation takes a few hundred milliseconds and must not block an editor.
    // The derived AES key is not extractable: its bytes never reach this code.
    const key = await subtle.deriveKey(
      { name: 'PBKDF2', salt, iterations: pbkdf2Iterations, hash: 'SHA-256' },
      material,
      { name: 'AES-CBC', length: 256 },
      false,
      ['encrypt'],
    );
    encrypted = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv }, key, pkcs8Der));
  } finally {
    secret.fill(0);
  }
  const algorithm = sequence(
    objectIdentifier(oid.pbes2),
    sequence(
      sequence(
        objectIdentifier(oid.pbkdf2),
        sequence(octetString(salt), integer(pbkdf2Iterations), sequence(objectIdentifier(oid.hmacWithSha256), derNull)),
      ),
      sequence(objectIdentifier(oid.aes256Cbc), octetString(iv)),
    ),
  );
  return toPem('ENCRYPTED PRIVATE KEY', sequence(algorithm, octetString(encrypted)));
}
