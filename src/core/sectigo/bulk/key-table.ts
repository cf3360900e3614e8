// A table from target keys ("order:1000001", "serial:0A1B…", "certificate-id:…") to a number, kept
// in typed arrays instead of a Map of strings: a key is packed losslessly into 20 bytes (its kind,
// its length, and its digits as 4-bit nibbles: order numbers and certificate IDs are digits, serial
// numbers hexadecimal), its number beside it. 100,000 targets take 7 MB outside the JavaScript heap
// (a Map took 11 MB inside it, and the heap grows to about three times what it holds between two
// collections, so the Map cost a run 30 MB more at 100,000 targets than at 10,000). A key that does
// not pack (an order number of more than 36 digits) goes to a Map of its own.

/** The bytes of one packed key. */
export const KEY_BYTES = 20;
/** Nibbles a packed key holds after its kind-and-length byte. */
const MAX_PACKED_LENGTH = (KEY_BYTES - 1) * 2;
const KIND_CODES: Readonly<Record<string, number>> = { order: 1, 'certificate-id': 2, serial: 3 };
const KIND_NAMES = ['', 'order', 'certificate-id', 'serial'] as const;
const NIBBLES = '0123456789ABCDEF';
const INITIAL_SLOTS = 1024;

/** Packs `key` into `out` at `at` (KEY_BYTES bytes); false when it does not pack. */
export function packKey(key: string, out: Uint8Array, at: number): boolean {
  const colon = key.indexOf(':');
  const kind = colon > 0 ? KIND_CODES[key.slice(0, colon)] : undefined;
  const length = key.length - colon - 1;
  if (kind === undefined || length < 1 || length > MAX_PACKED_LENGTH) return false;
  out.fill(0, at, at + KEY_BYTES);
  // Kind in the top two bits, length (at most 38) below.
  out[at] = kind * 64 + length;
  for (let index = 0; index < length; index++) {
    const code = key.charCodeAt(colon + 1 + index);
    const nibble = code >= 48 && code <= 57 ? code - 48 : code >= 65 && code <= 70 ? code - 55 : -1;
    if (nibble < 0) return false;
    const byte = at + 1 + (index >> 1);
    out[byte] = (out[byte] as number) | (index % 2 === 0 ? nibble << 4 : nibble);
  }
  return true;
}

/** The key packed at `at` of `bytes` by packKey, as it was. */
export function unpackKey(bytes: Uint8Array, at: number): string {
  const head = bytes[at] as number;
  const length = head % 64;
  let value = '';
  for (let index = 0; index < length; index++) {
    const byte = bytes[at + 1 + (index >> 1)] as number;
    value += NIBBLES[index % 2 === 0 ? byte >> 4 : byte & 15];
  }
  return `${KIND_NAMES[head >> 6] ?? ''}:${value}`;
}

/** The hash of the key packed at `at` (FNV-1a over its bytes). */
export function packedHash(bytes: Uint8Array, at: number): number {
  let hash = 0x811c9dc5;
  for (let index = at; index < at + KEY_BYTES; index++) hash = Math.imul(hash ^ (bytes[index] as number), 0x01000193);
  return hash;
}

export class KeyTable {
  private keys = new Uint8Array(INITIAL_SLOTS * KEY_BYTES);
  /** 0: an empty slot (every number stored is 1 or more). */
  private values = new Int32Array(INITIAL_SLOTS);
  private used = 0;
  private readonly unpacked = new Map<string, number>();
  private readonly probe = new Uint8Array(KEY_BYTES);

  get size(): number {
    return this.used + this.unpacked.size;
  }

  get(key: string): number | undefined {
    if (!packKey(key, this.probe, 0)) return this.unpacked.get(key);
    const slot = this.find(this.probe);
    return this.values[slot] === 0 ? undefined : this.values[slot];
  }

  /** Stores `value` (a whole number from 1 to 2^31 - 1) for `key`. */
  set(key: string, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 0x7fffffff) throw new RangeError(`${value} cannot be stored`);
    if (!packKey(key, this.probe, 0)) {
      this.unpacked.set(key, value);
      return;
    }
    let slot = this.find(this.probe);
    if (this.values[slot] === 0) {
      if ((this.used + 1) * 2 > this.values.length) {
        this.grow();
        slot = this.find(this.probe);
      }
      this.keys.set(this.probe, slot * KEY_BYTES);
      this.used++;
    }
    this.values[slot] = value;
  }

  /** Every stored number (in no particular order). */
  *numbers(): IterableIterator<number> {
    for (const value of this.values) if (value !== 0) yield value;
    yield* this.unpacked.values();
  }

  /** The slot holding the packed key, or the empty slot where it goes (open addressing, linear probing). */
  private find(packed: Uint8Array): number {
    const mask = this.values.length - 1;
    for (let slot = packedHash(packed, 0) & mask; ; slot = (slot + 1) & mask) {
      if (this.values[slot] === 0) return slot;
      const at = slot * KEY_BYTES;
      let same = true;
      for (let index = 0; index < KEY_BYTES && same; index++) same = this.keys[at + index] === packed[index];
      if (same) return slot;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Uint8Array(oldValues.length * 2 * KEY_BYTES);
    this.values = new Int32Array(oldValues.length * 2);
    for (let slot = 0; slot < oldValues.length; slot++) {
      if (oldValues[slot] === 0) continue;
      const packed = oldKeys.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES);
      const to = this.find(packed);
      this.keys.set(packed, to * KEY_BYTES);
      this.values[to] = oldValues[slot] as number;
    }
  }
}
