// A file of hundreds of requests in the editor. It is analysed block by block (the visible
// blocks first, the others in slices, and a block an edit left alone keeps its result), and
// what the surfaces show must still be exactly what one whole analysis of the text says: the
// Problems and lenses are compared with analyseCsrText of the same text, after edits inside a
// block, before all blocks (every block moves down a line) and with a block too large for
// the extension host's thread (analysed in a worker). Every wait is on a VS Code event.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as vscode from 'vscode';
import { analyseCsrText, isCsrReport, summariseCsr, type CsrAnalysisResult } from '../../src/core/csr/index';
import { Commands } from '../../src/vscode/shared/ids';
import { buildRequest, emailOid, octetString, sanEmail, sanExtension, spkiOf, toPemText } from '../core/csr/build-csr';
import { activateExtension, codeLenses, codeValue, diagnosticsWhere, writeWorkspaceFile } from './extension-host';

const BLOCKS = 300;

/** Every third request has a 1024-bit key, so the file has findings to compare, at every block's anchor. */
function requests(count: number): string {
  const strong = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
  let text = '';
  for (let index = 0; index < count; index += 1) {
    const key = index % 3 === 0 ? weak : strong;
    const mailbox = `person${index}@example.com`;
    text += toPemText(
      buildRequest({
        subject: [
          ['2.5.4.3', `Person ${index}`],
          [emailOid, mailbox],
        ],
        spki: spkiOf(key.publicKey),
        privateKey: key.privateKey,
        extensions: [sanExtension([sanEmail(mailbox)])],
      }),
    );
  }
  return text;
}

/** What Problems should hold for this text: each finding (or block error) by code and line. */
function expectedProblems(text: string): string[] {
  return analyseCsrText(text, 'x')
    .flatMap((result: CsrAnalysisResult) =>
      isCsrReport(result)
        ? result.findings.map((finding) => `${finding.code}@${finding.range.startLine}`)
        : [`${result.code}@${result.range.startLine}`],
    )
    .sort();
}

function shownProblems(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => `${String(codeValue(diagnostic))}@${diagnostic.range.start.line}`).sort();
}

const sameAs =
  (expected: readonly string[]) =>
  (diagnostics: vscode.Diagnostic[]): boolean =>
    shownProblems(diagnostics).join('|') === expected.join('|');

describe('a CSR file of many blocks in the editor', function () {
  let text: string;

  before(async function () {
    await activateExtension();
    text = requests(BLOCKS);
  });

  afterEach(async function () {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the Problems of one whole analysis, and after a change inside a block and before all blocks', async function () {
    const uri = await writeWorkspaceFile('editor-tests/many-blocks.csr', text);
    const editor = await vscode.window.showTextDocument(uri);
    const first = expectedProblems(text);
    assert.ok(first.length >= BLOCKS / 3);
    await diagnosticsWhere(uri, sameAs(first));

    // A character into the Base64 of a block in the middle: that block breaks, the others stand.
    const begins = editor.document
      .getText()
      .split('\n')
      .flatMap((line, index) => (line.startsWith('-----BEGIN') ? [index] : []));
    assert.equal(begins.length, BLOCKS);
    const middle = (begins[BLOCKS / 2] as number) + 2;
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(middle, 5), 'A')));
    const broken = expectedProblems(editor.document.getText());
    assert.notDeepEqual(broken, first);
    await diagnosticsWhere(uri, sameAs(broken));

    // A line before every block: each kept result must move down with its block.
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'requests of the team\n')));
    const moved = expectedProblems(editor.document.getText());
    await diagnosticsWhere(uri, sameAs(moved));
  });

  it('gives every block its lenses once all are analysed, the same as one whole analysis', async function () {
    const uri = await writeWorkspaceFile('editor-tests/many-lenses.csr', text);
    await vscode.window.showTextDocument(uri);
    // Problems are drawn once every block is analysed; the lenses then come from the same results.
    await diagnosticsWhere(uri, sameAs(expectedProblems(text)));
    // Each block's lens to its report: the summary ("RSA 2048 · SHA-256 · signature OK ·
    // person1@example.com"), or on a refused request the refusal, whose tooltip ends with the summary.
    const summaries = async (): Promise<vscode.CodeLens[]> =>
      (await codeLenses(uri)).filter(
        (lens) =>
          lens.command?.command === Commands.inspectCsr &&
          (lens.command.title.includes(' · ') || lens.command.title.includes('(-13)')),
      );
    // The first round of a long file may hold only the blocks in view (the top); the next holds all.
    const firstRound = await summaries();
    assert.ok(firstRound.length > 0 && firstRound.length <= BLOCKS);
    assert.deepEqual((firstRound[0]?.command?.arguments ?? []).slice(1), [0]);
    const allOfThem = await summaries();
    const expected = analyseCsrText(text, 'x').filter(isCsrReport);
    assert.equal(allOfThem.length, BLOCKS);
    allOfThem.forEach((lens, index) => {
      const report = expected[index];
      assert.ok(report !== undefined);
      if (index % 3 === 0)
        assert.ok(lens.command?.tooltip?.endsWith(`\n${summariseCsr(report)}`), lens.command?.tooltip);
      else assert.equal(lens.command?.title, summariseCsr(report));
      assert.equal(lens.range.start.line, report.range.startLine);
      assert.deepEqual((lens.command?.arguments ?? []).slice(1), [index]);
    });
  });

  it('analyses a block too large for the extension host thread (in a worker) the way the whole analysis does', async function () {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // An extension of 100 KB makes a request no real CA takes, past the worker's threshold.
    const huge = toPemText(
      buildRequest({
        subject: [['2.5.4.3', 'Huge']],
        spki: spkiOf(key.publicKey),
        privateKey: key.privateKey,
        extensions: [['1.3.6.1.4.1.99999.1', false, octetString(new Uint8Array(100 * 1024))]],
      }),
    );
    const withHuge = text
      .split('-----END CERTIFICATE REQUEST-----\n')
      .slice(0, 20)
      .join('-----END CERTIFICATE REQUEST-----\n');
    const content = `${withHuge}-----END CERTIFICATE REQUEST-----\n${huge}`;
    const uri = await writeWorkspaceFile('editor-tests/huge-block.csr', content);
    await vscode.window.showTextDocument(uri);
    assert.ok(huge.length > (64 * 1024 * 4) / 3, 'the block is past WORKER_THRESHOLD_BYTES of DER');
    const expected = expectedProblems(content);
    await diagnosticsWhere(uri, sameAs(expected));
  });
});
