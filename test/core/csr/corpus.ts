// The fuzz corpus, one place for the fuzz test and for the test that runs both signature
// verifiers over it: seeded (a failure reproduces), generated on the fly from the fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withIndefiniteOuterLength } from './build-csr';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'csr');

export const seedNames = [
  'rsa-2048',
  'ec-P-256',
  'many-sans',
  'ms-template-v2',
  'rsa-2048-pss-signature',
  'ed25519',
  'dsa-2048',
  'challenge-password',
];

export function fixtureDer(name: string): Buffer {
  return Buffer.from(readFileSync(join(fixtures, `${name}.csr`), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

export const seeds = seedNames.map(fixtureDer);

/** mulberry32: small, seeded, good enough to pick bytes. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Single changed bytes. */
export function* flips(count: number): Generator<{ label: string; der: Buffer; at: number }> {
  const next = random(1);
  for (let i = 0; i < count; i += 1) {
    const seed = seeds[i % seeds.length] as Buffer;
    const mutated = Buffer.from(seed);
    const at = Math.floor(next() * mutated.length);
    mutated[at] = ((mutated[at] as number) ^ (1 + Math.floor(next() * 255))) & 0xff;
    yield { label: `flip ${i} at ${at}`, der: mutated, at };
  }
}

/** Truncations, insertions and splices. */
export function* splices(count: number): Generator<{ label: string; der: Buffer }> {
  const next = random(2);
  for (let i = 0; i < count; i += 1) {
    const seed = seeds[i % seeds.length] as Buffer;
    let mutated: Buffer;
    const kind = i % 3;
    if (kind === 0) mutated = seed.subarray(0, Math.floor(next() * seed.length));
    else if (kind === 1) {
      const at = Math.floor(next() * seed.length);
      const extra = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.floor(next() * 256)));
      mutated = Buffer.concat([seed.subarray(0, at), extra, seed.subarray(at)]);
    } else {
      const other = seeds[Math.floor(next() * seeds.length)] as Buffer;
      mutated = Buffer.concat([
        seed.subarray(0, Math.floor(next() * seed.length)),
        other.subarray(Math.floor(next() * other.length)),
      ]);
    }
    yield { label: `splice ${i}`, der: mutated };
  }
}

interface Tree {
  identifier: Uint8Array;
  /** Constructed (or holding DER inside, for an OCTET STRING or a key's BIT STRING): the elements. */
  children?: Tree[];
  /** The octet before encapsulated DER (a BIT STRING's unused-bits count). */
  prefix?: Uint8Array;
  content?: Uint8Array;
}

function header(der: Uint8Array, offset: number): { identifierEnd: number; contentStart: number; end: number } {
  let position = offset + 1;
  if (((der[offset] as number) & 0x1f) === 0x1f) while (((der[position++] as number) & 0x80) !== 0);
  const first = der[position] as number;
  let length = first;
  let contentStart = position + 1;
  if (first >= 0x80) {
    length = 0;
    for (let i = 0; i < (first & 0x7f); i += 1) length = length * 256 + (der[position + 1 + i] as number);
    contentStart += first & 0x7f;
  }
  return { identifierEnd: position, contentStart, end: contentStart + length };
}

function parseAll(der: Uint8Array, start: number, end: number, depth: number): Tree[] | null {
  const list: Tree[] = [];
  for (let position = start; position < end;) {
    if (end - position < 2) return null;
    const { identifierEnd, contentStart, end: elementEnd } = header(der, position);
    if (elementEnd > end || contentStart > end) return null;
    list.push(parseOne(der, position, identifierEnd, contentStart, elementEnd, depth));
    position = elementEnd;
  }
  return list;
}

function parseOne(
  der: Uint8Array,
  start: number,
  identifierEnd: number,
  contentStart: number,
  end: number,
  depth: number,
): Tree {
  const identifier = der.subarray(start, identifierEnd);
  const tag = der[start] as number;
  if ((tag & 0x20) !== 0 && depth < 40) {
    const children = parseAll(der, contentStart, end, depth + 1);
    if (children !== null) return { identifier, children };
  }
  // DER inside a primitive: an extension's value, an RSA key inside its BIT STRING.
  if (tag === 0x04 && end - contentStart >= 2) {
    const inner = parseAll(der, contentStart, end, depth + 1);
    if (inner !== null && inner.length === 1) return { identifier, children: inner };
  }
  if (tag === 0x03 && der[contentStart] === 0 && der[contentStart + 1] === 0x30 && end - contentStart > 3) {
    const inner = parseAll(der, contentStart + 1, end, depth + 1);
    if (inner !== null && inner.length === 1) return { identifier, prefix: Uint8Array.of(0), children: inner };
  }
  return { identifier, content: der.subarray(contentStart, end) };
}

function length(value: number, extraOctets: number): number[] {
  const octets: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  if (extraOctets === 0 && value < 0x80) return [value];
  for (let i = 0; i < extraOctets; i += 1) octets.unshift(0);
  if (value < 0x80 && octets.length === extraOctets) octets.push(value);
  return [0x80 | octets.length, ...octets];
}

/** DER again, with the length of the element numbered `target` (document order) written one octet longer than DER allows. */
function serialise(tree: Tree, target: number, counter: { next: number }): Buffer {
  const index = counter.next;
  counter.next += 1;
  const body = tree.children
    ? Buffer.concat([
        tree.prefix ?? new Uint8Array(0),
        ...tree.children.map((child) => serialise(child, target, counter)),
      ])
    : Buffer.from(tree.content ?? new Uint8Array(0));
  return Buffer.concat([tree.identifier, Uint8Array.from(length(body.length, index === target ? 1 : 0)), body]);
}

function count(tree: Tree): number {
  return 1 + (tree.children ?? []).reduce((sum, child) => sum + count(child), 0);
}

/**
 * Every seed with one length written in more octets than DER allows, at every element of every
 * level (inside extension values and the RSA key too), and each seed in BER's indefinite outer length.
 */
export function* nonMinimalLengths(): Generator<{ label: string; der: Buffer; seed: Buffer; element: number }> {
  for (const [seedIndex, seed] of seeds.entries()) {
    const { identifierEnd, contentStart, end } = header(seed, 0);
    const tree = parseOne(seed, 0, identifierEnd, contentStart, end, 0);
    // The signature's own DER (r, s) is the signer's, not a part of the request to judge.
    const signature = tree.children?.[2];
    if (signature?.children !== undefined) {
      signature.content = Buffer.concat([
        signature.prefix ?? new Uint8Array(0),
        ...signature.children.map((child) => serialise(child, -1, { next: 0 })),
      ]);
      delete signature.children;
      delete signature.prefix;
    }
    // The tree is read right: written back in DER, it is the seed again.
    if (!serialise(tree, -1, { next: 0 }).equals(seed)) throw new Error(`${seedNames[seedIndex]} does not round-trip`);
    const total = count(tree);
    for (let element = 0; element < total; element += 1) {
      yield {
        label: `${seedNames[seedIndex]}: long-form length at element ${element}`,
        der: serialise(tree, element, { next: 0 }),
        seed,
        element,
      };
    }
  }
}

/** Each seed in BER: the outer SEQUENCE of indefinite length. */
export function* indefiniteOuter(): Generator<{ label: string; der: Buffer; seed: Buffer }> {
  for (const [seedIndex, seed] of seeds.entries())
    yield { label: `${seedNames[seedIndex]} in BER`, der: Buffer.from(withIndefiniteOuterLength(seed)), seed };
}
