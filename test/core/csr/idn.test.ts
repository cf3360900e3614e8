// The A-label form shown for an IDN written as raw UTF-8 (idn.ts, through the WHATWG URL parser):
// known A-labels, the UTS #46 mapping the old hand-written Punycode lacked, labels IDNA refuses and
// characters that would end a URL's host, and the analysis's findings on requests holding them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainToAscii } from '../../../src/core/csr/idn';
import { analyseCsrText } from '../../../src/core/csr/index';
import { isCsrReport } from '../../../src/core/csr/types';
import { IDN_CASES, idnFixture } from './idn-cases';

test('a domain written as IDNA writes it, or null when it is no valid domain name', () => {
  for (const [domain, ascii] of IDN_CASES) assert.equal(domainToAscii(domain), ascii, JSON.stringify(domain));
});

test('the analysis names the A-label of a valid IDN and says when a label is no IDN at all', () => {
  const [valid] = analyseCsrText(idnFixture('bücher')).filter(isCsrReport);
  const validMessages = (valid?.findings ?? []).map((finding) => finding.message).join('\n');
  assert.match(validMessages, /"bücher\.example".*Written as an IDN it is "xn--bcher-kva\.example"/);
  assert.match(validMessages, /Write its domain as an IDN: "anna@xn--bcher-kva\.example"/);

  // "ü" and a zero-width joiner (3 bytes) where "che" was: IDNA's joiner rule refuses the label.
  const [joined] = analyseCsrText(idnFixture('bü\u200dr')).filter(isCsrReport);
  const joinedFindings = (joined?.findings ?? []).filter((finding) => finding.code === 'ia5-string-not-ascii');
  assert.equal(joinedFindings.length, 2);
  for (const finding of joinedFindings) {
    assert.match(finding.message, /It is not a valid internationalised domain name either/);
    assert.doesNotMatch(finding.message, /xn--/);
  }
  // The same codes and severities either way: only the hint differs.
  const shape = (report: typeof valid) =>
    (report?.findings ?? [])
      .filter((finding) => finding.code === 'ia5-string-not-ascii')
      .map(({ code, severity }) => [code, severity]);
  assert.deepEqual(shape(joined), shape(valid));
});
