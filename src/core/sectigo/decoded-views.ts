// What a decoder can read in a piece of text. An echo can carry a password in any encoding a
// server, proxy or debug page uses, and in two of them at once; so instead of a list of spellings
// of the password, the text is read by a list of decoders, each turning one view of the text into
// the views it can read there, and those again, two deep:
//
//   escapes   %XX (UTF-8), a form's + for a space, JSON backslash escapes, HTML entities (each
//             alone, and all at once)
//   hex       runs of hex digits, with or without separators (spaces, colons, commas, \x, 0x, line
//             breaks), at either digit alignment; hex dumps (offsets left out, lines joined, the
//             characters column read too)
//   base64    runs of base64 or base64url, wrapped or not, from each even bit of their first byte
//   utf-8     units that are bytes (Latin-1 or Windows-1252 reading) read as UTF-8: `pÃ¤sswÃ¶rd`
//   utf-16    units that are bytes read as UTF-16, either byte order, either alignment
//   nfc       text in Unicode NFD composed
//
// Bytes read by hex or base64 are read at once in every charset (as Latin-1, UTF-8 and UTF-16):
// reading bytes as text is part of reading them, not another level. Letter case and Unicode
// normalisation are not views: the search (redact.ts) folds both sides. What the search looks for
// (ViewOptions) lets a decoder skip what cannot hold it: runs too short, UTF-8 of characters no
// secret has, UTF-16 whose high bytes none has.
//
// Each view keeps, for each of its UTF-16 units, the span of the original text it came from, so
// a secret found in any view is removed from the original text exactly. Views hold only the places
// a decoder changed (with a margin as long as anything searched for can take encoded once more),
// so ordinary text costs little. No Buffer here: the browser build redacts with this module too.

/** Decoded text with, for each of its UTF-16 units, the span of the original text it came from. */
export interface View {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
  /** Made by reading bytes out of letters and digits (hex, base64, a charset): a very short secret found here is chance. */
  fromDigits: boolean;
  /** Bytes from hex or base64, one unit each, whose readings as UTF-8 and UTF-16 were made with them. */
  bytes?: true;
  /** Made by decoding escapes. */
  escaped?: true;
  /** Searched, not decoded again. */
  final?: true;
}

export interface ViewOptions {
  /** Units kept around each decoded place: at least the longest thing searched for, encoded once more. */
  margin: number;
  /** The fewest units a search looks for: shorter runs of hex or base64 cannot hold one. */
  minUnits: number;
  /** Flags (indexed by byte) for the high bytes a UTF-16 unit of anything searched for can have. */
  highBytes: Uint8Array;
  /**
   * The characters beyond ASCII worth reading from UTF-8: those of anything searched for in any
   * spelling, and of its UTF-8 misread as Latin-1 or Windows-1252 once or twice. Reading others
   * changes nothing searched for (none at all for a secret in ASCII).
   */
  characters: ReadonlySet<number>;
}

/** Separates the pieces of a view that are not adjacent in its source (a noncharacter no search holds). */
export const BREAK = 0xffff;

/**
 * A byte (or character) only some of whose bits the text holds: at the edge of a base64 run that
 * starts or ends inside a byte, or of a run with an odd number of hex digits. A secret whose first
 * or last character falls there is still readable from the rest.
 */
export const PARTIAL = 0xfffe;

/** Decodes one view into the views it can read (none when it has nothing to decode). */
export type Decoder = (view: View, options: ViewOptions) => View[];

// A lone surrogate becomes U+FFFD: still one unit, so the maps stay aligned.
// Made at the first search: most runs of the command line never search.
let utf16Text: TextDecoder | undefined;
let utf8Text: TextDecoder | undefined;

/**
 * Where the views of one search keep their units and spans: one block of typed arrays handed out
 * piece by piece (making a typed array costs more than filling a small view), emptied when the next
 * search starts. A piece that fills up moves to a piece twice its size; a full block is replaced by
 * one twice its size, the old one staying alive as long as the views in it.
 */
class Arena {
  units = new Uint16Array(1 << 16);
  starts = new Int32Array(1 << 16);
  ends = new Int32Array(1 << 16);
  used = 0;

  /** Where a piece of `size` units starts. */
  take(size: number): number {
    if (this.used + size > this.units.length) {
      const length = Math.max(2 * this.units.length, 2 * size);
      this.units = new Uint16Array(length);
      this.starts = new Int32Array(length);
      this.ends = new Int32Array(length);
      this.used = 0;
    }
    const at = this.used;
    this.used += size;
    return at;
  }
}

// Made at the first search, not when this module loads: most runs of the command line (a check
// with no secret to look for) never search, and its 640 KB were cleared at every start.
let arena: Arena | undefined;

function theArena(): Arena {
  arena ??= new Arena();
  return arena;
}

/** Called before a search: what the last one made is no longer used. A block grown large for a huge text is let go. */
export function resetViews(): void {
  if (arena === undefined) return;
  if (arena.units.length > 1 << 22) arena = new Arena();
  arena.used = 0;
}

/** Collects units with their spans in a piece of the arena; moves to a larger piece when it fills. */
export class ViewBuilder {
  private units = theArena().units;
  private starts = theArena().starts;
  private ends = theArena().ends;
  private base = 0;
  private capacity = 0;
  length = 0;

  /** `expected`: how many units the view will likely have (it grows past that if need be). */
  constructor(private readonly expected = 0) {}

  private grow(): void {
    const size = Math.max(32, Math.ceil(this.expected), this.capacity * 2);
    const into = theArena();
    const base = into.take(size);
    into.units.set(this.units.subarray(this.base, this.base + this.length), base);
    into.starts.set(this.starts.subarray(this.base, this.base + this.length), base);
    into.ends.set(this.ends.subarray(this.base, this.base + this.length), base);
    this.units = into.units;
    this.starts = into.starts;
    this.ends = into.ends;
    this.base = base;
    this.capacity = size;
  }

  push(unit: number, start: number, end: number): void {
    if (this.length === this.capacity) this.grow();
    const at = this.base + this.length;
    this.units[at] = unit;
    this.starts[at] = start;
    this.ends[at] = end;
    this.length += 1;
  }

  pushText(text: string, start: number, end: number): void {
    for (let k = 0; k < text.length; k++) this.push(text.charCodeAt(k), start, end);
  }

  /** Ends a piece: what follows is not adjacent in the source. */
  pushBreak(): void {
    if (this.length === 0 || this.units[this.base + this.length - 1] === BREAK) return;
    const at = this.ends[this.base + this.length - 1] as number;
    this.push(BREAK, at, at);
  }

  view(fromDigits: boolean): View {
    const end = this.base + this.length;
    return {
      text:
        this.length === 0
          ? ''
          : (utf16Text ??= new TextDecoder('utf-16le', { ignoreBOM: true })).decode(
              this.units.subarray(this.base, end),
            ),
      starts: this.starts.subarray(this.base, end),
      ends: this.ends.subarray(this.base, end),
      fromDigits,
    };
  }
}

/** The original text as a view of itself. */
export function identityView(text: string): View {
  const into = theArena();
  const at = into.take(text.length);
  const starts = into.starts.subarray(at, at + text.length);
  const ends = into.ends.subarray(at, at + text.length);
  for (let i = 0; i < text.length; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { text, starts, ends, fromDigits: false };
}

const startOf = (view: View, i: number): number => view.starts[i] as number;
const endOf = (view: View, i: number): number => view.ends[i] as number;

/**
 * The ranges [from, to) of a text of `length` units around each of the sorted `places`, `margin`
 * units either side, merged where they touch. One range for all when they cover most of it.
 */
function rangesAround(places: readonly number[], length: number, margin: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const place of places) {
    const from = Math.max(0, place - margin);
    const to = Math.min(length, place + margin + 1);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  const covered = ranges.reduce((sum, [from, to]) => sum + to - from, 0);
  return covered > length / 2 ? [[0, length]] : ranges;
}

// ---------------------------------------------------------------------------------------------
// escapes: percent (UTF-8), form, JSON, HTML

interface Escapes {
  percent: boolean;
  /** + for a space, as a form writes it. */
  plus?: true;
  json: boolean;
  entities: boolean;
  /** More than one kind at once (an echo mixing them). */
  mixed?: true;
}

// Each alone (an encoder leaves the other encodings' characters literal: JSON keeps a % as it is,
// an HTML escaper a backslash), all together (an echo mixing them), and a form. A secret's own
// spaces are also looked for as + (redact.ts); a form is decoded for what it encodes in turn
// (bytes whose 0x20 it wrote as +), in text that was not read out of bytes (where a + is chance).
const ESCAPE_SETS: readonly Escapes[] = [
  { percent: true, json: true, entities: true, mixed: true },
  { percent: true, json: false, entities: false },
  { percent: true, plus: true, json: false, entities: false },
  { percent: false, json: true, entities: false },
  { percent: false, json: false, entities: true },
];

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const JSON_SHORT: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '"': '"',
  '\\': '\\',
  '/': '/',
};
const ENTITY = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));?/y;

const HEX_VALUES = new Int8Array(128).fill(-1);
'0123456789abcdef'.split('').forEach((digit, value) => {
  HEX_VALUES[digit.charCodeAt(0)] = value;
  HEX_VALUES[digit.toUpperCase().charCodeAt(0)] = value;
});

function hexValue(code: number): number {
  return code < 128 ? (HEX_VALUES[code] as number) : -1;
}

/** The byte written as %XX at `at`, or -1. */
function percentByte(text: string, at: number): number {
  if (text.charCodeAt(at) !== 37) return -1;
  const high = hexValue(text.charCodeAt(at + 1));
  const low = hexValue(text.charCodeAt(at + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/** Emits what the escape at `at` stands for (with the span it takes) and returns where it ends; -1 if there is none. */
type Emit = (decoded: string, from: number, to: number) => void;

/** One character written as %XX bytes of UTF-8 (a byte that starts none stands for itself, as Latin-1). */
function decodePercent(text: string, at: number, emit: Emit): number {
  const lead = percentByte(text, at);
  if (lead < 0) return -1;
  const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  const bytes = [lead];
  for (let k = 1; k < length; k++) {
    const next = percentByte(text, at + 3 * k);
    if (next < 0 || (next & 0xc0) !== 0x80) {
      emit(String.fromCharCode(lead), at, at + 3);
      return at + 3;
    }
    bytes.push(next);
  }
  const decoded =
    length === 1 ? String.fromCharCode(lead) : (utf8Text ??= new TextDecoder()).decode(Uint8Array.from(bytes));
  // U+FFFD from invalid bytes: the lead byte stands for itself. EF BF BD is U+FFFD itself, which a
  // password may hold (the generated tests found one withheld nowhere, seed 1181395941).
  const replacementItself = length === 3 && lead === 0xef && bytes[1] === 0xbf && bytes[2] === 0xbd;
  if (decoded.includes('\ufffd') && !replacementItself) {
    emit(String.fromCharCode(lead), at, at + 3);
    return at + 3;
  }
  emit(decoded, at, at + 3 * length);
  return at + 3 * length;
}

function decodeJsonEscape(text: string, at: number, emit: Emit): number {
  const next = text[at + 1];
  if (next === 'u') {
    let value = 0;
    for (let k = 2; k < 6; k++) {
      const digit = hexValue(text.charCodeAt(at + k));
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    emit(String.fromCharCode(value), at, at + 6);
    return at + 6;
  }
  const short = next === undefined ? undefined : JSON_SHORT[next];
  if (short === undefined) return -1;
  emit(short, at, at + 2);
  return at + 2;
}

function decodeEntity(text: string, at: number, emit: Emit): number {
  ENTITY.lastIndex = at;
  const entity = ENTITY.exec(text);
  if (!entity) return -1;
  const codePoint =
    entity[1] !== undefined ? Number(entity[1]) : entity[2] !== undefined ? parseInt(entity[2], 16) : undefined;
  const named = entity[3] !== undefined ? NAMED_ENTITIES[entity[3].toLowerCase()] : undefined;
  const decoded = codePoint !== undefined && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : named;
  if (decoded === undefined) return -1;
  emit(decoded, at, at + entity[0].length);
  return at + entity[0].length;
}

const ignore: Emit = () => undefined;

/** The escape at `at` in `set` decoded: where it ends, or -1 when there is none. */
function decodeEscape(text: string, at: number, set: Escapes, emit: Emit): number {
  const code = text.charCodeAt(at);
  if (code === 37 /* % */ && set.percent) return decodePercent(text, at, emit);
  if (code === 43 /* + */ && set.plus) {
    emit(' ', at, at + 1);
    return at + 1;
  }
  if (code === 92 /* \ */ && set.json) return decodeJsonEscape(text, at, emit);
  if (code === 38 /* & */ && set.entities) return decodeEntity(text, at, emit);
  return -1;
}

function decodeEscapes(view: View, set: Escapes, specials: readonly number[], options: ViewOptions): View | undefined {
  const text = view.text;
  const places = specials.filter((at) => decodeEscape(text, at, set, ignore) > at);
  if (places.length === 0) return undefined;
  const out = new ViewBuilder();
  let plusOnly = true;
  const emit: Emit = (decoded, from, to) => {
    plusOnly &&= text.charCodeAt(from) === 43;
    out.pushText(decoded, startOf(view, from), endOf(view, to - 1));
  };
  for (const [from, to] of rangesAround(places, text.length, options.margin)) {
    let i = from;
    while (i < to) {
      const end = decodeEscape(text, i, set, emit);
      if (end > i) {
        i = end;
        continue;
      }
      out.push(text.charCodeAt(i), startOf(view, i), endOf(view, i));
      i += 1;
    }
    out.pushBreak();
  }
  // A text whose only change is + read as a space is searched, not decoded again: the decoders
  // read it as they read the text itself (hex takes + between its bytes).
  return plusOnly ? { ...out.view(view.fromDigits), final: true } : out.view(view.fromDigits);
}

const SPECIALS = /[%+\\&]/g;

const escapes: Decoder = (view, options) => {
  const text = view.text;
  const specials: number[] = [];
  SPECIALS.lastIndex = 0;
  for (let found = SPECIALS.exec(text); found; found = SPECIALS.exec(text)) specials.push(found.index);
  if (specials.length === 0) return [];
  const views: View[] = [];
  for (const set of ESCAPE_SETS) {
    // Escapes decoded once already are decoded again one kind at a time (the second encoding is
    // one encoder's: JSON keeps a % literal).
    if ((view.escaped && set.mixed) || (set.plus && view.fromDigits)) continue;
    const decoded = decodeEscapes(view, set, specials, options);
    if (decoded && !views.some((seen) => seen.text === decoded.text)) views.push({ ...decoded, escaped: true });
  }
  return views;
};

// ---------------------------------------------------------------------------------------------
// bytes read in every charset

// Windows-1252 reads bytes 0x80-0x9F as these characters (the five it leaves undefined as C1 controls).
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const WINDOWS_1252_BYTE = new Map<number, number>(
  [...WINDOWS_1252_HIGH].map((character, index) => [character.charCodeAt(0), 0x80 + index]),
);

/** The byte a unit stands for when text is bytes read as Latin-1 or Windows-1252; -1 for any other unit. */
function byteOf(unit: number): number {
  if (unit <= 0xff) return unit;
  return WINDOWS_1252_BYTE.get(unit) ?? -1;
}

/** How many bytes a UTF-8 sequence starting with `lead` has (0 when it starts none). */
function utf8Length(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The character the valid UTF-8 sequence at `at` (units read as bytes) stands for, or undefined. */
function utf8At(text: string, at: number): string | undefined {
  const lead = byteOf(text.charCodeAt(at));
  const length = utf8Length(lead);
  if (length === 0 || at + length > text.length) return undefined;
  let codePoint = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const byte = byteOf(text.charCodeAt(at + k));
    if (byte < 0 || (byte & 0xc0) !== 0x80) return undefined;
    codePoint = (codePoint << 6) | (byte & 0x3f);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
  const least = [0, 0, 0x80, 0x800, 0x10000][length] as number;
  if (codePoint < least || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
  return String.fromCodePoint(codePoint);
}

/** Units that are bytes (UTF-8 read as Latin-1 or Windows-1252, or bytes from hex or base64) read as UTF-8. */
const utf8FromBytes: Decoder = (view, options) => {
  const text = view.text;
  const places: number[] = [];
  if (options.characters.size === 0 || !/[\u00c2-\u00f4\ufffe]/.test(text)) return [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xc2 && code <= 0xf4) {
      const decoded = utf8At(text, i);
      if (decoded !== undefined && options.characters.has(decoded.codePointAt(0) as number)) places.push(i);
    } else if (code === PARTIAL && partialCharacterEnd(text, i) > i + 1) places.push(i);
  }
  if (places.length === 0) return [];
  const out = new ViewBuilder();
  for (const [from, to] of rangesAround(places, text.length, options.margin)) {
    let i = from;
    while (i < to) {
      const decoded = utf8At(text, i);
      if (decoded !== undefined) {
        const length = utf8Length(byteOf(text.charCodeAt(i)));
        out.pushText(decoded, startOf(view, i), endOf(view, i + length - 1));
        i += length;
        continue;
      }
      const partial = partialCharacterEnd(text, i);
      if (partial > i) {
        out.push(PARTIAL, startOf(view, i), endOf(view, partial - 1));
        i = partial;
        continue;
      }
      out.push(text.charCodeAt(i), startOf(view, i), endOf(view, i));
      i += 1;
    }
    out.pushBreak();
  }
  return [out.view(true)];
};

const isContinuation = (unit: number): boolean => (byteOf(unit) & 0xc0) === 0x80 && byteOf(unit) >= 0;

/**
 * Where a character only partly held ends, when one starts at `at`: a PARTIAL byte and the
 * continuation bytes after it (the end of a character whose start was cut), or the start of a
 * sequence cut by a PARTIAL byte. `at` when there is none.
 */
function partialCharacterEnd(text: string, at: number): number {
  if (text.charCodeAt(at) === PARTIAL) {
    let end = at + 1;
    while (end < text.length && end - at < 4 && isContinuation(text.charCodeAt(end))) end += 1;
    return end;
  }
  const length = utf8Length(byteOf(text.charCodeAt(at)));
  if (length === 0) return at;
  let end = at + 1;
  while (end < at + length && end < text.length && isContinuation(text.charCodeAt(end))) end += 1;
  return end < at + length && text.charCodeAt(end) === PARTIAL ? end + 1 : at;
}

/**
 * Units that are bytes read as UTF-16, in either byte order and at either alignment. Only stretches
 * whose every other byte is a high byte some unit searched for can have are read (NULs for ASCII):
 * elsewhere UTF-16 holds nothing searched for.
 */
const utf16FromBytes: Decoder = (view, options) => {
  const text = view.text;
  // Which units can be the high byte of a unit searched for (a PARTIAL one may be).
  let flags: Uint8Array | undefined;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const byte = unit <= 0xff ? unit : byteOf(unit);
    if (unit === PARTIAL || (byte >= 0 && options.highBytes[byte] === 1)) {
      flags ??= new Uint8Array(text.length);
      flags[i] = 1;
    }
  }
  if (!flags) return [];
  const highs = flags;
  const byteAt = (i: number): number => byteOf(text.charCodeAt(i));
  const isHigh = (i: number): boolean => highs[i] === 1;
  const pair = (high: number, low: number): number =>
    text.charCodeAt(high) === PARTIAL || text.charCodeAt(low) === PARTIAL ? PARTIAL : (byteAt(high) << 8) | byteAt(low);
  const littleEndian = new ViewBuilder();
  const bigEndian = new ViewBuilder();
  for (const parity of [0, 1]) {
    let i = parity;
    while (i < text.length) {
      if (!isHigh(i)) {
        i += 2;
        continue;
      }
      let end = i;
      while (end < text.length && isHigh(end)) end += 2;
      // High bytes at i, i+2, ... end-2: big-endian pairs start at them, little-endian pairs end at them.
      const units = (end - i) / 2;
      if (units >= options.minUnits) {
        for (let high = i; high < end; high += 2) {
          const byteOrPartial = (at: number): boolean =>
            at >= 0 && at < text.length && (byteAt(at) >= 0 || text.charCodeAt(at) === PARTIAL);
          if (byteOrPartial(high + 1)) bigEndian.push(pair(high, high + 1), startOf(view, high), endOf(view, high + 1));
          else bigEndian.pushBreak();
          if (byteOrPartial(high - 1))
            littleEndian.push(pair(high, high - 1), startOf(view, high - 1), endOf(view, high));
          else littleEndian.pushBreak();
        }
        bigEndian.pushBreak();
        littleEndian.pushBreak();
      }
      i = end;
    }
  }
  return [littleEndian, bigEndian].filter((built) => built.length > 0).map((built) => built.view(true));
};

/** Bytes read as bytes (Latin-1: each byte one unit), as UTF-8 and as UTF-16. */
function readings(bytes: View, options: ViewOptions): View[] {
  return [{ ...bytes, bytes: true }, ...utf8FromBytes(bytes, options), ...utf16FromBytes(bytes, options)];
}

// ---------------------------------------------------------------------------------------------
// hex

const isHexDigit = (code: number): boolean => hexValue(code) >= 0;

/** Where the next group of a hex run starts after a separator at `at` (spaces, : , . - ; +, \x, 0x, a line break), or -1. */
function afterSeparator(text: string, at: number): number {
  let i = at;
  const code = text.charCodeAt(i);
  if (code === 58 || code === 44 || code === 46 || code === 45 || code === 59 || code === 43) {
    i += 1;
    // A space after it (a + in a form), or a line break.
    if (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 43) i += 1;
    else if (text.charCodeAt(i) === 13 || text.charCodeAt(i) === 10) return afterSeparator(text, i);
  } else if (code === 32 || code === 9) {
    i += 1;
    if (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i += 1;
  } else if (code === 13 || code === 10) {
    if (code === 13) i += 1;
    if (text.charCodeAt(i) === 10) i += 1;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i += 1;
  }
  i = afterHexPrefix(text, i);
  return i > at && isHexDigit(text.charCodeAt(i)) ? i : -1;
}

/** After a \x or 0x before a hex digit; `at` itself when there is none. */
function afterHexPrefix(text: string, at: number): number {
  const first = text.charCodeAt(at);
  const second = text.charCodeAt(at + 1);
  if ((first === 92 || first === 48) && (second === 120 || second === 88) && isHexDigit(text.charCodeAt(at + 2)))
    return at + 2;
  return at;
}

/** Positions in a view, -1 between runs; grows as it fills. */
class Positions {
  list = new Int32Array(64);
  length = 0;

  /** Empties it for another decoder (one is reused: decoders run one at a time). */
  reset(): this {
    this.length = 0;
    return this;
  }

  push(position: number): void {
    if (this.length === this.list.length) {
      const longer = new Int32Array(this.list.length * 2);
      longer.set(this.list);
      this.list = longer;
    }
    this.list[this.length] = position;
    this.length += 1;
  }

  /** Ends a run. */
  pushBreak(): void {
    if (this.length > 0 && this.list[this.length - 1] !== -1) this.push(-1);
  }

  /** Calls `run` with the [from, to) of each run. */
  forEachRun(run: (from: number, to: number) => void): void {
    let from = 0;
    for (let i = 0; i <= this.length; i++) {
      if (i < this.length && this.list[i] !== -1) continue;
      if (i > from) run(from, i);
      from = i + 1;
    }
  }
}

/** The positions of the hex digits of `view`'s runs of at least `minDigits`. */
interface HexDigits {
  digits: Positions;
  /**
   * For each run, whether it is 16-bit words (every group four digits, the last perhaps two: a dump
   * byte-swapped on little-endian machines). Only those are read swapped: a swapped reading of a
   * long run beside a word ("cafe babe" then a password's hex) read the password with each
   * character straddling two words, and took the digits after it along (the generated tests,
   * seed 1990779175).
   */
  wordRuns: boolean[];
}

const scratch = new Positions();

function hexRunDigits(view: View, minDigits: number): HexDigits | undefined {
  const text = view.text;
  const digits = scratch.reset();
  const wordRuns: boolean[] = [];
  let i = 0;
  // Each run is measured first and kept only when it is long enough.
  const groups: number[] = [];
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (hexValue(code) < 0 && code !== 92 /* \x */) {
      i += 1;
      continue;
    }
    const start = afterHexPrefix(text, i);
    if (!isHexDigit(text.charCodeAt(start))) {
      i += 1;
      continue;
    }
    groups.length = 0;
    let count = 0;
    let group = start;
    let end = start;
    for (;;) {
      end = group;
      while (end < text.length && isHexDigit(text.charCodeAt(end))) end += 1;
      groups.push(group, end);
      count += end - group;
      const next = afterSeparator(text, end);
      if (next < 0) break;
      group = next;
    }
    if (count >= minDigits) {
      let words = true;
      for (let g = 0; g < groups.length; g += 2) {
        const [from, to] = [groups[g] as number, groups[g + 1] as number];
        if (to - from !== 4 && !(to - from === 2 && g === groups.length - 2)) words = false;
        for (let at = from; at < to; at++) digits.push(at);
      }
      wordRuns.push(words);
      digits.pushBreak();
    }
    i = end;
  }
  return digits.length === 0 ? undefined : { digits, wordRuns };
}

/**
 * Bytes from the hex digits at `digits` of `view`, two a byte from `alignment`, words byte-swapped
 * when asked: in every run, or in the runs whose flag is set.
 */
function hexBytes(view: View, digits: Positions, alignment: number, swapWords: boolean | readonly boolean[]): View {
  const text = view.text;
  const list = digits.list;
  const out = new ViewBuilder(digits.length / 2 + 8);
  const digit = (k: number): number => hexValue(text.charCodeAt(list[k] as number));
  let runIndex = 0;
  digits.forEachRun((runStart, runEnd) => {
    const swap = typeof swapWords === 'boolean' ? swapWords : swapWords[runIndex] === true;
    runIndex += 1;
    // A digit left over at either end is half a byte.
    if (alignment === 1) out.push(PARTIAL, startOf(view, list[runStart]!), endOf(view, list[runStart]!));
    const first = runStart + alignment;
    const whole = Math.max(0, Math.floor((runEnd - first) / 2));
    for (let k = 0; k < whole; k++) {
      // Words byte-swapped: byte k is taken from its partner (the last odd byte stays where it is).
      const from = swap && (k ^ 1) < whole ? k ^ 1 : k;
      const at = first + 2 * from;
      out.push(digit(at) * 16 + digit(at + 1), startOf(view, list[at]!), endOf(view, list[at + 1]!));
    }
    const rest = first + 2 * whole;
    if (rest < runEnd) out.push(PARTIAL, startOf(view, list[rest]!), endOf(view, list[rest]!));
    out.pushBreak();
  });
  return out.view(true);
}

const hex: Decoder = (view, options) => {
  const found = hexRunDigits(view, 2 * options.minUnits);
  if (!found) return [];
  const byteViews = [hexBytes(view, found.digits, 0, false), hexBytes(view, found.digits, 1, false)];
  if (found.wordRuns.includes(true)) byteViews.push(hexBytes(view, found.digits, 0, found.wordRuns));
  return byteViews.flatMap((bytes) => readings(bytes, options));
};

// A line of a hex dump: an offset, groups of 2, 4 or 8 hex digits, then perhaps the bytes as
// characters (`hexdump -C`, `xxd`, `od -A x -t x1z`, `hexdump`). A + stands for a space too (a
// dump sent in a form).
const DUMP_LINE = /^[ \t+]*[0-9A-Fa-f]{4,16}:?[ \t+]+[0-9A-Fa-f]{2}/;
const DUMP_GROUPS = /([0-9A-Fa-f]+)([ \t+]*)/y;

interface DumpLine {
  /** Positions (in the view) of the data's hex digits. */
  digits: number[];
  words: boolean;
  /** Range of the characters column, delimiters left out. */
  column: [number, number] | undefined;
}

function readDumpLine(text: string, from: number, to: number): DumpLine | undefined {
  const line = text.slice(from, to);
  if (!DUMP_LINE.test(line)) return undefined;
  const offset = /^[ \t+]*[0-9A-Fa-f]{4,16}:?[ \t+]+/.exec(line);
  if (!offset) return undefined;
  const groups: Array<{ at: number; length: number; end: number }> = [];
  DUMP_GROUPS.lastIndex = offset[0].length;
  for (let group = DUMP_GROUPS.exec(line); group; group = DUMP_GROUPS.exec(line)) {
    const digits = group[1] as string;
    const width = groups[0]?.length ?? digits.length;
    // Every group as wide as the first, but the last of a short line (`xxd` ends `a2f2 8a`).
    if (digits.length > width || digits.length % 2 !== 0 || width > 8) break;
    groups.push({ at: group.index, length: digits.length, end: group.index + digits.length });
    if ((group[2] as string).length === 0 || digits.length < width) break;
    if (DUMP_GROUPS.lastIndex >= line.length) break;
  }
  // The characters column holds as many characters as the line has bytes (a space among them
  // too), after the digits and some space, or between | | or > <. Fewer groups than read when
  // the column itself starts with something that reads as hex (`cafe babe`).
  const bytesOf = (n: number): number => groups.slice(0, n).reduce((sum, group) => sum + group.length / 2, 0);
  /** The column's range when the line has n groups; undefined for none, null when n groups cannot be. */
  const columnOf = (n: number): [number, number] | undefined | null => {
    const after = n === 0 ? offset[0].length : (groups[n - 1] as { end: number }).end;
    let start = after;
    while (start < line.length && (line[start] === ' ' || line[start] === '\t' || line[start] === '+')) start += 1;
    if (start === line.length) return undefined;
    if (line[start] === '|' || line[start] === '>') {
      const end = line[line.length - 1] === '|' || line[line.length - 1] === '<' ? line.length - 1 : line.length;
      if (end - (start + 1) === bytesOf(n)) return [start + 1, end];
    }
    // Not between delimiters (`xxd`, whose characters may start with | or >).
    const columnStart = line.length - bytesOf(n);
    return columnStart > after && columnStart <= start ? [columnStart, line.length] : null;
  };
  // Groups that stand apart from the ones before (a wider gap than between the first two) begin
  // `xxd`'s characters column when it starts with hex and ends in spaces: "2020  00" + spaces
  // reads as a last group "00" and no column, unless the gap says otherwise (the generated tests
  // found a password split by those bytes, seed -415888290).
  const gap = groups.length > 1 ? (groups[1] as { at: number }).at - (groups[0] as { end: number }).end : Infinity;
  const apart = groups.findIndex((group, i) => i > 0 && group.at - (groups[i - 1] as { end: number }).end > gap);
  let count = 0;
  for (let n = groups.length; n > 0; n--) {
    const column = columnOf(n);
    if (column === null) continue;
    if (column === undefined && apart > 0 && apart < n && columnOf(apart)) {
      count = apart;
      break;
    }
    count = n;
    break;
  }
  if (count === 0) return undefined;
  const digits: number[] = [];
  for (const group of groups.slice(0, count)) for (let k = 0; k < group.length; k++) digits.push(from + group.at + k);
  const column = columnOf(count) ?? undefined;
  return {
    digits,
    words: groups[0]?.length === 4 && groups.slice(0, count).every((group) => group.length === 4),
    column: column && [from + column[0], from + column[1]],
  };
}

/** A break in a view (BREAK) as a character of its text. */
const BREAK_CHARACTER = String.fromCharCode(BREAK);

const hexDump: Decoder = (view, options) => {
  const text = view.text;
  if (!/(?:^|\uffff)[ \t+]*[0-9A-Fa-f]{4,16}:?[ \t+]+[0-9A-Fa-f]{2}/m.test(text)) return [];
  const digits = scratch.reset();
  const column = new ViewBuilder();
  const columnNoDots = new ViewBuilder();
  let words = false;
  let from = 0;
  // A line ends at a line break or at a break of the view: a dump read from a dump's characters
  // column, followed by anything that is not a dump line, ends with one (the generated tests found
  // a password left whole there, seed -1635541256).
  let gap = text.indexOf(BREAK_CHARACTER);
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    if (gap !== -1 && gap < from) gap = text.indexOf(BREAK_CHARACTER, from);
    if (gap !== -1 && gap < to) to = gap;
    const line = readDumpLine(text, from, to > from && text[to - 1] === '\r' ? to - 1 : to);
    if (line) {
      words ||= line.words;
      for (const at of line.digits) digits.push(at);
      if (line.column)
        for (let at = line.column[0]; at < line.column[1]; at++) {
          column.push(text.charCodeAt(at), startOf(view, at), endOf(view, at));
          if (text[at] !== '.') columnNoDots.push(text.charCodeAt(at), startOf(view, at), endOf(view, at));
        }
    } else {
      digits.pushBreak();
      column.pushBreak();
      columnNoDots.pushBreak();
    }
    from = to + 1;
  }
  if (digits.length < 2 * options.minUnits) return [];
  const byteViews = [hexBytes(view, digits, 0, false)];
  if (words) byteViews.push(hexBytes(view, digits, 0, true));
  return [
    ...byteViews.flatMap((bytes) => readings(bytes, options)),
    ...[column, columnNoDots].filter((built) => built.length > 0).map((built) => built.view(true)),
  ];
};

// ---------------------------------------------------------------------------------------------
// base64

const BASE64_VALUES = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((character, index) => (BASE64_VALUES[character.charCodeAt(0)] = index));
// base64url, read in the same pass.
BASE64_VALUES[45] = 62;
BASE64_VALUES[95] = 63;

const base64Value = (code: number): number => (code < 128 ? (BASE64_VALUES[code] as number) : -1);

/** The positions of the base64 characters of `view`'s runs of at least `minChars` (line breaks inside a run skipped). */
function base64RunChars(view: View, minChars: number): Positions | undefined {
  const text = view.text;
  const chars = scratch.reset();
  let i = 0;
  while (i < text.length) {
    if (base64Value(text.charCodeAt(i)) < 0) {
      i += 1;
      continue;
    }
    // Measured first, kept only when long enough.
    const start = i;
    let count = 0;
    for (;;) {
      while (i < text.length && base64Value(text.charCodeAt(i)) >= 0) {
        i += 1;
        count += 1;
      }
      // A wrapped line goes on after the break.
      let next = i;
      if (text.charCodeAt(next) === 13) next += 1;
      if (text.charCodeAt(next) === 10) next += 1;
      if (next > i && base64Value(text.charCodeAt(next)) >= 0) {
        i = next;
        continue;
      }
      break;
    }
    if (count >= minChars) {
      for (let at = start; at < i; at++) if (base64Value(text.charCodeAt(at)) >= 0) chars.push(at);
      chars.pushBreak();
    }
    while (text.charCodeAt(i) === 61 /* = */) i += 1;
  }
  return chars.length === 0 ? undefined : chars;
}

/**
 * Bytes from the base64 characters at `chars` of `view`, each run read from its `skip`-th bit: a
 * run taken out of a longer base64 text can start at any even bit of a byte. The bits of a byte
 * cut at either end make one PARTIAL.
 */
function base64Bytes(view: View, chars: Positions, skip: number): View {
  const text = view.text;
  const list = chars.list;
  const out = new ViewBuilder((chars.length * 3) / 4 + 8);
  chars.forEachRun((runStart, runEnd) => {
    let bits = 0;
    let count = 0;
    let first = -1;
    for (let k = runStart; k < runEnd; k++) {
      const at = list[k] as number;
      bits = ((bits << 6) | base64Value(text.charCodeAt(at))) & 0xffffff;
      count += 6;
      if (k === runStart && skip > 0) {
        out.push(PARTIAL, startOf(view, at), endOf(view, at));
        count -= skip;
      }
      if (first < 0 && count > 0) first = at;
      if (count >= 8) {
        count -= 8;
        // This byte's bits came from the character at `first` (and those up to `at`).
        out.push((bits >> count) & 0xff, startOf(view, first), endOf(view, at));
        first = count > 0 ? at : -1;
      }
    }
    if (first >= 0 && count > 0) out.push(PARTIAL, startOf(view, first), endOf(view, list[runEnd - 1] as number));
    out.pushBreak();
  });
  return out.view(true);
}

const base64: Decoder = (view, options) => {
  const chars = base64RunChars(view, Math.ceil((8 * options.minUnits) / 6));
  if (!chars) return [];
  return [0, 2, 4, 6].flatMap((skip) => readings(base64Bytes(view, chars, skip), options));
};

// ---------------------------------------------------------------------------------------------
// Unicode composition

const COMBINING = /\p{M}/u;
const marks = new Map<number, boolean>();

/**
 * Whether a code point joins the one before it in a normal form: a combining mark (none is below
 * U+0300), or a Hangul vowel or final consonant jamo (a syllable in NFD).
 */
export function isMark(codePoint: number): boolean {
  if (codePoint < 0x300) return false;
  if ((codePoint >= 0x1160 && codePoint <= 0x11ff) || (codePoint >= 0xd7b0 && codePoint <= 0xd7ff)) return true;
  let mark = marks.get(codePoint);
  if (mark === undefined) {
    mark = COMBINING.test(String.fromCodePoint(codePoint));
    marks.set(codePoint, mark);
  }
  return mark;
}

/** Text in NFD (or with marks an NFC form would compose) composed, one base character and its marks at a time, around each mark. */
const composed: Decoder = (view, options) => {
  const text = view.text;
  if (!/[\u0300-\ufffd]/.test(text)) return [];
  const places: number[] = [];
  const finder = /[\p{M}\u1160-\u11ff\ud7b0-\ud7ff]/gu;
  for (let found = finder.exec(text); found; found = finder.exec(text)) places.push(found.index);
  if (places.length === 0) return [];
  const out = new ViewBuilder();
  let changed = false;
  for (const [from, to] of rangesAround(places, text.length, options.margin)) {
    let i = from;
    while (i < to) {
      let end = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
      while (end < text.length && isMark(text.codePointAt(end)!)) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
      const cluster = text.slice(i, end);
      const composedCluster = end - i > 1 ? cluster.normalize('NFC') : cluster;
      changed ||= composedCluster !== cluster;
      // The fewest marks that compose with the base are composed with it; the marks after them
      // keep their own places, so that a secret ending at the base does not take a mark that
      // follows it, nor the text the mark came from (the generated tests found "[redacted]beef"
      // of a hex echo followed by "deadbeef", whose de ad is a mark).
      let split = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
      while (split < end && text.slice(i, split).normalize('NFC') + text.slice(split, end) !== composedCluster)
        split += text.codePointAt(split)! > 0xffff ? 2 : 1;
      out.pushText(
        split === end ? composedCluster : text.slice(i, split).normalize('NFC'),
        startOf(view, i),
        endOf(view, split - 1),
      );
      for (let k = split; k < end; k++) out.push(text.charCodeAt(k), startOf(view, k), endOf(view, k));
      i = end;
    }
    out.pushBreak();
  }
  return changed ? [out.view(view.fromDigits)] : [];
};

/** Every decoder, in the order their views are searched (the likeliest echoes first). */
export const DECODERS: readonly Decoder[] = [escapes, hex, base64, utf8FromBytes, utf16FromBytes, hexDump, composed];

export type ViewWalk = 'done' | 'stopped' | 'over-budget';

/**
 * Calls `visit` with `text` and every view the decoders read from it, and from those, down to
 * `depth` decodings; `visit` returns true to stop. A view equal to one already visited is not
 * visited again. 'over-budget' when the views made reached `budget` units before all were made.
 */
export function walkViews(
  text: string,
  depth: number,
  budget: number,
  options: ViewOptions,
  visit: (view: View) => boolean,
): ViewWalk {
  resetViews();
  const first = identityView(text);
  if (visit(first)) return 'stopped';
  const seen = new Set<string>([`0,${text.length},${text}`]);
  let spent = text.length;
  let level = [first];
  for (let round = 1; round <= depth; round++) {
    const next: View[] = [];
    for (const view of level) {
      if (view.final) continue;
      for (const decoder of DECODERS) {
        // Bytes were read in every charset when they were made.
        if (view.bytes && (decoder === utf8FromBytes || decoder === utf16FromBytes)) continue;
        for (const decoded of decoder(view, options)) {
          if (decoded.text.length === 0) continue;
          // The same text read from another place of the source is another view (a dump's bytes
          // and its characters column), so the key holds where it starts and ends.
          const key = `${decoded.starts[0]},${decoded.ends[decoded.ends.length - 1]},${decoded.text}`;
          if (seen.has(key)) continue;
          seen.add(key);
          spent += decoded.text.length;
          if (spent > budget) return 'over-budget';
          if (visit(decoded)) return 'stopped';
          if (round < depth) next.push(decoded);
        }
      }
    }
    level = next;
  }
  return 'done';
}
