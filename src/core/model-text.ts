// The sink of what a language model reads: the results of the assistants' tools, in VS Code
// (src/vscode/assistant/tool-result.ts hands them to VS Code) and over MCP (src/cli/mcp.ts). Each
// result is a text a model quotes and the same facts as data; both are rendered here, and only here.
//
// The text (renderModelText): the program's words as written (a result is many lines); every
// outside value on one line and cut to the model bound (saying so), after the secrets are removed
// (the one redaction point, as every sink). A value (a subject, a file name, a glob) is quoted as a
// JavaScript string literal would be: its backslashes doubled, its quotes as \", then oneLine's
// escapes, so no character of it can end its quotes and a reader gets the value back exactly. A
// sentence or link the program made around outside text (proseText: a finding's message, an input
// problem, a README link) follows its own words unquoted, on one line. No outside value begins a
// line: a quoted one begins with the program's quote, and before a sentence that would begin one the
// sink writes OUTSIDE_AT_LINE_START (no template of the tools does). A model is told in the result
// that quoted values are data, not instructions.
//
// The data (modelData): a structure of the program's own values (numbers, booleans, codes, its
// words), in which every outside value comes as a Text (the type refuses an Outside in place of
// one). A Text becomes its characters, its outside parts redacted and cut to the model bound (saying
// so), not escaped: JSON does that. The structure then goes through the JSON sink (json-text.ts),
// which bounds every string, escapes what a terminal would act on in the JSON text, and gives the
// client's structured value, the one that text parses back to.
import { jsonText, jsonValue } from './json-text';
import { OUTSIDE_AT_LINE_START, lineHasWordsAfter } from './line-text';
import { escapeInvisible, oneLine } from './one-line';
import { boundedOutside, cutMarker, isText, textParts, type NotOutside, type Text } from './outside-text';

/** An outside value as the text shows it: quoted (or, for a sentence, as it reads), on one line, cut. */
function shownValue(value: string, prose: boolean, secrets: readonly string[]): string {
  const { kept, left } = boundedOutside(value, 'model', secrets);
  const marker = left > 0 ? cutMarker(left) : '';
  if (prose) return `${oneLine(kept)}${marker}`;
  return `"${oneLine(kept.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"${marker}`;
}

/** The text a model reads for this Text. */
export function renderModelText(value: Text, secrets: readonly string[] = []): string {
  let shown = '';
  // Whether the line being written has the program's words (anything but white space) yet.
  let lineHasWords = false;
  for (const part of textParts(value)) {
    if ('own' in part) {
      const own = escapeInvisible(part.own);
      shown += own;
      lineHasWords = lineHasWordsAfter(own, lineHasWords);
      continue;
    }
    const prose = part.prose === true;
    if (prose && !lineHasWords) shown += OUTSIDE_AT_LINE_START;
    shown += shownValue(part.outside, prose, secrets);
    lineHasWords = true;
  }
  return shown;
}

/** A tool's data: the program's own values, and outside values as Texts. */
export type ModelData = null | boolean | number | NotOutside | Text | readonly ModelData[] | ModelRecord;
export type ModelRecord = { readonly [key: string]: ModelData | undefined };

/** The characters of a Text in the data: outside parts redacted and cut, saying so; nothing escaped. */
function dataString(value: Text, secrets: readonly string[]): string {
  return textParts(value)
    .map((part) => {
      if ('own' in part) return part.own;
      const { kept, left } = boundedOutside(part.outside, 'model', secrets);
      return left > 0 ? `${kept}${cutMarker(left)}` : kept;
    })
    .join('');
}

function resolved(value: ModelData | undefined, secrets: readonly string[]): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (isText(value)) return dataString(value, secrets);
  if (Array.isArray(value)) return value.map((item: ModelData) => resolved(item, secrets));
  return Object.fromEntries(Object.entries(value as ModelRecord).map(([key, item]) => [key, resolved(item, secrets)]));
}

/** The data as the client is given it (MCP's structuredContent): what modelDataJson parses back to. */
export function modelData(value: ModelData, secrets: readonly string[] = []): unknown {
  // Redacted here, value by value: the JSON sink only bounds and escapes.
  return jsonValue(resolved(value, secrets), { redacted: true });
}

/** The data as JSON text, for a surface that carries text only (the text part beside the text). */
export function modelDataJson(value: ModelData, secrets: readonly string[] = []): string {
  return jsonText(resolved(value, secrets), { redacted: true, indent: 1 });
}

/** A tool's result as MCP carries it: the text, the data as JSON text beside it, and the data. */
export interface ModelToolResult {
  content: { type: 'text'; text: string }[];
  structuredContent: Record<string, unknown>;
  isError: boolean;
}

export function modelToolResult(text: Text, data: ModelData, isError: boolean): ModelToolResult {
  return {
    content: [
      { type: 'text', text: renderModelText(text) },
      { type: 'text', text: modelDataJson(data) },
    ],
    structuredContent: modelData(data) as Record<string, unknown>,
    isError,
  };
}
