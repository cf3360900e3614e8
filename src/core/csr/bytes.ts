// Byte helpers without Node's Buffer, so that the analysis also runs in a browser's web
// worker. Table-driven: as fast as Buffer's own for the few hundred bytes of a request.

// WHATWG's latin1 decoder, made when first needed (a decoder of a legacy encoding loads ICU's
// converter): it reads bytes 0x80-0x9F as Windows-1252 does, which latin1Text keeps.
let latin1Decoder: TextDecoder | undefined;
/** Short texts are made by String.fromCharCode: the decoder's own overhead is most of a short decode. */
const shortText = 64;

/**
 * Bytes as characters, one each, as WHATWG's latin1 decoder reads them (Windows-1252). ASCII
 * below shortText bytes is made directly; everything else goes through the decoder.
 */
export function latin1Text(data: Uint8Array): string {
  if (data.length <= shortText) {
    let high = 0;
    for (let i = 0; i < data.length; i += 1) high |= data[i] as number;
    if (high < 0x80) return String.fromCharCode.apply(null, data as unknown as number[]);
  }
  latin1Decoder ??= new TextDecoder('latin1');
  return latin1Decoder.decode(data);
}

const hexCodes = Uint8Array.from('0123456789abcdef', (character) => character.charCodeAt(0));

export function toHex(data: Uint8Array): string {
  const out = new Uint8Array(data.length * 2);
  for (let i = 0; i < data.length; i += 1) {
    const octet = data[i] as number;
    out[2 * i] = hexCodes[octet >>> 4] as number;
    out[2 * i + 1] = hexCodes[octet & 15] as number;
  }
  return latin1Text(out);
}

/** An unsigned big-endian integer. */
export function bytesToBigInt(data: Uint8Array): bigint {
  if (data.length === 0) return 0n;
  if (data.length <= 6) {
    let small = 0;
    for (let i = 0; i < data.length; i += 1) small = small * 256 + (data[i] as number);
    return BigInt(small);
  }
  return BigInt(`0x${toHex(data)}`);
}

/** Big-endian bytes of a non-negative integer, left-padded with zeros to `length` when given. */
export function bigIntToBytes(value: bigint, length = 0): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const size = Math.max(length, hex.length / 2);
  const out = new Uint8Array(size);
  const offset = size - hex.length / 2;
  for (let i = 0; i < hex.length / 2; i += 1) out[offset + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const sextets = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i += 1) sextets[alphabet.charCodeAt(i)] = i;

/** The value of a Base64 character (standard alphabet), or -1. */
export const base64Sextet = (code: number): number => (code < 128 ? (sextets[code] as number) : -1);

const alphabetCodes = Uint8Array.from(alphabet, (character) => character.charCodeAt(0));

/** Base64 of `data` written into `out` from `position`, a newline after every `lineLength` characters but the last; returns the end. */
function writeBase64(data: Uint8Array, out: Uint8Array, start: number, lineLength: number): number {
  const full = data.length - (data.length % 3);
  let position = start;
  let column = 0;
  for (let i = 0; i < full; i += 3) {
    if (column === lineLength) {
      out[position++] = 0x0a;
      column = 0;
    }
    const word = ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number);
    out[position] = alphabetCodes[word >>> 18] as number;
    out[position + 1] = alphabetCodes[(word >>> 12) & 63] as number;
    out[position + 2] = alphabetCodes[(word >>> 6) & 63] as number;
    out[position + 3] = alphabetCodes[word & 63] as number;
    position += 4;
    column += 4;
  }
  const rest = data.length - full;
  if (rest > 0) {
    if (column === lineLength) out[position++] = 0x0a;
    const word = ((data[full] as number) << 16) | (rest === 2 ? (data[full + 1] as number) << 8 : 0);
    out[position] = alphabetCodes[word >>> 18] as number;
    out[position + 1] = alphabetCodes[(word >>> 12) & 63] as number;
    out[position + 2] = rest === 2 ? (alphabetCodes[(word >>> 6) & 63] as number) : 0x3d;
    out[position + 3] = 0x3d;
    position += 4;
  }
  return position;
}

/** Writes ASCII `text` into `out` at `position`; returns the end. */
function writeAscii(text: string, out: Uint8Array, position: number): number {
  for (let i = 0; i < text.length; i += 1) out[position + i] = text.charCodeAt(i);
  return position + text.length;
}

/**
 * `data` as a PEM block with this label: Base64 in lines of 64 characters, every line ended by a
 * newline. Written as bytes and decoded once.
 */
export function pemBlock(label: string, data: Uint8Array): string {
  const head = `-----BEGIN ${label}-----\n`;
  const tail = `\n-----END ${label}-----\n`;
  const characters = 4 * Math.ceil(data.length / 3);
  const out = new Uint8Array(head.length + characters + Math.max(0, Math.ceil(characters / 64) - 1) + tail.length);
  const end = writeAscii(tail, out, writeBase64(data, out, writeAscii(head, out, 0), 64));
  latin1Decoder ??= new TextDecoder('latin1');
  return latin1Decoder.decode(out.subarray(0, end));
}

/** Characters written as bytes and decoded once: string concatenation took a second for 4 MB. */
export function base64Encode(data: Uint8Array): string {
  const out = new Uint8Array(4 * Math.ceil(data.length / 3));
  writeBase64(data, out, 0, Infinity);
  return latin1Text(out);
}

/**
 * Decodes Base64 already checked to hold only the alphabet and at most two trailing '=' (and
 * whose length is not 1 modulo 4). Trailing partial bits are dropped, as Buffer does.
 */
export function base64Decode(compact: string): Uint8Array {
  let end = compact.length;
  while (end > 0 && compact.charCodeAt(end - 1) === 0x3d) end -= 1;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let position = 0;
  let i = 0;
  for (; i + 4 <= end; i += 4) {
    const word =
      ((sextets[compact.charCodeAt(i)] as number) << 18) |
      ((sextets[compact.charCodeAt(i + 1)] as number) << 12) |
      ((sextets[compact.charCodeAt(i + 2)] as number) << 6) |
      (sextets[compact.charCodeAt(i + 3)] as number);
    out[position] = word >>> 16;
    out[position + 1] = (word >>> 8) & 255;
    out[position + 2] = word & 255;
    position += 3;
  }
  const rest = end - i;
  if (rest >= 2) {
    const word =
      ((sextets[compact.charCodeAt(i)] as number) << 18) |
      ((sextets[compact.charCodeAt(i + 1)] as number) << 12) |
      (rest === 3 ? (sextets[compact.charCodeAt(i + 2)] as number) << 6 : 0);
    out[position] = word >>> 16;
    position += 1;
    if (rest === 3) {
      out[position] = (word >>> 8) & 255;
      position += 1;
    }
  }
  return out.subarray(0, position);
}

export function base64UrlEncode(data: Uint8Array): string {
  return base64Encode(data).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One pass over PEM-style Base64 (ASCII whitespace anywhere, '=' padding only at the end), or
 * null for anything else, which the caller then reads the slow way to say what is wrong.
 */
export function base64DecodeText(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let position = 0;
  let word = 0;
  let count = 0;
  let padding = 0;
  const fourEnd = text.length - 3;
  for (let i = 0; i < text.length; i += 1) {
    // Four characters of the alphabet at once where the run allows: most of a PEM body.
    if (count === 0 && padding === 0 && i < fourEnd) {
      const c0 = text.charCodeAt(i);
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      const c3 = text.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) < 128) {
        const s0 = sextets[c0] as number;
        const s1 = sextets[c1] as number;
        const s2 = sextets[c2] as number;
        const s3 = sextets[c3] as number;
        if ((s0 | s1 | s2 | s3) >= 0) {
          const four = (s0 << 18) | (s1 << 12) | (s2 << 6) | s3;
          out[position] = four >>> 16;
          out[position + 1] = (four >>> 8) & 255;
          out[position + 2] = four & 255;
          position += 3;
          i += 3;
          continue;
        }
      }
    }
    const code = text.charCodeAt(i);
    if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) continue;
    if (code === 0x3d) {
      padding += 1;
      continue;
    }
    const sextet = code < 128 ? (sextets[code] as number) : -1;
    if (sextet < 0 || padding > 0) return null;
    word = (word << 6) | sextet;
    count += 1;
    if (count === 4) {
      out[position] = word >>> 16;
      out[position + 1] = (word >>> 8) & 255;
      out[position + 2] = word & 255;
      position += 3;
      word = 0;
      count = 0;
    }
  }
  if (padding > 2 || count === 1 || (padding > 0 && (count + padding) % 4 !== 0)) return null;
  if (count === 2) out[position++] = word >>> 4;
  else if (count === 3) {
    out[position++] = word >>> 10;
    out[position++] = (word >>> 2) & 255;
  }
  return position === 0 ? null : out.subarray(0, position);
}
