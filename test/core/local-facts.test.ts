// Small facts core defines once for every surface: the local id generator, the DER-or-text
// decision on a file's bytes and the request's PEM header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newLocalId } from '../../src/core/local-id';
import { isDerBytes } from '../../src/core/der-or-text';
import { REQUEST_LABELS, hasRequestHeader } from '../../src/core/pem-labels';
import { findRequests } from '../../src/core/csr/input';

test('local ids have one shape, sort by the time they were made and do not repeat', async () => {
  const ids = Array.from({ length: 20_000 }, newLocalId);
  for (const id of ids.slice(0, 100)) assert.match(id, /^[0-9a-z]{8,}-[0-9a-z]{8}$/);
  assert.equal(new Set(ids).size, ids.length);
  const first = newLocalId();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const later = newLocalId();
  assert.ok((later.split('-')[0] as string) > (first.split('-')[0] as string), `${later} not after ${first}`);
});

test('DER is told from text that begins with "0", in any encoding of letters', () => {
  const fixtures = join(__dirname, '..', 'fixtures', 'csr');
  const pem = readFileSync(join(fixtures, 'dsa-2048.csr'));
  const der = Buffer.from(
    pem
      .toString('latin1')
      .replace(/-----[^-]+-----/g, '')
      .replace(/\s/g, ''),
    'base64',
  );
  assert.equal(isDerBytes(der), true);
  assert.equal(isDerBytes(der.subarray(0, 12)), true, 'a cut-short DER is still DER');
  assert.equal(isDerBytes(pem), false);
  assert.equal(isDerBytes(Buffer.from('0 Köln, Zürich\r\n\tnotes\f')), false, 'UTF-8 text beginning with 0');
  assert.equal(isDerBytes(Buffer.from('0\u0000binary')), true);
  assert.equal(isDerBytes(Buffer.from('MIIB')), false);
  assert.equal(isDerBytes(new Uint8Array(0)), false);
});

test('a request header is a BEGIN line with one of the two request labels, as the analysis reads blocks', () => {
  const body = readFileSync(join(__dirname, '..', 'fixtures', 'csr', 'dsa-2048.csr'), 'latin1')
    .replace(/-----[^-]+-----/g, '')
    .trim();
  const armoured = (begin: string, end = begin): string => `-----BEGIN ${begin}-----\n${body}\n-----END ${end}-----\n`;
  const cases: Array<[text: string, isRequest: boolean]> = [
    [armoured('CERTIFICATE REQUEST'), true],
    [armoured('NEW CERTIFICATE REQUEST'), true],
    [`notes first\n${armoured('CERTIFICATE REQUEST')}`, true],
    // What the old, laxer /CERTIFICATE REQUEST-----/ of the replace command also took:
    [armoured('X509 CERTIFICATE REQUEST'), false],
    [`${body}\n-----END CERTIFICATE REQUEST-----\n`, false],
    ['see the attached -----END CERTIFICATE REQUEST----- line', false],
  ];
  for (const [text, isRequest] of cases) {
    assert.equal(hasRequestHeader(text), isRequest, text.slice(0, 60));
    assert.equal(/CERTIFICATE REQUEST-----/.test(text), true, 'the laxer pattern took every case');
    // The header says a request exactly when the analysis finds a request block in the text.
    const found = findRequests(text).some((block) => block.kind === 'request');
    assert.equal(found, isRequest, text.slice(0, 60));
  }
});

test("package.json's firstLine and the grammar spell the request labels core reads", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { languages: Array<{ id: string; firstLine?: string }> };
  };
  const firstLine = new RegExp(
    manifest.contributes.languages.find((language) => language.id === 'pkcs10')?.firstLine ?? '$^',
  );
  const grammar = JSON.parse(readFileSync(join(__dirname, '..', '..', 'syntaxes', 'pkcs10.tmLanguage.json'), 'utf8'));
  const begin = new RegExp(
    JSON.stringify(grammar)
      .match(/"begin":"(\^\\\\s\*\(-----\)\(BEGIN\)[^"]*)"/)?.[1]
      ?.replace(/\\\\/g, '\\') ?? '$^',
  );
  for (const label of [...REQUEST_LABELS, 'X509 CERTIFICATE REQUEST', 'CERTIFICATE REQUESTS', 'CERTIFICATE']) {
    const line = `-----BEGIN ${label}-----`;
    const known = (REQUEST_LABELS as readonly string[]).includes(label);
    assert.equal(firstLine.test(line), known, `firstLine on ${line}`);
    assert.equal(begin.test(line), known, `grammar on ${line}`);
    assert.equal(hasRequestHeader(line), known, `core on ${line}`);
  }
});
