// Finding certificate blocks in a file's text, counted from 0 in file order: the index the
// certificate CodeLens passes. (CSR blocks come from the CSR analysis, like part A's CodeLens.)
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES } from '../../core/bounded-read';
import { readBoundedUri } from '../bounded-file';

export interface PemBlock {
  index: number;
  text: string;
  range: vscode.Range;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function findBlocks(document: vscode.TextDocument, pattern: RegExp): PemBlock[] {
  const text = document.getText();
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    blocks.push({
      index: blocks.length,
      text: match[0],
      range: new vscode.Range(document.positionAt(start), document.positionAt(start + match[0].length)),
    });
  }
  return blocks;
}

export function certificateBlocks(document: vscode.TextDocument): PemBlock[] {
  return findBlocks(document, CERTIFICATE_BLOCK);
}

/** Opens a file as text; a binary (DER) file becomes one PEM block so it can still be read. */
export async function readCertificateBlocks(uri: vscode.Uri): Promise<PemBlock[]> {
  const bytes = await readBoundedUri(uri, MAX_INPUT_FILE_BYTES);
  // DER starts with a SEQUENCE tag (0x30); PEM and Base64 are ASCII.
  if (bytes[0] === 0x30 && bytes.some((byte) => byte === 0 || byte > 0x7e)) {
    const base64 = Buffer.from(bytes).toString('base64');
    const pem = `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').trim()}\n-----END CERTIFICATE-----`;
    return [{ index: 0, text: pem, range: new vscode.Range(0, 0, 0, 0) }];
  }
  return certificateBlocks(await vscode.workspace.openTextDocument(uri));
}
