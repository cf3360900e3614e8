// Finds a password in everything a decoder can read from a text, and generates the ways a server
// could echo one, for property tests of the redaction and of every sink that prints, logs or
// stores text (fast-check).
//
// The checker is written apart from src/core/sectigo/redact.ts and decoded-views.ts, on other
// ground: it decodes whole texts with Node's own decoders (Buffer for hex and base64 and the
// charsets, TextDecoder for Windows-1252, the `entities` package for HTML, JSON.parse for JSON
// escapes) and compares with String.prototype.normalize, where the redaction reads runs with maps
// back to the text by hand. A test that uses both checks one against the other, not the code
// against itself. The encoders (the arbitraries) are a third, forward implementation: a property
// first asserts that the checker finds what the encoders made, so a chain nobody can read is
// noticed rather than counted as redacted.
//
// Replaying a failure: a failed fc.assert prints its seed and path; set FC_SEED and FC_PATH to
// them and run the test file again (propertyOptions reads them).
import fc from 'fast-check';
import { decodeHTML } from 'entities';

/** Any run of this many characters of a password counts as a leak (a shorter password only whole). */
export const LEAK_FRAGMENT = 6;

/** How many decodings deep the checker reads (the encoders chain at most two). */
export const CHECKER_DEPTH = 2;

// ---------------------------------------------------------------------------------------------
// The checker

/** The bytes a charset turns text into, and back: Node's own codecs. */
type Charset = 'utf8' | 'utf16le' | 'utf16be';

function bytesOf(text: string, charset: Charset): Buffer {
  if (charset === 'utf16be') return Buffer.from(text, 'utf16le').swap16();
  return Buffer.from(text, charset);
}

const windows1252 = new TextDecoder('windows-1252');
const utf8 = new TextDecoder('utf-8');
// Windows-1252's characters for 0x80-0x9F, to turn text back into the bytes it was read from.
const WINDOWS_1252_BYTES = new Map<string, number>();
for (let byte = 0x80; byte < 0xa0; byte++) WINDOWS_1252_BYTES.set(windows1252.decode(Uint8Array.of(byte)), byte);

/** Bytes read as UTF-16, in either order and at either alignment. */
function utf16Readings(bytes: Buffer): string[] {
  const readings: string[] = [];
  for (const offset of [0, 1]) {
    const slice = bytes.subarray(offset, offset + ((bytes.length - offset) & ~1));
    readings.push(slice.toString('utf16le'), Buffer.from(slice).swap16().toString('utf16le'));
  }
  return readings;
}

/**
 * Every way a reader could take bytes as text: Latin-1, UTF-8, UTF-16 in either order and
 * alignment. (Windows-1252 is Latin-1 but for 0x80-0x9F, which bytesAsTextViews reads back.)
 */
function readingsOf(bytes: Buffer): string[] {
  return [bytes.toString('latin1'), utf8.decode(bytes), ...utf16Readings(bytes)];
}

/** `text` with each match of `pattern` replaced by each of the readings `read` gives it: one text per reading. */
function replaceRuns(text: string, pattern: RegExp, read: (run: string) => string[][]): string[] {
  const runs = [...text.matchAll(pattern)];
  if (runs.length === 0) return [];
  const decodedRuns = runs.map((run) => read(run[0]).flat());
  const count = Math.max(...decodedRuns.map((readings) => readings.length));
  const views: string[] = [];
  for (let k = 0; k < count; k++) {
    let view = '';
    let last = 0;
    runs.forEach((run, index) => {
      const readings = decodedRuns[index] ?? [];
      view += text.slice(last, run.index) + (readings[k] ?? readings[0] ?? run[0]);
      last = run.index + run[0].length;
    });
    views.push(view + text.slice(last));
  }
  return views;
}

/** Between runs read out of a text: two noncharacters, which no password holds. */
const RUN_BREAK = '\uffff\ufffe';

/**
 * The runs of `pattern` in `text`, each read in the ways `read` gives (bytes from hex or base64):
 * one view per way, of the runs alone. An echo in hex or base64 is inside its run, so the text
 * around the runs need not be read again (it is in the text's own view).
 */
function readRuns(text: string, pattern: RegExp, read: (run: string) => string[][]): string[] {
  const runs = [...text.matchAll(pattern)].map((run) => read(run[0]).flat());
  if (runs.length === 0) return [];
  const count = Math.max(...runs.map((readings) => readings.length));
  return [...Array(count).keys()].map((k) => runs.map((readings) => readings[k] ?? '').join(RUN_BREAK));
}

const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g;
const JSON_ESCAPE = /\\(?:u[0-9a-fA-F]{4}|[nrtbf"\\/])/g;
const HEX_RUN =
  /(?:\\x|0x)?[0-9a-fA-F]{2,}(?:(?:[ \t]{1,2}|[:,.;+-]?\r?\n[ \t]*|[:,.;+-] ?|\\x)(?:\\x|0x)?[0-9a-fA-F]{2,})*/gi;
const BASE64_RUN = /[A-Za-z0-9+/_-]{2,}(?:\r?\n[A-Za-z0-9+/_-]+)*=*/g;

function percentViews(text: string): string[] {
  const read = (run: string): string[][] => {
    const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
    return [[utf8.decode(bytes), bytes.toString('latin1')]];
  };
  return [...replaceRuns(text, PERCENT_RUN, read), ...replaceRuns(text.replace(/\+/g, ' '), PERCENT_RUN, read)];
}

function jsonViews(text: string): string[] {
  const view = text.replace(JSON_ESCAPE, (escape) => JSON.parse(`"${escape}"`) as string);
  return view === text ? [] : [view];
}

function htmlViews(text: string): string[] {
  // As the HTML standard reads it (&#0; and surrogates become U+FFFD, &#x80; a Windows-1252
  // character), and as a person reads a numeric reference: the code it names.
  const views = [
    decodeHTML(text),
    text.replace(/&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));?/g, (entity, hex?: string, decimal?: string) => {
      const point = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
      return point > 0x10ffff ? entity : point > 0xffff ? String.fromCodePoint(point) : String.fromCharCode(point);
    }),
  ];
  return views.filter((view, index) => view !== text && views.indexOf(view) === index);
}

function hexViews(text: string): string[] {
  return readRuns(text, HEX_RUN, (run) => {
    const digits = run.replace(/\\x|0x/gi, '').replace(/[^0-9a-fA-F]/g, '');
    return [0, 1].map((offset) =>
      readingsOf(Buffer.from(digits.slice(offset, offset + ((digits.length - offset) & ~1)), 'hex')),
    );
  });
}

function base64Views(text: string): string[] {
  return readRuns(text, BASE64_RUN, (run) => {
    const chars = run.replace(/[\r\n]/g, '');
    return [0, 1, 2, 3].map((offset) => readingsOf(Buffer.from(chars.slice(offset), 'base64')));
  });
}

// The dump formats the encoders write: `hexdump -C` (|chars|), `od -A x -t x1z` (>chars<), `xxd`
// (chars after two spaces) and `hexdump` (16-bit words, little-endian).
const DUMP_LINE = /^([0-9a-f]{6,8}):? +(.*)$/i;

function dumpViews(text: string): string[] {
  const views: string[] = [];
  let bytes: Buffer[] = [];
  let columns = '';
  const flush = (): void => {
    if (bytes.length === 0) return;
    const all = Buffer.concat(bytes);
    views.push(...readingsOf(all), columns, columns.replace(/\./g, ''));
    bytes = [];
    columns = '';
  };
  for (const line of text.split('\n')) {
    const match = DUMP_LINE.exec(line.replace(/\r$/, ''));
    if (!match) {
      flush();
      continue;
    }
    let data = match[2] ?? '';
    let column = '';
    const bar = data.indexOf('|');
    const angle = data.indexOf('>');
    // xxd first: its characters column may hold a | or a > of its own (bytes 0x7c, 0x3e).
    if (/^(?:[0-9a-f]{4} ){0,7}[0-9a-f]{2,4} {2}/i.test(data)) {
      // xxd: eight groups of four digits, then two spaces and the characters.
      const split = data.search(/ {2}(?! )/);
      [data, column] = [data.slice(0, split), data.slice(split + 2)];
    } else if (bar >= 0) [data, column] = [data.slice(0, bar), data.slice(bar + 1).replace(/\|$/, '')];
    else if (angle >= 0) [data, column] = [data.slice(0, angle), data.slice(angle + 1).replace(/<$/, '')];
    const groups = data
      .trim()
      .split(/\s+/)
      .filter((group) => /^(?:[0-9a-f]{2})+$/i.test(group));
    const swapped = groups.every((group) => group.length === 4) && column === '';
    for (const group of groups) {
      const chunk = Buffer.from(group, 'hex');
      bytes.push(swapped ? Buffer.from(chunk).swap16() : chunk);
    }
    columns += column;
  }
  flush();
  return views;
}

/** Runs of characters that are bytes (Latin-1 or Windows-1252 readings) read as UTF-8, and as UTF-16. */
function bytesAsTextViews(text: string): string[] {
  const byteRun = /[\u0000-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]+/g;
  const toBytes = (run: string): Buffer =>
    Buffer.from([...run].map((character) => WINDOWS_1252_BYTES.get(character) ?? character.charCodeAt(0)));
  return [
    ...replaceRuns(text, byteRun, (run) => [[utf8.decode(toBytes(run))]]),
    ...replaceRuns(text, byteRun, (run) => [utf16Readings(toBytes(run))]),
  ];
}

const DECODERS: ReadonlyArray<(text: string) => string[]> = [
  percentViews,
  jsonViews,
  htmlViews,
  hexViews,
  base64Views,
  dumpViews,
  bytesAsTextViews,
];

/** `text` and everything the decoders read from it, `depth` decodings deep. */
export function decodedViews(text: string, depth = CHECKER_DEPTH): string[] {
  const seen = new Set<string>([text]);
  let level = [text];
  for (let round = 0; round < depth; round++) {
    const next: string[] = [];
    for (const view of level)
      for (const decoder of DECODERS)
        for (const decoded of decoder(view))
          if (!seen.has(decoded)) {
            seen.add(decoded);
            next.push(decoded);
          }
    level = next;
  }
  return [...seen];
}

/** Letter case and Unicode compatibility forms folded, the whole text at once. */
function fold(text: string): string {
  return text.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** The pieces of a password that count as a leak: the whole of it, or every run of LEAK_FRAGMENT characters. */
export function leakPieces(password: string, match: 'whole' | 'fragments'): string[] {
  const characters = Array.from(password);
  if (match === 'whole' || characters.length <= LEAK_FRAGMENT) return [password];
  const pieces = new Set<string>();
  for (let start = 0; start + LEAK_FRAGMENT <= characters.length; start++)
    pieces.add(characters.slice(start, start + LEAK_FRAGMENT).join(''));
  return [...pieces];
}

/**
 * Each way `text` shows `password` (the whole of it, or with 'fragments' any run of LEAK_FRAGMENT
 * of its characters) in any view a decoder can read, described; [] when there is none. Case and
 * Unicode normal forms do not matter; a + is read as a space too.
 */
export function findSecret(text: string, password: string, match: 'whole' | 'fragments'): string[] {
  const pieces = leakPieces(password, match).flatMap((piece) => [
    [piece, piece.toLowerCase()],
    [piece, fold(piece)],
  ]);
  const wanted = [...new Set(pieces.map(([, form]) => form ?? '').filter(Boolean))];
  // One search for all the pieces; the details only for a view that holds one.
  const any = new RegExp(wanted.map((form) => form.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'u');
  const found: string[] = [];
  for (const view of decodedViews(text)) {
    const forms = [view.toLowerCase(), fold(view), view.replace(/\+/g, ' ').toLowerCase()];
    if (!forms.some((form) => any.test(form))) continue;
    for (const [piece, form] of pieces) {
      const holder = form ? forms.find((candidate) => candidate.includes(form)) : undefined;
      if (holder === undefined || !form) continue;
      const at = holder.indexOf(form);
      found.push(
        `${JSON.stringify(piece)} in ${JSON.stringify(holder.slice(Math.max(0, at - 30), at + form.length + 30))}`,
      );
      if (found.length >= 5) return found;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The encoders

/** One encoding a server, proxy or debug page could apply to text it echoes. */
export interface Step {
  name: string;
  encode: (text: string) => string;
  /** Its output still reads the same after a change of letter case (hex digits, %XX, entities). */
  caseSafe: boolean;
  /** Its output is made of bytes as characters (a later normalisation or case change would corrupt them). */
  bytesAsCharacters: boolean;
}

/** A step that a failing case prints by its name (not its code). */
function step(fields: Step): Step {
  return Object.assign(fields, { [fc.toStringMethod]: () => JSON.stringify(fields.name) });
}

const charset = fc.constantFrom<Charset>('utf8', 'utf16le', 'utf16be');
// Bytes around an echo. Never a backslash: one just before a JSON or C escape would escape its
// backslash instead (the generated tests drew filler "\\" before "\u0063all"), so that no reader
// takes the text for the password any more and the case proves nothing.
const someBytes = fc
  .uint8Array({ minLength: 0, maxLength: 24 })
  .map((bytes) => bytes.map((byte) => (byte === 0x5c ? 0x5b : byte)));

const hex2 = (byte: number, upper: boolean): string => {
  const digits = byte.toString(16).padStart(2, '0');
  return upper ? digits.toUpperCase() : digits;
};

function percentEveryByte(text: string, upper: boolean): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${hex2(byte, upper)}`).join('');
}

const lowerEscapes = (text: string): string => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

const percentStep: fc.Arbitrary<Step> = fc
  .record({ every: fc.boolean(), lower: fc.boolean() })
  .map(({ every, lower }) =>
    step({
      name: `percent${every ? ' every byte' : ''}${lower ? ', lower case' : ''}`,
      encode: (text) =>
        every ? percentEveryByte(text, !lower) : (lower ? lowerEscapes : String)(encodeURIComponent(text)),
      caseSafe: true,
      bytesAsCharacters: false,
    }),
  );

const formStep: fc.Arbitrary<Step> = fc.boolean().map((lower) =>
  step({
    name: `form${lower ? ', lower case' : ''}`,
    encode: (text) => (lower ? lowerEscapes : String)(new URLSearchParams({ s: text }).toString().slice(2)),
    caseSafe: true,
    bytesAsCharacters: false,
  }),
);

const htmlStep: fc.Arbitrary<Step> = fc.constantFrom('named', 'decimal', 'hex').map((kind) =>
  step({
    name: `HTML ${kind} entities`,
    encode: (text) =>
      kind === 'named'
        ? text
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/"/g, '&quot;')
            .replace(/'/g, '&#39;')
        : [...text]
            .map((character) => {
              const point = character.codePointAt(0) ?? 0;
              return kind === 'hex' ? `&#x${point.toString(16)};` : `&#${point};`;
            })
            .join(''),
    // A named reference is read in the case it was written (&amp;; &AMP; only as a legacy form;
    // &AmP; not at all): a case change after it makes text no reader takes for the password.
    caseSafe: kind !== 'named',
    bytesAsCharacters: false,
  }),
);

const jsonStep: fc.Arbitrary<Step> = fc.constantFrom('stringify', 'every unit', 'every unit, upper case').map((kind) =>
  step({
    name: `JSON ${kind}`,
    encode: (text) =>
      kind === 'stringify'
        ? JSON.stringify(text).slice(1, -1)
        : [...Array(text.length).keys()]
            .map((at) => {
              const digits = text.charCodeAt(at).toString(16).padStart(4, '0');
              return `\\u${kind === 'every unit' ? digits : digits.toUpperCase()}`;
            })
            .join(''),
    caseSafe: false,
    bytesAsCharacters: false,
  }),
);

const hexStep: fc.Arbitrary<Step> = fc
  .record({
    charset,
    separator: fc.constantFrom('', ' ', ':', '-', '\\x', '0x', ', 0x'),
    upper: fc.boolean(),
    wrap: fc.constantFrom(0, 16, 32),
  })
  .map(({ charset: set, separator, upper, wrap }) =>
    step({
      name: `hex of ${set}, separator ${JSON.stringify(separator)}${upper ? ', upper case' : ''}${wrap ? `, ${wrap} bytes a line` : ''}`,
      encode: (text) => {
        const items = [...bytesOf(text, set)].map((byte) => {
          const digits = hex2(byte, upper);
          return separator === '\\x' ? `\\x${digits}` : separator.includes('0x') ? `0x${digits}` : digits;
        });
        const between = separator === '\\x' ? '' : separator === '0x' ? ' ' : separator === ', 0x' ? ', ' : separator;
        const lines: string[] = [];
        const perLine = wrap || items.length || 1;
        for (let at = 0; at < items.length; at += perLine) lines.push(items.slice(at, at + perLine).join(between));
        return lines.join(`${between.trim()}\n`);
      },
      caseSafe: true,
      bytesAsCharacters: false,
    }),
  );

function dumpLines(bytes: Buffer, style: 'C' | 'xxd' | 'od' | 'words'): string {
  const lines: string[] = [];
  const shown = (row: Buffer): string =>
    [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const pairs = [...row].map((byte) => hex2(byte, false));
    const at = offset.toString(16).padStart(8, '0');
    if (style === 'C')
      lines.push(`${at}  ${pairs.slice(0, 8).join(' ')}  ${pairs.slice(8).join(' ')}`.padEnd(59) + ` |${shown(row)}|`);
    else if (style === 'od') lines.push(`${at.slice(2)} ${pairs.join(' ')}`.padEnd(55) + ` >${shown(row)}<`);
    else if (style === 'xxd') {
      const groups = pairs.join('').match(/.{1,4}/g) ?? [];
      lines.push(`${at}: ${groups.join(' ').padEnd(39)}  ${shown(row)}`);
    } else {
      const even = Buffer.concat([row, Buffer.alloc(row.length % 2)]);
      const words: string[] = [];
      for (let k = 0; k < even.length; k += 2) words.push(hex2(even[k + 1] ?? 0, false) + hex2(even[k] ?? 0, false));
      lines.push(`${at.slice(1)} ${words.join(' ')}`);
    }
  }
  return lines.join('\n');
}

const hexDumpStep: fc.Arbitrary<Step> = fc
  .record({
    charset,
    style: fc.constantFrom<'C' | 'xxd' | 'od' | 'words'>('C', 'xxd', 'od', 'words'),
    before: someBytes,
    after: someBytes,
  })
  .map(({ charset: set, style, before, after }) =>
    step({
      name: `hex dump (${style}) of ${set}, ${before.length} bytes before`,
      encode: (text) => `\n${dumpLines(Buffer.concat([before, bytesOf(text, set), after]), style)}\n`,
      caseSafe: true,
      bytesAsCharacters: false,
    }),
  );

const base64Step: fc.Arbitrary<Step> = fc
  .record({
    charset,
    url: fc.boolean(),
    before: fc.integer({ min: 0, max: 2 }),
    filler: someBytes,
    after: someBytes,
    wrap: fc.constantFrom(0, 64, 76),
  })
  .map(({ charset: set, url, before, filler, after, wrap }) =>
    step({
      name: `base64${url ? 'url' : ''} of ${set}, byte offset ${before}${wrap ? `, wrapped at ${wrap}` : ''}`,
      encode: (text) => {
        const bytes = Buffer.concat([filler.subarray(0, before), bytesOf(text, set), after]);
        const encoded = bytes.toString(url ? 'base64url' : 'base64');
        return wrap ? (encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []).join('\r\n') : encoded;
      },
      caseSafe: false,
      bytesAsCharacters: false,
    }),
  );

const utf16AsBytesStep: fc.Arbitrary<Step> = fc.constantFrom<Charset>('utf16le', 'utf16be').map((set) =>
  step({
    name: `${set} read as Latin-1`,
    encode: (text) => bytesOf(text, set).toString('latin1'),
    caseSafe: false,
    bytesAsCharacters: true,
  }),
);

const mojibakeStep: fc.Arbitrary<Step> = fc.constantFrom('latin1', 'windows-1252').map((reading) =>
  step({
    name: `UTF-8 read as ${reading}`,
    encode: (text) =>
      reading === 'latin1'
        ? Buffer.from(text, 'utf8').toString('latin1')
        : windows1252.decode(Buffer.from(text, 'utf8')),
    caseSafe: false,
    bytesAsCharacters: true,
  }),
);

const caseStep: fc.Arbitrary<Step> = fc
  .oneof(fc.constantFrom('upper', 'lower'), fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }))
  .map((kind) =>
    step({
      name: typeof kind === 'string' ? `${kind} case` : 'random letter case',
      encode: (text) =>
        kind === 'upper'
          ? text.toUpperCase()
          : kind === 'lower'
            ? text.toLowerCase()
            : [...text]
                .map((character, at) => (kind[at % kind.length] ? character.toUpperCase() : character.toLowerCase()))
                .join(''),
      caseSafe: true,
      bytesAsCharacters: false,
    }),
  );

const normalFormStep: fc.Arbitrary<Step> = fc.constantFrom('NFC', 'NFD', 'NFKC', 'NFKD').map((form) =>
  step({
    name: form,
    encode: (text) => text.normalize(form),
    caseSafe: true,
    bytesAsCharacters: false,
  }),
);

/** Every kind of step, each with its parameters drawn. */
export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  percentStep,
  formStep,
  htmlStep,
  jsonStep,
  hexStep,
  hexDumpStep,
  base64Step,
  utf16AsBytesStep,
  mojibakeStep,
  caseStep,
  normalFormStep,
);

/** Whether a reader can still undo every step of `chain` (applied first to last). */
function readable(chain: readonly Step[]): boolean {
  return chain.every((step, at) => {
    const before = chain.slice(0, at);
    if (step.name.endsWith('case')) return before.every((earlier) => earlier.caseSafe && !earlier.bytesAsCharacters);
    if (/^NFK?[CD]$/.test(step.name)) return before.every((earlier) => !earlier.bytesAsCharacters);
    return true;
  });
}

/** One or two encodings, applied in order, that a reader can undo. */
export const chainArbitrary: fc.Arbitrary<Step[]> = fc
  .array(stepArbitrary, { minLength: 1, maxLength: 2 })
  .filter(readable);

export function applyChain(chain: readonly Step[], text: string): string {
  return chain.reduce((encoded, step) => step.encode(encoded), text);
}

export const describeChain = (chain: readonly Step[]): string => chain.map((step) => step.name).join(', then ');

// ---------------------------------------------------------------------------------------------
// Passwords and the text around an echo

/**
 * The fewest characters of a password the generated tests use: the redaction searches bytes read
 * from hex, base64 or a charset only for a secret of 4 characters or more (a shorter one is found
 * there by chance in any text).
 */
export const MIN_PASSWORD = 4;

/** Passwords of every kind: ASCII with the characters encodings treat specially, any Unicode, and a mix. */
export const passwordArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...'ab Z9+/=&%<>"\'\\#;:-_.~!?@'), minLength: MIN_PASSWORD, maxLength: 24 }),
    fc.string({ unit: 'grapheme-ascii', minLength: MIN_PASSWORD, maxLength: 24 }),
    fc.string({ unit: 'grapheme', minLength: MIN_PASSWORD, maxLength: 16 }),
    fc.string({ unit: 'binary', minLength: MIN_PASSWORD, maxLength: 16 }),
    fc.constantFrom(
      'pässwörd',
      'Straße-ĞÜŞ',
      'пароль-Ключ',
      '密码密碼パスワード',
      'ﬁle-ﬂow-Ⅻ',
      '😀🔑 key 🗝️',
      'e\u0301te\u0301',
    ),
  )
  // Not all one character or all spaces: such a "password" is the layout of the text around it.
  .filter((password) => Array.from(password).length >= MIN_PASSWORD && new Set(Array.from(password.trim())).size >= 2);

/**
 * Passwords with enough entropy that a run of LEAK_FRAGMENT of their characters cannot appear in
 * the program's own words by chance (for end-to-end runs, where the output is mostly ours).
 */
export const strongPasswordArbitrary: fc.Arbitrary<string> = fc.noBias(
  fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...'QZXJKVqzxjkv2468+/=&%<>"#;ÄöüßéñЖж密€😀'), minLength: 10, maxLength: 20 }),
      fc.constantFrom('', ' ', '&', '%2B', 'ä'),
    )
    .map(([core, extra]) => `${core.slice(0, 5)}${extra}${core.slice(5)}`)
    .filter((password) => new Set(Array.from(password)).size >= 6),
);

/** Server words around an echo. */
const SERVER_WORDS = [
  'Invalid value',
  'Login refused:',
  '-16',
  'errorMessage',
  'The parameter',
  'is not valid',
  '(hex',
  ')',
  'value=',
  'Request:',
  '<b>',
  'Sectigo',
  '1000001',
  'cafe babe',
  'deadbeef',
  'dGVzdA==',
  '%20',
  '&amp;',
  '\\n',
];

/** Text a server could put around an echo: words, numbers, other encodings, anything. */
export const serverTextArbitrary: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...SERVER_WORDS), fc.string({ unit: 'grapheme-ascii', maxLength: 12 })), {
    maxLength: 6,
  })
  .map((words) => words.join(' '));

/** What separates an echo from the text around it (nothing at all, too). */
export const glueArbitrary = fc.constantFrom('', ' ', '\n', ': ', '"', '(', '=', '\t');

/** The piece of a password an echo carries: the whole of it, or a run of at least LEAK_FRAGMENT of its characters. */
export function pieceArbitrary(password: string): fc.Arbitrary<string> {
  const characters = Array.from(password);
  if (characters.length <= LEAK_FRAGMENT) return fc.constant(password);
  return fc
    .tuple(fc.nat({ max: characters.length - LEAK_FRAGMENT }), fc.nat({ max: characters.length - LEAK_FRAGMENT }))
    .map(([start, extra]) =>
      characters
        .slice(start, start + LEAK_FRAGMENT + Math.min(extra, characters.length - LEAK_FRAGMENT - start))
        .join(''),
    );
}

/** fast-check options: a fixed number of runs (the suite's time), and a seed and path to replay when FC_SEED and FC_PATH are set. */
export function propertyOptions(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED;
  return {
    numRuns,
    includeErrorInReport: true,
    ...(seed !== undefined && { seed: Number(seed) }),
    ...(process.env.FC_PATH !== undefined && { path: process.env.FC_PATH }),
  };
}
