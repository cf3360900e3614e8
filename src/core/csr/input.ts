// Finds the certificate requests in whatever the user has: PEM blocks (either
// header), bare Base64, raw DER, or something else entirely, which is named as
// precisely as possible. Linear in the input and capped, so a 50 MB file or a
// file of ten thousand BEGIN lines cannot hang the caller.
import { base64Decode, base64DecodeText, base64Sextet } from './bytes';
import { announcedLength, hasIndefiniteOuterLength, lengthMismatch } from './der';
import { maxCsrCharacters } from './limits';
import { REQUEST_LABELS } from '../pem-labels';
import type { SourceRange } from './types';
import { formatCount } from '../format-count';

/** Work cap for one input. A CSR is at most 32,767 characters at the API; 4 MiB leaves room for long files of many. */
export const maxInputLength = 4 * 1024 * 1024;
/** Blocks analysed per input; more is almost certainly not a file of requests. */
export const maxBlocks = 5000;

export interface FoundRequest {
  kind: 'request';
  der: Uint8Array;
  /** The whole block (armour included) in the text. */
  range: SourceRange;
  /** Where findings point: the BEGIN line, or the start of bare Base64. */
  anchor: SourceRange;
  /**
   * The block's own text when it already is the canonical PEM of `der` (isCanonicalPemBody):
   * what openssl and most tools write. Absent otherwise; the analysis then writes the PEM itself.
   */
  pem?: string;
}

export interface FoundProblem {
  kind: 'problem';
  code: string;
  error: string;
  range: SourceRange;
}

export type FoundBlock = FoundRequest | FoundProblem;

const requestLabels = new Set<string>(REQUEST_LABELS);

/** Maps string offsets to zero-based line/character positions (lines split on \n). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    let position = text.indexOf('\n');
    while (position !== -1) {
      this.starts.push(position + 1);
      position = text.indexOf('\n', position + 1);
    }
  }
  position(offset: number): { line: number; character: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - (this.starts[low] as number) };
  }
  range(start: number, end: number): SourceRange {
    const from = this.position(start);
    const to = this.position(end);
    return { startLine: from.line, startCharacter: from.character, endLine: to.line, endCharacter: to.character };
  }
}

export const emptyRange: SourceRange = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };

function describeLabel(label: string): { code: string; error: string } {
  if (/CERTIFICATE$/.test(label))
    return { code: 'not-a-csr-certificate', error: 'this is a certificate, not a certificate request' };
  if (/PRIVATE KEY$/.test(label))
    return {
      code: 'not-a-csr-private-key',
      error: 'this is a private key, not a certificate request (keep it secret: never send it anywhere)',
    };
  if (/PUBLIC KEY$/.test(label))
    return { code: 'not-a-csr-public-key', error: 'this is a public key, not a certificate request' };
  if (/CRL$/.test(label))
    return { code: 'not-a-csr-crl', error: 'this is a certificate revocation list, not a certificate request' };
  if (/PKCS7$|CMS$/.test(label))
    return { code: 'not-a-csr-pkcs7', error: 'this is a PKCS#7/CMS structure, not a certificate request' };
  return { code: 'not-a-csr-pem', error: `this PEM block is "${label.slice(0, 40)}", not a certificate request` };
}

const base64Body = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes Base64 after removing whitespace, or returns why it cannot. */
export function decodeBase64(text: string): Uint8Array | string {
  const fast = base64DecodeText(text);
  if (fast !== null) return fast;
  const compact = text.replace(/[\s]+/g, '');
  if (compact.length === 0) return 'the block holds no Base64 data';
  if (!base64Body.test(compact)) {
    const bad = /[^A-Za-z0-9+/=]/.exec(compact);
    return bad
      ? `the Base64 data contains an invalid character ${JSON.stringify(bad[0])}`
      : 'the Base64 data has padding in the wrong place';
  }
  if (compact.length % 4 === 1) return 'the Base64 data is truncated';
  return base64Decode(compact);
}

/** The label of the PEM block the analysis writes (analyse.ts, toPem). */
export const CANONICAL_LABEL = 'CERTIFICATE REQUEST';

/**
 * Whether a PEM body (from just after the BEGIN line's dashes to just before the END line's), which
 * decodeBase64 read as `derLength` bytes, is exactly the body of the canonical PEM of those bytes:
 * a newline, Base64 in lines of 64 characters each ended by a newline, the exact padding, and zero
 * bits after the last byte. Read from the length and the newlines' places alone: the decoder took
 * exactly the data characters `derLength` needs and at most the exact padding, so a body of the
 * canonical length whose newlines are where the canonical one has them holds no other whitespace.
 * test/core/csr/canonical-pem.property.test.ts holds this to the PEM written from the bytes.
 */
export function isCanonicalPemBody(body: string, derLength: number): boolean {
  if (derLength === 0) return false;
  const characters = 4 * Math.ceil(derLength / 3);
  const lines = Math.ceil(characters / 64);
  if (body.length !== characters + lines + 1) return false;
  for (let line = 0; line < lines; line += 1) if (body.charCodeAt(line * 65) !== 0x0a) return false;
  if (body.charCodeAt(body.length - 1) !== 0x0a) return false;
  const padding = (3 - (derLength % 3)) % 3;
  for (let i = 0; i < padding; i += 1) if (body.charCodeAt(body.length - 2 - i) !== 0x3d) return false;
  // The bits of the last data character past the last byte: zero in the canonical form.
  const last = base64Sextet(body.charCodeAt(body.length - 2 - padding));
  if (last < 0) return false;
  return padding === 0 || (last & (padding === 1 ? 0x3 : 0xf)) === 0;
}

/** Text looks like a PEM-less Base64 request: only Base64 characters and whitespace. */
const bareBase64 = /^[A-Za-z0-9+/=\s]+$/;

export function findRequests(input: string | Uint8Array): FoundBlock[] {
  if (typeof input !== 'string') return findInBytes(input);
  return findInText(input);
}

/** One decoder per encoding for the whole run: a run over many files makes none per file. */
const strictDecoders = new Map<string, TextDecoder>();
export function strictDecoder(encoding: string): TextDecoder {
  let decoder = strictDecoders.get(encoding);
  if (decoder === undefined) {
    decoder = new TextDecoder(encoding, { fatal: true });
    strictDecoders.set(encoding, decoder);
  }
  return decoder;
}

function findInBytes(bytes: Uint8Array): FoundBlock[] {
  if (bytes.length > maxInputLength) return [tooLarge(bytes.length, 'bytes')];
  if (bytes.length === 0)
    return [{ kind: 'problem', code: 'empty-input', error: 'the input is empty', range: emptyRange }];
  // Raw DER: a SEQUENCE whose length covers the data, or BER's indefinite-length SEQUENCE closed by two
  // zero octets at the very end. Text never starts with 0x30 followed by such a length.
  if (announcedLength(bytes) === bytes.length || hasIndefiniteOuterLength(bytes)) {
    return [{ kind: 'request', der: bytes, range: emptyRange, anchor: emptyRange }];
  }
  // Binary that starts like a request but whose size disagrees: a cut-short or padded request.
  const derProblem = (): FoundProblem[] | null => {
    const mismatch = lengthMismatch(bytes);
    return mismatch === null
      ? null
      : [
          {
            kind: 'problem',
            code: 'bad-der',
            error: `this is not a valid certificate request: ${mismatch}`,
            range: emptyRange,
          },
        ];
  };
  let text: string;
  try {
    // A byte order mark names the encoding: Windows PowerShell's `>` writes UTF-16LE.
    const encoding =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? 'utf-16le'
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? 'utf-16be'
          : 'utf-8';
    text = strictDecoder(encoding).decode(bytes);
  } catch {
    return (
      derProblem() ?? [
        {
          kind: 'problem',
          code: 'binary-input',
          error: 'this is a binary file that is neither DER nor text',
          range: emptyRange,
        },
      ]
    );
  }
  // Control characters other than tab, CR, LF and form feed do not occur in text files.
  if (hasBinaryCharacters(bytes, text)) {
    return (
      derProblem() ?? [
        {
          kind: 'problem',
          code: 'binary-input',
          error: 'this is a binary file that is neither DER nor text',
          range: emptyRange,
        },
      ]
    );
  }
  return findInText(text);
}

const binaryCharacter = /[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/;

/**
 * Whether the text decoded from `bytes` holds a character no text file does: a control character
 * other than tab, line feed, vertical tab, form feed and carriage return, DEL, or U+FFFD. For UTF-8,
 * read from the bytes (each of these characters is one byte below 0x80, or EF BF BD): a loop over
 * them costs a tenth of the Unicode expression over the text.
 */
export function hasBinaryCharacters(bytes: Uint8Array, text: string): boolean {
  // A first byte FF or FE is a UTF-16 byte order mark here: strict UTF-8 refuses both bytes.
  if (bytes[0] === 0xff || bytes[0] === 0xfe) return binaryCharacter.test(text);
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] as number;
    if (byte < 0x20) {
      if (byte < 0x09 || byte > 0x0d) return true;
    } else if (byte === 0x7f || (byte === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd)) return true;
  }
  return false;
}

function tooLarge(size: number, unit: string): FoundProblem {
  return {
    kind: 'problem',
    code: 'input-too-large',
    error: `the input is ${formatCount(size)} ${unit}; only inputs up to ${formatCount(maxInputLength)} are read (a request itself is at most ${formatCount(maxCsrCharacters)} characters)`,
    range: emptyRange,
  };
}

function findInText(text: string): FoundBlock[] {
  if (text.length > maxInputLength) return [tooLarge(text.length, 'characters')];
  const lines = new LineIndex(text);
  const beginPattern = /-----BEGIN ([A-Z0-9 ]{1,60})-----/g;
  const endPattern = /-----END ([A-Z0-9 ]{1,60})-----/g;
  // Every END marker once, by label, so that matching BEGINs to ENDs stays linear.
  const ends = new Map<string, number[]>();
  for (const match of text.matchAll(endPattern)) {
    const label = match[1] as string;
    const list = ends.get(label) ?? [];
    list.push(match.index);
    ends.set(label, list);
  }
  const cursors = new Map<string, number>();
  const blocks: FoundBlock[] = [];
  let searchFrom = 0;
  beginPattern.lastIndex = 0;
  for (;;) {
    beginPattern.lastIndex = searchFrom;
    const begin = beginPattern.exec(text);
    if (begin === null) break;
    if (blocks.length >= maxBlocks) {
      blocks.push({
        kind: 'problem',
        code: 'too-many-blocks',
        error: `only the first ${maxBlocks} PEM blocks of an input are read`,
        range: lines.range(begin.index, begin.index + begin[0].length),
      });
      break;
    }
    const label = begin[1] as string;
    const bodyStart = begin.index + begin[0].length;
    const anchor = lines.range(begin.index, bodyStart);
    // The first END after this BEGIN; for a request, the other request label closes it too
    // (old tools mix NEW CERTIFICATE REQUEST and CERTIFICATE REQUEST armour).
    const closingLabels = requestLabels.has(label) ? [...requestLabels] : [label];
    let endIndex: number | undefined;
    let endLabel = label;
    for (const closing of closingLabels) {
      const candidates = ends.get(closing) ?? [];
      let cursor = cursors.get(closing) ?? 0;
      while (cursor < candidates.length && (candidates[cursor] as number) < bodyStart) cursor += 1;
      cursors.set(closing, cursor);
      const candidate = candidates[cursor];
      if (candidate !== undefined && (endIndex === undefined || candidate < endIndex)) {
        endIndex = candidate;
        endLabel = closing;
      }
    }
    if (endIndex === undefined) {
      blocks.push({
        kind: 'problem',
        code: 'unterminated-pem',
        error: `the PEM block "${label}" has no matching -----END ${label}----- line`,
        range: anchor,
      });
      searchFrom = bodyStart;
      continue;
    }
    // A second BEGIN before this block's END means this BEGIN was never closed.
    beginPattern.lastIndex = bodyStart;
    const nextBegin = beginPattern.exec(text);
    if (nextBegin !== null && nextBegin.index < endIndex) {
      blocks.push({
        kind: 'problem',
        code: 'unterminated-pem',
        error: `the PEM block "${label}" has no matching -----END ${label}----- line before the next BEGIN`,
        range: anchor,
      });
      searchFrom = nextBegin.index;
      continue;
    }
    const blockEnd = endIndex + `-----END ${endLabel}-----`.length;
    const range = lines.range(begin.index, blockEnd);
    searchFrom = blockEnd;
    if (!requestLabels.has(label)) {
      blocks.push({ kind: 'problem', ...describeLabel(label), range });
      continue;
    }
    const decoded = decodeBase64(text.slice(bodyStart, endIndex));
    if (typeof decoded === 'string') {
      const headers = /^[\s]*[A-Za-z-]+:/.test(text.slice(bodyStart, endIndex))
        ? ' (PEM headers such as Proc-Type are not allowed in a request)'
        : '';
      blocks.push({ kind: 'problem', code: 'bad-base64', error: `${decoded}${headers}`, range });
      continue;
    }
    const found: FoundRequest = { kind: 'request', der: decoded, range, anchor };
    if (label === CANONICAL_LABEL && endLabel === CANONICAL_LABEL && text.charCodeAt(blockEnd) === 0x0a) {
      const body = text.slice(bodyStart, endIndex);
      if (isCanonicalPemBody(body, decoded.length)) found.pem = text.slice(begin.index, blockEnd + 1);
    }
    blocks.push(found);
  }
  return blocks.length > 0 ? blocks : findWithoutPem(text, lines);
}

/** Text without a PEM block: bare Base64 of a request, or what the text is instead (empty, a stray END, no request). */
function findWithoutPem(text: string, lines: LineIndex): FoundBlock[] {
  const trimmedStart = text.search(/\S/);
  if (trimmedStart === -1)
    return [{ kind: 'problem', code: 'empty-input', error: 'the input is empty', range: lines.range(0, text.length) }];
  const trimmedEnd = text.length - (text.length - text.trimEnd().length);
  const range = lines.range(trimmedStart, trimmedEnd);
  if (bareBase64.test(text)) {
    const decoded = decodeBase64(text);
    if (typeof decoded === 'string') return [{ kind: 'problem', code: 'bad-base64', error: decoded, range }];
    // Plain words are Base64 characters too; a request always decodes to a SEQUENCE.
    if (decoded[0] !== 0x30)
      return [
        {
          kind: 'problem',
          code: 'no-csr-found',
          error: 'no certificate request found: the text is neither PEM nor the Base64 of a DER request',
          range,
        },
      ];
    const firstLineEnd = text.indexOf('\n', trimmedStart);
    const anchor = lines.range(
      trimmedStart,
      firstLineEnd === -1
        ? trimmedEnd
        : Math.min(trimmedEnd, text[firstLineEnd - 1] === '\r' ? firstLineEnd - 1 : firstLineEnd),
    );
    return [{ kind: 'request', der: decoded, range, anchor }];
  }
  if (/-----END [A-Z0-9 ]+-----/.test(text)) {
    return [
      {
        kind: 'problem',
        code: 'unterminated-pem',
        error: 'the input has an -----END----- line without a matching -----BEGIN----- line',
        range,
      },
    ];
  }
  return [
    {
      kind: 'problem',
      code: 'no-csr-found',
      error:
        'no certificate request found: expected a PEM block (-----BEGIN CERTIFICATE REQUEST-----), bare Base64 or DER',
      range,
    },
  ];
}
