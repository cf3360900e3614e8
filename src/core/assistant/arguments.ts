// A tool's arguments come from a model: anything at all. Each is checked here against its tool's
// schema (tool-specs.ts) and its bounds (limits.ts) before any work, and a wrong one gets a sentence
// that says what to send instead, so the model can correct its call. Never throws.
import { maxInputLength } from '../csr/input';
import { countText, joinText, outside, tokenText, words, type Text } from '../outside-text';
import {
  CHECK_DEFAULT_FILES,
  CHECK_DEFAULT_GLOB,
  CHECK_DEFAULT_SECONDS,
  CHECK_MAX_FILES,
  CHECK_MAX_SECONDS,
  MAX_CODE_CHARACTERS,
  MAX_GLOB_CHARACTERS,
  MAX_PATH_CHARACTERS,
} from './limits';
import { assistantToolSpecs } from './tool-specs';
import type { AssistantToolKind } from './tool-names';

export type InspectArguments =
  | { readonly kind: 'path'; readonly path: string; readonly lines: LineSpan | null }
  | { readonly kind: 'text'; readonly text: string }
  /** Neither: the active editor, where there is one (VS Code). */
  | { readonly kind: 'active-editor' };

/** Lines counted from 1, both included. */
export interface LineSpan {
  readonly start: number;
  readonly end: number;
}

export interface CheckArguments {
  readonly glob: string;
  readonly maxFiles: number;
  readonly timeoutSeconds: number;
}

export interface ExplainArguments {
  readonly code: string;
}

/** The arguments checked, or the problem in the program's words (what the call gave is outside text in it). */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Text };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const wrong = <T>(problem: Text): Checked<T> => ({ ok: false, problem });
const names = (list: readonly string[]): Text => joinText(list.map(tokenText), words`, `);

function propertiesOf(kind: AssistantToolKind): string[] {
  return Object.keys(assistantToolSpecs[kind].inputSchema.properties as Record<string, unknown>);
}

/** The arguments as an object with only known properties, or why not. */
function asObject(input: unknown, kind: AssistantToolKind): Checked<Record<string, unknown>> {
  const known = propertiesOf(kind);
  if (input === undefined || input === null) return ok({});
  if (typeof input !== 'object' || Array.isArray(input))
    return wrong(words`the arguments must be an object with the properties ${names(known)}`);
  const record = input as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    return wrong(
      words`unknown argument${unknown.length > 1 ? words`s` : words``} ${joinText(
        unknown.slice(0, 10).map((key) => outside(key.slice(0, 40))),
        words`, `,
      )}; the arguments are ${names(known)}`,
    );
  return ok(record);
}

function optionalString(record: Record<string, unknown>, name: string, max: number): Checked<string | undefined> {
  const value = record[name];
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return wrong(words`${tokenText(name)} must be a string`);
  if (value.length > max)
    return wrong(
      words`${tokenText(name)} is ${countText(value.length)} characters, over the limit of ${countText(max)}`,
    );
  return ok(value);
}

function optionalInteger(
  record: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): Checked<number | undefined> {
  const value = record[name];
  if (value === undefined || value === null) return ok(undefined);
  // A model may send "20" for 20: a string of digits is read as its number, nothing looser.
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number))
    return wrong(words`${tokenText(name)} must be a whole number`);
  if (number < min || number > max) return wrong(words`${tokenText(name)} must be from ${min} to ${countText(max)}`);
  return ok(number);
}

export function checkInspectArguments(input: unknown): Checked<InspectArguments> {
  const record = asObject(input, 'inspect');
  if (!record.ok) return record;
  const path = optionalString(record.value, 'path', MAX_PATH_CHARACTERS);
  if (!path.ok) return path;
  const text = optionalString(record.value, 'text', maxInputLength);
  if (!text.ok) return text;
  const start = optionalInteger(record.value, 'startLine', 1, Number.MAX_SAFE_INTEGER);
  if (!start.ok) return start;
  const end = optionalInteger(record.value, 'endLine', 1, Number.MAX_SAFE_INTEGER);
  if (!end.ok) return end;
  if (path.value !== undefined && text.value !== undefined)
    return wrong(words`give either path (a file) or text (the request itself), not both`);
  const hasLines = start.value !== undefined || end.value !== undefined;
  if (text.value !== undefined) {
    if (hasLines)
      return wrong(words`startLine and endLine go with path, not with text: pass only the lines wanted as text`);
    if (text.value.trim() === '') return wrong(words`text is empty; give the request itself (its PEM block)`);
    return ok({ kind: 'text', text: text.value });
  }
  if (path.value !== undefined) {
    if (path.value.trim() === '') return wrong(words`path is empty`);
    if (path.value.includes('\u0000')) return wrong(words`path holds a NUL character`);
    const lines = hasLines ? { start: start.value ?? 1, end: end.value ?? Number.MAX_SAFE_INTEGER } : null;
    if (lines !== null && lines.end < lines.start) return wrong(words`endLine is before startLine`);
    return ok({ kind: 'path', path: path.value, lines });
  }
  if (hasLines) return wrong(words`startLine and endLine need path (the file they are lines of)`);
  return ok({ kind: 'active-editor' });
}

export function checkCheckArguments(input: unknown): Checked<CheckArguments> {
  const record = asObject(input, 'check');
  if (!record.ok) return record;
  const glob = optionalString(record.value, 'glob', MAX_GLOB_CHARACTERS);
  if (!glob.ok) return glob;
  const maxFiles = optionalInteger(record.value, 'maxFiles', 1, CHECK_MAX_FILES);
  if (!maxFiles.ok) return maxFiles;
  const timeoutSeconds = optionalInteger(record.value, 'timeoutSeconds', 1, CHECK_MAX_SECONDS);
  if (!timeoutSeconds.ok) return timeoutSeconds;
  const pattern = glob.value?.trim() || CHECK_DEFAULT_GLOB;
  if (pattern.includes('\u0000')) return wrong(words`glob holds a NUL character`);
  // A glob is relative to the workspace folders or roots: one that climbs out or starts at the top is not.
  if (/^([/\\]|[A-Za-z]:)/.test(pattern))
    return wrong(words`glob must be relative to the workspace folders or roots, not absolute`);
  if (/(^|[/\\])\.\.([/\\]|$)/.test(pattern))
    return wrong(words`glob must not climb out of the workspace folders or roots (..)`);
  return ok({
    glob: pattern,
    maxFiles: maxFiles.value ?? CHECK_DEFAULT_FILES,
    timeoutSeconds: timeoutSeconds.value ?? CHECK_DEFAULT_SECONDS,
  });
}

export function checkExplainArguments(input: unknown): Checked<ExplainArguments> {
  const record = asObject(input, 'explain');
  if (!record.ok) return record;
  const value = record.value.code;
  // A Sectigo error code may come as the number itself.
  const code = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (code === undefined || code === null)
    return wrong(words`code is missing: give a finding code such as "rsa-key-too-small"`);
  if (typeof code !== 'string') return wrong(words`code must be a string such as "rsa-key-too-small" or "-13"`);
  if (code.length > MAX_CODE_CHARACTERS)
    return wrong(words`code is over ${MAX_CODE_CHARACTERS} characters; no code is that long`);
  const trimmed = code.trim();
  if (trimmed === '') return wrong(words`code is empty: give a finding code such as "rsa-key-too-small"`);
  return ok({ code: trimmed });
}
