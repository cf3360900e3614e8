// A certificate file (PEM or DER) to the serial number AutoRevokeSSL takes: the one reader the
// command line (--certificate, certificate: rows of a list) and the editor (certificate files,
// list rows) share. It loads @peculiar/x509, so the editor reaches it through the client bundle.
// Pure: the caller reads the bytes with its own size limit.
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { certificateBlocks, notACertificate } from './certificate-pem';
import { LIMITS, normalizeSerialNumber } from './sectigo/validate';

export interface CertificateRead {
  /** Uppercase hexadecimal without separators or DER's leading zero byte. */
  serial: string;
  subject: string;
  /** How many certificate blocks the file holds; the first is the one read. */
  certificates: number;
}

export type CertificateProblem = 'request' | 'private-key' | 'unreadable' | 'serial-too-long';

export interface CertificateRefusal {
  problem: string;
  code: CertificateProblem;
}

/** The first certificate of a PEM text or DER bytes; a refusal says why it cannot be revoked by serial. */
export function readCertificateFile(input: Uint8Array | string): CertificateRead | CertificateRefusal {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const wrongKind = notACertificate(text);
  if (wrongKind) return { problem: wrongKind, code: /request/.test(wrongKind) ? 'request' : 'private-key' };
  const blocks = certificateBlocks(text);
  let certificate: X509Certificate;
  try {
    const first = blocks[0];
    certificate =
      first !== undefined
        ? new X509Certificate(first.text)
        : new X509Certificate(typeof input === 'string' ? Buffer.from(input, 'latin1') : new Uint8Array(input));
  } catch {
    return { problem: 'not a PEM or DER X.509 certificate.', code: 'unreadable' };
  }
  // DER integers carry a leading 00 when the top bit is set; it is not part of the serial.
  const serial = normalizeSerialNumber(certificate.serialNumber).replace(/^0+(?=.)/, '');
  if (serial.length > LIMITS.serialNumberHexDigits)
    return {
      problem: `its serial number has ${serial.length} hex digits; AutoRevokeSSL accepts at most ${LIMITS.serialNumberHexDigits}.`,
      code: 'serial-too-long',
    };
  return { serial, subject: certificate.subject, certificates: Math.max(1, blocks.length) };
}

export function isCertificateRefusal(read: CertificateRead | CertificateRefusal): read is CertificateRefusal {
  return 'problem' in read;
}
