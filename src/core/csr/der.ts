// A small, strict DER reader. The analysis decodes PKCS#10 itself instead of
// going through an ASN.1 schema library: it must never throw past its boundary,
// must stay well under a millisecond per request, and must see the exact bytes
// that were signed (the certificationRequestInfo) to verify the signature.
// No Node built-in: it also runs in a browser's web worker.
import { bytesToBigInt, latin1Text } from './bytes';

export { toHex } from './bytes';

/** Raised for any malformed encoding; the analysis turns it into a 'bad-der' result. */
export class DerError extends Error {}

/** "1 byte", "3 bytes". */
export function bytesText(count: number): string {
  return count === 1 ? '1 byte' : `${count} bytes`;
}

export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  numericString: 0x12,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
} as const;

export interface DerNode {
  /**
   * The identifier octet (class, constructed bit and tag number < 31). A high tag number
   * (identifier octet ending in 0x1f, the number in the octets after it) is kept as
   * the octet plus the number times 256, so it never equals a low tag and keeps its class bits.
   */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the last content octet. */
  end: number;
}

/** Tag numbers past 2^42 do not exist in any schema, and would not fit the DerNode.tag encoding. */
const maxTagNumberOctets = 6;

/** Reads one TLV at `offset`, which must end at or before `limit`. */
export function readNode(bytes: Uint8Array, offset: number, limit: number = bytes.length): DerNode {
  if (offset >= limit) throw new DerError(`expected an element at byte ${offset}, found the end of the data`);
  let tag = bytes[offset] as number;
  let position = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High tag number form (X.690 8.1.2.4): base 128, minimal, and only for numbers of 31 and more.
    if (position < limit && bytes[position] === 0x80)
      throw new DerError(`tag number at byte ${offset} is not minimally encoded`);
    let number = 0;
    for (let octets = 1; ; octets += 1) {
      if (position >= limit) throw new DerError(`truncated tag at byte ${offset}`);
      if (octets > maxTagNumberOctets)
        throw new DerError(`tag number at byte ${offset} is longer than ${maxTagNumberOctets} octets`);
      const octet = bytes[position] as number;
      position += 1;
      number = number * 128 + (octet & 0x7f);
      if ((octet & 0x80) === 0) break;
    }
    if (number < 31)
      throw new DerError(`tag number ${number} at byte ${offset} uses the long form, which DER keeps for 31 and more`);
    tag += number * 256;
  }
  if (position >= limit) throw new DerError(`truncated element at byte ${offset}`);
  const first = bytes[position] as number;
  position += 1;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    throw new DerError(`indefinite length at byte ${offset} is not DER`);
  } else {
    const octets = first & 0x7f;
    if (octets > 4) throw new DerError(`length of ${octets} octets at byte ${offset} is too large`);
    if (position + octets > limit) throw new DerError(`truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + (bytes[position + i] as number);
    position += octets;
  }
  const end = position + length;
  if (end > limit)
    throw new DerError(`element at byte ${offset} claims ${bytesText(length)} but only ${limit - position} remain`);
  return { tag, start: offset, contentStart: position, end };
}

/**
 * The total size the outer header at byte 0 announces (header included), or null when the
 * bytes do not start with a readable SEQUENCE header. Lets a cut-short request be named as such.
 */
export function announcedLength(bytes: Uint8Array): number | null {
  if (bytes.length < 2 || bytes[0] !== Tag.sequence) return null;
  const first = bytes[1] as number;
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || 2 + octets > bytes.length) return null;
  let length = 0;
  for (let i = 0; i < octets; i += 1) length = length * 256 + (bytes[2 + i] as number);
  return 2 + octets + length;
}

/** Why the outer header and the data's size disagree, or null when they agree. */
export function lengthMismatch(bytes: Uint8Array): string | null {
  const announced = announcedLength(bytes);
  if (announced === null || announced === bytes.length) return null;
  return announced > bytes.length
    ? `the request is truncated: its header announces ${announced} bytes but the data ends after ${bytes.length} (cut short at byte ${bytes.length})`
    : `${bytesText(bytes.length - announced)} of unexpected data follow the request (from byte ${announced})`;
}

/**
 * Whether the data is one BER SEQUENCE of indefinite length (0x30 0x80 ... 0x00 0x00), which
 * openssl reads as a request and DER forbids. Only the outermost level is read this way.
 */
export function hasIndefiniteOuterLength(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 4 && bytes[0] === Tag.sequence && bytes[1] === 0x80 && bytes[n - 1] === 0 && bytes[n - 2] === 0;
}

/** Whether the element's length is written in as few octets as DER requires (BER allows more, openssl accepts them). */
export function hasMinimalLength(bytes: Uint8Array, node: DerNode): boolean {
  let position = node.start + 1;
  if (((bytes[node.start] as number) & 0x1f) === 0x1f) {
    while (((bytes[position] as number) & 0x80) !== 0) position += 1;
    position += 1;
  }
  if ((bytes[position] as number) < 0x80) return true;
  return node.end - node.contentStart >= 0x80 && bytes[position + 1] !== 0;
}

/**
 * Checks that `node` and every constructed element inside it are well formed, down to
 * `maxDepth` levels, and returns the offset of the first element whose length is not in DER's
 * shortest form (-1 when none). One pass in document order with a stack of the open elements'
 * ends: linear, and no list of children is built.
 */
export function checkNested(bytes: Uint8Array, node: DerNode, maxDepth = 64): number {
  let nonMinimal = hasMinimalLength(bytes, node) ? -1 : node.start;
  if ((node.tag & 0x20) === 0) return nonMinimal;
  const ends: number[] = [node.end];
  let position = node.contentStart;
  while (ends.length > 0) {
    const end = ends[ends.length - 1] as number;
    if (position === end) {
      ends.pop();
      continue;
    }
    const child = readNode(bytes, position, end);
    if (nonMinimal === -1 && !hasMinimalLength(bytes, child)) nonMinimal = child.start;
    if ((child.tag & 0x20) !== 0 && ends.length < maxDepth) {
      ends.push(child.end);
      position = child.contentStart;
    } else position = child.end;
  }
  return nonMinimal;
}

/**
 * The offset of the first element inside `node` (itself excluded) whose length is not in DER's
 * shortest form, or -1. Elements whose start is in `skip` are neither checked nor entered: their
 * content was judged already. Linear, like checkNested.
 */
export function firstNonMinimalInside(bytes: Uint8Array, node: DerNode, skip: Set<number>, maxDepth = 64): number {
  if ((node.tag & 0x20) === 0) return -1;
  const ends: number[] = [node.end];
  let position = node.contentStart;
  while (ends.length > 0) {
    const end = ends[ends.length - 1] as number;
    if (position >= end) {
      ends.pop();
      continue;
    }
    const child = readNode(bytes, position, end);
    if (skip.has(child.start)) {
      position = child.end;
      continue;
    }
    if (!hasMinimalLength(bytes, child)) return child.start;
    if ((child.tag & 0x20) !== 0 && ends.length < maxDepth) {
      ends.push(child.end);
      position = child.contentStart;
    } else position = child.end;
  }
  return -1;
}

/** The elements inside a constructed node, in order. */
export function children(bytes: Uint8Array, node: DerNode): DerNode[] {
  if ((node.tag & 0x20) === 0) throw new DerError(`element at byte ${node.start} is not constructed`);
  const result: DerNode[] = [];
  let position = node.contentStart;
  while (position < node.end) {
    const child = readNode(bytes, position, node.end);
    result.push(child);
    position = child.end;
  }
  return result;
}

export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (node === undefined) throw new DerError(`${what} is missing`);
  if (node.tag !== tag) {
    throw new DerError(
      `${what} has tag 0x${node.tag.toString(16)} at byte ${node.start}, expected 0x${tag.toString(16)}`,
    );
  }
  return node;
}

export function content(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.contentStart, node.end);
}

export function whole(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.start, node.end);
}

/**
 * The longest arc accepted, in octets. The longest real arcs are the 128-bit UUIDs under
 * 2.25, 19 octets; a longer one is a broken or hostile request. The cap keeps decoding
 * linear: an uncapped BigInt shift per octet took 17 s for one 200 KB arc.
 */
export const maxOidArcOctets = 20;
/** The longest object identifier accepted, in octets: real ones stay under 64. Bounds the text an OID becomes. */
export const maxOidOctets = 128;

/**
 * Object identifiers decoded before, by their content octets: a request holds a dozen or so, the
 * same ones in every request, and decoding arcs is most of what decoding one costs. Bounded.
 */
const decodedOids = new Map<string, string>();
const maxDecodedOids = 512;

export function decodeOid(bytes: Uint8Array, node: DerNode): string {
  const data = content(bytes, node);
  const key = data.length <= maxOidOctets ? String.fromCharCode.apply(null, data as unknown as number[]) : undefined;
  const known = key === undefined ? undefined : decodedOids.get(key);
  if (known !== undefined) return known;
  const text = decodeOidArcs(data, node);
  if (key !== undefined) {
    if (decodedOids.size >= maxDecodedOids) decodedOids.clear();
    decodedOids.set(key, text);
  }
  return text;
}

function decodeOidArcs(data: Uint8Array, node: DerNode): string {
  if (data.length === 0) throw new DerError(`empty object identifier at byte ${node.start}`);
  if (data.length > maxOidOctets)
    throw new DerError(
      `object identifier at byte ${node.start} is ${data.length} octets long, longer than any real one (at most ${maxOidOctets})`,
    );
  const arcs: string[] = [];
  let arcStart = 0;
  while (arcStart < data.length) {
    if (data[arcStart] === 0x80)
      throw new DerError(`object identifier at byte ${node.start} has an arc that is not minimally encoded`);
    let arcEnd = arcStart;
    while (arcEnd < data.length && ((data[arcEnd] as number) & 0x80) !== 0) {
      arcEnd += 1;
      if (arcEnd - arcStart >= maxOidArcOctets) {
        throw new DerError(
          `object identifier at byte ${node.start} has an arc longer than ${maxOidArcOctets} octets, longer than any real one`,
        );
      }
    }
    if (arcEnd === data.length) throw new DerError(`truncated object identifier at byte ${node.start}`);
    const octets = arcEnd - arcStart + 1;
    let arc: number | bigint;
    if (octets <= 7) {
      // 49 bits at most: exact as a double.
      let small = 0;
      for (let i = arcStart; i <= arcEnd; i += 1) small = small * 128 + ((data[i] as number) & 0x7f);
      arc = small;
    } else {
      let big = 0n;
      for (let i = arcStart; i <= arcEnd; i += 1) big = (big << 7n) | BigInt((data[i] as number) & 0x7f);
      arc = big;
    }
    if (arcs.length === 0) {
      if (typeof arc === 'number') {
        const firstArc = arc < 40 ? 0 : arc < 80 ? 1 : 2;
        arcs.push(String(firstArc), String(arc - firstArc * 40));
      } else arcs.push('2', (arc - 80n).toString());
    } else arcs.push(arc.toString());
    arcStart = arcEnd + 1;
  }
  return arcs.join('.');
}

/** INTEGER content as a BigInt (two's complement). */
export function decodeInteger(bytes: Uint8Array, node: DerNode): bigint {
  const data = content(bytes, node);
  if (data.length === 0) throw new DerError(`empty INTEGER at byte ${node.start}`);
  let value = bytesToBigInt(data);
  if (((data[0] as number) & 0x80) !== 0) value -= 1n << BigInt(data.length * 8);
  return value;
}

/** A small INTEGER (versions), or null when it does not fit a safe number. */
export function decodeSmallInteger(bytes: Uint8Array, node: DerNode): number | null {
  const value = decodeInteger(bytes, node);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
}

export function decodeBoolean(bytes: Uint8Array, node: DerNode): boolean {
  const data = content(bytes, node);
  if (data.length !== 1) throw new DerError(`BOOLEAN at byte ${node.start} must have one content byte`);
  return data[0] !== 0;
}

/**
 * A BIT STRING that may end in a partial octet: its content octets and how many bits of the last
 * one are unused (0-7). Well-formed DER either way; `paddingSet` says the unused bits are not all
 * zero, which BER allows and DER does not.
 */
export function decodeBitString(
  bytes: Uint8Array,
  node: DerNode,
): { data: Uint8Array; unusedBits: number; paddingSet: boolean } {
  const data = content(bytes, node);
  if (data.length === 0) throw new DerError(`empty BIT STRING at byte ${node.start}`);
  const unusedBits = data[0] as number;
  if (unusedBits > 7) throw new DerError(`BIT STRING at byte ${node.start} claims ${unusedBits} unused bits`);
  if (unusedBits !== 0 && data.length === 1)
    throw new DerError(`BIT STRING at byte ${node.start} claims ${unusedBits} unused bits of no octet`);
  const last = data[data.length - 1] as number;
  return { data: data.subarray(1), unusedBits, paddingSet: (last & ((1 << unusedBits) - 1)) !== 0 };
}

/** BIT STRING content without the unused-bits octet; refuses a partial last byte where whole bytes are expected. */
export function decodeBitStringBytes(bytes: Uint8Array, node: DerNode): Uint8Array {
  const data = content(bytes, node);
  if (data.length === 0) throw new DerError(`empty BIT STRING at byte ${node.start}`);
  if (data[0] !== 0) throw new DerError(`BIT STRING at byte ${node.start} has ${data[0]} unused bits`);
  return data.subarray(1);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The offset of the first byte over 0x7f, or -1: an IA5String is ASCII. */
export function firstNonAscii(data: Uint8Array): number {
  for (let i = 0; i < data.length; i += 1) if ((data[i] as number) > 0x7f) return i;
  return -1;
}

/**
 * An IA5String as what it most likely is: ASCII as is; non-ASCII bytes that form valid UTF-8
 * are raw UTF-8 (an IDN or a mailbox written by a tool that ignored the type), anything else Latin-1.
 */
export function decodeIa5(data: Uint8Array): string {
  if (firstNonAscii(data) === -1) return latin1Text(data);
  try {
    return strictUtf8.decode(data);
  } catch {
    return latin1Text(data);
  }
}

/** Decodes a character string of any ASN.1 string type, or null when the tag is not a string type. */
export function decodeString(bytes: Uint8Array, node: DerNode): string | null {
  const data = content(bytes, node);
  switch (node.tag) {
    case Tag.utf8String:
      return utf8.decode(data);
    case Tag.ia5String:
      return decodeIa5(data);
    case Tag.printableString:
    case Tag.visibleString:
    case Tag.numericString:
    case Tag.teletexString:
      // T61 is rarely what it claims; Latin-1 is what OpenSSL shows for it too.
      return latin1Text(data);
    case Tag.bmpString: {
      let text = '';
      for (let i = 0; i + 1 < data.length; i += 2)
        text += String.fromCharCode(((data[i] as number) << 8) | (data[i + 1] as number));
      return text;
    }
    case Tag.universalString: {
      let text = '';
      for (let i = 0; i + 3 < data.length; i += 4) {
        const code =
          (((data[i] as number) << 24) |
            ((data[i + 1] as number) << 16) |
            ((data[i + 2] as number) << 8) |
            (data[i + 3] as number)) >>>
          0;
        text += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      }
      return text;
    }
    default:
      return null;
  }
}
