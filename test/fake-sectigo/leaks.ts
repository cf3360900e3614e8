// Searches text for a password in every encoding an echoing server or proxy could
// use, and in fragments: written independently of src/core/sectigo/redact.ts (it
// encodes every fragment forwards instead of decoding the text), so that a test
// using it checks the redaction rather than repeating it.

/** Any run of this many characters of a password counts as a leak (a shorter password only whole). */
export const LEAK_FRAGMENT = 6;

const hex2 = (byte: number, upper: boolean): string =>
  byte.toString(16).padStart(2, '0')[upper ? 'toUpperCase' : 'toLowerCase']();

function percentEveryByte(text: string, upper: boolean): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${hex2(byte, upper)}`).join('');
}

function lowerPercent(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

function jsonEveryUnit(text: string, upper: boolean): string {
  return text
    .split('')
    .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`)
    .join('');
}

function htmlNamed(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function htmlNumeric(text: string, hex: boolean): string {
  return [...text]
    .map((char) => (hex ? `&#x${(char.codePointAt(0) ?? 0).toString(16)};` : `&#${char.codePointAt(0) ?? 0};`))
    .join('');
}

/** The base64 characters fixed by `text` alone, at each byte alignment inside a longer base64 text. */
function base64Aligned(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
  });
}

/** Every encoded form of one piece of a password, named. */
export function encodings(piece: string): Array<[string, string]> {
  const form = new URLSearchParams({ s: piece }).toString().slice(2);
  const forms: Array<[string, string]> = [
    ['raw', piece],
    ['form', form],
    ['form, lowercase percent', lowerPercent(form)],
    ['percent', encodeURIComponent(piece)],
    ['percent, lowercase', lowerPercent(encodeURIComponent(piece))],
    ['percent twice', encodeURIComponent(encodeURIComponent(piece))],
    ['percent every byte', percentEveryByte(piece, true)],
    ['percent every byte, lowercase', percentEveryByte(piece, false)],
    ['JSON', JSON.stringify(piece).slice(1, -1)],
    ['JSON \\u escapes', jsonEveryUnit(piece, false)],
    ['JSON \\u escapes, uppercase', jsonEveryUnit(piece, true)],
    ['HTML named entities', htmlNamed(piece)],
    ['HTML decimal entities', htmlNumeric(piece, false)],
    ['HTML hex entities', htmlNumeric(piece, true)],
    ['upper case', piece.toUpperCase()],
    ['lower case', piece.toLowerCase()],
    // A UTF-16 echo read byte for byte: NULs between the characters of ASCII text.
    ['UTF-16 LE', Buffer.from(piece, 'utf16le').toString('latin1')],
    ['UTF-16 BE', Buffer.from(piece, 'utf16le').swap16().toString('latin1')],
  ];
  // Base64 of the piece itself and of the piece as a form body carries it (an echoed request, base64-encoded).
  for (const [name, text] of [
    ['', piece],
    [' of the form encoding', form],
  ] as const) {
    base64Aligned(text).forEach((encoded, offset) => forms.push([`base64${name} at offset ${offset}`, encoded]));
  }
  return forms;
}

/** Descriptions of every leak of `password` in `text` ([] when there is none). */
export function findLeaks(text: string, password: string): string[] {
  // By code point, so that a piece never splits a surrogate pair.
  const characters = Array.from(password);
  const size = Math.min(LEAK_FRAGMENT, characters.length);
  const found = new Set<string>();
  for (let start = 0; start + size <= characters.length; start++) {
    const piece = characters.slice(start, start + size).join('');
    for (const [name, encoded] of encodings(piece)) {
      // A base64 form this short would match by chance; the longer pieces cover it.
      if (name.startsWith('base64') && encoded.length < 6) continue;
      const at = text.indexOf(encoded);
      if (at !== -1)
        found.add(
          `${name} of characters ${start}-${start + size - 1} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + encoded.length + 20))}`,
        );
    }
  }
  return [...found];
}
