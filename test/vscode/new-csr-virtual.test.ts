// A request in a folder that is not on disk (a virtual workspace's FileSystemProvider, as
// github.dev's repositories are): Problems and the CodeLens read it through VS Code, and the new
// key and request are written through workspace.fs, both or neither, never over a file.
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import * as vscode from 'vscode';
import {
  activateExtension,
  automation,
  codeLenses,
  codeValue,
  diagnosticsWhere,
  runCommand,
  titles,
} from './extension-host';
import { Commands } from '../../src/vscode/shared/ids';
import type { NewCsrResult } from '../../src/vscode/csr-editor/new-csr-command';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { MemoryFileSystem } from '../ui/memfs-extension/extension';

const SCHEME = 'sectigo-test-memfs';
const passphrase = 'Virtual ✓ passphrase';

describe('a request on a virtual file system', function () {
  const memfs = new MemoryFileSystem();
  const folder = vscode.Uri.from({ scheme: SCHEME, path: '/repo' });
  const at = (name: string): vscode.Uri => vscode.Uri.joinPath(folder, name);
  let registration: vscode.Disposable;

  before(async function () {
    await activateExtension();
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, memfs, { isCaseSensitive: true });
    memfs.createDirectory(folder);
    const weak = await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'vera@example.com');
    memfs.writeFile(at('vera.csr'), new TextEncoder().encode(weak), { create: true, overwrite: false });
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    registration?.dispose();
  });

  it('gets its Problems and its -13 CodeLens', async function () {
    await vscode.window.showTextDocument(at('vera.csr'));
    await diagnosticsWhere(at('vera.csr'), (found) => found.some((d) => codeValue(d) === 'rsa-key-too-small'));
    assert.ok(titles(await codeLenses(at('vera.csr'))).includes('Create a compliant key and CSR…'));
  });

  it('writes the new pair through workspace.fs, and a second one never over it', async function () {
    const pair = { csrUri: at('vera.new.csr').toString(), keyUri: at('vera.new.key').toString() };
    const result = await runCommand<NewCsrResult | undefined>(Commands.createCompliantCsr, at('vera.csr'), 0, {
      ...automation,
      keyType: 'ec-p256',
      passphrase,
      ...pair,
    });
    assert.ok(result);
    assert.equal(result.csrUri.toString(), pair.csrUri);
    assert.deepEqual(result.report.findings, []);
    assert.equal(result.keyExposedToGit, false);
    const keyPem = new TextDecoder().decode(memfs.readFile(at('vera.new.key')));
    assert.match(keyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.equal(createPrivateKey({ key: keyPem, passphrase }).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(new TextDecoder().decode(memfs.readFile(at('vera.new.csr'))), result.report.pem);

    await assert.rejects(
      runCommand(Commands.createCompliantCsr, at('vera.csr'), 0, {
        ...automation,
        keyType: 'ec-p256',
        passphrase: null,
        csrUri: at('vera.other.csr').toString(),
        keyUri: pair.keyUri,
      }),
      /already exists; it is never overwritten/,
    );
    assert.equal(new TextDecoder().decode(memfs.readFile(at('vera.new.key'))), keyPem, 'the first key is untouched');
    assert.deepEqual(
      memfs
        .readDirectory(folder)
        .map(([name]) => name)
        .sort(),
      ['vera.csr', 'vera.new.csr', 'vera.new.key'],
      'nothing else written, no temporary file left',
    );
  });
});
