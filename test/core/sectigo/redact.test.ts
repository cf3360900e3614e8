// The one redaction point against every way an echo can carry a password: each
// encoding, twice encoded, base64 at each alignment, in pieces, and across the
// cut of an excerpt; and ordinary text left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactedPrefix, redactText, urlSecrets } from '../../../src/core/sectigo/redact';
import { encodings, findLeaks } from '../../fake-sectigo/leaks';

const PASSWORD = 'Sp ace&amp+%41<"ä€😀Zz9';

test('each encoding of the whole password, and of every piece of it, is removed', () => {
  const characters = Array.from(PASSWORD);
  for (let start = 0; start + 6 <= characters.length; start++) {
    const piece = characters.slice(start, start + 6).join('');
    for (const [name, encoded] of [...encodings(PASSWORD), ...encodings(piece)]) {
      const safe = redactText(`before ${encoded} after`, [PASSWORD]);
      assert.deepEqual(findLeaks(safe, PASSWORD), [], `${name} of ${JSON.stringify(piece)}: ${safe}`);
      assert.match(safe, /^before.*after$/s, name);
    }
  }
});

test('encodings mixed within one echo, and twice-encoded, are removed', () => {
  const mixed = `${encodeURIComponent(PASSWORD.slice(0, 8)).toLowerCase()}${PASSWORD.slice(8, 12)}${JSON.stringify(PASSWORD.slice(12)).slice(1, -1)}`;
  for (const text of [mixed, `&amp;quot;${encodeURIComponent(encodeURIComponent(PASSWORD))}`, PASSWORD.replace(/&/g, '&amp;amp;')]) {
    assert.deepEqual(findLeaks(redactText(text, [PASSWORD]), PASSWORD), [], text);
  }
});

test('base64 at each byte alignment, wrapped or base64url, is removed', () => {
  for (const prefix of ['', 'a', 'ab', 'abc']) {
    const encoded = Buffer.from(`${prefix}${PASSWORD}tail`).toString('base64');
    for (const text of [encoded, encoded.replace(/.{10}/g, '$&\r\n'), Buffer.from(`${prefix}${PASSWORD}`).toString('base64url')]) {
      const safe = redactText(`x ${text} y`, [PASSWORD]);
      assert.deepEqual(findLeaks(safe.replace(/\r\n/g, ''), PASSWORD), [], `${prefix}: ${safe}`);
      assert.ok(safe.includes(REDACTED), text);
    }
  }
});

test('an excerpt is redacted before it is cut: no piece of a password crossing the cut survives', () => {
  for (let padding = 280; padding < 300; padding++) {
    const body = `${'.'.repeat(padding)}${encodeURIComponent(PASSWORD)}`;
    const excerpt = redactedPrefix(body, 300, [PASSWORD]);
    assert.ok(excerpt.length <= 300);
    // Nothing of the password: not even the first characters, which alone would be too short to count as a fragment.
    assert.doesNotMatch(excerpt, /Sp/, `${padding}: ${excerpt.slice(padding - 5)}`);
  }
});

test('a form body keeps nothing after loginPassword= up to the next &, spaces included', () => {
  assert.equal(redactText('loginPassword=two words&x=1'), 'loginPassword=[redacted]&x=1');
  assert.equal(redactText('proxy http://me:two words@proxy:3128 failed'), 'proxy http://[redacted]@proxy:3128 failed');
});

test('a URL\'s credentials become secrets, raw and decoded', () => {
  assert.deepEqual(urlSecrets('http://me:pa%20ss@proxy:3128').sort(), ['me:pa ss', 'me:pa%20ss', 'pa ss', 'pa%20ss']);
  assert.deepEqual(urlSecrets('http://me:pa ss@proxy host:3128'), ['me:pa ss', 'pa ss']);
  assert.deepEqual(urlSecrets('http://proxy:3128'), []);
});

test('ordinary text is left as it is', () => {
  const text = 'Sectigo answered -16: Incorrect login details, account is locked. <b>&amp;</b> 100% + \\n aGVsbG8gd29ybGQ=';
  assert.equal(redactText(text, [PASSWORD]), text);
  assert.equal(redactText(text, ['h0rse-battery-staple']), text);
});

test('a byte-order mark or a lone surrogate before an encoded password does not shift what is removed', () => {
  for (const prefix of ['\uFEFF', '\uD800', '\uFEFF%41']) {
    const text = `${prefix}${encodeURIComponent(PASSWORD)} end`;
    assert.equal(redactText(text, [PASSWORD]), `${prefix}${REDACTED} end`);
  }
});
