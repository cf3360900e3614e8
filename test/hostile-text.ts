// Hostile strings for the sinks' generated tests (fast-check): every syntax a surface could read
// into something else, in random pieces and orders, and the reading back of what a sink escaped.
import fc from 'fast-check';

/** Pieces of syntax each surface parses: links of every kind, HTML, icons, workflow commands, escapes. */
export const HOSTILE_PIECES: readonly string[] = [
  // VS Code's notification links (parseLinkedText) and Markdown links of every form.
  '[Open the report](command:workbench.action.openSettingsJson)',
  '[x](https://evil.example/a "title")',
  "[x](file:///etc/passwd 'title')",
  '[x](HTTPS://EVIL.EXAMPLE)',
  '[x]( command:y "t")',
  '](command:x)',
  '[',
  ']',
  '(',
  ')',
  '](',
  '![img](https://evil.example/x.png)',
  '[r]\n\n[r]: command:x',
  '[x][r]',
  '<https://evil.example/>',
  '<command:workbench.action.terminal.new>',
  '<alice@evil.example>',
  // What a linkifier or a GFM autolink reads.
  'https://evil.example/path?q=1',
  'http://',
  'www.evil-site.com',
  'alice@evil.example',
  'mailto:alice@evil.example',
  'command:workbench.action.terminal.new',
  'file:',
  '//evil.example',
  // HTML and entities.
  '<img src=x onerror=alert(1)>',
  '<a href="command:x">x</a>',
  '<!-- c -->',
  '&lt;',
  '&#91;',
  '&#x5d;',
  '&amp;',
  // Markdown's own punctuation.
  '`',
  '``',
  '*',
  '_',
  '|',
  '#',
  '> ',
  '- ',
  '    ',
  '\\',
  '\\n',
  '\\u202e',
  '\\x1b',
  '\\\\',
  // Theme icons, escaped or not.
  '$(zap)',
  '\\$(zap)',
  '$(',
  '$(x~spin)',
  // Workflow and logging commands, forged log lines.
  '::error title=Forged::every certificate was revoked',
  '::stop-commands::token',
  '##vso[task.setvariable variable=x]y',
  '##[error]',
  '[error] ',
  'sectigo-csr revoke: Revoked the certificate with order 1.',
  // Line breaks of every kind, controls, format and bidi characters.
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u000b',
  '\f',
  '\t',
  '\u0000',
  '\u001b[2K',
  '\u001b]0;pwned\u0007',
  '\u007f',
  '\u009b',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u{e0041}',
  '\ud800',
  '\udc00',
  '😀',
  'é',
  'e\u0301',
  ' ',
  '',
];

/** A hostile string: pieces of syntax and random text, in any order. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) }, fc.string({ unit: 'binary', maxLength: 8 })),
    {
      maxLength: 12,
    },
  )
  .map((pieces) => pieces.join(''));

/** A very long hostile string (1 MiB or more): a piece repeated past the bound of every surface. */
export const hugeHostileString: fc.Arbitrary<string> = fc
  .tuple(
    hostileString.filter((piece) => piece.length > 0),
    fc.constantFrom(...HOSTILE_PIECES),
  )
  .map(([piece, tail]) => `${piece.repeat(Math.ceil((1024 * 1024) / piece.length))}${tail}`);

/**
 * The value an escape of oneLine (src/core/one-line.ts) stood for, read back: \n \r \t, \xNN,
 * \uXXXX; any other backslash is itself. A reader (or a person) can do this; it gives back the
 * value exactly when the value held no backslash of its own.
 */
export function readOneLine(shown: string): string {
  let value = '';
  for (let i = 0; i < shown.length; i++) {
    const character = shown[i] as string;
    if (character !== '\\') {
      value += character;
      continue;
    }
    const next = shown[i + 1];
    if (next === 'n' || next === 'r' || next === 't') {
      value += next === 'n' ? '\n' : next === 'r' ? '\r' : '\t';
      i++;
    } else if (next === 'x' && /^[0-9a-f]{2}$/.test(shown.slice(i + 2, i + 4))) {
      value += String.fromCharCode(parseInt(shown.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (next === 'u' && /^[0-9a-f]{4}$/.test(shown.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(shown.slice(i + 2, i + 6), 16));
      i += 5;
    } else value += '\\';
  }
  return value;
}

/** Characters no sink may let through raw: controls (but the program's own line breaks), format, separators, lone surrogates. */
export const RAW_INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Cs}]/u;

/**
 * The seed of this run (SECTIGO_FC_SEED replays one) and the number of runs: fixed, so the
 * plain-Node suite keeps its minute; SECTIGO_FC_RUNS multiplies it for a longer hunt by hand.
 */
export function propertyRun(runs: number): { seed: number; numRuns: number; path?: string } {
  const given = process.env.SECTIGO_FC_SEED;
  const seed = given === undefined ? (Date.now() ^ (process.pid << 8)) | 0 : Number(given);
  const factor = Math.max(1, Math.floor(Number(process.env.SECTIGO_FC_RUNS ?? '1')) || 1);
  // SECTIGO_FC_PATH with the seed replays exactly the failing case fast-check reported.
  const path = process.env.SECTIGO_FC_PATH;
  return { seed, numRuns: runs * factor, ...(path !== undefined && { path }) };
}
