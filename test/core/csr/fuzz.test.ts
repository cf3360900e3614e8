// Property test: mutated, truncated and random inputs always come back as
// results (a report or a clean error), never as an exception or a hang. Seeded,
// so a failure reproduces; bounded to a few thousand cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { children, readNode, Tag, type DerNode } from '../../../src/core/csr/der';
import { analyseCsrText, isCsrReport, type CsrAnalysisResult, type CsrReport } from '../../../src/core/csr/index';
import { flips, indefiniteOuter, nonMinimalLengths, random, seeds, splices } from './corpus';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'csr');

function assertWellFormed(results: CsrAnalysisResult[], label: string): void {
  assert.ok(Array.isArray(results) && results.length > 0, label);
  for (const result of results) {
    assert.equal(typeof result.index, 'number', label);
    if (isCsrReport(result)) {
      assert.match(result.pem, /^-----BEGIN CERTIFICATE REQUEST-----\n/, label);
      assert.ok([true, false, null].includes(result.signature.valid), label);
      for (const finding of result.findings)
        assert.ok(['error', 'warning', 'info'].includes(finding.severity) && finding.code.length > 0, label);
    } else {
      assert.ok(result.error.length > 0 && result.code.length > 0, label);
      assert.notEqual(result.code, 'internal-error', `${label}: ${result.error}`);
    }
    JSON.stringify(result);
  }
}

test('single changed bytes: always a result, and the signature never verifies', () => {
  let reports = 0;
  for (const { label, der } of flips(2000)) {
    const results = analyseCsrText(der, 'flip');
    assertWellFormed(results, label);
    for (const result of results) {
      if (isCsrReport(result)) {
        reports += 1;
        assert.notEqual(result.signature.valid, true, `${label} still verifies`);
      }
    }
  }
  // Many flips land in values (names, key bits, signature) and still parse: the property was exercised.
  assert.ok(reports > 200, `only ${reports} mutated requests parsed`);
});

test('truncations, insertions and splices, as DER and as PEM', () => {
  for (const { label, der } of splices(1500)) {
    assertWellFormed(analyseCsrText(der, 'der'), `der ${label}`);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    assertWellFormed(analyseCsrText(pem, 'pem'), `pem ${label}`);
  }
});

test('a long-form length at every element of every level, and BER: always read, always der-not-strict', () => {
  const unchanged = new Map(seeds.map((seed) => [seed, analyseCsrText(seed)[0] as CsrReport]));
  let variants = 0;
  for (const { label, der, seed } of nonMinimalLengths()) {
    variants += 1;
    assert.ok(der.length > seed.length, `${label}: longer`);
    const results = analyseCsrText(der, 'long-form');
    assertWellFormed(results, label);
    const [result] = results;
    assert.ok(result && isCsrReport(result), `${label}: ${JSON.stringify(result)}`);
    assert.ok(
      result.findings.some((finding) => finding.code === 'der-not-strict'),
      `${label}: ${result.findings.map((finding) => finding.code).join(', ')}`,
    );
    assert.deepEqual(result.publicKey, unchanged.get(seed)?.publicKey, label);
    assert.equal(result.subject.text, unchanged.get(seed)?.subject.text, label);
  }
  assert.ok(variants > 300, `${variants} variants`);
  for (const { label, der, seed } of indefiniteOuter()) {
    const [result] = analyseCsrText(der, 'ber');
    assert.ok(result && isCsrReport(result), label);
    assert.ok(
      result.findings.some((finding) => /indefinite length/.test(finding.message)),
      label,
    );
    // The signed part is untouched: the signature verifies as before.
    assert.equal(result.signature.valid, unchanged.get(seed)?.signature.valid, label);
  }
});

test('random bytes and random text', () => {
  const next = random(3);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r -';
  for (let i = 0; i < 1000; i += 1) {
    const length = Math.floor(next() * 600);
    const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
    if (i % 4 === 0 && length > 2) bytes[0] = 0x30;
    assertWellFormed(analyseCsrText(bytes, 'bytes'), `bytes ${i}`);
    let text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    if (i % 5 === 0) text = `-----BEGIN CERTIFICATE REQUEST-----\n${text}\n-----END CERTIFICATE REQUEST-----`;
    assertWellFormed(analyseCsrText(text, 'text'), `text ${i}`);
  }
});

test('deeply nested or absurd lengths are refused cleanly', () => {
  const nested = Buffer.concat([Buffer.alloc(2000, 0x30).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80)), Buffer.alloc(2)]);
  assertWellFormed(analyseCsrText(nested), 'indefinite lengths');
  assertWellFormed(analyseCsrText(Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00)), 'length past the end');
  assertWellFormed(analyseCsrText(Uint8Array.of(0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1)), 'length of nine octets');
});

/** Where attribute values and extension values lie in a request: [start, end) of each. */
function valueRegions(der: Uint8Array): [number, number][] {
  const regions: [number, number][] = [];
  const [info] = children(der, readNode(der, 0));
  const attributes = children(der, info as DerNode)[3];
  if (attributes === undefined) return regions;
  for (const attribute of children(der, attributes)) {
    const [type, values] = children(der, attribute) as [DerNode, DerNode];
    regions.push([values.contentStart, values.end]);
    const isExtensionRequest = Buffer.from(der.subarray(type.contentStart, type.end)).equals(
      Buffer.from('2a864886f70d01090e', 'hex'),
    );
    if (!isExtensionRequest) continue;
    for (const list of children(der, values)) {
      for (const extension of children(der, list)) {
        const value = children(der, extension).find((field) => field.tag === Tag.octetString);
        if (value !== undefined && value.end > value.contentStart) regions.push([value.contentStart, value.end]);
      }
    }
  }
  return regions;
}

test('mutations inside attribute and extension values: the request is still read, and what is wrong is a finding', () => {
  const valueSeeds = [
    ...['many-sans', 'ms-template-v1', 'ms-template-v2', 'challenge-password'].map((name) =>
      Buffer.from(readFileSync(join(fixtures, `${name}.csr`), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'),
    ),
  ].map((der) => ({ der, regions: valueRegions(der), report: analyseCsrText(der)[0] as CsrReport }));
  for (const seed of valueSeeds) assert.ok(seed.regions.length > 0 && isCsrReport(seed.report));
  const next = random(4);
  const codes = new Set<string>();
  for (let i = 0; i < 2000; i += 1) {
    const seed = valueSeeds[i % valueSeeds.length] as (typeof valueSeeds)[number];
    const [start, end] = seed.regions[Math.floor(next() * seed.regions.length)] as [number, number];
    const mutated = Buffer.from(seed.der);
    const kind = i % 4;
    const at = start + Math.floor(next() * (end - start));
    if (kind === 0) mutated[at] = ((mutated[at] as number) ^ (1 + Math.floor(next() * 255))) & 0xff;
    else if (kind === 1)
      mutated[at] = [0x00, 0x1f, 0x3f, 0x5f, 0x80, 0x81, 0x84, 0xff][Math.floor(next() * 8)] as number;
    else if (kind === 2) for (let j = at; j < Math.min(end, at + 4); j += 1) mutated[j] = Math.floor(next() * 256);
    else mutated.fill(next() < 0.5 ? 0x30 : 0x06, at, end);
    const results = analyseCsrText(mutated, `value-${i}`);
    assertWellFormed(results, `value ${i} at ${at}`);
    const [result] = results;
    // The outer structure is intact, so the request is always read, with its key and subject.
    assert.ok(result && isCsrReport(result), `value ${i} at ${at}: ${JSON.stringify(result)}`);
    assert.deepEqual(result.publicKey, seed.report.publicKey, `value ${i}`);
    assert.equal(result.subject.text, seed.report.subject.text, `value ${i}`);
    if (!mutated.equals(seed.der)) assert.notEqual(result.signature.valid, true, `value ${i} at ${at} still verifies`);
    for (const finding of result.findings) codes.add(finding.code);
  }
  // The mutations reached the new findings, not only the signature.
  for (const code of ['extension-value-invalid', 'extension-value-malformed', 'attribute-malformed'])
    assert.ok(codes.has(code), `${code} never produced: ${[...codes].join(', ')}`);
});
