// The single redaction point. Every log line, error message, body excerpt and
// debug dump that could hold request data goes through here first.
//
// A server or proxy that echoes the request can carry the password in any encoding
// (form, percent in either case, JSON with \u escapes, HTML entities, base64 at any
// byte alignment), twice encoded, or cut into pieces. So the known secrets are not
// searched as a list of encoded strings: the text is decoded into a few views, each
// keeping a map back to the original characters.
//
// Two kinds of text, two rules:
// - the program's own wording (redactOwnText): the whole secret, in every encoding, is
//   removed. Fragments are not searched there: a password sharing six letters with a
//   word of ours ("answered", "loginPassword") would cut that word, corrupt --json, and
//   show an onlooker which words the password contains.
// - server-derived text (redactServerText: an errorMessage, a body excerpt, a transport
//   error echoing the server or a proxy): any run of MIN_FRAGMENT or more characters of a
//   secret, in any view, withholds the whole piece of text. Splicing the fragment out
//   would show where it was and what surrounds it.
// Server text passes redactServerText where it enters (the client); everything printed,
// logged or stored then passes redactOwnText once more at the edge.

import { base64Encode } from '../csr/bytes';

export const REDACTED = '[redacted]';

/** No Buffer here: the browser build's log redacts with this module too. */
const utf8Decoder = new TextDecoder();

/** Any run of this many characters of a secret in server text withholds that text (a shorter secret counts only whole). */
export const MIN_FRAGMENT = 6;

/** What replaces a piece of server text that held part of a secret. */
export const SERVER_TEXT_WITHHELD = '[server text withheld: it contained part of the password]';

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
// loginPassword=... or csr=... inside a form body, in any letter case, up to the next & or line end
// (a password may hold spaces, so whitespace does not end it).
const FORM_SECRET = /\b(loginPassword|csr)=([^&\r\n]*)/gi;
// "loginPassword": "..." inside JSON.
const JSON_SECRET = /("(?:loginPassword|csr)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
// user:password@ in a URL (a proxy setting such as http://me:secret@proxy:3128); single spaces
// inside are allowed, as a hand-typed proxy password may hold one.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+(?: [^\s/@"']+)*@/gi;

/** Removes form- and JSON-encoded passwords and CSRs, PEM blocks and credentials in URLs. */
function redactPatterns(text: string): string {
  let safe = text.replace(PEM_BLOCK, '[PEM block removed]');
  safe = safe.replace(URL_USERINFO, (_match, scheme: string) => `${scheme}${REDACTED}@`);
  safe = safe.replace(FORM_SECRET, (_match, name: string) => `${name}=${REDACTED}`);
  safe = safe.replace(JSON_SECRET, (_match, prefix: string) => `${prefix}"${REDACTED}"`);
  return safe;
}

/**
 * The program's own wording, safe to print, log or store: each whole secret in every encoding,
 * form- and JSON-encoded passwords and CSRs, PEM blocks and credentials in URLs removed. Words that
 * merely share letters with a secret are left intact.
 */
export function redactOwnText(text: string, secrets: readonly string[] = []): string {
  return redactPatterns(removeMarks(text, secretMarks(text, secrets, 'whole')));
}

/**
 * Text that came from a server or proxy, safe to print: withheld whole (SERVER_TEXT_WITHHELD) when it
 * holds any run of MIN_FRAGMENT characters of a secret in any encoding; otherwise redacted like own text.
 */
export function redactServerText(text: string, secrets: readonly string[] = []): string {
  if (secretMarks(text, secrets, 'fragments').length > 0) return SERVER_TEXT_WITHHELD;
  return redactPatterns(text);
}

/** More characters than one UTF-16 unit of a secret can take in an echo (a 3-byte UTF-8 character percent-encoded twice, %25E2%2582%25AC, takes 15). */
const MAX_ENCODED_PER_UNIT = 20;

/**
 * The first `length` characters of a server's `text` (a body excerpt), redacted as server text. The
 * search covers enough text past the cut that a secret crossing it is still recognised.
 */
export function redactedServerPrefix(text: string, length: number, secrets: readonly string[] = []): string {
  const longest = Math.max(0, ...secrets.map((secret) => secret.length));
  return redactServerText(text.slice(0, length + longest * MAX_ENCODED_PER_UNIT), secrets).slice(0, length);
}

/**
 * The user name and password of a URL such as a proxy setting, raw and decoded, to pass to the
 * redaction as secrets. Read without parsing: a setting that is no URL (a "/" in the password) or
 * has no scheme (user:pass@host:port, as curl accepts) still has its credentials found. Everything
 * up to the last "@" before the host is credentials.
 */
export function urlSecrets(value: string): string[] {
  const text = value.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at <= 0) return [];
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  const password = colon === -1 ? '' : userinfo.slice(colon + 1);
  const found = new Set<string>();
  for (const part of [userinfo, password]) {
    if (!part) continue;
    found.add(part);
    try {
      found.add(decodeURIComponent(part));
    } catch {
      // Not valid percent-encoding: the raw form is enough.
    }
  }
  return [...found];
}

/** Decoded text with, for each of its UTF-16 units, the span of the original text it came from. */
interface View {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

function identityView(text: string): View {
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { text, starts, ends };
}

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

/**
 * Which decodings a view applies. Each can be off: a whole password holding a literal %41, &amp or \"
 * is found only in a view that leaves that sequence alone.
 */
interface Decoding {
  /** %XX, and + for a space: off for a view of text whose literal % and + are the password's own. */
  percent: boolean;
  plusIsSpace: boolean;
  json: boolean;
  entities: boolean;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** The byte written as %XX at `at`, or -1. */
function percentByte(text: string, at: number): number {
  if (text.charCodeAt(at) !== 37) return -1;
  const high = hexValue(text.charCodeAt(at + 1));
  const low = hexValue(text.charCodeAt(at + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

const ENTITY = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));?/y;

// A lone surrogate becomes U+FFFD: still one unit, so the maps stay aligned (and it is no part of a secret);
// a leading byte-order mark is kept for the same reason.
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });

function unitsToString(units: Uint16Array): string {
  return utf16.decode(units);
}

/**
 * One level of decoding of every encoding an echo could use, wherever it appears: %XX (UTF-8, either
 * case), + for a space (form), JSON backslash escapes, HTML entities. Anything else stays as it is.
 */
function decodeView(source: View, decoding: Decoding): View {
  const text = source.text;
  const special = `${decoding.json ? '\\\\' : ''}${decoding.entities ? '&' : ''}${decoding.percent ? '%' : ''}${decoding.plusIsSpace ? '+' : ''}`;
  if (special === '' || !new RegExp(`[${special}]`).test(text)) return source;
  // Each decoding turns at least as many characters into at most as many units, so the buffers fit.
  const units = new Uint16Array(text.length);
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let length = 0;
  const emit = (decoded: string, from: number, to: number): void => {
    for (let k = 0; k < decoded.length; k++) {
      units[length] = decoded.charCodeAt(k);
      starts[length] = source.starts[from] as number;
      ends[length] = source.ends[to - 1] as number;
      length += 1;
    }
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    let end = -1;
    if (code === 37 /* % */ && decoding.percent) end = decodePercent(text, i, emit);
    else if (code === 43 /* + */ && decoding.plusIsSpace) {
      emit(' ', i, i + 1);
      end = i + 1;
    } else if (code === 92 /* \ */ && decoding.json) end = decodeJsonEscape(text, i, emit);
    else if (code === 38 /* & */ && decoding.entities) end = decodeEntity(text, i, emit);
    if (end > i) {
      i = end;
      continue;
    }
    units[length] = code;
    starts[length] = source.starts[i] as number;
    ends[length] = source.ends[i] as number;
    length += 1;
    i += 1;
  }
  return {
    text: unitsToString(units.subarray(0, length)),
    starts: starts.subarray(0, length),
    ends: ends.subarray(0, length),
  };
}

type Emit = (decoded: string, from: number, to: number) => void;

/** One character written as %XX bytes of UTF-8 at `at`: emitted, and where it ends returned (-1 if none). */
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
  emit(length === 1 ? String.fromCharCode(lead) : utf8Decoder.decode(Uint8Array.from(bytes)), at, at + 3 * length);
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

/** Letters in lower case, unit for unit (a letter whose lower case is longer is kept), so the maps stay aligned. */
function foldCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let folded = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text[i] as string;
    const low = unit.toLowerCase();
    folded += low.length === 1 ? low : unit;
  }
  return folded;
}

function foldView(view: View): View {
  const text = foldCase(view.text);
  return text === view.text ? view : { ...view, text };
}

/** The text without its NUL characters (UTF-16 text read as bytes), mapped back to the original. */
function withoutNuls(source: View): View {
  const starts = new Int32Array(source.text.length);
  const ends = new Int32Array(source.text.length);
  let length = 0;
  for (let i = 0; i < source.text.length; i++) {
    if (source.text.charCodeAt(i) === 0) continue;
    starts[length] = source.starts[i] as number;
    ends[length] = source.ends[i] as number;
    length += 1;
  }
  return {
    text: source.text.replace(/\u0000/g, ''),
    starts: starts.subarray(0, length),
    ends: ends.subarray(0, length),
  };
}

/** Units below 256 taken two at a time as the bytes of one UTF-16 unit; any other unit kept as it is. */
function bytePairView(source: View, littleEndian: boolean, offset: number): View {
  const text = source.text;
  const units = new Uint16Array(text.length);
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let length = 0;
  let i = 0;
  const keep = (at: number): void => {
    units[length] = text.charCodeAt(at);
    starts[length] = source.starts[at] as number;
    ends[length] = source.ends[at] as number;
    length += 1;
  };
  for (; i < offset && i < text.length; i++) keep(i);
  while (i < text.length) {
    const first = text.charCodeAt(i);
    const second = i + 1 < text.length ? text.charCodeAt(i + 1) : 0x10000;
    if (first > 0xff || second > 0xff) {
      keep(i);
      i += 1;
      continue;
    }
    units[length] = littleEndian ? first | (second << 8) : (first << 8) | second;
    starts[length] = source.starts[i] as number;
    ends[length] = source.ends[i + 1] as number;
    length += 1;
    i += 2;
  }
  return {
    text: unitsToString(units.subarray(0, length)),
    starts: starts.subarray(0, length),
    ends: ends.subarray(0, length),
  };
}

/** Drops line breaks (base64 is often wrapped) and maps base64url to the standard alphabet. */
function base64View(source: View): View {
  if (!/[\r\n_-]/.test(source.text)) return source;
  const starts = new Int32Array(source.text.length);
  const ends = new Int32Array(source.text.length);
  let length = 0;
  const kept = source.text.replace(/[\r\n]+/g, '');
  for (let i = 0; i < source.text.length; i++) {
    const c = source.text.charCodeAt(i);
    if (c === 13 || c === 10) continue;
    starts[length] = source.starts[i] as number;
    ends[length] = source.ends[i] as number;
    length += 1;
  }
  return {
    text: kept.replace(/-/g, '+').replace(/_/g, '/'),
    starts: starts.subarray(0, length),
    ends: ends.subarray(0, length),
  };
}

/**
 * The base64 characters that depend only on the secret's bytes (raw or form-encoded), for each of
 * the three byte alignments it can have inside a longer base64 text.
 */
function base64Forms(secret: string): string[] {
  // A base64-encoded echo of the whole request carries the password form-encoded.
  const encodings = new Set([
    secret,
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURIComponent(secret),
  ]);
  return [...encodings].flatMap(base64Aligned);
}

function base64Aligned(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const encoded = base64Encode(shifted);
    const first = Math.ceil((8 * offset) / 6);
    const last = Math.floor((8 * (offset + bytes.length)) / 6);
    forms.push(encoded.slice(first, last));
  }
  return forms;
}

/** Marks every window of `size` units of `view` that is one of `grams`. */
function markGrams(view: View, grams: Set<string>, size: number, marks: Array<[number, number]>): void {
  if (grams.size === 0 || view.text.length < size) return;
  // A cheap filter before taking a substring: the window's first and last units must occur in a gram.
  const firstUnits = new Set<number>();
  const lastUnits = new Set<number>();
  for (const gram of grams) {
    firstUnits.add(gram.charCodeAt(0));
    lastUnits.add(gram.charCodeAt(size - 1));
  }
  const text = view.text;
  for (let j = 0; j + size <= text.length; j++) {
    if (!firstUnits.has(text.charCodeAt(j)) || !lastUnits.has(text.charCodeAt(j + size - 1))) continue;
    if (grams.has(text.slice(j, j + size))) marks.push([view.starts[j] as number, view.ends[j + size - 1] as number]);
  }
}

function gramsOf(values: readonly string[], size: number): Set<string> {
  const grams = new Set<string>();
  for (const value of values) {
    for (let i = 0; i + size <= value.length; i++) grams.add(value.slice(i, i + size));
  }
  return grams;
}

/** Base64 characters fixed by MIN_FRAGMENT bytes at their worst alignment (8 at offset 0, 7 at offsets 1 and 2). */
const BASE64_FRAGMENT = Math.min(
  ...[0, 1, 2].map((offset) => Math.floor((8 * (offset + MIN_FRAGMENT)) / 6) - Math.ceil((8 * offset) / 6)),
);
/** A shorter base64 form would match by chance. */
const MIN_BASE64_FORM = 4;

/**
 * The spans of `text` that hold a secret in some view: each whole secret ('whole'), or any run of
 * MIN_FRAGMENT of its characters ('fragments'; a shorter secret only whole).
 */
function secretMarks(text: string, secrets: readonly string[], match: 'whole' | 'fragments'): Array<[number, number]> {
  const wanted = secrets.filter((secret) => secret.length > 0);
  if (wanted.length === 0 || text.length === 0) return [];
  const identity = identityView(text);
  // A UTF-16 echo read as UTF-8 holds the secret with NULs between its characters.
  const bases = text.includes('\u0000') ? [identity, withoutNuls(identity)] : [identity];
  const all = { percent: true, plusIsSpace: true, json: true, entities: true };
  const entitiesOnly = { percent: false, plusIsSpace: false, json: false, entities: true };
  const views: View[] = [];
  for (const raw of bases) {
    const once = decodeView(raw, all);
    const entitiesOnce = decodeView(raw, entitiesOnly);
    const decoded = [
      raw,
      once,
      decodeView(raw, { ...all, plusIsSpace: false }),
      decodeView(once, all),
      decodeView(raw, { ...all, percent: false, plusIsSpace: false }),
      // One encoding alone, for a whole secret whose literal text looks like another encoding.
      decodeView(raw, { percent: false, plusIsSpace: false, json: true, entities: false }),
      entitiesOnce,
      decodeView(entitiesOnce, entitiesOnly),
      decodeView(raw, { percent: true, plusIsSpace: false, json: false, entities: false }),
      decodeView(raw, { percent: true, plusIsSpace: true, json: false, entities: false }),
    ];
    // Matched without regard to letter case (an echo may upper-case it); a view equal to one
    // already searched is not searched again (plain text has one view only).
    for (const view of decoded) {
      const folded = foldView(view);
      if (!views.some((seen) => seen.text === folded.text)) views.push(folded);
    }
  }
  // UTF-16 bytes carried one per character (text read as Latin-1): each pair of units is one, in
  // either byte order and at either alignment. Searched as they are, not decoded further.
  if (bases.length > 1)
    for (const littleEndian of [true, false])
      for (const offset of [0, 1]) {
        const folded = foldView(bytePairView(identity, littleEndian, offset));
        if (!views.some((seen) => seen.text === folded.text)) views.push(folded);
      }
  const raw = identity;
  const marks: Array<[number, number]> = [];
  const sizeOf = (value: string, fragment: number): number =>
    match === 'whole' ? value.length : Math.min(fragment, value.length);
  // Grouped by the length searched for.
  const bySize = new Map<number, string[]>();
  for (const secret of wanted) {
    const size = sizeOf(secret, MIN_FRAGMENT);
    bySize.set(size, [...(bySize.get(size) ?? []), secret]);
  }
  // Server text is withheld on the first fragment found: no need to find the others.
  const enough = (): boolean => match === 'fragments' && marks.length > 0;
  for (const [size, group] of bySize) {
    const grams = gramsOf(group.map(foldCase), size);
    for (const view of views) {
      markGrams(view, grams, size, marks);
      if (enough()) return marks;
    }
  }
  const base64 = base64View(raw);
  const bySize64 = new Map<number, string[]>();
  for (const form of wanted.flatMap(base64Forms)) {
    if (form.length < MIN_BASE64_FORM) continue;
    const size = sizeOf(form, BASE64_FRAGMENT);
    bySize64.set(size, [...(bySize64.get(size) ?? []), form]);
  }
  for (const [size, group] of bySize64) markGrams(base64, gramsOf(group, size), size, marks);
  return marks;
}

/** `text` with each marked span (merged where they overlap) replaced by REDACTED. */
function removeMarks(text: string, marks: Array<[number, number]>): string {
  if (marks.length === 0) return text;
  marks.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let position = 0;
  let current: [number, number] | undefined;
  for (const mark of marks) {
    if (current && mark[0] <= current[1]) {
      current[1] = Math.max(current[1], mark[1]);
      continue;
    }
    if (current) {
      parts.push(text.slice(position, current[0]), REDACTED);
      position = current[1];
    }
    current = [mark[0], mark[1]];
  }
  if (current) {
    parts.push(text.slice(position, current[0]), REDACTED);
    position = current[1];
  }
  parts.push(text.slice(position));
  return parts.join('');
}
