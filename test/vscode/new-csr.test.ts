// "Create a compliant key and CSR…" in a real VS Code: the quick fix on a request Sectigo would
// refuse with -13, the CodeLens beside the refusal, the palette's "New CSR…" from scratch, and
// the whole loop: refused request → new files → clean analysis → replace accepted by the fake
// Sectigo server. Commands are driven with their programmatic argument object (no prompts).
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  activateExtension,
  automation,
  codeLenses,
  codeValue,
  connectToFake,
  diagnosticsWhere,
  disconnectFromFake,
  titles,
  workspaceUri,
  writeWorkspaceFile,
  runCommand,
} from './extension-host';
import { analyseCsrText, isCsrReport } from '../../src/core/csr/index';
import { Commands } from '../../src/vscode/shared/ids';
import type { CallReport } from '../../src/vscode/calls/run-call';
import type { NewCsrResult } from '../../src/vscode/csr-editor/new-csr-command';
import { ORDERS, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { findSecret, secretForms } from '../secret-forms';

const TITLE = 'Create a compliant key and CSR…';
const passphrase = 'Zq7<kV9&mW2 ✓ "Lx"';

const folder = (): vscode.Uri => workspaceUri('new-csr-tests');
const writeFile = (name: string, text: string): Promise<vscode.Uri> =>
  writeWorkspaceFile(`new-csr-tests/${name}`, text);

async function lensTitles(uri: vscode.Uri): Promise<{ titles: string[]; lenses: vscode.CodeLens[] }> {
  const lenses = await codeLenses(uri);
  return { titles: titles(lenses), lenses };
}

describe('a compliant key and CSR from the editor', function () {
  let fake: FakeSectigo;
  let weakText: string;

  before(async function () {
    await activateExtension();
    await vscode.workspace.fs.createDirectory(folder());
    weakText = await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'dana@example.com');
    fake = await startFakeSectigo();
    await connectToFake(fake);
  });

  after(async function () {
    await disconnectFromFake();
    await fake?.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('quick fix end to end: refused request → new files → clean analysis → replace accepted', async function () {
    const weakUri = await writeFile('dana.csr', weakText);
    await vscode.window.showTextDocument(weakUri);
    const diagnostics = await diagnosticsWhere(weakUri, (found) =>
      found.some((diagnostic) => codeValue(diagnostic) === 'rsa-key-too-small'),
    );
    const tooSmall = diagnostics.find(
      (diagnostic) => codeValue(diagnostic) === 'rsa-key-too-small',
    ) as vscode.Diagnostic;

    // The old request is refused before anything is sent.
    const sentBefore = fake.requests.length;
    await assert.rejects(
      runCommand(Commands.replaceSmime, weakUri, 0, {
        ...automation,
        orderNumber: ORDERS.issued,
      }),
      /-13/,
    );
    assert.equal(fake.requests.length, sentBefore);
    // Sent anyway, Sectigo answers -13, and the history remembers the order for the new request.
    const refused = await vscode.commands.executeCommand<CallReport | undefined>(Commands.replaceSmime, weakUri, 0, {
      ...automation,
      orderNumber: ORDERS.issued,
      allowPredictedRefusal: true,
    });
    assert.ok(
      refused?.result.kind === 'api-error' && refused.result.errorCode === -13,
      JSON.stringify(refused?.result),
    );

    // The quick fix on the -13 problem.
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        weakUri,
        tooSmall.range,
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [];
    const fix = actions.find((action) => action.title === TITLE);
    assert.ok(fix?.command, `no quick fix among: ${actions.map((action) => action.title).join(', ')}`);
    assert.equal(fix.command.command, Commands.createCompliantCsr);
    assert.deepEqual((fix.command.arguments as unknown[]).slice(1), [0]);
    assert.equal(String((fix.command.arguments as unknown[])[0]), weakUri.toString());

    const csrPath = join(folder().fsPath, 'dana.new.csr');
    const keyPath = join(folder().fsPath, 'dana.new.key');
    const result = await vscode.commands.executeCommand<NewCsrResult | undefined>(
      fix.command.command,
      ...(fix.command.arguments ?? []),
      {
        ...automation,
        keyType: 'ec-p256',
        csrPath,
        keyPath,
        passphrase,
      },
    );
    assert.ok(result);
    assert.equal(result.csrUri.fsPath, csrPath);
    assert.equal(
      result.rememberedOrderNumber,
      ORDERS.issued,
      'the order refused with -13 is offered for the new request',
    );

    // Both files, the key owner-only and encrypted with the passphrase, for the request's key.
    const keyPem = readFileSync(keyPath, 'utf8');
    assert.match(keyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    assert.throws(() => createPrivateKey({ key: keyPem, passphrase: 'wrong' }));
    const key = createPrivateKey({ key: keyPem, passphrase });
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');

    // The same subject and e-mail, and a clean analysis: no refusal lens, no fix offered.
    const [report] = analyseCsrText(readFileSync(csrPath, 'utf8'), 'dana.new.csr');
    assert.ok(report && isCsrReport(report));
    assert.deepEqual(
      report.findings.filter((finding) => finding.severity === 'error'),
      [],
    );
    assert.deepEqual(report.subjectAltNames, ['email:dana@example.com']);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, csrPath, 'the new request is opened');
    const lenses = await lensTitles(result.csrUri);
    // The action first (it names the order), then the summary.
    assert.ok(
      lenses.titles[1]?.startsWith('EC P-256 · SHA-256 · signature OK · dana@example.com'),
      lenses.titles.join(' | '),
    );
    assert.ok(!lenses.titles.some((title) => title.includes('-13') || title === TITLE), lenses.titles.join(' | '));

    // Replace from there, through the new request's lens, which names the order: the fake Sectigo server accepts it.
    const replaceLens = lenses.lenses.find((lens) => lens.command?.command === Commands.replaceSmime);
    assert.equal(replaceLens?.command?.title, `Replace S/MIME order ${ORDERS.issued}…`);
    assert.deepEqual((replaceLens?.command?.arguments as unknown[]).slice(1), [0, ORDERS.issued]);
    const replaced = await vscode.commands.executeCommand<CallReport | undefined>(
      Commands.replaceSmime,
      ...(replaceLens?.command?.arguments ?? []),
      { ...automation, orderNumber: ORDERS.issued },
    );
    assert.ok(replaced);
    assert.equal(replaced.result.kind, 'success', JSON.stringify(replaced.result));
    const sent = fake.requests.at(-1);
    assert.equal(sent?.endpoint, 'AutoReplaceSMIME');
    assert.equal(sent?.params.orderNumber, ORDERS.issued);
    assert.ok(
      replaced.result.kind === 'success' &&
        fake.orders.get(replaced.result.newOrderNumber ?? '')?.replaces === ORDERS.issued,
    );

    // Neither the passphrase nor the key is in the log or the history.
    assert.ok(secretForms(passphrase).length > 10, 'the forms searched for');
    assert.equal(
      findSecret(keyPem + readFileSync(csrPath, 'utf8'), passphrase),
      undefined,
      'the files hold no form of the passphrase',
    );
    const keyLines = keyPem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'));
    for (const file of [replaced.logFile, replaced.ordersFile]) {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      assert.equal(findSecret(text, passphrase), undefined, `${file} holds the passphrase`);
      assert.ok(!keyLines.some((line) => text.includes(line)), `${file} holds the key`);
    }
  });

  it('puts "Create a compliant key and CSR…" beside the -13 lens, for that block', async function () {
    const uri = await writeFile('lens-dana.csr', weakText);
    const { titles, lenses } = await lensTitles(uri);
    const refusal = titles.findIndex((title) => title.includes('-13'));
    assert.ok(refusal >= 0, titles.join(' | '));
    assert.equal(titles[refusal + 1], TITLE);
    const lens = lenses[refusal + 1] as vscode.CodeLens;
    assert.equal(lens.command?.command, Commands.createCompliantCsr);
    assert.deepEqual((lens.command?.arguments as unknown[]).slice(1), [0]);
    const good = await writeFile('lens-good.csr', await makeCsrPem({ kind: 'ec', curve: 'P-256' }, 'erin@example.com'));
    assert.ok(!(await lensTitles(good)).titles.includes(TITLE), 'no fix on a request Sectigo accepts');
  });

  it('works in untrusted workspaces: neither command nor its menu entry asks for trust', function () {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
      capabilities: { untrustedWorkspaces: { supported: string | boolean } };
    };
    const entries = Object.values(manifest.contributes.menus)
      .flat()
      .filter((entry) => entry.command === Commands.createCompliantCsr || entry.command === Commands.newCsr);
    assert.ok(entries.length > 0);
    for (const entry of entries) assert.doesNotMatch(entry.when ?? '', /isWorkspaceTrusted/, entry.command);
    assert.notEqual(manifest.capabilities.untrustedWorkspaces.supported, false);
  });

  it('"New CSR…" from scratch writes a plain key only when asked to, and never overwrites', async function () {
    const csrPath = join(folder().fsPath, 'frank.csr');
    const keyPath = join(folder().fsPath, 'frank.key');
    const result = await vscode.commands.executeCommand<NewCsrResult | undefined>(Commands.newCsr, {
      ...automation,
      email: 'frank@example.com',
      cn: 'Frank Example',
      keyType: 'ec-p384',
      csrPath,
      keyPath,
      passphrase: null,
    });
    assert.ok(result);
    assert.equal(result.report.subject.text, 'E=frank@example.com,CN=Frank Example');
    assert.equal(result.report.signature.hash, 'SHA-384');
    assert.match(readFileSync(keyPath, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);

    const before = readFileSync(csrPath, 'utf8');
    const otherKey = join(folder().fsPath, 'frank-2.key');
    /** Asks for another pair for Frank, its key beside the first one: each of these is refused. */
    const refusedPair = (pair: { keyType: string; csrPath: string; passphrase: string | null }): Promise<unknown> =>
      runCommand(Commands.newCsr, {
        ...automation,
        email: 'frank@example.com',
        keyPath: otherKey,
        ...pair,
      });
    await assert.rejects(refusedPair({ keyType: 'ec-p256', csrPath, passphrase: null }), /already exists/);
    assert.equal(readFileSync(csrPath, 'utf8'), before);
    assert.ok(!existsSync(otherKey), 'the key of a refused pair is not written');
    await assert.rejects(
      refusedPair({ keyType: 'rsa-1024', csrPath: `${csrPath}.x`, passphrase: null }),
      /not offered/,
    );
    // The argument object is checked like any input from outside.
    await assert.rejects(refusedPair({ keyType: 'ec-p256', csrPath: `${csrPath}.y`, passphrase: '' }), /non-empty/);
    await assert.rejects(refusedPair({ keyType: 'ec-p256', csrPath: 'relative.csr', passphrase: null }), /absolute/);
    assert.ok(!existsSync(otherKey));
    assert.ok(!readdirSync(folder().fsPath).some((name) => name.endsWith('.tmp')), 'no temporary files left');
  });
});
