// Every file the extension reads for a call (a CSR, a certificate, a revocation list) has its
// kind and size known before it is read: a FIFO, a device or /dev/zero is refused at once,
// never read. One adapter over core/bounded-read.ts for VS Code URIs.
import * as vscode from 'vscode';
import { readBoundedFile } from '../../core/bounded-read';
import { formatCount } from '../../core/format-count';

/** The bytes of `uri`, a regular file of at most `maxBytes`; otherwise an error naming the file and why. */
export async function readBoundedUri(uri: vscode.Uri, maxBytes: number): Promise<Uint8Array> {
  const name = vscode.workspace.asRelativePath(uri);
  if (uri.scheme === 'file') {
    const read = await readBoundedFile(uri.fsPath, maxBytes);
    if (read.kind === 'refused') throw new Error(vscode.l10n.t('{0} cannot be used: {1}.', name, read.reason));
    return read.bytes;
  }
  // Another file system (a remote or virtual one): its stat says the kind and size first.
  const info = await vscode.workspace.fs.stat(uri);
  if ((info.type & vscode.FileType.File) === 0 || info.size > maxBytes) {
    throw new Error(
      vscode.l10n.t('{0} cannot be used: it is not a regular file of at most {1} bytes.', name, formatCount(maxBytes)),
    );
  }
  return vscode.workspace.fs.readFile(uri);
}
