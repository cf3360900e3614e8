// "Sectigo: Revoke SSL Certificate from Certificate File…": reads the serial number of a
// certificate (PEM or DER, with @peculiar/x509 in the lazily loaded client bundle) and starts
// the revocation with it. A CodeLens above each certificate in .pem/.crt/.cer files offers it.
import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID } from '../ids';
import { certificateBlocks, readCertificateBlocks, type PemBlock } from './pem-blocks';
import { automationArgs, ensureTrusted, guarded } from './command-plumbing';
import type { CallDeps, CallReport } from './run-call';
import { REVOKE_AUTOMATION_SHAPE, revokeSsl, type RevokeAutomation } from './revoke-flow';
import { isCodeLensEnabled } from './settings';
import { askPick } from './input';
import { MAX_EDITOR_CHARACTERS } from '../csr-editor/analysis';

const CERTIFICATE_FILES: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.{pem,crt,cer}' },
  { scheme: 'untitled', pattern: '**/*.{pem,crt,cer}' },
];

async function chooseCertificateFile(
  uri: vscode.Uri | undefined,
  automation: boolean,
): Promise<vscode.Uri | undefined> {
  if (uri) return uri;
  const editor = vscode.window.activeTextEditor;
  if (
    editor &&
    editor.document.languageId !== LANGUAGE_ID &&
    /-----BEGIN CERTIFICATE-----/.test(editor.document.getText())
  )
    return editor.document.uri;
  if (automation) throw new Error('No certificate file was given.');
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Choose the certificate to revoke'),
    canSelectMany: false,
    openLabel: vscode.l10n.t('Revoke this certificate…'),
    filters: { [vscode.l10n.t('Certificates')]: ['pem', 'crt', 'cer', 'der'], [vscode.l10n.t('All files')]: ['*'] },
  });
  return picked?.[0];
}

export async function revokeFromCertificate(
  deps: CallDeps,
  uri: vscode.Uri | undefined,
  blockIndex: number | undefined,
  automation: RevokeAutomation | undefined,
): Promise<CallReport | undefined> {
  if (!ensureTrusted(automation !== undefined)) return undefined;
  const file = await chooseCertificateFile(uri, automation !== undefined);
  if (!file) return undefined;
  const blocks = await readCertificateBlocks(file);
  const name = vscode.workspace.asRelativePath(file);
  if (blocks.length === 0)
    throw new Error(vscode.l10n.t('{0} holds no certificate (no -----BEGIN CERTIFICATE----- block).', name));
  let block: PemBlock | undefined;
  if (blockIndex !== undefined) {
    block = blocks[blockIndex];
    if (!block)
      throw new Error(
        vscode.l10n.t(
          '{0} has no certificate number {1}; it has {2}.',
          name,
          String(blockIndex + 1),
          String(blocks.length),
        ),
      );
  } else if (blocks.length === 1 || automation) {
    block = blocks[0];
  } else {
    const module = await deps.clients.module();
    block = await askPick<PemBlock>({
      title: vscode.l10n.t('Revoke SSL certificate'),
      step: 1,
      totalSteps: 3,
      placeholder: vscode.l10n.t('{0} holds {1} certificates: which one?', name, String(blocks.length)),
      items: blocks.map((candidate) => {
        let label = vscode.l10n.t('Certificate {0}', String(candidate.index + 1));
        try {
          label = module.readCertificate(candidate.text).subject || label;
        } catch {
          // An unreadable block is still listed; reading it below says why.
        }
        return {
          label,
          description: vscode.l10n.t('line {0}', String(candidate.range.start.line + 1)),
          value: candidate,
        };
      }),
    });
  }
  if (!block) return undefined;
  const module = await deps.clients.module();
  const certificate = module.readCertificate(block.text);
  return revokeSsl(deps, {
    target: {
      kind: 'serialNumber',
      value: certificate.serialNumber,
      description: certificate.subject,
      certificateUri: file.toString(),
    },
    ...(automation ? { automation } : {}),
  });
}

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
    return certificateBlocks(document).map(
      (block) =>
        new vscode.CodeLens(new vscode.Range(block.range.start, block.range.start), {
          title: vscode.l10n.t('$(circle-slash) Revoke this certificate…'),
          tooltip: vscode.l10n.t(
            'Revoke it with Sectigo by its serial number (AutoRevokeSSL); a test revocation is offered first',
          ),
          command: Commands.revokeFromCertificate,
          arguments: [document.uri, block.index],
        }),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerRevokeFromCertificate(context: vscode.ExtensionContext, deps: CallDeps): void {
  const lenses = new CertificateCodeLensProvider();
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider(CERTIFICATE_FILES, lenses),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('sectigo.codeLens.enabled')) lenses.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
    vscode.commands.registerCommand(Commands.revokeFromCertificate, async (...args: unknown[]) => {
      const last = args[args.length - 1];
      const uri = args[0] instanceof vscode.Uri ? args[0] : undefined;
      const blockIndex =
        typeof args[1] === 'number' && Number.isSafeInteger(args[1]) && args[1] >= 0 ? args[1] : undefined;
      return guarded(
        deps,
        vscode.l10n.t('Revoke SSL certificate from file'),
        automationArgs(last, {}) !== undefined,
        () =>
          revokeFromCertificate(deps, uri, blockIndex, automationArgs<RevokeAutomation>(last, REVOKE_AUTOMATION_SHAPE)),
      );
    }),
  );
}
