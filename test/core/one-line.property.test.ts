// oneLine and escapeInvisible skip their Unicode classes for plain ASCII text (one-line.ts,
// isPlainAscii): generated text, mostly ASCII with any character among it, gets the same answer
// as the classes applied to every text. FC_SEED=<seed> FC_PATH=<path> replays a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeInvisible, oneLine } from '../../src/core/one-line';
import { propertyOptions } from '../support/secret-views';

// The classes as the module documents them, applied without a shortcut.
const lineBreakingOrInvisible = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Cs}]/gu;
const invisible = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Cs}]/gu;
const escapeEach = (text: string, pattern: RegExp): string[] => Array.from(text.matchAll(pattern), (match) => match[0]);

test('the plain-ASCII shortcut escapes exactly what the classes match', () => {
  const character = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '\n',
        '\t',
        '\r',
        '\u0000',
        '\u007f',
        '\u0085',
        '\u200b',
        '\u2028',
        '\ud800',
        '\ufeff',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  );
  fc.assert(
    fc.property(fc.array(character, { maxLength: 60 }), (characters) => {
      const text = characters.join('');
      const once = oneLine(text);
      const kept = escapeInvisible(text);
      // Unchanged exactly when the class matches nothing; otherwise no matched character is left.
      assert.equal(once === text, escapeEach(text, lineBreakingOrInvisible).length === 0, JSON.stringify(text));
      assert.equal(kept === text, escapeEach(text, invisible).length === 0, JSON.stringify(text));
      assert.equal(escapeEach(once, lineBreakingOrInvisible).length, 0);
      assert.equal(escapeEach(kept, invisible).length, 0);
    }),
    propertyOptions(3000),
  );
});
