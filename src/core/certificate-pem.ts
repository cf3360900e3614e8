// Where a certificate sits in a file's text: the PEM block of an X.509 certificate, and the
// blocks that look like one but are not (a request, a private key). The one place the
// certificate's PEM header is written; pure and light, so the editor's certificate CodeLens can
// find blocks without loading the X.509 library.
import { hasRequestHeader } from './pem-labels';

const CERTIFICATE_HEADER = '-----BEGIN CERTIFICATE-----';
const CERTIFICATE_FOOTER = '-----END CERTIFICATE-----';
const PRIVATE_KEY_HEADER = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export interface CertificateBlock {
  /** The block, header to footer. */
  text: string;
  /** Its offset in the text. */
  start: number;
}

/** Every certificate block of `text`, in file order (the index the certificate CodeLens passes). */
export function certificateBlocks(text: string): CertificateBlock[] {
  const blocks: CertificateBlock[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(CERTIFICATE_HEADER, from);
    if (start < 0) return blocks;
    const end = text.indexOf(CERTIFICATE_FOOTER, start + CERTIFICATE_HEADER.length);
    if (end < 0) return blocks;
    const stop = end + CERTIFICATE_FOOTER.length;
    blocks.push({ text: text.slice(start, stop), start });
    from = stop;
  }
}

export function hasCertificateHeader(text: string): boolean {
  return text.includes(CERTIFICATE_HEADER);
}

/** A text that is a certificate request or a private key rather than a certificate, said as a reason. */
export function notACertificate(text: string): string | undefined {
  if (hasRequestHeader(text)) return 'this is a certificate request (CSR), not a certificate.';
  if (PRIVATE_KEY_HEADER.test(text) && !hasCertificateHeader(text)) return 'this is a private key, not a certificate.';
  return undefined;
}

/** DER bytes as one PEM certificate block (64 characters a line). */
export function certificatePem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `${CERTIFICATE_HEADER}\n${base64.replace(/(.{64})/g, '$1\n').trim()}\n${CERTIFICATE_FOOTER}`;
}

/** The header as shown in a message ("no -----BEGIN CERTIFICATE----- block"). */
export const CERTIFICATE_HEADER_TEXT = CERTIFICATE_HEADER;
