// Bundle entry (dist/sectigo-client.js, loaded through ./load.ts when a call is made): the undici
// HTTP client (with the CSR pre-flight it runs) and the certificate reader (@peculiar/x509), so
// activating the extension never evaluates them. No 'vscode' here.
export { createSectigoClient, validateBaseUrl } from '../../core/sectigo/client';
export { readCertificateFile } from '../../core/certificate-file';
// The one redaction of a proxy setting's user and password, for the account's connection step.
export { proxyDisplay } from '../../core/sectigo/route';
