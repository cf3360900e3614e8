// "One line is one line": a value from outside (a file name, a CSR's subject, a server's message)
// printed into line-oriented output must not start a line of its own, nor hide, reorder or fake
// characters. So line breaks and every invisible character are shown as escapes. One definition
// for every sink (the command line, the log, messages, labels, Markdown, the journal). A backslash
// of the value is shown as itself, so a Windows path (C:\repo\new\a.csr) prints as it was given:
// doubling it would make every escape unambiguous, but a path the person typed would no longer
// read, or paste, as that path. The price: a value that holds a backslash and an n (as that path
// does) reads like a value that holds a line break; context tells them apart.

// The same without newline and tab: for whole blocks of the program's own output at the terminal.
// The classes are made at first use (RegExp, not literals): a literal with \p{…} costs a fraction of
// a millisecond when its module loads, and most text never needs it (isPlainAscii).
const INVISIBLE = '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\p{Cf}\\p{Cs}]';
let invisible: RegExp | undefined;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * How one character is shown: \n \r \t, \xNN for other C0 controls, \uXXXX for the rest (an astral
 * character as its two UTF-16 escapes, so the result is also valid inside a JSON string).
 */
function escapeCharacter(character: string): string {
  const short = SHORT[character];
  if (short !== undefined) return short;
  const code = character.charCodeAt(0);
  if (code < 0x20) return `\\x${code.toString(16).padStart(2, '0')}`;
  let escaped = '';
  for (let i = 0; i < character.length; i++) escaped += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

// What is escaped: C0 controls, DEL, C1 controls (0x9b is a one-byte CSI, U+0085 a next line),
// every Unicode format character (Cf: the bidi marks and overrides, zero-width characters, U+FEFF,
// U+2060, tags…), the line and paragraph separators, and a lone surrogate (which no output encoding
// can carry: it would become U+FFFD and the reader could not tell what it was).
const LINE_BREAKING_OR_INVISIBLE = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\p{Cf}\\p{Cs}]';
let lineBreakingOrInvisible: RegExp | undefined;

/**
 * Whether every unit is printable ASCII (or, with `keepLayout`, a newline or tab): nothing to
 * escape. Most text is, and this spares compiling the Unicode classes above (a fraction of a
 * millisecond of a one-file check).
 */
function isPlainAscii(text: string, keepLayout: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) continue;
    if (keepLayout && (unit === 0x0a || unit === 0x09)) continue;
    return false;
  }
  return true;
}

/** A value from outside for one line of output: line breaks, controls and format characters escaped. */
export function oneLine(text: string): string {
  return isPlainAscii(text, false)
    ? text
    : text.replace((lineBreakingOrInvisible ??= new RegExp(LINE_BREAKING_OR_INVISIBLE, 'gu')), escapeCharacter);
}

/** Text whose own newlines and tabs are meant (the program's output): every other control or invisible character escaped. */
export function escapeInvisible(text: string): string {
  return isPlainAscii(text, true) ? text : text.replace((invisible ??= new RegExp(INVISIBLE, 'gu')), escapeCharacter);
}
