// Finding PEM blocks in a file's text. Block indexes count blocks of one kind from 0, in
// file order: the index the CSR CodeLens passes for request blocks, and the certificate
// CodeLens for certificate blocks.
import * as vscode from 'vscode';

export interface PemBlock {
  index: number;
  text: string;
  range: vscode.Range;
}

const CSR_BLOCK = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]*?-----END (NEW )?CERTIFICATE REQUEST-----/g;
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

export function csrBlocks(document: vscode.TextDocument): PemBlock[] {
  const blocks = findBlocks(document, CSR_BLOCK);
  if (blocks.length > 0) return blocks;
  // A file of bare Base64 (no armour) is one request, as Sectigo accepts it.
  const text = document.getText().trim();
  if (text.length > 0 && /^[A-Za-z0-9+/=\s]+$/.test(text)) {
    return [{ index: 0, text, range: new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)) }];
  }
  return [];
}

export function certificateBlocks(document: vscode.TextDocument): PemBlock[] {
  return findBlocks(document, CERTIFICATE_BLOCK);
}

/** Opens a file as text; a binary (DER) file becomes one Base64 block so it can still be sent or read. */
export async function readBlocksFromFile(uri: vscode.Uri, kind: 'csr' | 'certificate'): Promise<{ blocks: PemBlock[]; document?: vscode.TextDocument; der?: Uint8Array }> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.length > 1024 * 1024) throw new Error(vscode.l10n.t('{0} is larger than 1 MB; it is not a CSR or certificate file.', vscode.workspace.asRelativePath(uri)));
  // DER starts with a SEQUENCE tag (0x30); PEM and Base64 are ASCII.
  if (bytes[0] === 0x30 && bytes.some((byte) => byte === 0 || byte > 0x7e)) {
    const base64 = Buffer.from(bytes).toString('base64');
    const label = kind === 'csr' ? 'CERTIFICATE REQUEST' : 'CERTIFICATE';
    const pem = `-----BEGIN ${label}-----\n${base64.replace(/(.{64})/g, '$1\n').trim()}\n-----END ${label}-----`;
    return { blocks: [{ index: 0, text: pem, range: new vscode.Range(0, 0, 0, 0) }], der: bytes };
  }
  const document = await vscode.workspace.openTextDocument(uri);
  return { blocks: kind === 'csr' ? csrBlocks(document) : certificateBlocks(document), document };
}
