// A CodeLens above each certificate in .pem/.crt/.cer files offering "Revoke this certificate…"
// (Commands.revokeFromCertificate, whose command and flow are revoke-from-certificate-command.ts
// and revoke-flow.ts). Registered at activation, which opening a certificate file causes (the
// x509-certificate language of package.json); the calls bundle loads when a lens is clicked.
import * as vscode from 'vscode';
import { MAX_EDITOR_CHARACTERS } from '../shared/editor-limits';
import { CERTIFICATE_LANGUAGE_ID, Commands, LANGUAGE_ID } from '../shared/ids';
import { codeLens } from '../shared/labels';
import { t } from '../shared/text';
import { isCodeLensEnabled, onDidChangeCodeLensSetting } from '../shared/settings';
import { certificateBlocks } from '../shared/certificate-blocks';

const CERTIFICATE_FILES: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.{pem,crt,cer}' },
  { scheme: 'untitled', pattern: '**/*.{pem,crt,cer}' },
  // An untitled certificate, or a file of another name the user set to the certificate language.
  { scheme: 'file', language: CERTIFICATE_LANGUAGE_ID },
  { scheme: 'untitled', language: CERTIFICATE_LANGUAGE_ID },
];

class CertificateCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isCodeLensEnabled() || !vscode.workspace.isTrusted || document.languageId === LANGUAGE_ID) return [];
    // A huge file is not a certificate file; do not scan it on every keystroke.
    if (document.getText().length > MAX_EDITOR_CHARACTERS) return [];
    return certificateBlocks(document).map((block) =>
      codeLens(new vscode.Range(block.range.start, block.range.start), {
        title: t('$(circle-slash) Revoke this certificate…'),
        tooltip: t('Revoke it with Sectigo by its serial number (AutoRevokeSSL); a test revocation is offered first'),
        command: Commands.revokeFromCertificate,
        arguments: [document.uri, block.index],
      }),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerCertificateCodeLens(context: vscode.ExtensionContext): void {
  const lenses = new CertificateCodeLensProvider();
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider(CERTIFICATE_FILES, lenses),
    onDidChangeCodeLensSetting(() => lenses.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
  );
}
