// Assembles PKCS#10 requests byte by byte for the cases openssl will not make
// (exponent 3 or even, a modulus with a small factor, ROCA-shaped or close primes,
// a modulus that is not a multiple of 8 bits, oversized requests).
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

/** A TLV whose length is written in `octets` long-form octets, more than DER's shortest form when it could be short. */
export function tlvLongLength(tag: number, octets: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const length = Array.from({ length: octets }, (_, i) => Math.floor(body.length / 256 ** (octets - 1 - i)) % 256);
  return Buffer.concat([Uint8Array.of(tag, 0x80 | octets, ...length), body]);
}

/** The same DER with its outer SEQUENCE rewritten in BER's indefinite length, closed by two zero octets. */
export function withIndefiniteOuterLength(der: Uint8Array): Uint8Array {
  const first = der[1] as number;
  const header = 2 + (first < 0x80 ? 0 : first & 0x7f);
  return Buffer.concat([Uint8Array.of(0x30, 0x80), der.subarray(header), Uint8Array.of(0, 0)]);
}

export const sequence = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, ...parts);
export const set = (...parts: Uint8Array[]): Uint8Array => tlv(0x31, ...parts);
export const nullValue = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const utf8 = (text: string): Uint8Array => tlv(0x0c, Buffer.from(text, 'utf8'));
export const printable = (text: string): Uint8Array => tlv(0x13, Buffer.from(text, 'latin1'));
export const ia5 = (text: string): Uint8Array => tlv(0x16, Buffer.from(text, 'latin1'));
export const octetString = (data: Uint8Array): Uint8Array => tlv(0x04, data);
export const bitString = (data: Uint8Array): Uint8Array => tlv(0x03, Uint8Array.of(0), data);
export const bmp = (text: string): Uint8Array => tlv(0x1e, Buffer.from(text, 'utf16le').swap16());

export function oid(text: string): Uint8Array {
  const arcs = text.split('.').map((arc) => BigInt(arc));
  const values = [(arcs[0] as bigint) * 40n + (arcs[1] as bigint), ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const group: number[] = [Number(value & 0x7fn)];
    for (let rest = value >> 7n; rest > 0n; rest >>= 7n) group.unshift(Number(rest & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

export function integer(value: bigint): Uint8Array {
  if (value === 0n) return tlv(0x02, Uint8Array.of(0));
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return tlv(0x02, Buffer.from(hex, 'hex'));
}

export function rsaSpki(modulus: bigint, exponent: bigint): Uint8Array {
  return sequence(
    sequence(oid('1.2.840.113549.1.1.1'), nullValue()),
    bitString(sequence(integer(modulus), integer(exponent))),
  );
}

export function spkiOf(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
}

export interface RequestParts {
  /** [oid, value] pairs in order, one RDN each; values are UTF8String unless given as bytes. */
  subject?: [string, string | Uint8Array][];
  spki: Uint8Array;
  /** Key to sign with; without one the signature is 256 random-looking bytes (does not verify). */
  privateKey?: KeyObject;
  /** node:crypto digest name (sha256 default; null for EdDSA). */
  hash?: string | null;
  /** Signature algorithm OID (default sha256WithRSAEncryption). */
  signatureOid?: string;
  /** Extensions: [oid, critical, DER value]. */
  extensions?: [string, boolean, Uint8Array][];
  /** Whole Extension elements (DER), added after `extensions`, for encodings the tuple form cannot make. */
  rawExtensions?: Uint8Array[];
  /** Whole Attribute elements (DER), added after the others. */
  rawAttributes?: Uint8Array[];
  challengePassword?: string;
  version?: bigint;
  /** The whole subject Name (DER), for encodings the pairs cannot make; replaces `subject`. */
  rawSubject?: Uint8Array;
  /** The whole signature AlgorithmIdentifier (DER), for encodings the OID cannot make. */
  rawSignatureAlgorithm?: Uint8Array;
}

export const emailOid = '1.2.840.113549.1.9.1';

export function buildRequest(parts: RequestParts): Uint8Array {
  const subject =
    parts.rawSubject ??
    sequence(
      ...(
        parts.subject ?? [
          ['2.5.4.3', 'Test'],
          [emailOid, 'test@example.com'],
        ]
      ).map(([type, value]) =>
        set(sequence(oid(type), typeof value === 'string' ? (type === emailOid ? ia5(value) : utf8(value)) : value)),
      ),
    );
  const attributes: Uint8Array[] = [];
  if (parts.challengePassword !== undefined)
    attributes.push(sequence(oid('1.2.840.113549.1.9.7'), set(utf8(parts.challengePassword))));
  if ((parts.extensions && parts.extensions.length > 0) || (parts.rawExtensions && parts.rawExtensions.length > 0)) {
    const list = (parts.extensions ?? []).map(([id, critical, value]) =>
      critical
        ? sequence(oid(id), Uint8Array.of(0x01, 0x01, 0xff), octetString(value))
        : sequence(oid(id), octetString(value)),
    );
    attributes.push(sequence(oid('1.2.840.113549.1.9.14'), set(sequence(...list, ...(parts.rawExtensions ?? [])))));
  }
  attributes.push(...(parts.rawAttributes ?? []));
  const info = sequence(integer(parts.version ?? 0n), subject, parts.spki, tlv(0xa0, ...attributes));
  const signatureOid = parts.signatureOid ?? '1.2.840.113549.1.1.11';
  const isEdDsa = signatureOid === '1.3.101.112' || signatureOid === '1.3.101.113';
  const isEcOrDsa =
    signatureOid.startsWith('1.2.840.10045.4') ||
    signatureOid.startsWith('1.2.840.10040.4') ||
    signatureOid.startsWith('2.16.840.1.101.3.4.3');
  const algorithm =
    parts.rawSignatureAlgorithm ??
    (isEdDsa || isEcOrDsa ? sequence(oid(signatureOid)) : sequence(oid(signatureOid), nullValue()));
  const signature = parts.privateKey
    ? new Uint8Array(sign(parts.hash === undefined ? 'sha256' : parts.hash, info, parts.privateKey))
    : Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff);
  return sequence(info, algorithm, bitString(signature));
}

export function sanExtension(names: Uint8Array[]): [string, boolean, Uint8Array] {
  return ['2.5.29.17', false, sequence(...names)];
}
export const sanEmail = (email: string): Uint8Array => tlv(0x81, Buffer.from(email, 'latin1'));
export const sanDns = (name: string): Uint8Array => tlv(0x82, Buffer.from(name, 'latin1'));

export function toPemText(der: Uint8Array, label = 'CERTIFICATE REQUEST', eol = '\n'): string {
  const base64 =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...base64, `-----END ${label}-----`, ''].join(eol);
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function toBase64Url(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** An RSA private key from its two primes, so that requests with crafted moduli can still be signed properly. */
export function rsaKeyFromPrimes(p: bigint, q: bigint, e = 65537n): KeyObject {
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: toBase64Url(n),
      e: toBase64Url(e),
      d: toBase64Url(d),
      p: toBase64Url(p),
      q: toBase64Url(q),
      dp: toBase64Url(d % (p - 1n)),
      dq: toBase64Url(d % (q - 1n)),
      qi: toBase64Url(modInverse(q, p)),
    },
  });
}
