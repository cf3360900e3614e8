// Outside text as a type. A string that came from outside the product (a server's field or
// header, a file name or path, a request's subject, a list line, a setting, an exception's
// message) is `Outside`; what a surface shows is a `Text`: the program's own words, written as
// literals in the source, with outside parts in their places. Every sink (a notification, a
// dialog, a quick pick, a tree row, Markdown, the log, the terminal) takes a `Text` and alone
// decides how its outside parts are shown safely there. So:
// - a plain `string` is accepted by no sink and by no Text builder: a runtime string enters a
//   Text only through `outside()` (or `outsideError`), and is then escaped by every sink;
// - `${outside}` in a template literal is a plain string again: it type-checks as no message;
// - the own words are literals: `words\`…${hole}…\`` (the literal segments are the words) and
//   `textFrom('…{0}…', hole)` (the template must be a literal type), so a computed string can
//   never pass as the program's words.
// Pure: no VS Code, no Node; the CLI, the extension and the browser build share it.
import { formatCount } from './format-count';
import { oneLine } from './one-line';
import { redactOwnText } from './sectigo/redact';

declare const OUTSIDE: unique symbol;

/** A string from outside the product: shown only through a sink, which escapes it for its surface. */
export type Outside = string & { readonly [OUTSIDE]: true };

/**
 * A string the type says is not outside text (a plain string, a literal): what a structure of the
 * program's own values may hold where an outside value must come as a Text (the assistants' data,
 * core/model-text.ts). An `Outside` is refused here, so it cannot pass for the program's own.
 */
export type NotOutside = string & { readonly [OUTSIDE]?: never };

/** Marks `value` as outside text, where it enters. Anything computed at run time is outside text. */
export function outside(value: string): Outside {
  return value as Outside;
}

/** An exception's message as outside text: it may quote a file name, a server's words, a path. */
export function outsideError(error: unknown): Outside {
  if (error instanceof Error) return outside(error.message);
  try {
    return outside(String(error));
  } catch {
    return outside(Object.prototype.toString.call(error));
  }
}

/**
 * One piece of a Text: the program's own words, or a value from outside. `path` marks an outside
 * value that is a file path given to the program: the terminal sink lets such a path begin a
 * line (the "file:line:col:" form of `check`), writing "./" before one whose first character could
 * begin anything but a path. `prose` marks an outside value that reads as a sentence (a finding's
 * message, an input problem, a README link): the assistants' text, which quotes every other
 * outside value, shows it unquoted after its own words; every other sink shows it as any outside value.
 */
export type TextPart =
  { readonly own: string } | { readonly outside: string; readonly path?: true; readonly prose?: true };

// The key of a Text's parts. A registered symbol, not a class: each lazily loaded bundle of the
// extension carries its own copy of this module, and a Text made in one (a bundle's log line) is
// read in another (the log, made at activation). Not exported: only the builders below make one.
const PARTS: unique symbol = Symbol.for('sectigo-csr-tools/text-parts');

/**
 * What a surface shows: own words and outside values, kept apart until a sink renders them.
 * No string is a Text, and a Text is no string: printing one without a sink throws.
 */
export interface Text {
  readonly [PARTS]: readonly TextPart[];
}

function refuseAsString(): never {
  throw new TypeError('A Text was used as a string: pass it to the sink of its surface.');
}
const TEXT_PROTOTYPE = Object.freeze({
  toString: refuseAsString,
  toJSON: refuseAsString,
  [Symbol.toPrimitive]: refuseAsString,
});

function makeText(parts: readonly TextPart[]): Text {
  const made = Object.create(TEXT_PROTOTYPE) as { [PARTS]: readonly TextPart[] };
  made[PARTS] = Object.freeze([...parts]);
  return Object.freeze(made);
}

/** Whether `value` is a Text (made by any copy of this module). */
export function isText(value: unknown): value is Text {
  return typeof value === 'object' && value !== null && PARTS in value;
}

/** What may fill a hole of a Text: another Text, an outside value, or a number. Never a plain string. */
export type Hole = Text | Outside | number | bigint;

/**
 * A string literal type, or never: `'a'` and `'a' | 'b'` pass, `string` and `` `a${string}` ``
 * (a template with a computed part) do not. So the own words of a Text are in the source.
 */
export type Literal<T extends string> = T extends unknown
  ? Record<never, never> extends Record<T, 1>
    ? never
    : T
  : never;

function isOutsideString(hole: Hole): hole is Outside {
  return typeof hole === 'string';
}

function partsOfHole(hole: Hole): readonly TextPart[] {
  if (isText(hole)) return hole[PARTS];
  if (isOutsideString(hole)) return [{ outside: hole }];
  return [{ own: String(hole) }];
}

/** Merges neighbouring own parts (a sink then sees each run of own words whole). */
function compact(parts: readonly TextPart[]): TextPart[] {
  const merged: TextPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if ('own' in part) {
      if (part.own === '') continue;
      if (last !== undefined && 'own' in last) merged[merged.length - 1] = { own: last.own + part.own };
      else merged.push(part);
    } else merged.push(part);
  }
  return merged;
}

/** The Text of a tagged template: the literal segments are the program's words, the holes outside values or Texts. */
export function words(strings: TemplateStringsArray, ...holes: Hole[]): Text {
  const parts: TextPart[] = [];
  strings.forEach((segment, index) => {
    parts.push({ own: segment });
    if (index < holes.length) parts.push(...partsOfHole(holes[index] as Hole));
  });
  return makeText(compact(parts));
}

/**
 * A Text from a template with {0}, {1}… placeholders (as vscode.l10n.t writes them) and its holes.
 * The template must be a literal in the source; a placeholder without a hole stays as written.
 */
export function textFrom<T extends string>(template: T & Literal<T>, ...holes: Hole[]): Text {
  return formatTemplate(template, holes);
}

/**
 * @internal The one way a template that is not a literal becomes own words: a translation of a
 * literal (vscode.l10n.t's bundle), in src/vscode/shared/text.ts only (the architecture test).
 */
export function formatTemplate(template: string, holes: readonly Hole[]): Text {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\d+)\}/g)) {
    const hole = holes[Number(match[1])];
    if (hole === undefined) continue;
    parts.push({ own: template.slice(last, match.index) }, ...partsOfHole(hole));
    last = match.index + match[0].length;
  }
  parts.push({ own: template.slice(last) });
  return makeText(compact(parts));
}

/**
 * A token of a shape that can mean nothing but itself in any sink (a version, an id: a letter or
 * digit, then letters, digits and . _ + -, at most 64): own words; any other value stays outside text.
 */
export function tokenText(value: string): Text {
  return /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(value) ? makeText([{ own: value }]) : makeText([{ outside: value }]);
}

/** A file path as the program was given it (outside text), which may begin a line of the terminal. */
export function pathText(path: string): Text {
  return makeText([{ outside: path, path: true }]);
}

/**
 * A sentence the program made around outside text, or a link it made (a finding's message, an input
 * problem, a README link): outside text, that the assistants' text shows unquoted (see TextPart).
 */
export function proseText(value: string): Text {
  return makeText([{ outside: value, prose: true }]);
}

/** Texts and holes joined with a separator of own words. */
export function joinText(items: readonly Hole[], separator: Text): Text {
  const parts: TextPart[] = [];
  items.forEach((item, index) => {
    if (index > 0) parts.push(...separator[PARTS]);
    parts.push(...partsOfHole(item));
  });
  return makeText(compact(parts));
}

/** A count as the program writes it for a person (1,234): own words, whatever the number. */
export function countText(count: number): Text {
  return makeText([{ own: formatCount(count) }]);
}

/** A moment as a person's clock shows it (own words made from a number). */
export function timeText(
  moment: Date | number,
  form: 'time' | 'hour-minute' | 'date' | 'date-time' = 'date-time',
): Text {
  const date = new Date(moment);
  const shown =
    form === 'time'
      ? date.toLocaleTimeString()
      : form === 'hour-minute'
        ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
        : form === 'date'
          ? date.toLocaleDateString()
          : date.toLocaleString();
  return makeText([{ own: shown }]);
}

/** `value` followed by the spaces (own words) that make it `width` characters wide: a column of a report. */
export function padText(value: Text, width: number): Text {
  const length = [...plainText(value)].length;
  return length >= width ? value : makeText([...value[PARTS], { own: ' '.repeat(width - length) }]);
}

/** The parts of a Text, for a sink to render (the architecture test keeps this to the sinks). */
export function textParts(value: Text): readonly TextPart[] {
  return value[PARTS];
}

/** Whether a Text shows nothing. */
export function isEmptyText(value: Text): boolean {
  return value[PARTS].every((part) => ('own' in part ? part.own : part.outside) === '');
}

// Bounds: how much of one outside value each surface shows. One table, one cut, one marker; the
// README's Security model lists them.
export const SHOWN_BOUNDS = {
  /** A notification or a dialog: VS Code itself cuts a notification at 1,000 characters. */
  message: 300,
  /** A tree row, a quick-pick item, the status bar, a CodeLens title. */
  label: 200,
  /** Markdown: the hover, the inspect report, a tooltip. */
  markdown: 2_000,
  /** One value in a line of the log. */
  log: 4_000,
  /** One value in a line the command line prints. */
  terminal: 4_000,
  /** One string of the command line's --json and of the JSON files the product writes. */
  json: 16_384,
  /** One value in what an assistant's tool returns, in its text and its data (a subject, a file name). */
  model: 512,
  /** A problem's message (Problems, the editor's hover, the peek): VS Code cuts each of its lines at 1,000. */
  problem: 1_000,
} as const;

export type Surface = keyof typeof SHOWN_BOUNDS;

/** What a cut value ends with, saying so: how many characters (code points) were left out. */
export function cutMarker(left: number): string {
  return `…[${formatCount(left)} more characters not shown]`;
}

/**
 * The first `bound` characters (code points: a surrogate pair is never split) of `value`, and how
 * many were left out. Works on the prefix only, so a 1 MiB value costs what its bound costs
 * (plus one pass to count what was left).
 */
export function cutToBound(value: string, bound: number): { kept: string; left: number } {
  if (value.length <= bound) return { kept: value, left: 0 };
  let end = 0;
  let points = 0;
  while (end < value.length && points < bound) {
    // A pair is one character; a lone surrogate is one too (found by the generated tests: a run of
    // lone high surrogates was counted in pairs, and twice the bound was kept).
    const code = value.charCodeAt(end);
    const next = value.charCodeAt(end + 1);
    end += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    points++;
  }
  if (end >= value.length) return { kept: value, left: 0 };
  const rest = value.length - end;
  let pairs = 0;
  for (let i = end; i < value.length - 1; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return { kept: value.slice(0, end), left: rest - pairs };
}

/**
 * One outside value as a sink starts from: secrets removed (the one redaction point, on a window
 * a little longer than the bound, so a secret crossing the cut is still found whole), then cut to
 * the surface's bound. The sink escapes `kept` for its surface and adds cutMarker(left) when left > 0.
 */
export function boundedOutside(
  value: string,
  surface: Surface,
  secrets: readonly string[] = [],
): { kept: string; left: number } {
  const bound = SHOWN_BOUNDS[surface];
  const longestSecret = Math.max(0, ...secrets.map((secret) => secret.length));
  // Twice the bound in UTF-16 units holds `bound` code points; a secret echoed in an encoding takes
  // up to 20 characters per character (redact.ts's MAX_ENCODED_PER_UNIT).
  const window = value.length > 2 * bound ? value.slice(0, 2 * bound + 20 * longestSecret + 64) : value;
  const redacted = cutToBound(redactOwnText(window, secrets), bound);
  // Past the window, what was left out is counted in the value as it came.
  return window === value ? redacted : { kept: redacted.kept, left: cutToBound(value, bound).left };
}

/** One outside value as any one-line surface shows it: redacted, bounded, on one line, saying when cut. */
export function outsideLine(value: string, surface: Surface, secrets: readonly string[] = []): string {
  const { kept, left } = boundedOutside(value, surface, secrets);
  return oneLine(kept) + (left > 0 ? cutMarker(left) : '');
}

/**
 * The characters of a Text as one string, unescaped: for an Error's message or a value a test
 * compares. Safe because a string is outside text wherever it goes next (it enters no sink but
 * through outside(), which escapes it again); never a way to show a Text.
 */
export function plainText(value: Text): string {
  return value[PARTS].map((part) => ('own' in part ? part.own : part.outside)).join('');
}

/**
 * Several lines of outside text (a client's debug dump of a request) as a Text that keeps them
 * apart: each line its own outside value, the line breaks the program's. A sink that holds lines to
 * the line-start rule (the terminal, the log) still writes its own words before each.
 */
export function outsideLines(value: string): Text {
  return joinText(value.split('\n').map(outside), makeText([{ own: '\n' }]));
}
