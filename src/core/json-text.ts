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

function prepared(value: unknown, options: JsonTextOptions, key: string | undefined): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && options.ownFields?.has(key)) return value;
    const { kept, left } = options.redacted
      ? cutToBound(value, SHOWN_BOUNDS.json)
      : boundedOutside(value, 'json', options.secrets ?? []);
    return left > 0 ? `${kept}${cutMarker(left)}` : kept;
  }
  if (Array.isArray(value)) return value.map((item) => prepared(item, options, undefined));
  if (typeof value === 'object' && value !== null) {
    const source =
      typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
    if (typeof source !== 'object' || source === null) return prepared(source, options, key);
    return Object.fromEntries(
      Object.entries(source)
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

/** `value` as JSON text: strings bounded and redacted, then everything invisible escaped. */
export function jsonText(value: unknown, options: JsonTextOptions = {}): string {
  return escapeInvisible(JSON.stringify(prepared(value, options, undefined), null, options.indent));
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
