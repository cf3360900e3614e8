// The JSON sink: the command line's --json, and the JSON files the product writes (the order
// history, a bulk run's manifest, the journal's lines). JSON.stringify already escapes what could
// end a string or a line inside one (quotes, backslashes, C0 controls, lone surrogates); this adds
// what a terminal or an editor would still act on when the file is shown (C1 controls such as
// U+009B, a one-byte CSI, bidi overrides, U+2028 and U+2029), escaped as \uXXXX, which JSON reads
// back as the same characters. Each string is cut to the JSON bound (saying so) and, unless the
// caller's records were redacted where they were made, passed through the one redaction point.
// Field names, numbers and booleans are never touched, so the shape is the same whatever the text.
import { escapeInvisible } from './one-line';
import { SHOWN_BOUNDS, boundedOutside, cutMarker, cutToBound } from './outside-text';

export interface JsonTextOptions {
  /** Secrets to remove from every string (redaction always runs unless `redacted` says it did). */
  secrets?: readonly string[];
  /**
   * The records were redacted where they were made (the journal), or are data read back and sent
   * again (a stored run's reason, the history's revocation reason) that redaction must not change,
   * or hold no secret (a CSR analysis): only cut and escape here.
   */
  redacted?: boolean;
  /** Fields whose string values are the program's closed vocabulary (kind, endpoint…): kept as they are. */
  ownFields?: ReadonlySet<string>;
  /** JSON.stringify's indentation (none: one line, as a journal line). */
  indent?: number;
}

/** What JSON.stringify writes for `value` (toJSON called once, as the serializer does, unless `serialized`). */
function prepared(value: unknown, options: JsonTextOptions, key: string | undefined, serialized = false): unknown {
  if (
    !serialized &&
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    return prepared((value as { toJSON(): unknown }).toJSON(), options, key, true);
  if (typeof value === 'string') {
    if (key !== undefined && options.ownFields?.has(key)) return value;
    return preparedString(value, options);
  }
  if (Array.isArray(value)) return value.map((item) => prepared(item, options, undefined));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined && typeof item !== 'function')
        .map(([name, item]) => [name, prepared(item, options, name)]),
    );
  }
  return value;
}

/**
 * `value` as the JSON sink writes it, before it is serialised: strings bounded and redacted, what is
 * not JSON (undefined, functions) left out. Parsing jsonText(value) gives exactly this back; a
 * client that serialises it itself (MCP's structuredContent) is handed this.
 */
export function jsonValue(value: unknown, options: Omit<JsonTextOptions, 'indent'> = {}): unknown {
  return prepared(value, options, undefined);
}

/** One string as prepared() makes it: cut to the JSON bound, redacted unless the records were. */
function preparedString(value: string, options: JsonTextOptions): string {
  const { kept, left } = options.redacted
    ? cutToBound(value, SHOWN_BOUNDS.json)
    : boundedOutside(value, 'json', options.secrets ?? []);
  return left > 0 ? `${kept}${cutMarker(left)}` : kept;
}

/**
 * `value` as JSON text: strings bounded and redacted, then everything invisible escaped. The same
 * text as JSON.stringify(jsonValue(value)), made by the serializer's own walk (toJSON, what is left
 * out) with strings prepared as it meets them: no copy of the value is made (a run over many files
 * printed each report's copy, and collected it).
 */
export function jsonText(value: unknown, options: JsonTextOptions = {}): string {
  const own = options.ownFields;
  const text = JSON.stringify(
    value,
    function (this: unknown, key: string, item: unknown): unknown {
      if (typeof item !== 'string') return item;
      // A value of an array, or the whole value (key ''), is never one of the own fields.
      if (own !== undefined && key !== '' && !Array.isArray(this) && own.has(key)) return item;
      return preparedString(item, options);
    },
    options.indent,
  );
  return escapeInvisible(text);
}

// A JSON document the command line prints: made only here, so what reaches the terminal as JSON
// went through this sink (the terminal sink writes it as it is: its lines are the serializer's).
const JSON_DOCUMENT: unique symbol = Symbol.for('sectigo-csr-tools/json-document');

export interface JsonDocument {
  readonly [JSON_DOCUMENT]: string;
}

/** `value` as a printed JSON document (indented by 2, ending with a newline), through jsonText. */
export function jsonDocument(value: unknown, options: Omit<JsonTextOptions, 'indent'> = {}): JsonDocument {
  return Object.freeze({ [JSON_DOCUMENT]: `${jsonText(value, { ...options, indent: 2 })}\n` });
}

export function isJsonDocument(value: unknown): value is JsonDocument {
  return typeof value === 'object' && value !== null && JSON_DOCUMENT in value;
}

/** The document's text, for the terminal sink only. */
export function jsonDocumentText(document: JsonDocument): string {
  return document[JSON_DOCUMENT];
}

// A JSON document printed while it is made: the results of a run over many files go out as they
// come (inspect --json's array, a SARIF log's results), so that no run holds them all. The text is
// what jsonDocument prints for the whole value, character for character; each piece is the JSON
// sink's text like a whole document.
const STREAMED = '@@sectigo-csr: the streamed array@@';

export class JsonDocumentStream {
  private indent = '';
  private elements = 0;

  constructor(private readonly options: Omit<JsonTextOptions, 'indent'> = {}) {}

  /** Where the streamed array stands in the document, printed with the array as `["@@…@@"]`. */
  private split(document: unknown): { before: string; after: string } {
    const text = jsonText(document, { ...this.options, indent: 2 });
    const marker = JSON.stringify(STREAMED);
    const at = text.indexOf(marker);
    if (at === -1 || text.indexOf(marker, at + 1) !== -1)
      throw new Error('a streamed JSON document holds its array exactly once');
    const lineStart = text.lastIndexOf('\n', at) + 1;
    this.indent = text.slice(lineStart, at);
    return { before: text.slice(0, lineStart - 1), after: text.slice(at + marker.length) };
  }

  /** The document up to its array's opening bracket. `shape(array)` is the whole document around the array. */
  open(shape: (array: unknown[]) => unknown): JsonDocument {
    return documentOf(this.split(shape([STREAMED])).before);
  }

  /** The next element of the array. */
  element(value: unknown): JsonDocument {
    const text = jsonText(value, { ...this.options, indent: 2 }).replace(/\n/g, `\n${this.indent}`);
    const piece = `${this.elements === 0 ? '' : ','}\n${this.indent}${text}`;
    this.elements += 1;
    return documentOf(piece);
  }

  /** The rest of the document from the array's closing bracket, with values known only now. */
  close(shape: (array: unknown[]) => unknown): JsonDocument {
    const { after } = this.split(shape([STREAMED]));
    // An empty array prints as [] on the line of its key, as JSON.stringify writes it.
    return documentOf(`${this.elements === 0 ? after.replace(/^\n */, '') : after}\n`);
  }
}

function documentOf(text: string): JsonDocument {
  return Object.freeze({ [JSON_DOCUMENT]: text });
}
