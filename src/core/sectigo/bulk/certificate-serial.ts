// The serial number of a certificate file (PEM or DER), as AutoRevokeSSL wants it.
// Pure: the caller reads the bytes (with its own size limit).
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { LIMITS, normalizeSerialNumber } from '../validate';

export function serialFromCertificateBytes(bytes: Uint8Array): { serial: string; note?: string } | { problem: string } {
  const text = Buffer.from(bytes).toString('latin1');
  if (/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(text))
    return { problem: 'this is a certificate request (CSR), not a certificate.' };
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) && !/-----BEGIN CERTIFICATE-----/.test(text))
    return { problem: 'this is a private key, not a certificate.' };
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  let certificate: X509Certificate;
  try {
    certificate = blocks[0] !== undefined ? new X509Certificate(blocks[0]) : new X509Certificate(new Uint8Array(bytes));
  } catch {
    return { problem: 'not a PEM or DER X.509 certificate.' };
  }
  // DER integers carry a leading 00 when the top bit is set; it is not part of the serial.
  const serial = normalizeSerialNumber(certificate.serialNumber).replace(/^0+(?=.)/, '');
  if (serial.length > LIMITS.serialNumberHexDigits) {
    return {
      problem: `its serial number has ${serial.length} hex digits; AutoRevokeSSL accepts at most ${LIMITS.serialNumberHexDigits}.`,
    };
  }
  return blocks.length > 1
    ? { serial, note: `holds ${blocks.length} certificates; the first (${certificate.subject}) is revoked.` }
    : { serial };
}
