// "Sectigo: Revoke from Certificate File…" (also the CodeLens above each certificate in
// .pem/.crt/.cer files, certificate-codelens.ts); the flow (which certificate, its serial number,
// the revocation) is revokeFromCertificate in revoke-flow.ts.
import * as vscode from 'vscode';
import { registerGuarded } from '../shared/command-boundary';
import { Commands } from '../shared/ids';
import { t } from '../shared/text';
import { REVOKE_AUTOMATION_SHAPE, revokeFromCertificate } from './revoke-flow';
import type { CallDeps } from './run-call';

export function registerRevokeFromCertificate(context: vscode.ExtensionContext, deps: CallDeps): void {
  context.subscriptions.push(
    registerGuarded(deps.log, Commands.revokeFromCertificate, t('Revoke SSL certificate from file'), async (args) =>
      revokeFromCertificate(deps, args.uri, args.blockIndex, args.automation(REVOKE_AUTOMATION_SHAPE)),
    ),
  );
}
