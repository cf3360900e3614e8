// The redaction attacked with cases the suite makes itself (fast-check): random passwords through
// random chains of one or two encodings (test/support/secret-views.ts), whole or in pieces, inside
// random server text; and ordinary text with passwords that share its words. The checker that
// looks for the password is not the redaction's own code (see secret-views.ts). A failure prints
// its seed: FC_SEED=<seed> FC_PATH=<path> replays it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MIN_FRAGMENT,
  redactedServerPrefix,
  redactOwnText,
  redactServerText,
  SERVER_TEXT_WITHHELD,
} from '../../../src/core/sectigo/redact';
import {
  applyChain,
  chainArbitrary,
  describeChain,
  findSecret,
  glueArbitrary,
  LEAK_FRAGMENT,
  passwordArbitrary,
  pieceArbitrary,
  propertyOptions,
  serverTextArbitrary,
  strongPasswordArbitrary,
} from '../../support/secret-views';

/** Generated cases per property, per run of the suite. */
const RUNS = { server: 120, excerpt: 60, own: 120, mixed: 40, ordinary: 120, sharedWords: 80 };

const echo = passwordArbitrary.chain((password) =>
  fc.record({
    password: fc.constant(password),
    piece: pieceArbitrary(password),
    chain: chainArbitrary,
    before: serverTextArbitrary,
    glue: glueArbitrary,
    after: serverTextArbitrary,
  }),
);

test('the checker and the redaction agree on what a fragment is', () => {
  assert.equal(LEAK_FRAGMENT, MIN_FRAGMENT);
});

test('server text holding a generated echo of the password, or of a piece of it, is withheld whole', () => {
  fc.assert(
    fc.property(echo, ({ password, piece, chain, before, glue, after }) => {
      const text = `${before}${glue}${applyChain(chain, piece)}${glue}${after}`;
      // The chain can be read back: otherwise the case would prove nothing.
      assert.notDeepEqual(findSecret(text, password, 'fragments'), [], `unreadable: ${describeChain(chain)}`);
      const shown = redactServerText(text, [password]);
      assert.equal(shown, SERVER_TEXT_WITHHELD, `${describeChain(chain)}: ${JSON.stringify(text)}`);
    }),
    propertyOptions(RUNS.server),
  );
});

test('an excerpt cut from server text keeps nothing of a generated echo, whatever the cut', () => {
  fc.assert(
    fc.property(echo, fc.nat({ max: 400 }), ({ password, piece, chain, before, glue, after }, cut) => {
      const text = `${before}${glue}${applyChain(chain, piece)}${glue}${after}`;
      const excerpt = redactedServerPrefix(text, cut, [password]);
      assert.ok(excerpt.length <= cut);
      assert.deepEqual(findSecret(excerpt, password, 'fragments'), [], `${describeChain(chain)}, cut at ${cut}`);
    }),
    propertyOptions(RUNS.excerpt),
  );
});

const separated = fc.constantFrom(' ', '\n', ': ', ' (', '\t');

test('own text loses a generated echo of the whole password in every view, and keeps the text around it', () => {
  fc.assert(
    fc.property(echo, separated, ({ password, chain, before, after }, glue) => {
      const text = `${before}${glue}${applyChain(chain, password)}${glue}${after}`;
      const shown = redactOwnText(text, [password]);
      assert.deepEqual(findSecret(shown, password, 'whole'), [], `${describeChain(chain)}: ${JSON.stringify(shown)}`);
      // The words around it are ours: nothing of them is cut (unless they hold something the
      // redaction removes anyway, such as a URL with credentials).
      if (redactOwnText(before, [password]) === before) assert.ok(shown.startsWith(before), JSON.stringify(shown));
      if (redactOwnText(after, [password]) === after) assert.ok(shown.endsWith(after), JSON.stringify(shown));
    }),
    propertyOptions(RUNS.own),
  );
});

test('several generated echoes in one text, each in its own encodings: own text loses every one', () => {
  fc.assert(
    fc.property(
      passwordArbitrary,
      fc.array(fc.tuple(chainArbitrary, serverTextArbitrary), { minLength: 2, maxLength: 4 }),
      (password, echoes) => {
        const text = echoes.map(([chain, words]) => `${words} ${applyChain(chain, password)}`).join('\n');
        const shown = redactOwnText(text, [password]);
        const chains = echoes.map(([chain]) => describeChain(chain)).join(' | ');
        assert.deepEqual(findSecret(shown, password, 'whole'), [], `${chains}: ${JSON.stringify(shown)}`);
        assert.equal(redactServerText(text, [password]), SERVER_TEXT_WITHHELD, chains);
      },
    ),
    propertyOptions(RUNS.mixed),
  );
});

/** Ordinary text: prose, numbers, identifiers, words that are hex or base64 by chance. */
const PROSE = [
  'The certificate has already been revoked',
  'Incorrect login details',
  'order 1000001 was replaced by 1000002',
  'deadbeef cafe babe face fade',
  'serial 0A:1B:2C:3D:4E:5F:60:71',
  'aGVsbG8gd29ybGQ= is base64',
  'https://secure.trust-provider.com/products/!AutoRevokeSSL',
  '2026-03-01T10:00:00.000Z',
  'Straße, Ärger, naïve café, 東京',
  'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  '%20 &amp; \\n + = & %',
  'loginName: demo; reason: keyCompromise',
];

const ordinaryText = fc
  .array(fc.oneof(fc.constantFrom(...PROSE), fc.string({ unit: 'grapheme', maxLength: 20 })), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(' '));

test('ordinary text is neither withheld nor cut when it holds no piece of the password', () => {
  fc.assert(
    fc.property(ordinaryText, strongPasswordArbitrary, (text, password) => {
      fc.pre(findSecret(text, password, 'fragments').length === 0);
      assert.equal(redactServerText(text, [password]), text);
      assert.equal(redactOwnText(text, [password]), text);
    }),
    propertyOptions(RUNS.ordinary),
  );
});

test('own text keeps words that the password is made of, read in every view, when the password is not there whole', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PROSE.flatMap((line) => line.split(' ')).filter((word) => word.length >= 3)), {
        minLength: 2,
        maxLength: 3,
      }),
      fc.constantFrom('', '-', '!', '2026'),
      ordinaryText,
      (words, joint, text) => {
        const password = words.join(joint);
        const own = `${text} ${words.join(' ... ')}`;
        fc.pre(findSecret(own, password, 'whole').length === 0);
        assert.equal(redactOwnText(own, [password]), own);
      },
    ),
    propertyOptions(RUNS.sharedWords),
  );
});

test('found by the generated tests: a dump read from a dump’s characters column is read to its end when a line that is no dump follows', () => {
  // FC_SEED=-1635541256: the password's bytes as a 16-bit word dump, that dump's text as a
  // `hexdump -C`, then an empty line. The characters column, read as a dump, ended in a break of
  // the view that the dump reader did not take for a line end, so the column kept the password.
  const password = '  !"';
  const dump =
    '00000000  00 00 00 00 00 0a 30 30  30 30 30 30 30 20 32 30  |......0000000 20|\n' +
    '00000010  32 30 20 32 32 32 31 0a                           |20 2221.|';
  for (const text of [dump, `${dump}\n`, `${dump}\n\nmore words`, ` \n${dump}\n\n %20%20!%22`]) {
    assert.ok(findSecret(text, password, 'whole').length > 0, 'the checker reads the password in the dump');
    const shown = redactOwnText(text, [password]);
    assert.deepEqual(findSecret(shown, password, 'whole'), [], JSON.stringify(shown));
    assert.equal(redactServerText(text, [password]), SERVER_TEXT_WITHHELD);
  }
});

test('found by the generated tests: an `xxd` characters column that starts with hex and ends in spaces is no data', () => {
  // FC_SEED=-415888290: the password in UTF-16BE as a `hexdump -C`, that dump's text as an `xxd`.
  // A line of the xxd whose characters column was "00" and spaces read as a ninth group "00" and
  // no column; the byte it added fell inside the inner dump's line and split the password there.
  const password = 'pässwörd';
  const xxd = [
    '',
    '00000000: 0000 0000 0000 000a 3030 3030 3030 3030  ........00000000',
    '00000010: 2020 3030 2030 3020 3030 2030 3020 3730    00 00 00 00 70',
    '00000020: 2030 3020 6534 2030 3020 2037 3320 3030   00 e4 00  73 00',
    '00000030: 2037 3320 3030 2037 3720 3030 2066 3620   73 00 77 00 f6 ',
    '00000040: 3030 2020 7c2e 2e2e 2e70 2e2e 2e73 2e73  00  |....p...s.s',
    '00000050: 2e77 2e2e 2e7c 0a30 3030 3030 3031 3020  .w...|.00000010 ',
    '00000060: 2037 3220 3030 2036 3420 3030 2030 3020   72 00 64 00 00 ',
    '00000070: 3030 2020 2020 2020 2020 2020 2020 2020  00              ',
    '00000080: 2020 2020 2020 2020 2020 2020 2020 2020                  ',
    '00000090: 2020 207c 722e 642e 2e2e 7c0a               |r.d...|.',
    '',
  ].join('\n');
  for (const text of [xxd, ` ${xxd}`, `${xxd}\nmore words`]) {
    assert.ok(findSecret(text, password, 'whole').length > 0, 'the checker reads the password in the dump');
    const shown = redactOwnText(text, [password]);
    assert.deepEqual(findSecret(shown, password, 'whole'), [], JSON.stringify(shown));
    assert.equal(redactServerText(text, [password]), SERVER_TEXT_WITHHELD);
  }
});

test('found by the generated tests: a mark after a password whose last mark composes keeps its own place', () => {
  // FC_SEED=-1648896318: "été" in NFD (each é an e and U+0301) in hex, then "deadbeef" (de ad is
  // the mark U+07AD). Composing e, U+0301 and U+07AD made one cluster "é" + U+07AD whose places
  // ran to the end of "dead", so the redaction took "dead" with the password.
  for (const password of ['été'.normalize('NFD'), 'Ḕ𑌇ḓѐ'.normalize('NFD')]) {
    const hex = Buffer.from(password, 'utf8').toString('hex');
    for (const after of ['deadbeef', 'cc80beef', 'dead']) {
      const text = ` ${hex} ${after}`;
      assert.ok(findSecret(text, password, 'whole').length > 0, 'the checker reads the password in the hex');
      const shown = redactOwnText(text, [password]);
      assert.deepEqual(findSecret(shown, password, 'whole'), [], JSON.stringify(shown));
      assert.ok(shown.endsWith(` ${after}`), JSON.stringify(shown));
    }
  }
});

test('found by the generated tests: a password holding U+FFFD is read from its percent-encoded UTF-8', () => {
  // FC_SEED=1181395941: " \uFFFD !" form-encoded, then written as UTF-16 read as Latin-1. The
  // percent decoder took the U+FFFD that EF BF BD decodes to for a sign of invalid bytes, so the
  // two decodings together never read the password.
  for (const password of [' \uFFFD !', 'a\uFFFDbc\uFFFD']) {
    const form = encodeURIComponent(password).replace(/%20/g, '+');
    for (const text of [form, Buffer.from(form, 'utf16le').toString('latin1'), `error: ${form}`]) {
      assert.ok(
        findSecret(text, password, 'fragments').length > 0,
        `the checker reads the password in ${JSON.stringify(text)}`,
      );
      assert.equal(redactServerText(text, [password]), SERVER_TEXT_WITHHELD, JSON.stringify(text));
      assert.deepEqual(findSecret(redactOwnText(text, [password]), password, 'whole'), [], JSON.stringify(text));
    }
  }
  // Invalid bytes still stand for themselves: no U+FFFD is read where there was none.
  assert.equal(redactServerText('%EF%BF', [' \uFFFD !']), '%EF%BF');
});

test('found by the generated tests: hex beside 16-bit words is not read byte-swapped with them', () => {
  // FC_SEED=1990779175: the password in UTF-16LE hex after "cafe babe" and before "1000001". The
  // words made the whole run read byte-swapped too; there, at the odd alignment, each character
  // of the password straddled two words, so its last one took "1000" with it.
  const password = 'Z.Z!~~</?"@~_=a?';
  const hex = Buffer.from(password, 'utf16le').toString('hex');
  for (const [before, after] of [
    ['cafe babe', '1000001'],
    ['Invalid value 1000001 cafe babe', '1000001'],
    ['cafe', 'babe'],
  ]) {
    const text = `${before} ${hex} ${after}`;
    const shown = redactOwnText(text, [password]);
    assert.deepEqual(findSecret(shown, password, 'whole'), [], JSON.stringify(shown));
    assert.equal(shown, `${before} [redacted] ${after}`);
  }
  // A run of words alone is still read swapped: UTF-16LE shown as little-endian words.
  const words = (Buffer.from('pass-word', 'utf16le').toString('hex').match(/..../g) ?? [])
    .map((word) => word.slice(2) + word.slice(0, 2))
    .join(' ');
  assert.ok(findSecret(words, 'pass-word', 'whole').length > 0, 'the checker reads the words');
  assert.deepEqual(findSecret(redactOwnText(`dump: ${words}`, ['pass-word']), 'pass-word', 'whole'), []);
});

test('found by the generated tests: a combining mark after the password, in the same hex run, is not taken with it', () => {
  // FC_SEED=1549680181: the password's UTF-8 in hex, then hex digits that decode to a combining mark
  // (de ad is U+07AD). Its folded form kept the mark in one cluster with the password's last
  // character, so the redaction took the mark's digits (and the space before them) too.
  const password = '\f\u0013\u{10B425}\t\u{5FFB2}\u{BFB17}';
  const hex = Array.from(new TextEncoder().encode(password), (byte) => byte.toString(16).padStart(2, '0')).join('');
  for (const after of ['deadbeef', 'cc80beef', 'cc81']) {
    const text = ` ${hex} ${after}`;
    const shown = redactOwnText(text, [password]);
    assert.deepEqual(findSecret(shown, password, 'whole'), [], JSON.stringify(shown));
    assert.ok(shown.endsWith(` ${after}`), JSON.stringify(shown));
  }
});
