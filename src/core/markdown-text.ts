// Markdown that shows outside text (a subject, a SAN, a file name, a server's message) as the
// characters it is, never as markup or a link: the hover, the inspect report, a tooltip. The
// program's markup is written as literals (`markup\`…\``, not `md`: Prettier would reformat an
// md-tagged template as Markdown); an outside value becomes a code span.
//
// Why a code span, and not escapes: VS Code's Markdown preview (the inspect report) renders with
// markdown-it 12 and linkify on. markdown-it 12 turns a backslash escape back into plain text
// *before* linkify runs, so `user\@example\.com` is linked like `user@example.com` (escaping
// punctuation, the old rule, left every e-mail address and http:// URL of a subject clickable).
// Inside a code span CommonMark reads nothing: no escape, entity, link, autolink, HTML, emphasis
// or icon, and linkify (markdown-it) and GFM's extended autolinks (marked, VS Code's hovers) leave
// code alone. A copy gives the text itself. Two characters a code span cannot hold safely: "|"
// (GFM and markdown-it split a table row on it even inside code) and "`" (a longer fence would be
// needed, and marked, VS Code's hover renderer, masks only one-backtick spans before it pairs
// emphasis: inside "*…*" the "*" of a "``…``" span paired with the outer one and a link within
// became a real link; a backslash-escaped backtick beside a span confused it the same way; both
// found by the generated tests). So a value is cut at each "|" and "`", written as the entities
// &#124; and &#96; between one-backtick spans: text in every renderer (an entity never starts
// code, splits a table row or pairs emphasis), shown as the characters.
import { oneLine } from './one-line';
import { boundedOutside, cutMarker, textParts, type Outside, type Text } from './outside-text';

// Every ASCII punctuation character: CommonMark (markdown-it) and GFM (marked) both read a
// backslash before any of them as the character itself. For the program's own words.
const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** The program's own words as plain Markdown text: every punctuation character escaped. */
export function markdownPlain(words: string): string {
  return words.replace(ASCII_PUNCTUATION, (character) => `\\${character}`);
}

/** One piece (no "|", no "`", no line break) as a one-backtick code span that shows exactly it. */
function codeSpan(piece: string): string {
  if (piece === '') return '';
  // A span of spaces only would be read differently by CommonMark and markdown-it 12: spaces as
  // entities are plain text in both, and nothing a linkifier reads.
  if (/^ +$/.test(piece)) return '&#32;'.repeat(piece.length);
  // CommonMark strips one space from each end when both ends have one: pad when an end is a space.
  const pad = /^ | $/.test(piece) ? ' ' : '';
  return `\`${pad}${piece}${pad}\``;
}

/** An outside value as literal Markdown inline text, on one line, cut to the Markdown bound. */
export function markdownText(value: Outside, secrets: readonly string[] = []): string {
  const { kept, left } = boundedOutside(value, 'markdown', secrets);
  // An empty value is a space (an entity): nothing would let the markup around it run together
  // ("**" and "**" make a thematic break, found by the generated tests).
  const spans =
    kept === ''
      ? '&#32;'
      : oneLine(kept).replace(/[^|`]+|[|`]/g, (piece) =>
          piece === '|' ? '&#124;' : piece === '`' ? '&#96;' : codeSpan(piece),
        );
  return left > 0 ? `${spans}${markdownPlain(cutMarker(left))}` : spans;
}

/** A Text in Markdown: its own words as plain text, its outside values as code spans. */
export function markdownOfText(value: Text, secrets: readonly string[] = []): string {
  return textParts(value)
    .map((part) => ('own' in part ? markdownPlain(part.own) : markdownText(part.outside as Outside, secrets)))
    .join('');
}

// As Text (outside-text.ts): a registered symbol, so Markdown made in one bundle is read in another.
const SOURCE: unique symbol = Symbol.for('sectigo-csr-tools/markdown-source');

/** The source of a Markdown, given the secrets to remove from its outside values (known only to the sink). */
type Source = (secrets: readonly string[]) => string;

/**
 * Markdown source whose markup is the program's: built only by `markup` (literal segments are markup,
 * holes are rendered safely) and `joinMarkdown`. No string passes for it. Its outside values are
 * rendered when the sink asks for the source, with the secrets the sink knows then.
 */
export interface Markdown {
  readonly [SOURCE]: Source;
}

function refuseAsString(): never {
  throw new TypeError('Markdown was used as a string: pass it to the Markdown sink.');
}
const MARKDOWN_PROTOTYPE = Object.freeze({
  toString: refuseAsString,
  toJSON: refuseAsString,
  [Symbol.toPrimitive]: refuseAsString,
});

function makeMarkdown(source: Source): Markdown {
  const made = Object.create(MARKDOWN_PROTOTYPE) as { [SOURCE]: Source };
  made[SOURCE] = source;
  return Object.freeze(made);
}

/** Whether `value` is Markdown (made by any copy of this module). */
export function isMarkdown(value: unknown): value is Markdown {
  return typeof value === 'object' && value !== null && SOURCE in value;
}

/** What may fill a hole of `markup`: Markdown (as it is), a Text (own words plain, outside as code), an outside value, a number. */
export type MarkdownHole = Markdown | Text | Outside | number;

function markdownOfHole(hole: MarkdownHole, secrets: readonly string[]): string {
  if (isMarkdown(hole)) return hole[SOURCE](secrets);
  if (typeof hole === 'number') return String(hole);
  if (typeof hole === 'string') return markdownText(hole, secrets);
  return markdownOfText(hole, secrets);
}

/** Markdown from a tagged template: the literal segments are the program's markup, the holes are shown as text. */
export function markup(strings: TemplateStringsArray, ...holes: MarkdownHole[]): Markdown {
  return makeMarkdown((secrets) => {
    let source = '';
    strings.forEach((segment, index) => {
      source += segment;
      if (index < holes.length) source += markdownOfHole(holes[index] as MarkdownHole, secrets);
    });
    return source;
  });
}

/** Markdown pieces joined by a separator of markup (a line break, ", "). */
export function joinMarkdown(items: readonly MarkdownHole[], separator: Markdown): Markdown {
  return makeMarkdown((secrets) => items.map((item) => markdownOfHole(item, secrets)).join(separator[SOURCE](secrets)));
}

/** The source, its outside values redacted of `secrets`: for the Markdown sinks only (the architecture test keeps it there). */
export function markdownSource(markdown: Markdown, secrets: readonly string[] = []): string {
  return markdown[SOURCE](secrets);
}

/**
 * A link of the program's own to one of its commands: `[label](command:id?args)`. The label is a
 * Text (shown safely), the id must be a command id, and the arguments are JSON, percent-encoded
 * whole (encodeURIComponent leaves ( ) ! ' * alone, so those are encoded too: nothing in them can
 * end the link target). The Markdown sink lets the hover run only the commands it names.
 */
export function markdownCommandLink(label: Text, command: string, args: readonly unknown[]): Markdown {
  if (!/^[A-Za-z][\w.]*$/.test(command)) throw new Error(`"${command}" is not a command id`);
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return makeMarkdown((secrets) => `[${markdownOfText(label, secrets)}](command:${command}?${encoded})`);
}
