// The one redaction point against every way an echo can carry a password: each
// encoding, twice encoded, base64 at each alignment, in pieces, and across the
// cut of an excerpt; and ordinary text, and the program's own wording, left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  REDACTED,
  redactedServerPrefix,
  redactOwnText,
  redactServerText,
  SERVER_TEXT_WITHHELD,
  urlSecrets,
} from '../../../src/core/sectigo/redact';
import { encodings, findLeaks } from '../../fake-sectigo/leaks';
import { walkViews } from '../../../src/core/sectigo/decoded-views';

const PASSWORD = 'Sp ace&amp+%41<"ä€😀Zz9';

test('each encoding of the whole password is removed from own text, and the text around it kept', () => {
  for (const [name, encoded] of encodings(PASSWORD)) {
    const safe = redactOwnText(`before ${encoded} after`, [PASSWORD]);
    assert.deepEqual(findLeaks(safe, PASSWORD), [], `${name}: ${safe}`);
    assert.match(safe, /^before .*\[redacted\].* after$/s, name);
  }
});

test('server text holding any encoding of any piece of the password is withheld whole', () => {
  const characters = Array.from(PASSWORD);
  for (let start = 0; start + 6 <= characters.length; start++) {
    const piece = characters.slice(start, start + 6).join('');
    for (const [name, encoded] of [...encodings(PASSWORD), ...encodings(piece)]) {
      assert.equal(
        redactServerText(`before ${encoded} after`, [PASSWORD]),
        SERVER_TEXT_WITHHELD,
        `${name} of ${JSON.stringify(piece)}`,
      );
    }
  }
});

// Passwords sharing six or more characters with words the program prints.
const OWN_WORDING: Array<[string, string]> = [
  [
    'demo-password-2026',
    JSON.stringify({ request: { parameters: { loginName: 'demo', loginPassword: REDACTED } } }, null, 2),
  ],
  ['MySectigoAnswered!', 'sectigo-csr revoke: Sectigo answered -16: Incorrect login details.'],
  ['xx-csr revoke-yy', 'sectigo-csr revoke: Sectigo answered -16.'],
  ['my certificate 1', 'The certificate of order 1 was revoked.'],
];

test('own wording that shares letters with the password stays intact (and --json stays valid JSON)', () => {
  for (const [password, text] of OWN_WORDING) {
    assert.equal(redactOwnText(text, [password]), text, password);
    if (text.startsWith('{')) JSON.parse(redactOwnText(text, [password]));
    // The whole password is still removed from the same text.
    assert.equal(redactOwnText(`${text} ${encodeURIComponent(password)}`, [password]), `${text} ${REDACTED}`, password);
  }
});

test('server text echoing a fragment of such a password is withheld, and ours around it kept', () => {
  for (const [password] of OWN_WORDING) {
    const fragment = password.slice(3, 9);
    const server = redactServerText(`Login refused for ${fragment}…`, [password]);
    assert.equal(server, SERVER_TEXT_WITHHELD, password);
    const printed = redactOwnText(`sectigo-csr revoke: Sectigo answered -16: ${server}`, [password]);
    // Exactly our words and the notice: nothing of the server's text (nor its fragment) is left.
    assert.equal(printed, `sectigo-csr revoke: Sectigo answered -16: ${SERVER_TEXT_WITHHELD}`);
  }
  // Server text with no piece of the password is kept.
  assert.equal(redactServerText('Incorrect login details.', ['MySectigoAnswered!']), 'Incorrect login details.');
});

test('encodings mixed within one echo, and twice-encoded, are removed', () => {
  const mixed = `${encodeURIComponent(PASSWORD.slice(0, 8)).toLowerCase()}${PASSWORD.slice(8, 12)}${JSON.stringify(PASSWORD.slice(12)).slice(1, -1)}`;
  for (const text of [
    mixed,
    `&amp;quot;${encodeURIComponent(encodeURIComponent(PASSWORD))}`,
    PASSWORD.replace(/&/g, '&amp;amp;'),
  ]) {
    assert.equal(redactServerText(text, [PASSWORD]), SERVER_TEXT_WITHHELD, text);
    // Only an echo mixes encodings; the whole password twice encoded is still removed from any text.
    if (text !== mixed) assert.deepEqual(findLeaks(redactOwnText(text, [PASSWORD]), PASSWORD), [], text);
  }
});

test('base64 at each byte alignment, wrapped or base64url, is removed', () => {
  for (const prefix of ['', 'a', 'ab', 'abc']) {
    const encoded = Buffer.from(`${prefix}${PASSWORD}tail`).toString('base64');
    for (const text of [
      encoded,
      encoded.replace(/.{10}/g, '$&\r\n'),
      Buffer.from(`${prefix}${PASSWORD}`).toString('base64url'),
    ]) {
      const safe = redactOwnText(`x ${text} y`, [PASSWORD]);
      assert.deepEqual(findLeaks(safe.replace(/\r\n/g, ''), PASSWORD), [], `${prefix}: ${safe}`);
      assert.ok(safe.includes(REDACTED), text);
      assert.equal(redactServerText(`x ${text} y`, [PASSWORD]), SERVER_TEXT_WITHHELD, text);
    }
  }
});

test('an excerpt is redacted before it is cut: no piece of a password crossing the cut survives', () => {
  for (let padding = 280; padding < 300; padding++) {
    const body = `${'.'.repeat(padding)}${encodeURIComponent(PASSWORD)}`;
    const excerpt = redactedServerPrefix(body, 300, [PASSWORD]);
    assert.ok(excerpt.length <= 300);
    // Nothing of the password: not even the first characters, which alone would be too short to count as a fragment.
    assert.doesNotMatch(excerpt, /Sp/, `${padding}: ${excerpt.slice(padding - 5)}`);
  }
});

test('a form body keeps nothing after loginPassword= up to the next &, spaces included', () => {
  for (const redact of [redactOwnText, redactServerText]) {
    assert.equal(redact('loginPassword=two words&x=1'), 'loginPassword=[redacted]&x=1');
    assert.equal(redact('proxy http://me:two words@proxy:3128 failed'), 'proxy http://[redacted]@proxy:3128 failed');
  }
});

test("a URL's credentials become secrets, raw and decoded", () => {
  assert.deepEqual(urlSecrets('http://me:pa%20ss@proxy:3128').sort(), ['me:pa ss', 'me:pa%20ss', 'pa ss', 'pa%20ss']);
  assert.deepEqual(urlSecrets('http://me:pa ss@proxy host:3128'), ['me:pa ss', 'pa ss']);
  assert.deepEqual(urlSecrets('http://proxy:3128'), []);
});

test('ordinary text is left as it is', () => {
  const text =
    'Sectigo answered -16: Incorrect login details, account is locked. <b>&amp;</b> 100% + \\n aGVsbG8gd29ybGQ=';
  for (const redact of [redactOwnText, redactServerText]) {
    assert.equal(redact(text, [PASSWORD]), text);
    assert.equal(redact(text, ['h0rse-battery-staple']), text);
  }
});

test('a byte-order mark or a lone surrogate before an encoded password does not shift what is removed', () => {
  for (const prefix of ['\uFEFF', '\uD800', '\uFEFF%41']) {
    const text = `${prefix}${encodeURIComponent(PASSWORD)} end`;
    assert.equal(redactOwnText(text, [PASSWORD]), `${prefix}${REDACTED} end`);
  }
});

// The issue's echoes, each as server text (withheld) and as own text (the password removed, the rest kept).
const ISSUE_PASSWORD = 'Tr0ub4dor&3-pässwörd';
function hexDump(bytes: Buffer, style: 'C' | 'xxd'): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const chars = [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    const hex = row.toString('hex');
    const at = offset.toString(16).padStart(8, '0');
    lines.push(
      style === 'C'
        ? `${at}  ${(hex.match(/../g) ?? []).join(' ').padEnd(47)}  |${chars}|`
        : `${at}: ${(hex.match(/.{1,4}/g) ?? []).join(' ').padEnd(39)}  ${chars}`,
    );
  }
  return lines.join('\n');
}

test("the issue's echoes: hex, hex dumps, base64 of UTF-16LE, UTF-8 read as Latin-1, NFD", () => {
  const utf8 = Buffer.from(ISSUE_PASSWORD);
  const body = Buffer.from(`loginName=demo&loginPassword=${ISSUE_PASSWORD}&orderNumber=1`);
  for (const echo of [
    `Invalid value (hex ${utf8.toString('hex')})`,
    `Invalid value (hex ${utf8.toString('hex').toUpperCase().replace(/../g, '$&:').slice(0, -1)})`,
    `Request dump:\n${hexDump(body, 'C')}\n`,
    `Request dump:\n${hexDump(body, 'xxd')}\n`,
    `Login ${Buffer.from(ISSUE_PASSWORD, 'utf16le').toString('base64')} refused`,
    `Login ${utf8.toString('latin1')} refused`,
    `Login ${new TextDecoder('windows-1252').decode(utf8)} refused`,
    `Login ${ISSUE_PASSWORD.normalize('NFD')} refused`,
    `Login ${ISSUE_PASSWORD.toUpperCase().normalize('NFD')} refused`,
  ]) {
    assert.equal(redactServerText(echo, [ISSUE_PASSWORD]), SERVER_TEXT_WITHHELD, echo);
    const own = redactOwnText(echo, [ISSUE_PASSWORD]);
    assert.ok(own.includes(REDACTED), own);
    assert.match(own, /^(Invalid value|Request dump|Login)/);
    // Nothing of it left in any form the old search knew, either.
    assert.deepEqual(findLeaks(own.replace(/\s/g, ''), ISSUE_PASSWORD.slice(0, 9)), [], own);
  }
});

test('a long text is searched whole: an echo at its very end, or across the border of two search windows, is found', () => {
  const echo = Buffer.from(ISSUE_PASSWORD, 'utf16le').toString('base64');
  for (const at of [0, 65_536 - 20, 65_536 - 3, 130_000, 1024 * 1024 - echo.length]) {
    const text = `${'.'.repeat(at)}${echo}${'.'.repeat(Math.max(0, 1024 * 1024 - at - echo.length))}`;
    assert.equal(redactServerText(text, [ISSUE_PASSWORD]), SERVER_TEXT_WITHHELD, `at ${at}`);
    const own = redactOwnText(text, [ISSUE_PASSWORD]);
    assert.equal(own, `${'.'.repeat(at)}${REDACTED}${own.slice(at + REDACTED.length)}`, `at ${at}`);
    assert.ok(!own.includes(echo.slice(4, 20)), `at ${at}`);
  }
});

test('the views stop at their budget and say so (server text is then withheld rather than shown unsearched)', () => {
  const options = { margin: 400, minUnits: 4, highBytes: new Uint8Array(256).fill(1), characters: new Set<number>() };
  const text = Buffer.from('a'.repeat(2000)).toString('hex');
  let seen = 0;
  assert.equal(
    walkViews(text, 2, text.length * 2, options, () => (seen++, false)),
    'over-budget',
  );
  assert.ok(seen >= 1);
  assert.equal(
    walkViews(text, 2, text.length * 100, options, () => false),
    'done',
  );
});

test('six characters as typed that fold shorter (A and a combining grave are one À) are found in their folded form', () => {
  // Found by the generated tests (seed 1957880603): the echo is NFC of the first six characters typed,
  // in a hex dump; the whole password folds to six characters that the echo does not hold.
  const password = 'A\u0300\uF900    ';
  const echoed = Buffer.from(Array.from(password).slice(0, 6).join('').normalize('NFC'), 'utf8');
  const dump = `00000000  ${[...echoed].map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}`;
  assert.equal(redactServerText(`Bad value:\n${dump}\n`, [password]), SERVER_TEXT_WITHHELD);
  // Six jamo of NFD Hangul as typed are two syllables echoed in NFC.
  const hangul = '\u1112\u1161\u11AB\u1100\u116E\u11A8xyz';
  assert.equal(redactServerText(`name ${'한국'} taken`, [hangul]), SERVER_TEXT_WITHHELD);
  assert.equal(redactServerText('nothing of it here', [hangul]), 'nothing of it here');
});
