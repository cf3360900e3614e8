// Reading an answer in whichever of the three documented formats the server
// actually used, judged by the body first and the Content-Type second: a server
// or proxy may ignore what was asked for.

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
  const code = codeKey === undefined ? undefined : fields[codeKey]?.trim();
  if (code === undefined || !CODE.test(code))
    return { kind: 'unexpected', reason: 'the answer has no numeric errorCode' };
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
    errorCode: Number(code),
    ...(errorMessage !== undefined && { errorMessage }),
    ...(newOrderNumber !== undefined && { newOrderNumber }),
    extra,
  };
}

function parseNewlineDelimited(text: string): ParsedAnswer | UnexpectedAnswer {
  const lines = text.split(/\r?\n/);
  const code = (lines[0] ?? '').trim();
  if (!CODE.test(code)) return { kind: 'unexpected', reason: 'the first line of the answer is not a status code' };
  const errorCode = Number(code);
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
