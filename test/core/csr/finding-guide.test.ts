// The guide to each code (what the explain tool says) against what else states the same facts: the
// README's tables (every code, its Sectigo code), the analysis itself (the Sectigo code each finding
// carries, over every fixture), and the quick fix's title as the editor shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMPLIANT_CSR_FIX_TITLE,
  explainCode,
  findingGuides,
  inputProblemGuides,
  predictedSectigoErrorCodes,
} from '../../../src/core/csr/finding-guide';
import { findingCodes } from '../../../src/core/csr/findings';
import { analyseCsrText, isCsrReport } from '../../../src/core/csr/index';

const readme = readFileSync('README.md', 'utf8');

/** The README's table rows: code, then the cells after it. */
function readmeRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const match of readme.matchAll(/^\| <a id="finding-([a-z0-9-]+)"><\/a>`[a-z0-9-]+` \|(.*)\|$/gm)) {
    rows.set(
      match[1] ?? '',
      (match[2] ?? '').split('|').map((cell) => cell.trim()),
    );
  }
  return rows;
}

test('every finding code and every input problem code has a guide, and the README a row for it', () => {
  assert.deepEqual(Object.keys(findingGuides).sort(), Object.keys(findingCodes).sort());
  const rows = readmeRows();
  assert.deepEqual(
    [...rows.keys()].sort(),
    [...Object.keys(findingGuides), ...Object.keys(inputProblemGuides)].sort(),
    'the README tables list exactly the codes the guide explains',
  );
});

test("the Sectigo code of each finding is the README's", () => {
  for (const [code, cells] of readmeRows()) {
    if (!(code in findingGuides)) continue;
    const column = cells[1] ?? '';
    const expected = predictedSectigoErrorCodes[code as keyof typeof predictedSectigoErrorCodes];
    assert.equal(column === '–' ? undefined : Number(column), expected, code);
  }
});

test('the analysis gives each finding the Sectigo code the guide says, over every fixture', () => {
  const fixtures = join('test', 'fixtures', 'csr');
  let seen = 0;
  for (const name of readdirSync(fixtures)) {
    for (const result of analyseCsrText(readFileSync(join(fixtures, name)), name)) {
      if (!isCsrReport(result)) {
        assert.ok(explainCode(result.code), `${name}: ${result.code} has a guide`);
        continue;
      }
      for (const finding of result.findings) {
        seen += 1;
        assert.equal(
          finding.sectigoErrorCode,
          explainCode(finding.code)?.sectigoErrorCode ?? null,
          `${name}: ${finding.code}`,
        );
      }
    }
  }
  assert.ok(seen > 40, `the fixtures have findings to compare (${seen})`);
});

test('the quick fix is named as the editor names it', () => {
  const source = readFileSync(join('src', 'vscode', 'csr-editor', 'new-key-fix.ts'), 'utf8');
  assert.ok(source.includes(`vscode.l10n.t('${COMPLIANT_CSR_FIX_TITLE}')`), 'new-key-fix.ts shows the same title');
  for (const code of Object.keys(predictedSectigoErrorCodes))
    assert.equal(explainCode(code)?.fix?.editor, COMPLIANT_CSR_FIX_TITLE, `${code}: a refused key's fix is a new key`);
});

test('an unknown code has no guide', () => {
  assert.equal(explainCode('toString'), undefined);
  assert.equal(explainCode('__proto__'), undefined);
  assert.equal(explainCode(''), undefined);
});
