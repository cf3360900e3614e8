// The heavy half of the calls: the undici HTTP client (with the CSR pre-flight it runs) and the
// certificate reader (@peculiar/x509). esbuild bundles this file on its own as
// dist/sectigo-client.js, which client-loader.ts requires only when a call is made, so
// activating the extension never evaluates undici. No 'vscode' here.
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';

export { createSectigoClient, validateBaseUrl } from '../../core/sectigo/client';

export interface CertificateSummary {
  /** Uppercase hexadecimal, no separators: what AutoRevokeSSL takes as serialNumber. */
  serialNumber: string;
  subject: string;
  issuer: string;
  notAfter: string;
}

/** Reads one certificate (PEM block or DER bytes); throws an Error with a readable message. */
export function readCertificate(input: string | Uint8Array): CertificateSummary {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(typeof input === 'string' ? input : Buffer.from(input));
  } catch (error) {
    throw new Error('This is not an X.509 certificate that can be read (PEM or DER).', { cause: error });
  }
  return {
    serialNumber: certificate.serialNumber.toUpperCase(),
    subject: certificate.subject,
    issuer: certificate.issuer,
    notAfter: certificate.notAfter.toISOString(),
  };
}
