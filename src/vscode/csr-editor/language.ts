// A .pem file can hold anything (certificates, keys, chains), so .pem is not claimed by the
// language. The contributed firstLine pattern catches a .pem that starts with a request; this
// adapter catches the rest (text or a key before the request) by looking for the request
// header near the start, and switches only plain-text documents, each at most once, so a user
// who picks another language for the file keeps it.
import * as vscode from 'vscode';
import { hasRequestHeader } from '../../core/pem-labels';
import { LANGUAGE_ID } from '../shared/ids';

/** How far into the file the header is looked for. */
const SNIFF_CHARACTERS = 64 * 1024;

function isPemPath(uri: vscode.Uri): boolean {
  return /\.pem$/i.test(uri.path);
}

function holdsCsr(document: vscode.TextDocument): boolean {
  const end = document.positionAt(SNIFF_CHARACTERS);
  return hasRequestHeader(document.getText(new vscode.Range(new vscode.Position(0, 0), end)));
}

export function registerPemLanguageAdapter(context: vscode.ExtensionContext): void {
  const switched = new Set<string>();
  const consider = async (document: vscode.TextDocument): Promise<void> => {
    const key = document.uri.toString();
    if (document.languageId !== 'plaintext' || !isPemPath(document.uri) || switched.has(key) || !holdsCsr(document))
      return;
    switched.add(key);
    try {
      await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
    } catch {
      // The document closed meanwhile; nothing to switch.
    }
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((document) => void consider(document)));
  for (const document of vscode.workspace.textDocuments) void consider(document);
}
