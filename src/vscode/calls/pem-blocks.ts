// Certificate blocks of a file as the editor sees them, counted from 0 in file order: the index
// the certificate CodeLens passes. Where a block starts and ends is core's (certificate-pem.ts);
// this adds the editor ranges. (CSR blocks come from the CSR analysis.)
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES } from '../../core/bounded-read';
import { certificateBlocks as blocksInText, certificatePem } from '../../core/certificate-pem';
import { isDerBytes } from '../../core/der-or-text';
import { readBoundedUri } from '../shared/bounded-file';

export interface PemBlock {
  index: number;
  text: string;
  range: vscode.Range;
}

export function certificateBlocks(document: vscode.TextDocument): PemBlock[] {
  return blocksInText(document.getText()).map((block, index) => ({
    index,
    text: block.text,
    range: new vscode.Range(document.positionAt(block.start), document.positionAt(block.start + block.text.length)),
  }));
}

/** Opens a file as text; a binary (DER) file becomes one PEM block so it can still be read. */
export async function readCertificateBlocks(uri: vscode.Uri): Promise<PemBlock[]> {
  const bytes = await readBoundedUri(uri, MAX_INPUT_FILE_BYTES);
  if (isDerBytes(bytes)) return [{ index: 0, text: certificatePem(bytes), range: new vscode.Range(0, 0, 0, 0) }];
  return certificateBlocks(await vscode.workspace.openTextDocument(uri));
}
