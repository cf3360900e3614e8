// Reading an answer in whichever of the three documented formats the server
// actually used, judged by the body first and the Content-Type second: a server
// or proxy may ignore what was asked for. readAnswer is the boundary: what it
// returns holds only validated values and server text that passed the redaction.
import { redactedServerPrefix, redactServerText } from './redact';
import type { Endpoint } from './types';

export interface ParsedAnswer {
  kind: 'answer';
  format: 0 | 1 | 2;
  errorCode: number;
  errorMessage?: string;
  newOrderNumber?: string;
  /** Any further fields the server sent (format 0 "key value" lines, extra form or JSON fields). */
  extra: Record<string, string>;
}

export interface UnexpectedAnswer {
  kind: 'unexpected';
  /** Why this is not an API answer, in words. */
  reason: string;
}

const CODE = /^-?[0-9]+$/;

/**
 * The errorCode as a number, or why it is none: digits that make a safe integer (a longer run of
 * digits would become another number, or Infinity, which --json prints as null). -0 is 0.
 */
function readCode(code: string | undefined): number | { problem: string } {
  if (code === undefined || !CODE.test(code)) return { problem: 'no numeric errorCode' };
  const value = Number(code);
  if (!Number.isSafeInteger(value))
    return { problem: `an errorCode of ${code.replace(/^-/, '').length} digits, not a number the API uses` };
  return value === 0 ? 0 : value;
}

export function parseAnswer(body: string, contentType: string | undefined): ParsedAnswer | UnexpectedAnswer {
  const text = body.replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  const type = (contentType ?? '').toLowerCase();
  if (trimmed.length === 0) return { kind: 'unexpected', reason: 'the answer was empty' };
  if (type.includes('text/html') || trimmed.startsWith('<'))
    return {
      kind: 'unexpected',
      reason: 'the answer is a web page, not an API answer (often a proxy or gateway error page)',
    };
  if (trimmed.startsWith('{')) return parseJson(trimmed);
  if (/^errorCode=/i.test(trimmed) || (type.includes('x-www-form-urlencoded') && trimmed.includes('=')))
    return parseUrlEncoded(trimmed);
  return parseNewlineDelimited(text);
}

function parseJson(text: string): ParsedAnswer | UnexpectedAnswer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'unexpected', reason: 'the JSON answer is cut off or malformed' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'unexpected', reason: 'the JSON answer is not an object' };
  const fields: Record<string, string> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (field !== null && field !== undefined)
      fields[key] = typeof field === 'object' ? JSON.stringify(field) : String(field);
  }
  return fromFields(fields, 2);
}

function parseUrlEncoded(text: string): ParsedAnswer | UnexpectedAnswer {
  const fields: Record<string, string> = {};
  try {
    for (const [key, value] of new URLSearchParams(text)) fields[key] = value;
  } catch {
    return { kind: 'unexpected', reason: 'the URL-encoded answer is malformed' };
  }
  return fromFields(fields, 1);
}

function fromFields(fields: Record<string, string>, format: 1 | 2): ParsedAnswer | UnexpectedAnswer {
  const codeKey = Object.keys(fields).find((key) => key.toLowerCase() === 'errorcode');
  const code = readCode(codeKey === undefined ? undefined : fields[codeKey]?.trim());
  if (typeof code !== 'number') return { kind: 'unexpected', reason: `the answer has ${code.problem}` };
  const extra: Record<string, string> = {};
  let errorMessage: string | undefined;
  let newOrderNumber: string | undefined;
  for (const [key, value] of Object.entries(fields)) {
    const lower = key.toLowerCase();
    if (lower === 'errorcode') continue;
    if (lower === 'errormessage') errorMessage = value;
    else if (lower === 'newordernumber') newOrderNumber = value;
    else extra[key] = value;
  }
  return {
    kind: 'answer',
    format,
    errorCode: code,
    ...(errorMessage !== undefined && { errorMessage }),
    ...(newOrderNumber !== undefined && { newOrderNumber }),
    extra,
  };
}

function parseNewlineDelimited(text: string): ParsedAnswer | UnexpectedAnswer {
  const lines = text.split(/\r?\n/);
  const first = (lines[0] ?? '').trim();
  if (!CODE.test(first)) return { kind: 'unexpected', reason: 'the first line of the answer is not a status code' };
  const errorCode = readCode(first);
  if (typeof errorCode !== 'number') return { kind: 'unexpected', reason: `the answer has ${errorCode.problem}` };
  const second = lines[1]?.trim() ?? '';
  const extra: Record<string, string> = {};
  for (const line of lines.slice(2)) {
    const match = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) extra[match[1]] = match[2] ?? '';
  }
  const answer: ParsedAnswer = { kind: 'answer', format: 0, errorCode, extra };
  if (errorCode === 0) {
    if (second.length > 0) answer.newOrderNumber = second;
  } else if (second.length > 0) {
    answer.errorMessage = second;
  }
  return answer;
}

/** How much of an unexpected body is kept (redacted) to show. */
export const BODY_EXCERPT_LENGTH = 300;

/** Sectigo's order numbers are digits; anything else in newOrderNumber is not an answer we can store. */
const ORDER_NUMBER = /^[0-9]{1,20}$/;

/**
 * One piece of server text (a message, a header, a field) as it may be shown, logged or stored:
 * redacted. It stays as the server wrote it otherwise: it is outside text, and the sink of the
 * surface that shows it puts it on one line, escaped once (src/core/outside-text.ts).
 */
export function serverText(text: string, secrets: readonly string[]): string {
  return redactServerText(text, secrets);
}

/** An answer as the rest of the program sees it: every string redacted, the order number validated. */
export interface ServerAnswer {
  kind: 'answer';
  format: 0 | 1 | 2;
  errorCode: number;
  errorMessage?: string;
  /** Digits only. */
  newOrderNumber?: string;
  extra: Record<string, string>;
}

export interface UnexpectedServerAnswer {
  kind: 'unexpected';
  reason: string;
  /** The start of the body, redacted as server text. */
  excerpt: string;
}

/**
 * The body's text. Sectigo answers in UTF-8; a body in UTF-16 (a byte-order mark, or NULs between
 * the bytes of ASCII text) is decoded as such, so that the search for the password sees the text
 * and not NUL-interleaved bytes.
 */
export function decodeBody(body: Buffer): string {
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return body.subarray(2).toString('utf16le');
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return swapBytes(body.subarray(2)).toString('utf16le');
  const sample = body.subarray(0, 4096);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  }
  const half = sample.length / 2;
  if (half >= 1 && oddNuls >= half * 0.3 && oddNuls > evenNuls * 4) return body.toString('utf16le');
  if (half >= 1 && evenNuls >= half * 0.3 && evenNuls > oddNuls * 4) return swapBytes(body).toString('utf16le');
  return body.toString('utf8');
}

function swapBytes(bytes: Buffer): Buffer {
  const swapped = Buffer.alloc(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1] as number;
    swapped[i + 1] = bytes[i] as number;
  }
  return swapped;
}

/** The body read, validated and redacted: nothing the server chose reaches a caller unchecked. */
export function readAnswer(
  endpoint: Endpoint,
  body: Buffer,
  contentType: string | undefined,
  secrets: readonly string[],
): ServerAnswer | UnexpectedServerAnswer {
  const text = decodeBody(body);
  const unexpected = (reason: string): UnexpectedServerAnswer => ({
    kind: 'unexpected',
    reason,
    excerpt: redactedServerPrefix(text, BODY_EXCERPT_LENGTH, secrets),
  });
  const parsed = parseAnswer(text, contentType);
  if (parsed.kind === 'unexpected') return unexpected(parsed.reason);
  // Only a replacement makes an order; a revocation's second line is no order number and is not kept.
  const order = endpoint === 'AutoReplaceSMIME' ? parsed.newOrderNumber?.trim() : undefined;
  if (order !== undefined && order !== '' && !ORDER_NUMBER.test(order))
    return unexpected('the new order number is not a number (Sectigo’s order numbers are digits)');
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.extra)) extra[serverText(key, secrets)] = serverText(value, secrets);
  return {
    kind: 'answer',
    format: parsed.format,
    errorCode: parsed.errorCode,
    ...(parsed.errorMessage !== undefined && { errorMessage: serverText(parsed.errorMessage, secrets) }),
    ...(order !== undefined && order !== '' && { newOrderNumber: order }),
    extra,
  };
}
