// One table says what each finding code is called and when it is reported (findingTexts,
// src/core/csr/finding-help.ts): the README's table of finding codes and the rules of the SARIF log
// must both say exactly that, so they cannot drift. Every code has every text; every README row is
// the table's; every SARIF rule is the README's row, with the finding guide's why and what to do as
// help (finding-guide.ts, which test/core/csr/finding-guide.test.ts holds to the README's Sectigo
// codes); every rule's help link lands on an anchor of the README as GitHub renders it; the numbers
// the texts state are the limits the analysis applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingCodes, subjectLengthLimits, type FindingCode } from '../../src/core/csr/index';
import {
  findingHelpUri,
  findingTexts,
  friendlyName,
  plainText,
  projectHomepage,
} from '../../src/core/csr/finding-help';
import { findingGuides, predictedSectigoErrorCodes } from '../../src/core/csr/finding-guide';
import { fermatRounds, smallFactorBound } from '../../src/core/csr/rsa-weakness';
import { maxVerifiableExponentBits } from '../../src/core/csr/verifier';
import { sourceRootFor } from '../../src/cli/check-report';
import { SarifLog } from '../../src/cli/sarif';
import { jsonDocumentText } from '../../src/core/json-text';
import { anchorsOf } from '../markdown-anchors';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const codes = Object.keys(findingCodes) as FindingCode[];

interface Row {
  code: string;
  severity: string;
  sectigo: string;
  when: string;
}

/** The rows of the README's table of finding codes, in order. */
function readmeRows(): Row[] {
  const start = readme.indexOf('#### Finding codes');
  const table = readme.slice(start, readme.indexOf('\n####', start + 1));
  const rows: Row[] = [];
  for (const match of table.matchAll(/^\| <a id="finding-([a-z0-9-]+)"><\/a>`([a-z0-9-]+)` \| (.*) \|$/gm)) {
    const cells = (match[3] as string).split(' | ');
    assert.equal(match[1], match[2], `the anchor of ${match[2]} is its own`);
    assert.equal(cells.length, 3, `${match[2]}: four columns`);
    rows.push({
      code: match[2] as string,
      severity: cells[0] as string,
      sectigo: cells[1] as string,
      when: cells[2] as string,
    });
  }
  return rows;
}

test('every finding code has every text: a short sentence, when it is reported, a friendly name', () => {
  assert.deepEqual(Object.keys(findingTexts).sort(), [...codes].sort());
  const names = new Set<string>();
  for (const code of codes) {
    const text = findingTexts[code];
    assert.ok(text.short.length >= 10 && text.short.length <= 120, `${code}: a short sentence`);
    assert.match(text.short, /^[A-Z].*\.$/, `${code}: a sentence`);
    assert.doesNotMatch(text.short, /[`*]/, `${code}: plain text`);
    assert.ok(text.when.length >= 10, `${code}: when`);
    const name = friendlyName(code);
    assert.match(name, /^[A-Z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$/, `${code}: one Pascal-case word`);
    names.add(name);
  }
  assert.equal(names.size, codes.length, 'friendly names are unique');
  assert.equal(friendlyName('ia5-string-not-ascii'), 'Ia5StringNotAscii');
});

test('the numbers the texts state are the limits the analysis applies', () => {
  // The import-free limits are templated into the texts; these live in the analysis and are written out.
  const when = (code: FindingCode): string => findingTexts[code].when;
  assert.ok(when('rsa-small-factor').includes(`up to ${smallFactorBound}`));
  assert.ok(when('rsa-close-primes').includes(`within ${fermatRounds} steps`));
  assert.ok(when('signature-unverifiable').includes(`over ${maxVerifiableExponentBits} bits`));
  const limits = subjectLengthLimits;
  assert.equal(
    when('subject-field-too-long'),
    `CN, O, OU over ${limits.CN} characters; L, ST, street over ${limits.L}; postal code, PO box over ${limits.postalCode}`,
  );
  for (const [group, fields] of [
    [limits.CN, ['CN', 'O', 'OU']],
    [limits.L, ['L', 'ST', 'street']],
    [limits.postalCode, ['postalCode', 'postOfficeBox']],
  ] as const)
    for (const field of fields) assert.equal(limits[field], group, field);
});

test("the README's table of finding codes is the table: every code, in order, with its severity and when", () => {
  const rows = readmeRows();
  assert.deepEqual(
    rows.map((row) => row.code),
    codes,
    'the README lists every code once, in the order of the catalogue (the SARIF rule order)',
  );
  for (const row of rows) {
    const code = row.code as FindingCode;
    assert.equal(row.severity, findingCodes[code], `${code}: severity`);
    assert.equal(row.when, findingTexts[code].when, `${code}: the "When" cell is the table's, word for word`);
  }
});

test('the SARIF rules say what the README says, and link where the README explains it', () => {
  const log = new SarifLog({ cwd: __dirname, toolVersion: '0.0.0', root: sourceRootFor(__dirname) });
  const rules = JSON.parse(jsonDocumentText(log.start()) + jsonDocumentText(log.end())).runs[0].tool.driver.rules as {
    id: string;
    name: string;
    shortDescription: { text: string };
    fullDescription: { text: string; markdown: string };
    help: { text: string; markdown: string };
    helpUri: string;
    properties: { sectigoErrorCode?: number };
  }[];
  const rows = new Map(readmeRows().map((row) => [row.code, row]));
  const anchors = anchorsOf(readme);
  assert.deepEqual(
    rules.map((rule) => rule.id),
    codes,
  );
  for (const rule of rules) {
    const row = rows.get(rule.id);
    assert.ok(row, `${rule.id}: a README row`);
    const when = `${row.when.charAt(0).toUpperCase()}${row.when.slice(1)}.`;
    assert.equal(rule.fullDescription.markdown, when, `${rule.id}: the README's "When", as a sentence`);
    assert.equal(rule.fullDescription.text, plainText(when));
    assert.doesNotMatch(rule.fullDescription.text, /`/, 'plain text has no Markdown marks');
    assert.equal(rule.name, friendlyName(rule.id));
    const text = findingTexts[rule.id as FindingCode];
    const guide = findingGuides[rule.id as FindingCode];
    assert.equal(rule.shortDescription.text, text.short);
    assert.ok(rule.help.markdown.includes(when) && rule.help.text.includes(plainText(when)), `${rule.id}: help`);
    assert.ok(rule.help.markdown.includes(guide.why), `${rule.id}: why it matters, as the guide says`);
    assert.ok(rule.help.markdown.includes(guide.whatToDo), `${rule.id}: what to do, as the guide says`);
    if (guide.fix !== null) assert.ok(rule.help.markdown.includes(guide.fix.commandLine), `${rule.id}: the fix`);
    const sectigo = predictedSectigoErrorCodes[rule.id as FindingCode];
    if (sectigo !== undefined) assert.ok(rule.help.markdown.includes(String(sectigo)), `${rule.id}: Sectigo's answer`);
    assert.equal(rule.properties.sectigoErrorCode, predictedSectigoErrorCodes[rule.id as FindingCode]);
    assert.equal(rule.properties.sectigoErrorCode ?? '–', row.sectigo === '–' ? '–' : Number(row.sectigo));
    // The help link is the README on the project's page, at this code's anchor as GitHub renders it.
    assert.equal(rule.helpUri, findingHelpUri(rule.id));
    const [page, anchor] = rule.helpUri.split('#');
    assert.equal(page, projectHomepage);
    assert.ok(anchors.has(anchor as string), `${rule.helpUri}: no such anchor in README.md`);
    assert.ok(rule.help.markdown.includes(`](${rule.helpUri})`), `${rule.id}: the help links it too`);
  }
});
