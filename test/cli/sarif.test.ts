// `sectigo-csr check --format sarif`: a SARIF 2.1.0 log with the fields the specification
// requires, one rule per finding code (linked to its README anchor), one located result per
// finding (the same findings --json reports), and the exit status of a plain `check`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, type CliRun } from './run-cli';
import { findingCodes } from '../../src/core/csr/index';
import { findingHelpUri, projectHomepage } from '../../src/core/csr/finding-help';
import { findGitWorkTree } from '../../src/core/git-work-tree';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'csr');
/** Paths are relative to the git work tree's top folder when there is one (a clone), else to the working folder. */
const sourceRoot = findGitWorkTree(fixtures)?.root ?? fixtures;
const uriOf = (file: string): string => relative(sourceRoot, join(fixtures, file)).split(sep).join('/');

function run(args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: fixtures, stdin: readFileSync(join(fixtures, 'rsa-1024.csr')) });
}

/* eslint-disable @typescript-eslint/no-explicit-any -- walking an untyped JSON document */
type Json = any;

const LEVELS: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

/** The shape every SARIF 2.1.0 consumer relies on; returns the run. */
function assertSarifShape(log: Json): Json {
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  const driver = run.tool.driver;
  assert.equal(driver.name, 'sectigo-csr');
  assert.match(driver.version, /^\d+\.\d+\.\d+/);
  assert.equal(typeof run.invocations[0].executionSuccessful, 'boolean');
  const ids = driver.rules.map((rule: Json) => rule.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
  for (const rule of driver.rules) {
    assert.equal(rule.helpUri, findingHelpUri(rule.id));
    assert.ok(rule.helpUri.endsWith(`#finding-${rule.id}`), rule.helpUri);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    assert.match(rule.name, /^[A-Z][A-Za-z0-9]+$/, 'a friendly name is one Pascal-case word');
    for (const text of [rule.shortDescription.text, rule.fullDescription.text, rule.help.text, rule.help.markdown])
      assert.ok(typeof text === 'string' && text.length > 10, `${rule.id}: ${text}`);
  }
  for (const result of run.results) {
    assert.ok(
      Number.isInteger(result.ruleIndex) && result.ruleIndex >= 0 && result.ruleIndex < driver.rules.length,
      'ruleIndex in range',
    );
    assert.equal(driver.rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at the rule named by ruleId');
    assert.ok(['error', 'warning', 'note'].includes(result.level), result.level);
    assert.ok(typeof result.message.text === 'string' && result.message.text.length > 0);
    assert.equal(result.locations.length, 1);
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.ok(typeof artifactLocation.uri === 'string' || typeof artifactLocation.description?.text === 'string');
    assert.ok(region.startLine >= 1 && region.endLine >= region.startLine && region.startColumn >= 1);
  }
  return run;
}

const MIXED = [
  'rsa-1024.csr',
  'rsa-2048-sha1.csr',
  'challenge-password.csr',
  'multi-block.txt',
  'no-email.csr',
  'ec-P-256.csr',
];

test('check --format sarif reports the same findings as inspect --json, each as a located result', async () => {
  const sarif = await run(['check', '--format', 'sarif', ...MIXED]);
  const plain = await run(['check', ...MIXED]);
  assert.equal(sarif.code, plain.code);
  assert.equal(sarif.code, 1, 'rsa-1024 is an error');
  const sarifRun = assertSarifShape(JSON.parse(sarif.stdout));
  assert.equal(sarifRun.invocations[0].executionSuccessful, true);
  assert.deepEqual(sarifRun.originalUriBaseIds['%SRCROOT%'], { uri: `${pathToFileURL(sourceRoot).href}/` });

  const reports = JSON.parse((await run(['inspect', '--json', ...MIXED])).stdout) as Json[];
  const expected = reports.flatMap((report) =>
    report.findings.map((finding: Json) => ({
      ruleId: finding.code,
      level: LEVELS[finding.severity],
      uri: uriOf(report.file),
      startLine: finding.range.startLine + 1,
      message: finding.message,
    })),
  );
  const actual = sarifRun.results.map((result: Json) => ({
    ruleId: result.ruleId,
    level: result.level,
    uri: result.locations[0].physicalLocation.artifactLocation.uri,
    startLine: result.locations[0].physicalLocation.region.startLine,
    message: result.message.text,
  }));
  assert.deepEqual(actual, expected);
  // All three levels appear, and findings of the second request in a file point at its own lines.
  assert.deepEqual(new Set(actual.map((result: Json) => result.level)), new Set(['error', 'warning', 'note']));
  for (const result of sarifRun.results)
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  const second = actual.find((result: Json) => result.uri === uriOf('multi-block.txt'));
  assert.ok(second && second.startLine > 1, "the finding of a later block is on that block's line");
  const small = sarifRun.results.find((result: Json) => result.ruleId === 'rsa-key-too-small');
  assert.equal(small.properties.sectigoErrorCode, -13);
  // Each result covers its request's lines, BEGIN to END (the README says so), with those lines as
  // its snippet and up to two more on each side as its context.
  for (const result of sarifRun.results) {
    const { artifactLocation, region, contextRegion } = result.locations[0].physicalLocation;
    const lines = readFileSync(join(sourceRoot, artifactLocation.uri), 'utf8').split(/\r?\n/);
    assert.match(
      lines[region.startLine - 1] ?? '',
      /^-----BEGIN (NEW )?CERTIFICATE REQUEST-----$/,
      artifactLocation.uri,
    );
    assert.match(lines[region.endLine - 1] ?? '', /^-----END (NEW )?CERTIFICATE REQUEST-----$/, artifactLocation.uri);
    assert.equal(region.endColumn, (lines[region.endLine - 1] ?? '').length + 1);
    assert.equal(region.snippet.text, lines.slice(region.startLine - 1, region.endLine).join('\n'));
    assert.equal(contextRegion.startLine, Math.max(1, region.startLine - 2));
    assert.equal(contextRegion.endLine, Math.min(lines.length, region.endLine + 2));
    assert.equal(
      contextRegion.snippet.text,
      lines.slice(contextRegion.startLine - 1, contextRegion.endLine).join('\n'),
    );
  }
  // The streamed log is the JSON.stringify(log, null, 2) of itself: written piece by piece, printed as one.
  assert.equal(sarif.stdout, `${JSON.stringify(JSON.parse(sarif.stdout), null, 2)}\n`);
});

test('every finding code is a rule, in the catalogue order, so rule indexes are stable between runs', async () => {
  const clean = assertSarifShape(JSON.parse((await run(['check', '--format=sarif', 'rsa-2048.csr'])).stdout));
  assert.deepEqual(
    clean.tool.driver.rules.map((rule: Json) => rule.id),
    Object.keys(findingCodes),
  );
  assert.deepEqual(clean.results, []);
  for (const rule of clean.tool.driver.rules)
    assert.equal(rule.defaultConfiguration.level, LEVELS[findingCodes[rule.id as keyof typeof findingCodes]]);
});

test('the exit status is that of check: 0 clean, 1 an error finding, 2 an unreadable input (a tool notification)', async () => {
  for (const files of [['rsa-2048.csr'], ['rsa-1024.csr'], ['rsa-2048.csr', 'missing.csr'], ['certificate.pem']]) {
    const sarif = await run(['check', '--format', 'sarif', ...files]);
    assert.equal(sarif.code, (await run(['check', ...files])).code, files.join(' '));
    assertSarifShape(JSON.parse(sarif.stdout));
  }
  const missing = await run(['check', '--format', 'sarif', 'rsa-2048.csr', 'missing.csr']);
  assert.equal(missing.code, 2);
  const invocation = JSON.parse(missing.stdout).runs[0].invocations[0];
  assert.equal(invocation.executionSuccessful, false);
  assert.equal(invocation.toolExecutionNotifications.length, 1);
  const [notification] = invocation.toolExecutionNotifications;
  assert.equal(notification.level, 'error');
  assert.equal(notification.descriptor.id, 'unreadable');
  assert.equal(notification.locations[0].physicalLocation.artifactLocation.uri, uriOf('missing.csr'));
  assert.match(missing.stderr, /missing\.csr: error unreadable: no such file/);
});

test('standard input and absolute paths are located too', async () => {
  const stdin = assertSarifShape(JSON.parse((await run(['check', '--format', 'sarif', '-'])).stdout));
  const stdinLocation = stdin.results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(stdinLocation, {
    uri: '%3Cstdin%3E',
    uriBaseId: '%SRCROOT%',
    description: { text: 'standard input' },
  });
  // An absolute path inside the source root is written relative to it, like any other.
  const absolute = join(fixtures, 'rsa-1024.csr');
  const byPath = assertSarifShape(JSON.parse((await run(['check', '--format', 'sarif', absolute])).stdout));
  assert.equal(byPath.results[0].locations[0].physicalLocation.artifactLocation.uri, uriOf('rsa-1024.csr'));
});

test('a wrong --format is a usage error, and inspect does not take --format', async () => {
  for (const args of [
    ['check', '--format', 'xml', 'rsa-2048.csr'],
    ['check', 'rsa-2048.csr', '--format'],
    ['inspect', '--format', 'sarif', 'rsa-2048.csr'],
  ]) {
    const result = await run(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.stdout, '');
  }
  assert.match(
    (await run(['check', '--format', 'xml', 'rsa-2048.csr'])).stderr,
    /unknown --format 'xml' \(text, sarif or gitlab\)/,
  );
});

test('the help links point at the repository package.json names', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { repository: { url: string } };
  assert.equal(manifest.repository.url.replace(/\.git$/, ''), projectHomepage);
});
