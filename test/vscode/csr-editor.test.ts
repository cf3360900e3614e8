// CSR files in a real VS Code: the language, CodeLens, Problems, hover and the inspect report.
// Most requests are made here with WebCrypto and @peculiar/x509, so each expectation follows
// from what the test itself put in the request (key size, e-mail address); a last group runs
// over every fixture of test/fixtures/csr against the analysis' own answer for that file.
// Every wait is on a VS Code event, never on a sleep.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as vscode from 'vscode';
import MarkdownIt from 'markdown-it';
import {
  activateExtension,
  codeLenses,
  codeValue,
  diagnosticsWhere,
  titles,
  workspaceUri,
  writeWorkspaceFile,
} from './extension-host';
import { analyseCsrText, isCsrReport, refusals, summariseCsr, type CsrReport } from '../../src/core/csr/index';
import { Commands, LANGUAGE_ID, Settings } from '../../src/vscode/shared/ids';

const README_URL = 'https://github.com/sectigo-csr-tools/sectigo-csr-tools';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

async function makeCsr(modulusLength: number, email: string, commonName: string): Promise<string> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength,
  };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}, E=${email}`,
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: email }])],
  });
  return request.toString('pem') + '\n';
}

/** Subjects and names that try to close a code span or start a link, an image, HTML or a command: URI. */
const HOSTILE_TEXT = [
  '`` ` ``[run](command:workbench.action.terminal.new)`',
  '](command:workbench.action.terminal.new) ![i](https://evil.example/i.png) <img src=x onerror=alert(1)>',
  '<command:workbench.action.terminal.new> www.evil-site.com &lt;b&gt; | cell |\n# heading',
];

async function makeHostileCsr(): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: HOSTILE_TEXT }, { O: ['[org](command:x)'] }],
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'email', value: '[mail](command:workbench.action.terminal.new)@evil-site.com' },
        { type: 'dns', value: 'www.evil-site.com' },
        { type: 'url', value: 'command:workbench.action.terminal.new' },
        { type: 'url', value: 'https://evil-site.com/`)[x](command:y)' },
      ]),
    ],
  });
  return request.toString('pem') + '\n';
}

/** Links and images in Markdown as VS Code's Markdown renderer (markdown-it) makes them. */
function linksIn(markdown: string): { links: string[]; images: number; html: string } {
  const html = new MarkdownIt({ html: true, linkify: true }).render(markdown);
  return {
    links: [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => match[1] ?? ''),
    images: (html.match(/<img/g) ?? []).length,
    html,
  };
}

const folder = (): vscode.Uri => workspaceUri('editor-tests');
const writeFile = (name: string, text: string): Promise<vscode.Uri> => writeWorkspaceFile(`editor-tests/${name}`, text);

/** Resolves once the document at uri is open with this language (now or after a switch). */
function languageOf(uri: vscode.Uri, languageId: string): Promise<vscode.TextDocument> {
  return new Promise((resolve) => {
    const matches = (document: vscode.TextDocument): boolean =>
      document.uri.toString() === uri.toString() && document.languageId === languageId;
    const subscription = vscode.workspace.onDidOpenTextDocument((document) => {
      if (!matches(document)) return;
      subscription.dispose();
      resolve(document);
    });
    const open = vscode.workspace.textDocuments.find(matches);
    if (open !== undefined) {
      subscription.dispose();
      resolve(open);
    }
  });
}

async function reportText(uri: vscode.Uri | undefined): Promise<string> {
  assert.ok(uri instanceof vscode.Uri, 'the inspect command returns the report URI');
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/**
 * An unsaved document with a name of its own. openTextDocument({ content }) names documents
 * Untitled-N and reuses a name at once, and the extension host was seen handing back the
 * previous document's text under it; a distinct name avoids that.
 */
async function untitled(name: string, content: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(folder(), name).with({ scheme: 'untitled' });
  const document = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(0, 0), content);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.equal(document.languageId, LANGUAGE_ID);
  assert.equal(document.getText(), content);
  return document;
}

function replaceAll(document: vscode.TextDocument, text: string): Thenable<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  return vscode.workspace.applyEdit(edit);
}

describe('CSR files in the editor', function () {
  let good: string;
  let weak: string;

  before(async function () {
    await activateExtension();
    await vscode.workspace.fs.createDirectory(folder());
    good = await makeCsr(2048, 'alice@example.com', 'Alice Example');
    weak = await makeCsr(1024, 'bob@example.com', 'Bob Example');
  });

  afterEach(async function () {
    // An edited file left dirty would stop closeAllEditors at a save prompt.
    for (const document of vscode.workspace.textDocuments)
      if (document.isDirty && document.uri.scheme === 'file') await document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('language', function () {
    it('opens .csr and .req files as PKCS#10 requests', async function () {
      for (const name of ['alice.csr', 'alice.req']) {
        const document = await vscode.workspace.openTextDocument(await writeFile(name, good));
        assert.equal(document.languageId, LANGUAGE_ID, name);
      }
    });

    it('gives the language to a .pem file that starts with a request', async function () {
      const document = await vscode.workspace.openTextDocument(await writeFile('starts.pem', good));
      await languageOf(document.uri, LANGUAGE_ID);
    });

    it('gives the language to a .pem file holding a request after other text, but not to a .pem without one', async function () {
      const keyPem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';
      const keyOnly = await vscode.workspace.openTextDocument(await writeFile('key-only.pem', keyPem));
      assert.notEqual(keyOnly.languageId, LANGUAGE_ID);
      const mixedUri = await writeFile('key-and-request.pem', `${keyPem}\nThe request for this key:\n${good}`);
      const switched = languageOf(mixedUri, LANGUAGE_ID);
      await vscode.workspace.openTextDocument(mixedUri);
      await switched;
      // Both were opened in order; the one without a request kept its language.
      const stillKey = vscode.workspace.textDocuments.find(
        (document) => document.uri.toString() === keyOnly.uri.toString(),
      );
      assert.notEqual(stillKey?.languageId, LANGUAGE_ID);
    });
  });

  describe('CodeLens', function () {
    it('shows the summary, Replace and Inspect above a request, with the document and block index as arguments', async function () {
      const uri = await writeFile('lens-good.csr', good);
      await vscode.window.showTextDocument(uri);
      const lenses = await codeLenses(uri);
      const report = analyseCsrText(good, 'lens-good.csr')[0];
      assert.ok(report !== undefined && isCsrReport(report));
      const summary = summariseCsr(report);
      assert.match(summary, /RSA 2048/);
      assert.match(summary, /alice@example\.com/);
      assert.deepEqual(titles(lenses), ['Replace S/MIME order…', summary, 'Inspect']);
      const replace = lenses.find((lens) => lens.command?.command === Commands.replaceSmime);
      assert.ok(replace?.command?.arguments);
      const [documentUri, blockIndex] = replace.command.arguments as [vscode.Uri, number];
      assert.equal(documentUri.toString(), uri.toString());
      assert.equal(blockIndex, 0);
      assert.equal(lenses.find((lens) => lens.command?.title === 'Inspect')?.command?.command, Commands.inspectCsr);
      assert.equal(lenses[0]?.range.start.line, 0);
    });

    it('says in words when Sectigo would answer -13', async function () {
      const uri = await writeFile('lens-weak.csr', weak);
      const lenses = await codeLenses(uri);
      const refusal = lenses.filter((lens) => lens.command?.title.includes('-13'));
      assert.equal(refusal.length, 1, titles(lenses).join('\n'));
      assert.equal(refusal[0]?.command?.title, '$(error) RSA 1024 bits: Sectigo refuses (-13)');
      // The whole sentence is in the tooltip, and the lens comes first, with its fix: a long line
      // runs under the minimap, so the refusal must not be what is cut off.
      assert.match(refusal[0]?.command?.tooltip ?? '', /^Sectigo will answer -13: The RSA key has 1024 bits/);
      assert.equal(lenses.indexOf(refusal[0] as vscode.CodeLens), 0);
      // The row stays short (it was cut at 1,400 px beside the explorer): the refusal opens the
      // report, so no summary and no Inspect lens; the summary is in the refusal's tooltip.
      assert.deepEqual(titles(lenses).slice(1), ['Create a compliant key and CSR…', 'Replace S/MIME order…']);
      assert.equal(refusal[0]?.command?.command, Commands.inspectCsr);
      const summary = summariseCsr(analyseCsrText(weak, 'lens-weak.csr').filter(isCsrReport)[0] as CsrReport);
      assert.ok((refusal[0]?.command?.tooltip ?? '').endsWith(`\n${summary}`), refusal[0]?.command?.tooltip);
      // Without the icons ($(error) draws as one glyph): under 100 characters, where the five lenses made about 160.
      const row = titles(lenses)
        .join(' | ')
        .replace(/\$\([\w-]+\) /g, '');
      assert.ok(row.length < 100, row);
    });

    it('puts lenses above each block of a file holding several, with the index of each', async function () {
      const text = `First request:\n${good}\nSecond request:\n${weak}`;
      const uri = await writeFile('two.req', text);
      const lenses = await codeLenses(uri);
      // Each block's first lens that opens its report (the summary, or the refusal on the weak one);
      // a good block's Replace lens comes before its summary.
      const inspect = lenses.filter(
        (lens, i) =>
          lens.command?.command === Commands.inspectCsr &&
          !lenses
            .slice(0, i)
            .some(
              (before) =>
                before.command?.command === Commands.inspectCsr && before.range.start.line === lens.range.start.line,
            ),
      );
      const blocks = analyseCsrText(text, 'two.req');
      assert.deepEqual(
        inspect.map((lens) => [lens.range.start.line, (lens.command?.arguments as [vscode.Uri, number])[1]]),
        blocks.map((block) => [block.range.startLine, block.index]),
      );
      // "First request:", the request's lines, a blank line, "Second request:", then the second request.
      assert.deepEqual(
        blocks.map((block) => block.range.startLine),
        [1, good.split('\n').length + 2],
      );
    });

    it('shows none when sectigo.codeLens.enabled is off', async function () {
      const uri = await writeFile('lens-off.csr', good);
      const configuration = vscode.workspace.getConfiguration(Settings.section);
      await configuration.update(Settings.codeLensEnabled, false, vscode.ConfigurationTarget.Global);
      try {
        assert.deepEqual(await codeLenses(uri), []);
      } finally {
        await configuration.update(Settings.codeLensEnabled, undefined, vscode.ConfigurationTarget.Global);
      }
      assert.ok((await codeLenses(uri)).length > 0);
    });
  });

  describe('Problems', function () {
    it('reports each finding at its range with the code, a link to the table and the predicted Sectigo error', async function () {
      const uri = await writeFile('problem-weak.csr', `Comment line\n${weak}`);
      await vscode.workspace.openTextDocument(uri);
      const expected = analyseCsrText(`Comment line\n${weak}`, 'problem-weak.csr')[0];
      assert.ok(expected !== undefined && isCsrReport(expected));
      const finding = expected.findings.find((candidate) => candidate.sectigoErrorCode === -13);
      assert.ok(finding, 'a 1024-bit key predicts -13');
      const diagnostics = await diagnosticsWhere(uri, (current) => current.length > 0);
      const diagnostic = diagnostics.find((candidate) => codeValue(candidate) === finding.code);
      assert.ok(diagnostic, `no diagnostic with code ${finding.code}`);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.match(diagnostic.message, /^Sectigo will answer -13: /);
      assert.ok(diagnostic.message.includes(finding.message));
      assert.deepEqual(
        [
          diagnostic.range.start.line,
          diagnostic.range.start.character,
          diagnostic.range.end.line,
          diagnostic.range.end.character,
        ],
        [finding.range.startLine, finding.range.startCharacter, finding.range.endLine, finding.range.endCharacter],
      );
      assert.equal(diagnostic.range.start.line, 1, 'the block starts after the comment line');
      const code = diagnostic.code;
      assert.ok(
        typeof code === 'object' &&
          code.target.toString() === vscode.Uri.parse(`${README_URL}#finding-${finding.code}`).toString(),
      );
      assert.equal(diagnostics.length, expected.findings.length);
    });

    it('follows edits: a fixed request clears the problem, a weak one brings it back', async function () {
      const uri = await writeFile('problem-edit.csr', weak);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      await diagnosticsWhere(uri, (current) => current.some((diagnostic) => diagnostic.message.includes('-13')));
      assert.ok(await replaceAll(document, good));
      await diagnosticsWhere(uri, (current) => current.length === 0);
      // Several edits in a row: only the last one's result may stand.
      assert.ok(await replaceAll(document, 'not a request'));
      assert.ok(await replaceAll(document, weak));
      const final = await diagnosticsWhere(uri, (current) =>
        current.some((diagnostic) => diagnostic.message.includes('-13')),
      );
      assert.ok(final.every((diagnostic) => codeValue(diagnostic) !== 'bad-base64'));
    });

    it('reports a block that is not a request, and a certificate beside a request as information', async function () {
      const certificate =
        '-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE-----\n';
      const uri = await writeFile('with-certificate.csr', `${good}\n${certificate}`);
      await vscode.workspace.openTextDocument(uri);
      const expected = analyseCsrText(`${good}\n${certificate}`, 'with-certificate.csr')[1];
      assert.ok(expected !== undefined && !isCsrReport(expected));
      const diagnostics = await diagnosticsWhere(uri, (current) => current.length > 0);
      assert.deepEqual(diagnostics.map(codeValue), [expected.code]);
      assert.equal(diagnostics[0]?.message, expected.error);
      assert.equal(diagnostics[0]?.range.start.line, expected.range.startLine);
    });

    it('clears the problems when the file stops being a CSR document', async function () {
      const uri = await writeFile('problem-language.csr', weak);
      const document = await vscode.workspace.openTextDocument(uri);
      await diagnosticsWhere(uri, (current) => current.length > 0);
      await vscode.languages.setTextDocumentLanguage(document, 'plaintext');
      await diagnosticsWhere(uri, (current) => current.length === 0);
      const again = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
      assert.ok(again);
      await vscode.languages.setTextDocumentLanguage(again, LANGUAGE_ID);
      await diagnosticsWhere(uri, (current) => current.length > 0);
    });

    it('checks a large file of many requests (analysed in slices between other work) and follows quick edits', async function () {
      const pair = `${good}\n${weak}\n`;
      const many = pair.repeat(Math.ceil((80 * 1024) / pair.length));
      const expected = analyseCsrText(many, 'many.csr');
      assert.ok(many.length > 64 * 1024 && expected.length > 40);
      const expectedCount = expected.reduce(
        (count, result) => count + (isCsrReport(result) ? result.findings.length : 1),
        0,
      );
      assert.ok(expectedCount > 0);
      const uri = await writeFile('many.csr', many);
      const document = await vscode.workspace.openTextDocument(uri);
      const first = await diagnosticsWhere(uri, (current) => current.length === expectedCount);
      assert.equal(first.filter((diagnostic) => diagnostic.message.includes('-13')).length, expected.length / 2);
      // Two edits in quick succession: the older analysis is abandoned, the newer one stands.
      const fewer = `${good}\n${weak}\n`.repeat(Math.ceil((70 * 1024) / pair.length)) + good.repeat(3);
      const fewerCount = analyseCsrText(fewer, 'many.csr').reduce(
        (count, result) => count + (isCsrReport(result) ? result.findings.length : 1),
        0,
      );
      assert.ok(await replaceAll(document, good.repeat(40)));
      assert.ok(await replaceAll(document, fewer));
      const final = await diagnosticsWhere(uri, (current) => current.length === fewerCount);
      assert.equal(final.length, fewerCount);
      assert.ok(fewerCount !== expectedCount);
    });

    it('does not parse a document over 1 MB: one information problem says so', async function () {
      const huge = `${good}\n${'A'.repeat(64)}\n`.repeat(Math.ceil((1024 * 1024) / (good.length + 66)) + 10);
      const document = await untitled('huge.csr', huge);
      const diagnostics = await diagnosticsWhere(document.uri, (current) =>
        current.some((diagnostic) => codeValue(diagnostic) === 'input-too-large'),
      );
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0]?.severity, vscode.DiagnosticSeverity.Information);
      assert.equal(codeValue(diagnostics[0] as vscode.Diagnostic), 'input-too-large');
      assert.match(diagnostics[0]?.message ?? '', /too large/);
      assert.equal((await codeLenses(document.uri)).length, 1);
    });

    it('does not parse a binary document: one information problem says so', async function () {
      const binary = `0\u0082\u0002\u0000${'\u0000'.repeat(64)}${good}`;
      const document = await untitled('binary.csr', binary);
      const diagnostics = await diagnosticsWhere(document.uri, (current) =>
        current.some((diagnostic) => codeValue(diagnostic) === 'binary-input'),
      );
      assert.deepEqual(diagnostics.map(codeValue), ['binary-input']);
      assert.match(diagnostics[0]?.message ?? '', /binary/);
    });
  });

  describe('hover', function () {
    it('shows the decoded request over its block, and nothing outside it', async function () {
      const text = `Preamble\n${good}`;
      const uri = await writeFile('hover.csr', text);
      await vscode.workspace.openTextDocument(uri);
      const inside = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        new vscode.Position(3, 5),
      );
      const markdown = inside
        .flatMap((hover) => hover.contents)
        .map((content) => (typeof content === 'string' ? content : content.value))
        .join('\n');
      assert.match(markdown, /RSA 2048/);
      // Request text is a code span (the Markdown sink): no renderer links it.
      assert.match(markdown, /`email:alice@example\.com`/);
      assert.match(markdown, /Alice Example/);
      assert.match(markdown, /signature|Signature/);
      assert.match(markdown, new RegExp(`command:${Commands.inspectCsr.replace('.', '\\.')}`));
      // The link's arguments are JSON: the document as a URI string and the block index; they open the report.
      const link = /command:sectigo\.inspectCsr\?([^)\s]+)/.exec(markdown);
      assert.ok(link?.[1]);
      const linkArguments = JSON.parse(decodeURIComponent(link[1])) as [string, number];
      assert.deepEqual(linkArguments, [uri.toString(), 0]);
      assert.match(
        await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectCsr, ...linkArguments)),
        /Alice Example/,
      );
      const outside = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        new vscode.Position(0, 2),
      );
      const outsideText = outside
        .flatMap((hover) => hover.contents)
        .map((content) => (typeof content === 'string' ? content : content.value))
        .join('');
      assert.doesNotMatch(outsideText, /RSA 2048/);
    });
  });

  describe('Markdown from request text', function () {
    it('the hover and the report of a hostile request render no link, image or HTML from it', async function () {
      const uri = await writeFile('hostile-markdown.csr', await makeHostileCsr());
      await vscode.workspace.openTextDocument(uri);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        new vscode.Position(1, 3),
      );
      const hover = hovers
        .flatMap((entry) => entry.contents)
        .map((content) => (typeof content === 'string' ? content : content.value))
        .join('\n');
      assert.match(hover, /`[^`]*workbench\.action\.terminal\.new[^`]*`/, 'the hostile text is shown, as code');
      const inHover = linksIn(hover);
      // The one link is the extension's own: the full report.
      assert.equal(inHover.links.length, 1, inHover.html);
      assert.ok(inHover.links[0]?.startsWith(`command:${Commands.inspectCsr}`), inHover.html);
      assert.equal(inHover.images, 0, inHover.html);
      const report = linksIn(
        await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectCsr, uri, 0)),
      );
      assert.deepEqual(report.links, [], report.html);
      assert.equal(report.images, 0, report.html);
      assert.doesNotMatch(
        report.html,
        /<(?!\/?(?:h[1-6]|p|ul|li|strong|em|table|thead|tbody|tr|th|td|code)\b)[a-z]/i,
        report.html,
      );
    });
  });

  describe('inspect report', function () {
    it('opens a read-only report of the block with subject, names, key, signature, extensions and findings', async function () {
      const uri = await writeFile('inspect-weak.csr', weak);
      const reportUri = await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectCsr, uri, 0);
      const text = await reportText(reportUri);
      for (const heading of [
        'Findings',
        'Subject',
        'Subject alternative names',
        'Public key',
        'Signature',
        'Requested extensions',
        'Microsoft certificate template',
      ]) {
        assert.match(text, new RegExp(`^#+ ${heading}$`, 'm'), heading);
      }
      assert.match(text, /Bob Example/);
      assert.match(text, /^- `email:bob@example\.com`$/m);
      assert.match(text, /1024 bits/);
      assert.match(text, /`rsa-key-too-small`/);
      assert.match(text, /`-13`/);
      assert.match(text, /INFER_FROM_CSR/);
      assert.match(text, /verifies/);
      // Typing into the report, as a user would, changes nothing.
      const reportEditor = await vscode.window.showTextDocument(reportUri);
      reportEditor.selection = new vscode.Selection(0, 0, 0, 0);
      await vscode.commands.executeCommand('type', { text: 'typed ' });
      assert.equal(reportEditor.document.getText(), text);
      assert.equal(reportEditor.document.isDirty, false);
    });

    it('reports the block under the cursor of the active editor when called from the palette', async function () {
      const text = `${good}\n${weak}`;
      const uri = await writeFile('inspect-cursor.csr', text);
      const editor = await vscode.window.showTextDocument(uri);
      const second = analyseCsrText(text, 'x')[1];
      assert.ok(second);
      const inside = new vscode.Position(second.range.startLine + 2, 0);
      editor.selection = new vscode.Selection(inside, inside);
      const report = await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectCsr));
      assert.match(report, /Bob Example/);
      assert.doesNotMatch(report, /Alice Example/);
      assert.match(report, /Request 2 of 2/);
    });

    it('follows the file as it is edited', async function () {
      const uri = await writeFile('inspect-follow.csr', good);
      const document = await vscode.workspace.openTextDocument(uri);
      const reportUri = await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectCsr, uri, 0);
      assert.match(await reportText(reportUri), /Alice Example/);
      const updated = new Promise<string>((resolve) => {
        const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
          if (
            event.document.uri.toString() !== reportUri.toString() ||
            !event.document.getText().includes('Bob Example')
          )
            return;
          subscription.dispose();
          resolve(event.document.getText());
        });
      });
      assert.ok(await replaceAll(document, weak));
      assert.match(await updated, /rsa-key-too-small/);
    });

    it('reports the selection', async function () {
      const text = `${good}\n${weak}`;
      const uri = await writeFile('inspect-selection.txt', text);
      const editor = await vscode.window.showTextDocument(uri);
      const second = analyseCsrText(text, 'x')[1];
      assert.ok(second);
      editor.selection = new vscode.Selection(
        second.range.startLine,
        0,
        second.range.endLine,
        second.range.endCharacter,
      );
      const report = await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectSelection));
      assert.match(report, /Bob Example/);
      assert.doesNotMatch(report, /Alice Example/);
    });

    it('reports the clipboard, and says so when it holds nothing', async function () {
      await vscode.env.clipboard.writeText(good);
      assert.equal(await vscode.env.clipboard.readText(), good, 'the clipboard works in this window');
      const report = await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectClipboard));
      assert.match(report, /CSR report\\: clipboard/);
      assert.match(report, /Alice Example/);
      await vscode.env.clipboard.writeText('   ');
      assert.equal(await vscode.commands.executeCommand(Commands.inspectClipboard), undefined);
    });

    it('reports a large clipboard of many requests (analysed in slices between other work)', async function () {
      const many = `${good}\n${weak}\n`.repeat(Math.ceil((80 * 1024) / (good.length + weak.length + 2)));
      const blocks = analyseCsrText(many, 'clipboard');
      assert.ok(many.length > 64 * 1024 && blocks.length > 2);
      await vscode.env.clipboard.writeText(many);
      const report = await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectClipboard));
      assert.match(report, new RegExp(`Request ${blocks.length} of ${blocks.length}`));
      assert.equal(report.match(/`rsa-key-too-small`/g)?.length, blocks.length / 2);
    });

    it('explains a clipboard that holds a certificate instead of a request', async function () {
      const certificate =
        '-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE-----\n';
      await vscode.env.clipboard.writeText(certificate);
      const expected = analyseCsrText(certificate, 'clipboard')[0];
      assert.ok(expected !== undefined && !isCsrReport(expected));
      const report = await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectClipboard));
      assert.match(report, /Not a usable request/);
      assert.ok(report.includes(expected.code));
    });
  });

  describe('the fixture requests (test/fixtures/csr, copied into the workspace as csr/)', function () {
    async function fixtures(pattern: string): Promise<vscode.Uri[]> {
      const found = await vscode.workspace.findFiles(`csr/${pattern}`);
      assert.ok(
        found.length > 0,
        `no fixture matches csr/${pattern}: the launcher copies test/fixtures/csr into the workspace`,
      );
      return found.sort((a, b) => a.path.localeCompare(b.path));
    }

    it('gives every .csr fixture a summary lens per request, a refusal lens exactly when -13 is predicted, and a problem per finding', async function () {
      const checked: string[] = [];
      for (const uri of await fixtures('*.csr')) {
        const document = await vscode.workspace.openTextDocument(uri);
        const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
        assert.equal(document.languageId, LANGUAGE_ID, name);
        const results = analyseCsrText(document.getText(), name);
        // A refused request's summary is in its refusal lens's tooltip (the row stays short), others' in a lens.
        const isRefused = (result: CsrReport): boolean => refusals(result).length > 0;
        const expectedTitles = results.flatMap((result) =>
          !isCsrReport(result)
            ? [`$(warning) Not a usable certificate request: ${result.error}`]
            : isRefused(result)
              ? []
              : [summariseCsr(result)],
        );
        const lenses = await codeLenses(uri);
        const lensTitles = titles(lenses);
        for (const title of expectedTitles)
          assert.ok(lensTitles.includes(title), `${name}: no lens "${title}" in ${JSON.stringify(lensTitles)}`);
        for (const result of results.filter(isCsrReport).filter(isRefused))
          assert.ok(
            lenses.some((lens) => (lens.command?.tooltip ?? '').endsWith(`\n${summariseCsr(result)}`)),
            `${name}: the refusal's tooltip holds the summary`,
          );
        const predictsRefusal = results.some(
          (result) => isCsrReport(result) && result.findings.some((finding) => finding.sectigoErrorCode === -13),
        );
        assert.equal(
          lensTitles.some((title) => / refuses \(-13\)$| may refuse \(-13\)$/.test(title)),
          predictsRefusal,
          `${name}: -13 lens`,
        );
        const expectedCodes = results
          .flatMap((result) => (isCsrReport(result) ? result.findings.map((finding) => finding.code) : [result.code]))
          .sort();
        const diagnostics = await diagnosticsWhere(uri, (current) => current.length === expectedCodes.length);
        assert.deepEqual(diagnostics.map((diagnostic) => String(codeValue(diagnostic))).sort(), expectedCodes, name);
        checked.push(name);
      }
      assert.ok(checked.length >= 20, `only ${checked.length} fixtures were checked`);
    });

    it('leaves a certificate or a key in a .pem file in its own language', async function () {
      for (const uri of [...(await fixtures('certificate.pem')), ...(await fixtures('private-key.pem'))]) {
        const document = await vscode.workspace.openTextDocument(uri);
        assert.notEqual(document.languageId, LANGUAGE_ID, uri.path);
      }
    });

    it('reports every block of a text file holding several requests', async function () {
      const [uri] = await fixtures('multi-block.txt');
      assert.ok(uri);
      const results = analyseCsrText((await vscode.workspace.openTextDocument(uri)).getText(), 'multi-block.txt');
      assert.ok(results.length > 1);
      const report = await reportText(await vscode.commands.executeCommand<vscode.Uri>(Commands.inspectCsr, uri));
      for (const result of results) {
        assert.ok(
          report.includes(`Request ${result.index + 1} of ${results.length}`) ||
            report.includes(`Block ${result.index + 1} of ${results.length}`),
          `block ${result.index + 1}`,
        );
      }
    });
  });
});
