// The single redaction point. Every log line, error message, body excerpt and
// debug dump that could hold request data goes through here first.
//
// A server or proxy that echoes the request can carry the password in any encoding,
// two encodings deep, or cut into pieces. So the known secrets are not searched as a
// list of encoded spellings: the text is read by every decoder of decoded-views.ts
// (escapes, hex and hex dumps, base64 at any alignment, UTF-8 misread as Latin-1,
// UTF-16, Unicode composition), two deep, and each view is searched with letter case
// and Unicode compatibility forms folded on both sides. Every view keeps a map back to
// the original characters, so what is found is removed from the original exactly.
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

import { isMark, PARTIAL, ViewBuilder, walkViews, type View, type ViewOptions } from './decoded-views';

const PARTIAL_UNIT = String.fromCharCode(PARTIAL);

export const REDACTED = '[redacted]';

/** Any run of this many characters of a secret in server text withholds that text (a shorter secret counts only whole). */
export const MIN_FRAGMENT = 6;

/** What replaces a piece of server text that held part of a secret. */
export const SERVER_TEXT_WITHHELD = '[server text withheld: it contained part of the password]';

/** What replaces a piece of server text built to be too costly to search (nested encodings beyond the budget). */
export const SERVER_TEXT_UNSEARCHED = '[server text withheld: too much encoded text to search it for the password]';

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
  // Each pattern needs a character most lines lack: a line without it is left without compiling the pattern.
  let safe = text.includes('-----BEGIN ') ? text.replace(PEM_BLOCK, '[PEM block removed]') : text;
  if (safe.includes('://')) safe = safe.replace(URL_USERINFO, (_match, scheme: string) => `${scheme}${REDACTED}@`);
  if (safe.includes('=')) safe = safe.replace(FORM_SECRET, (_match, name: string) => `${name}=${REDACTED}`);
  if (safe.includes('"')) safe = safe.replace(JSON_SECRET, (_match, prefix: string) => `${prefix}"${REDACTED}"`);
  return safe;
}

/**
 * The program's own wording, safe to print, log or store: each whole secret in every encoding,
 * form- and JSON-encoded passwords and CSRs, PEM blocks and credentials in URLs removed. Words that
 * merely share letters with a secret are left intact.
 */
export function redactOwnText(text: string, secrets: readonly string[] = []): string {
  return redactPatterns(removeMarks(text, searchSecrets(text, secrets, 'whole').marks));
}

/**
 * Text that came from a server or proxy, safe to print: withheld whole (SERVER_TEXT_WITHHELD) when it
 * holds any run of MIN_FRAGMENT characters of a secret in any encoding; otherwise redacted like own text.
 */
export function redactServerText(text: string, secrets: readonly string[] = []): string {
  const search = searchSecrets(text, secrets, 'fragments');
  if (search.marks.length > 0) return SERVER_TEXT_WITHHELD;
  if (search.incomplete) return SERVER_TEXT_UNSEARCHED;
  return redactPatterns(text);
}

/**
 * More characters than one UTF-16 unit of a secret can take in an echo two encodings deep (an
 * emoji's two units as \\u escapes, each backslash and letter as an HTML entity, take 60).
 */
const MAX_ENCODED_PER_UNIT = 64;

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
  if (!text.includes('@')) return [];
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

/** How many decodings deep the views go: two encodings of the password, one inside the other. */
export const DECODE_DEPTH = 2;

/**
 * A secret shorter than this (as typed) is not looked for in bytes read out of letters and digits
 * (hex, base64, a charset): so short a string turns up in such bytes by chance. Nor is a piece this
 * short left beside a cut byte.
 */
const MIN_UNITS_READ_FROM_DIGITS = 4;

/**
 * The most units of views made for one search window, per unit of text (and a floor for short
 * texts). The densest texts measured (base64 of UTF-16 of hex) make about 8 units per unit, so
 * reaching this means text built to be expensive: server text is then withheld unsearched.
 */
const VIEW_BUDGET_PER_UNIT = 24;
const VIEW_BUDGET_FLOOR = 1 << 20;

/** Text longer than this many units is searched in overlapping windows of this size. */
const SEARCH_WINDOW = 64 * 1024;

/** Units are filtered by their low bits (a filter that passes a wrong unit only costs a comparison). */
const UNIT_FILTER = 0xfff;

/** What is searched for: folded secrets (or their fragments), grouped by length. */
interface Needles {
  /** `short`: needles of a secret shorter than MIN_UNITS_READ_FROM_DIGITS, not looked for in bytes. */
  sizes: Array<{ size: number; short: boolean; grams: Set<string>; firsts: Uint8Array; lasts: Uint8Array }>;
  options: ViewOptions;
  /** The needles without their first, last or both characters, by length: found beside a PARTIAL byte. */
  edges?: EdgeNeedles;
}

interface EdgeNeedles {
  tails: EdgeSet;
  heads: EdgeSet;
  middles: EdgeSet;
}

/** Pieces by length, and (as flags by unit) the units they start with, or for heads end with. */
interface EdgeSet {
  byLength: Array<[number, Set<string>]>;
  ends: Uint8Array;
}

const foldedClusters = new Map<string, string>();

/** One base character and its marks folded: compatibility-normalised, and case-folded by way of upper case (ß, ς, ſ). */
function foldCluster(cluster: string): string {
  let folded = foldedClusters.get(cluster);
  if (folded === undefined) {
    folded = cluster.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
    if (foldedClusters.size < 65536) foldedClusters.set(cluster, folded);
  }
  return folded;
}

// For each BMP unit that is a character alone: its fold when that is one unit, else FOLDS_LONGER;
// NOT_FOLDED_YET until first met. And which units are combining marks.
const NOT_FOLDED_YET = -1;
const FOLDS_LONGER = -2;
// Made at the first search (320 KB filled): most runs of the command line never search.
let unitFolds: Int32Array | undefined;
let unitIsMark: Int8Array | undefined;

function foldOfUnit(unit: number): number {
  unitFolds ??= new Int32Array(65536).fill(NOT_FOLDED_YET);
  let folded = unitFolds[unit] as number;
  if (folded === NOT_FOLDED_YET) {
    const text = foldCluster(String.fromCharCode(unit));
    folded = text.length === 1 ? text.charCodeAt(0) : FOLDS_LONGER;
    unitFolds[unit] = folded;
  }
  return folded;
}

/** Whether the unit at `at` may start or continue a cluster a unit alone cannot fold (a mark, a surrogate). */
function joinsCluster(unit: number): boolean {
  if (unit < 0x300) return false;
  if (unit >= 0xd800 && unit <= 0xdfff) return true;
  unitIsMark ??= new Int8Array(65536).fill(-1);
  let mark = unitIsMark[unit] as number;
  if (mark < 0) {
    mark = isMark(unit) ? 1 : 0;
    unitIsMark[unit] = mark;
  }
  return mark === 1;
}

/** Letters in lower case unit for unit (a letter whose lower case is longer is kept), so the maps stay aligned. */
function foldUnits(view: View): View {
  const text = view.text;
  const lower = text.toLowerCase();
  if (lower === text) return view;
  if (lower.length === text.length) return { ...view, text: lower };
  let folded = '';
  for (let i = 0; i < text.length; i++) {
    const low = (text[i] as string).toLowerCase();
    folded += low.length === 1 ? low : text[i];
  }
  return { ...view, text: folded };
}

/** The view with each base character and its marks folded (foldCluster), mapped back cluster by cluster. */
function foldClusters(view: View): View {
  const text = view.text;
  const out = new ViewBuilder();
  let i = 0;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    if (!joinsCluster(unit) && !(i + 1 < text.length && joinsCluster(text.charCodeAt(i + 1)))) {
      const folded = foldOfUnit(unit);
      if (folded !== FOLDS_LONGER) {
        out.push(folded, view.starts[i] as number, view.ends[i] as number);
        i += 1;
        continue;
      }
    }
    const baseEnd = i + ((text.codePointAt(i) as number) > 0xffff ? 2 : 1);
    let end = baseEnd;
    while (end < text.length && isMark(text.codePointAt(end) as number))
      end += (text.codePointAt(end) as number) > 0xffff ? 2 : 1;
    const folded = foldCluster(text.slice(i, end));
    // The fewest marks that compose with the base (none: the marks fold as themselves) fold with
    // it; every mark after them keeps its own place, so a secret that ends there does not take a
    // mark after it (and the text the mark came from: two hex digits after a hex echo, found by
    // the generated tests, seeds 1549680181 and, with a mark that composed before it, 1181436539).
    let split = baseEnd;
    while (split < end && foldCluster(text.slice(i, split)) + text.slice(split, end) !== folded)
      split += (text.codePointAt(split) as number) > 0xffff ? 2 : 1;
    out.pushText(
      split === end ? folded : foldCluster(text.slice(i, split)),
      view.starts[i] as number,
      view.ends[split - 1] as number,
    );
    for (let k = split; k < end; k++) out.push(text.charCodeAt(k), view.starts[k] as number, view.ends[k] as number);
    i = end;
  }
  return out.view(view.fromDigits);
}

/**
 * The forms of a view a secret is looked for in: letter case folded unit for unit, and fully for
 * text beyond Latin-1 (where marks, ligatures and compatibility characters are; the needles hold
 * both folds of the secret, so Latin-1 text needs only the first).
 */
function foldedForms(view: View): View[] {
  if (!BEYOND_LATIN_1.test(view.text)) return [foldUnits(view)];
  return [foldUnits(view), foldClusters(view)];
}

/** A unit beyond Latin-1 other than the views' own PARTIAL and BREAK. */
const BEYOND_LATIN_1 = /[\u0100-\ufffd]/;

/** A secret in each folded form it is looked for in, and with each space a + (as a form writes it). */
function secretForms(secret: string): string[] {
  const forms = foldedSecret(secret);
  return secret.includes(' ') ? [...new Set([...forms, ...forms.map((form) => form.replace(/ /g, '+'))])] : forms;
}

function foldedSecret(secret: string): string[] {
  const identity = (text: string): View => ({
    text,
    starts: new Int32Array(text.length),
    ends: new Int32Array(text.length),
    fromDigits: false,
  });
  return [...new Set([foldUnits(identity(secret)).text, foldClusters(identity(secret)).text])];
}

// WHATWG's latin1 is Windows-1252 (bytes 0x80-0x9F as € ‚ ƒ …); true Latin-1 maps each byte to U+0000-U+00FF.
// Made when first needed: a decoder of a legacy encoding loads ICU's converter.
let windows1252: TextDecoder | undefined;

/**
 * A text's UTF-8 read as Latin-1 and as Windows-1252 (`pÃ¤sswÃ¶rd`), and its UTF-16 read as
 * Latin-1 (in either byte order): what an echo holds when a reader took bytes for characters.
 */
function misreadings(text: string): string[] {
  const utf16 = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) utf16[i] = text.charCodeAt(i);
  const little = new Uint8Array(utf16.buffer);
  const big = little.map((_byte, at) => little[at ^ 1] as number);
  const readings = [String.fromCharCode(...little), String.fromCharCode(...big)];
  if (!/[^\u0000-\u007f]/.test(text)) return readings;
  const bytes = new TextEncoder().encode(text);
  windows1252 ??= new TextDecoder('windows-1252');
  return [...readings, String.fromCharCode(...bytes), windows1252.decode(bytes)];
}

const needleCache = new Map<string, Needles>();

function needlesFor(secrets: readonly string[], match: 'whole' | 'fragments'): Needles {
  const key = `${match}\u0000${secrets.join('\u0000')}`;
  const cached = needleCache.get(key);
  if (cached) return cached;
  const bySize = new Map<string, Set<string>>();
  const highBytes = new Uint8Array(256);
  const characters = new Set<number>();
  for (const secret of secrets) {
    // A secret is short by its length as typed: its folded form may be shorter (NFD composed).
    const short = secret.length < MIN_UNITS_READ_FROM_DIGITS;
    for (const form of secretForms(secret)) {
      const size = match === 'whole' ? form.length : Math.min(MIN_FRAGMENT, form.length);
      const key = `${size} ${short}`;
      const grams = bySize.get(key) ?? new Set<string>();
      for (let i = 0; i + size <= form.length; i++) grams.add(form.slice(i, i + size));
      bySize.set(key, grams);
    }
    // A run of MIN_FRAGMENT characters as typed may fold shorter (A and a combining grave are one
    // À, six Hangul jamo two syllables), or otherwise than the whole secret folds at its edges:
    // each run is looked for in its own folded forms too. One that folds below
    // MIN_UNITS_READ_FROM_DIGITS is not looked for in bytes read out of letters and digits.
    const typed = Array.from(secret);
    for (let i = 0; match === 'fragments' && i + MIN_FRAGMENT <= typed.length; i++)
      for (const form of secretForms(typed.slice(i, i + MIN_FRAGMENT).join(''))) {
        const size = Math.min(MIN_FRAGMENT, form.length);
        if (size < 2) continue;
        const key = `${size} ${short || size < MIN_UNITS_READ_FROM_DIGITS}`;
        const grams = bySize.get(key) ?? new Set<string>();
        for (let at = 0; at + size <= form.length; at++) grams.add(form.slice(at, at + size));
        bySize.set(key, grams);
      }
    // The high bytes of the units of every spelling an echo can have, for reading UTF-16.
    const spellings = new Set([
      secret,
      secret.toUpperCase(),
      secret.toLowerCase(),
      ...(['NFC', 'NFD', 'NFKC', 'NFKD'] as const).map((form) => secret.normalize(form)),
      ...secretForms(secret),
    ]);
    for (const spelling of spellings) {
      for (let i = 0; i < spelling.length; i++) highBytes[spelling.charCodeAt(i) >> 8] = 1;
      // UTF-8 misread as Latin-1 or Windows-1252, once or twice, before it was encoded again.
      for (const once of [spelling, ...misreadings(spelling)])
        for (const misread of [once, ...misreadings(once)])
          for (let i = 0; i < misread.length; i++) {
            const point = misread.codePointAt(i) as number;
            if (point >= 0x80) characters.add(point);
            highBytes[misread.charCodeAt(i) >> 8] = 1;
          }
    }
  }
  // An encoding inside UTF-16 (hex, %XX, \u, entities) is ASCII, whatever it encodes.
  highBytes[0] = 1;
  const sizes = [...bySize].map(([key, grams]) => {
    const [size, short] = [Number(key.split(' ')[0]), key.endsWith('true')];
    const firsts = new Uint8Array(UNIT_FILTER + 1);
    const lasts = new Uint8Array(UNIT_FILTER + 1);
    for (const gram of grams) {
      firsts[gram.charCodeAt(0) & UNIT_FILTER] = 1;
      lasts[gram.charCodeAt(size - 1) & UNIT_FILTER] = 1;
    }
    return { size, short, grams, firsts, lasts };
  });
  const lengths = sizes.map(({ size }) => size);
  const needles: Needles = {
    sizes,
    options: {
      // A decoded place keeps around it as much as a needle can take encoded once more (the view
      // may be decoded again: hex whose line break was percent-encoded).
      margin: Math.max(...lengths) * MAX_ENCODED_PER_UNIT + 8,
      // Bytes read out of letters and digits are searched for the needles of secrets of
      // MIN_UNITS_READ_FROM_DIGITS or more, some without a character cut at either end: a run too
      // short for the shortest of those is not read.
      minUnits: Math.max(2, Math.min(...sizes.filter(({ short }) => !short).map(({ size }) => size)) - 2),
      highBytes,
      characters,
    },
  };
  if (needleCache.size >= 16) needleCache.clear();
  needleCache.set(key, needles);
  return needles;
}

/** Marks every window of a folded view that is a needle; true when one was found and `first` asked to stop there. */
function markNeedles(view: View, needles: Needles, marks: Array<[number, number]>, first: boolean): boolean {
  const text = view.text;
  for (const { size, short, grams, firsts, lasts } of needles.sizes) {
    if (view.fromDigits && short) continue;
    for (let j = 0; j + size <= text.length; j++) {
      if (firsts[text.charCodeAt(j) & UNIT_FILTER] !== 1 || lasts[text.charCodeAt(j + size - 1) & UNIT_FILTER] !== 1)
        continue;
      if (!grams.has(text.slice(j, j + size))) continue;
      marks.push([view.starts[j] as number, view.ends[j + size - 1] as number]);
      if (first) return true;
    }
  }
  return false;
}

const codePointLength = (text: string, at: number): number => ((text.codePointAt(at) as number) > 0xffff ? 2 : 1);

function edgeNeedles(needles: Needles): EdgeNeedles {
  if (needles.edges) return needles.edges;
  const edgeSet = (): EdgeSet => ({ byLength: [], ends: new Uint8Array(UNIT_FILTER + 1) });
  const edges: EdgeNeedles = { tails: edgeSet(), heads: edgeSet(), middles: edgeSet() };
  const add = (into: EdgeSet, piece: string): void => {
    if (piece.length < MIN_UNITS_READ_FROM_DIGITS) return;
    let entry = into.byLength.find(([length]) => length === piece.length);
    if (!entry) {
      entry = [piece.length, new Set<string>()];
      into.byLength.push(entry);
    }
    entry[1].add(piece);
    into.ends[(into === edges.heads ? piece.charCodeAt(piece.length - 1) : piece.charCodeAt(0)) & UNIT_FILTER] = 1;
  };
  for (const { grams, short } of needles.sizes)
    for (const gram of short ? [] : grams) {
      const head = codePointLength(gram, 0);
      const last = gram.length >= 2 && /[\udc00-\udfff]/.test(gram[gram.length - 1] as string) ? 2 : 1;
      add(edges.tails, gram.slice(head));
      add(edges.heads, gram.slice(0, gram.length - last));
      if (gram.length > head + last) add(edges.middles, gram.slice(head, gram.length - last));
    }
  needles.edges = edges;
  return edges;
}

/**
 * Marks needles whose first or last character (or both) fall on a PARTIAL byte: a base64 or hex
 * run cut inside them still shows all the rest.
 */
function markBesidePartials(view: View, needles: Needles, marks: Array<[number, number]>, first: boolean): boolean {
  const text = view.text;
  let at = text.indexOf(PARTIAL_UNIT);
  if (at < 0) return false;
  const edges = edgeNeedles(needles);
  // Only what matched is marked: the PARTIAL byte and what is left of a cut escape beside it hold
  // a few bits of one character of the secret at most, and often a neighbour's too (a digit of
  // `value` before a hex run).
  const mark = (from: number, to: number): boolean => {
    marks.push([view.starts[from] as number, view.ends[to] as number]);
    return first;
  };
  // An escape cut by the PARTIAL byte leaves the rest of it (`26` of `%26`, `amp;`) beside the needle.
  const restAfter = (from: number): number[] => {
    const ends = [from];
    for (let k = from; k < text.length && k < from + MAX_ESCAPE_REST && isEscapeRest(text.charCodeAt(k)); k++)
      ends.push(k + 1);
    return ends;
  };
  for (; at >= 0; at = text.indexOf(PARTIAL_UNIT, at + 1)) {
    for (let start = at + 1; start <= at + 1 + MAX_ESCAPE_REST; start++) {
      if (start > at + 1 && !isEscapeRest(text.charCodeAt(start - 1))) break;
      const unit = text.charCodeAt(start);
      if (edges.tails.ends[unit & UNIT_FILTER] === 1)
        for (const [length, set] of edges.tails.byLength)
          if (set.has(text.slice(start, start + length)) && mark(start, start + length - 1)) return true;
      if (edges.middles.ends[unit & UNIT_FILTER] === 1)
        for (const [length, set] of edges.middles.byLength) {
          if (!set.has(text.slice(start, start + length))) continue;
          const closing = restAfter(start + length).find((end) => text[end] === PARTIAL_UNIT);
          if (closing !== undefined && mark(start, start + length - 1)) return true;
        }
    }
    for (let end = at; end >= 0 && end >= at - MAX_ESCAPE_REST; end--) {
      if (end < at && !isEscapeRest(text.charCodeAt(end))) break;
      if (end > 0 && edges.heads.ends[text.charCodeAt(end - 1) & UNIT_FILTER] === 1)
        for (const [length, set] of edges.heads.byLength)
          if (end >= length && set.has(text.slice(end - length, end)) && mark(end - length, end - 1)) return true;
    }
  }
  return false;
}

/** What can be left of an escape (%26, \u0026, &#38;, &amp;) or of a UTF-8 sequence cut at a PARTIAL byte. */
const ESCAPE_REST = new Uint8Array(256);
for (const character of '%\\&#;0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')
  ESCAPE_REST[character.charCodeAt(0)] = 1;
ESCAPE_REST.fill(1, 0x80, 0x100);
const isEscapeRest = (unit: number): boolean => unit < 256 && ESCAPE_REST[unit] === 1;
const MAX_ESCAPE_REST = 8;

interface Search {
  marks: Array<[number, number]>;
  /** The views to search grew past their budget: the text was not searched whole. */
  incomplete: boolean;
}

/**
 * The spans of `text` that hold a secret in some view: each whole secret ('whole'), or any run of
 * MIN_FRAGMENT of its characters ('fragments'; a shorter secret only whole, and the search stops
 * at the first).
 */
function searchSecrets(text: string, secrets: readonly string[], match: 'whole' | 'fragments'): Search {
  const wanted = secrets.filter((secret) => secret.length > 0);
  if (wanted.length === 0 || text.length === 0) return { marks: [], incomplete: false };
  const needles = needlesFor(wanted, match);
  const first = match === 'fragments';
  // A long text is searched in windows that overlap by more than an echo of a secret can take,
  // so memory stays that of one window whatever the length.
  const overlap = Math.max(...wanted.map((secret) => secret.length)) * MAX_ENCODED_PER_UNIT + needles.options.margin;
  const window = Math.max(SEARCH_WINDOW, 4 * overlap);
  const marks: Array<[number, number]> = [];
  let incomplete = false;
  for (let from = 0; ;) {
    const to = Math.min(text.length, from + window);
    const found: Array<[number, number]> = [];
    const walk = walkViews(
      from === 0 && to === text.length ? text : text.slice(from, to),
      DECODE_DEPTH,
      VIEW_BUDGET_PER_UNIT * (to - from) + VIEW_BUDGET_FLOOR,
      needles.options,
      (view) =>
        foldedForms(view).some(
          (form) =>
            markNeedles(form, needles, found, first) ||
            (form.fromDigits && markBesidePartials(form, needles, found, first)),
        ),
    );
    for (const [start, end] of found) marks.push([start + from, end + from]);
    if (walk === 'over-budget') incomplete = true;
    if ((first && (marks.length > 0 || incomplete)) || to === text.length) break;
    // The next window starts at a line (a hex dump is read line by line) when one starts near.
    const next = to - overlap;
    const line = text.lastIndexOf('\n', next);
    from = line >= next - 256 && line > from ? line + 1 : next;
  }
  return { marks, incomplete };
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
