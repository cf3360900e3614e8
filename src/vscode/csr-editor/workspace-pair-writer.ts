// New CSR's writer for folders that are not on this machine's disk (github.dev's repositories,
// a remote folder seen from the browser, any FileSystemProvider): core/csr-new/pair-through-any-fs.ts
// over vscode.workspace.fs. Both files or neither, never over an existing file. Such a file
// system has no permission bits to set, so the key is not made owner-only (the message says so).
import * as vscode from 'vscode';
import {
  checkPairFree,
  writePairThrough,
  type Pair,
  type PairFileSystem,
} from '../../core/csr-new/pair-through-any-fs';

function parentOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return false;
    throw error;
  }
}

const workspaceFs: PairFileSystem<vscode.Uri> = {
  exists,
  async folderExists(uri) {
    try {
      return ((await vscode.workspace.fs.stat(parentOf(uri))).type & vscode.FileType.Directory) !== 0;
    } catch {
      return false;
    }
  },
  write: (uri, bytes) => Promise.resolve(vscode.workspace.fs.writeFile(uri, bytes)),
  // The file service refuses the rename when the target exists and overwrite is false.
  renameWithoutReplacing: (from, to) => Promise.resolve(vscode.workspace.fs.rename(from, to, { overwrite: false })),
  remove: (uri) => Promise.resolve(vscode.workspace.fs.delete(uri, { recursive: false, useTrash: false })),
  sibling: (uri, name) => vscode.Uri.joinPath(parentOf(uri), name),
  baseName: (uri) => uri.path.slice(uri.path.lastIndexOf('/') + 1),
  show: (uri) => vscode.workspace.asRelativePath(uri, false),
  same: (a, b) => a.toString() === b.toString(),
};

export interface WorkspacePairWriter {
  exists(uri: vscode.Uri): Promise<boolean>;
  canWriteBeside(uri: vscode.Uri): boolean;
  checkFree(pair: Pair<vscode.Uri>): Promise<void>;
  write(pair: Pair<vscode.Uri>, csrText: string, keyText: string): Promise<{ keyAccess: null }>;
}

export function workspacePairWriter(): WorkspacePairWriter {
  return {
    exists,
    canWriteBeside: (uri) => vscode.workspace.fs.isWritableFileSystem(uri.scheme) === true,
    checkFree: (pair) => checkPairFree(workspaceFs, pair),
    async write(pair, csrText, keyText) {
      await writePairThrough(workspaceFs, pair, csrText, keyText);
      return { keyAccess: null };
    },
  };
}
