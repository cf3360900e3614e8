// Issue 32 in a real VS Code: every error of Sectigo's pre-issuance key checks (the weak-key
// fixtures of test/fixtures/weak-keys) shows in Problems with its code, and the quick fix
// "Create a compliant key and CSR…" is offered on it, as on a -13 refusal.
import assert from 'node:assert/strict';
import { generatePrimeSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeValue, diagnosticsWhere, writeWorkspaceFile } from './extension-host';
import { brokenKeyFindingCodes } from '../../src/core/csr/finding-help';
import { Commands } from '../../src/vscode/shared/ids';
import type { SharedPrimesSummary } from '../../src/vscode/csr-editor/shared-primes-command';
import { buildRequest, rsaKeyFromPrimes, rsaSpki, toPemText } from '../core/csr/build-csr';

const TITLE = 'Create a compliant key and CSR…';
/** The repository's fixtures: the suite runs bundled from out/, so the repository is found upwards. */
function fixturesDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'weak-keys');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no test/fixtures/weak-keys above ${__dirname}`);
}
const fixtures = fixturesDir();

/** A fixture for each error that a new key fixes. */
const cases: [fixture: string, code: string][] = [
  ['known-rfc9500-rsa2048', 'key-known-compromised'],
  ['exponent-above-modulus', 'rsa-exponent-not-below-modulus'],
  ['wiener-inside', 'rsa-small-private-exponent'],
  ['polynomial-pattern', 'rsa-modulus-polynomial-pattern'],
  ['small-factor-31337', 'rsa-small-factor'],
  ['close-primes', 'rsa-close-primes'],
  ['roca', 'rsa-roca-vulnerable'],
  ['dsa-sparse-prime', 'dsa-sparse-prime'],
  ['ec-point-off-curve', 'ec-point-invalid'],
  ['ed25519-small-order', 'eddsa-point-invalid'],
  ['rsa-parameters-absent', 'smime-key-encoding-not-allowed'],
];

describe('weak keys: Problems and the quick fix for a new key', function () {
  before(async function () {
    await activateExtension();
  });
  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists every issue-32 error a new key fixes', function () {
    const newKeyErrors = [...brokenKeyFindingCodes].filter((code) => code !== 'rsa-shared-prime');
    assert.deepEqual(cases.map(([, code]) => code).sort(), newKeyErrors.sort());
  });

  for (const [name, code] of cases)
    it(`${code}: in Problems, with the quick fix`, async function () {
      const uri = await writeWorkspaceFile(
        `weak-keys/${name}.csr`,
        readFileSync(join(fixtures, `${name}.csr`), 'utf8'),
      );
      await vscode.window.showTextDocument(uri);
      const found = await diagnosticsWhere(uri, (list) => list.some((diagnostic) => codeValue(diagnostic) === code));
      const diagnostic = found.find((one) => codeValue(one) === code) as vscode.Diagnostic;
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      const fix = actions.find((action) => action.title === TITLE);
      assert.ok(fix?.command, `no quick fix among: ${actions.map((action) => action.title).join(', ')}`);
      assert.equal(fix.command.command, Commands.createCompliantCsr);
    });

  it('Find Shared Primes: two workspace requests whose keys share a prime get the problem, with the quick fix', async function () {
    const shared = generatePrimeSync(1024, { bigint: true });
    const [a, b] = [generatePrimeSync(1024, { bigint: true }), generatePrimeSync(1024, { bigint: true })];
    const request = (q: bigint): string =>
      toPemText(buildRequest({ spki: rsaSpki(shared * q, 65537n), privateKey: rsaKeyFromPrimes(shared, q) }));
    const first = await writeWorkspaceFile('shared-primes/first.csr', request(a));
    const second = await writeWorkspaceFile('shared-primes/second.csr', request(b));
    const summary = await vscode.commands.executeCommand<SharedPrimesSummary>(Commands.findSharedPrimes);
    assert.equal(summary?.outcome.kind, 'compared', JSON.stringify(summary));
    assert.deepEqual(
      summary.affected.filter((file) => file.includes('shared-primes/')).sort(),
      ['shared-primes/first.csr', 'shared-primes/second.csr'],
      JSON.stringify(summary.affected),
    );
    for (const [uri, other] of [
      [first, 'second.csr'],
      [second, 'first.csr'],
    ] as const) {
      await vscode.window.showTextDocument(uri);
      const found = await diagnosticsWhere(uri, (list) => list.some((one) => codeValue(one) === 'rsa-shared-prime'));
      const diagnostic = found.find((one) => codeValue(one) === 'rsa-shared-prime') as vscode.Diagnostic;
      assert.match(diagnostic.message, new RegExp(other.replace('.', '\\.')));
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      assert.ok(
        actions.some((action) => action.title === TITLE),
        actions.map((action) => action.title).join(', '),
      );
    }
  });
});
