// The private key as PKCS#8 PEM, plain or encrypted (PKCS#5 PBES2: PBKDF2-HMAC-SHA256 and
// AES-256-CBC), in the form `openssl pkey -passin` and Node's createPrivateKey read.
//
// Why not Node's own KeyObject.export({ cipher: 'aes-256-cbc', passphrase })? It writes the same
// PBES2 structure, but OpenSSL's default key derivation behind it is PBKDF2-HMAC-SHA256 with
// only 2,048 iterations and an 8-byte salt (checked with `openssl asn1parse` on Node 20 /
// OpenSSL 3.0), which a stolen key file would not survive against a GPU. We derive with
// 600,000 iterations (OWASP's figure for PBKDF2-HMAC-SHA256) and a 16-byte salt instead.
import { createCipheriv, pbkdf2, randomBytes } from 'node:crypto';

export const pbkdf2Iterations = 600_000;
const saltBytes = 16;

const oid = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
};

// A few DER encoders: the structure is fixed and small, and no dependency of ours encodes PBES2.
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function der(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}
const sequence = (...parts: Buffer[]): Buffer => der(0x30, Buffer.concat(parts));
const octetString = (bytes: Buffer): Buffer => der(0x04, bytes);
const derNull = Buffer.from([0x05, 0x00]);
function integer(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  if (bytes.length === 0 || (bytes[0] as number) & 0x80) bytes.unshift(0);
  return der(0x02, Buffer.from(bytes));
}
function objectIdentifier(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [(first as number) * 40 + (second as number)];
  for (const arc of rest) {
    const groups: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

function toPem(label: string, der: Buffer): string {
  const base64 = der.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** PKCS#8 PEM of `pkcs8Der`: "PRIVATE KEY" when `passphrase` is null, else "ENCRYPTED PRIVATE KEY". */
export async function privateKeyPem(pkcs8Der: Buffer, passphrase: string | null): Promise<string> {
  if (passphrase === null) return toPem('PRIVATE KEY', pkcs8Der);
  if (passphrase === '') throw new Error('the passphrase is empty');
  const salt = randomBytes(saltBytes);
  const iv = randomBytes(16);
  // Asynchronous: the derivation takes a few hundred milliseconds and must not block an editor.
  const key = await new Promise<Buffer>((resolve, reject) => {
    pbkdf2(Buffer.from(passphrase, 'utf8'), salt, pbkdf2Iterations, 32, 'sha256', (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8Der), cipher.final()]);
  key.fill(0);
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
