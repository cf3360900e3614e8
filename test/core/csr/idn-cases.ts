// The IDN cases idn.test.ts checks in Node and test/ui/browser-analysis.test.ts in Chromium. Not
// among them: a right-to-left label that breaks IDNA's bidi rule (RFC 5893), such as Arabic-Indic
// digits alone ("١٢٣"), which Chromium's parser refuses and Node's (ada) encodes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Domains and the A-labels of RFC 3492's method, as IDNA 2008 with UTS #46 writes them. */
export const IDN_CASES: ReadonlyArray<[domain: string, ascii: string | null]> = [
  ['bücher.example', 'xn--bcher-kva.example'],
  ['MÜNCHEN.de', 'xn--mnchen-3ya.de'],
  ['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
  ['*.bücher.example', '*.xn--bcher-kva.example'],
  ['ß.de', 'xn--zca.de'],
  ['ς.gr', 'xn--3xa.gr'],
  ['مثال.example', 'xn--mgbh0fb.example'],
  ['עברית.example', 'xn--5dbqzzl.example'],
  // ASCII labels stay as written, an A-label too (browsers and Node judge those differently).
  ['xn--zz.Bücher.EXAMPLE', 'xn--zz.xn--bcher-kva.EXAMPLE'],
  // Compatibility forms map to what they stand for (the old encoder wrote their own A-labels).
  ['ＥＸＡＭＰＬＥ.com', 'example.com'],
  ['Ⅻ.example', 'xii.example'],
  // Refused by IDNA: a joiner with no script to join, a replacement character.
  ['ü\u200d.example', null],
  ['\ufffd.example', null],
  // A URL would read these as something else than a host (a path, userinfo, a port, an escape).
  ['bü/cher.example', null],
  ['bü@x.example', null],
  ['bü:80.example', null],
  ['bü%41.example', null],
  ['bü cher.example', null],
  ['', null],
];

/** The fixture with "bücher" in its DNS name and e-mail address replaced, byte for byte. */
export function idnFixture(replacement: string): Uint8Array {
  const pem = readFileSync(join(__dirname, '..', '..', 'fixtures', 'csr', 'tolerated-idn-in-ia5.csr'), 'latin1');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const from = Buffer.from('bücher');
  const to = Buffer.from(replacement);
  assert.equal(to.length, from.length);
  let at = der.indexOf(from);
  assert.ok(at > 0);
  for (; at >= 0; at = der.indexOf(from, at + 1)) to.copy(der, at);
  return der;
}
