// The SARIF of `check --format sarif` is what GitHub code scanning takes, as Microsoft's SARIF
// Multitool judges it (`validate --rule-kind "Sarif;Gh"`, the real tool, not an imitation): no error
// and no warning, and of its notes only the two that cannot be met without breaking the public
// interface. One log holds a real run over every fixture (requests of many kinds, text and DER,
// a file of several requests, unreadable inputs, standard input) and a finding of every code of the
// finding table (derived from it, so a new code is validated too), checked in one Multitool run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyseCsrText, findingCodes, isCsrReport, type CsrReport, type FindingCode } from '../../src/core/csr/index';
import { findingTexts } from '../../src/core/csr/finding-help';
import { predictedSectigoErrorCodes } from '../../src/core/csr/finding-guide';
import { SourceText, sourceRootFor } from '../../src/cli/check-report';
import { SarifLog } from '../../src/cli/sarif';
import { jsonDocumentText } from '../../src/core/json-text';
import { runCli } from './run-cli';
import { validateSarif } from './sarif-multitool';

const fixtures = join(__dirname, '..', 'fixtures', 'csr');

/* eslint-disable @typescript-eslint/no-explicit-any -- walking an untyped JSON document */
type Json = any;

/** A request of the fixtures carrying one finding of every code of the table, written by the real SARIF writer. */
function everyCodeLog(): Json {
  const file = 'multi-block.txt';
  const bytes = readFileSync(join(fixtures, file));
  const [first] = analyseCsrText(bytes, file);
  assert.ok(first && isCsrReport(first));
  const report: CsrReport = {
    ...first,
    findings: (Object.keys(findingCodes) as FindingCode[]).map((code) => ({
      code,
      severity: findingCodes[code],
      message: `${findingTexts[code].short} What the analysis says of this request.`,
      sectigoErrorCode: predictedSectigoErrorCodes[code] ?? null,
      range: first.findings[0]?.range ?? first.range,
    })),
  };
  const log = new SarifLog({ cwd: fixtures, toolVersion: '0.0.0', root: sourceRootFor(fixtures) });
  const pieces = [log.start(), ...log.input([report], SourceText.of(bytes)), log.end()];
  return JSON.parse(pieces.map(jsonDocumentText).join(''));
}

/** The log this project wrote before rules had names, descriptions and help: what the issue reported. */
function previousVersionRun(): Json {
  const [run] = everyCodeLog().runs;
  run.tool.driver.rules = run.tool.driver.rules.map((rule: Json) => ({
    id: rule.id,
    helpUri: rule.helpUri,
    defaultConfiguration: rule.defaultConfiguration,
  }));
  return run;
}

test('GitHub code scanning takes the SARIF of check: the Multitool finds no error and no warning', async () => {
  const inputs = readdirSync(fixtures)
    .filter((name) => /\.(csr|der|txt|pem)$/.test(name) && !/\.(openssl|asn1parse)\.txt$/.test(name))
    .sort();
  const cli = await runCli(['check', '--format', 'sarif', ...inputs, '-'], {
    cwd: fixtures,
    stdin: readFileSync(join(fixtures, 'rsa-1024.csr')),
  });
  assert.equal(cli.code, 2, 'the fixtures hold certificates and keys, which are not requests');
  const log = JSON.parse(cli.stdout) as Json;
  const [run] = log.runs;
  assert.ok(run.invocations[0].toolExecutionNotifications.length > 0, 'unreadable inputs are in the log');
  const extra = everyCodeLog().runs[0];
  assert.deepEqual(extra.tool.driver.rules, run.tool.driver.rules);
  run.results.push(...extra.results);
  // Every code of the table is a result of the log the Multitool sees.
  assert.deepEqual(
    Object.keys(findingCodes).filter((code) => !run.results.some((result: Json) => result.ruleId === code)),
    [],
  );
  // One Multitool run (two seconds or more) judges both: the second run of the log is the SARIF of
  // the previous version, which must draw the 90 errors the issue reported, or the judge proves nothing.
  log.runs.push(previousVersionRun());
  const { findings, stdout } = validateSarif(JSON.stringify(log, null, 2));
  const inRun = (index: number) => findings.filter((finding) => finding.text.includes(`runs[${index}]`));
  assert.equal(inRun(0).length + inRun(1).length, findings.length, stdout);

  const ours = inRun(0);
  assert.deepEqual(
    ours.filter((finding) => finding.level !== 'note'),
    [],
    stdout,
  );
  // What is left are notes, each of a kind that cannot be met while keeping the interface:
  // - SARIF2002 would have each result's message be an id and arguments of a message string of its
  //   rule; GitHub shows message.text, and the messages are sentences the analysis builds.
  // - SARIF2009 would have rule ids like "CSR1001"; ours are the finding codes, a public interface
  //   (scripts match them; GitHub keeps an alert by its rule id).
  const notes = new Map<string, number>();
  for (const finding of ours) notes.set(finding.ruleId, (notes.get(finding.ruleId) ?? 0) + 1);
  assert.deepEqual(
    [...notes.keys()].sort(),
    ['SARIF2002', 'SARIF2009'],
    ours.map((f) => `${f.ruleId} ${f.text}`).join('\n'),
  );
  assert.equal(notes.get('SARIF2002'), run.results.length, 'SARIF2002: one note per result');
  assert.equal(notes.get('SARIF2009'), run.tool.driver.rules.length, 'SARIF2009: one note per rule');

  const previous = inRun(1).filter((finding) => finding.level === 'error');
  assert.equal(previous.length, 3 * Object.keys(findingCodes).length, 'no shortDescription, fullDescription, help');
  assert.ok(previous.every((finding) => finding.ruleId === 'GH2012'));
});
