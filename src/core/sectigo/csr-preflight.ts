// The CSR checked before it is sent: the project's CSR analysis says which
// findings Sectigo would refuse (-13 key size, -4 not a request). If the analysis
// itself fails, a minimal key check of our own still catches the -13 cases.
// Sectigo's CSR requirements: RSA 2048 to 8192 bits, EC on P-256, P-384 or P-521.
import 'reflect-metadata';
import { Pkcs10CertificateRequest } from '@peculiar/x509';
import { createPublicKey } from 'node:crypto';
import { analyseCsrText, isCsrReport } from '../csr/index';

export interface CsrRefusal {
  predictedErrorCode: -4 | -13;
  message: string;
}

export const RSA_MIN_BITS = 2048;
export const RSA_MAX_BITS = 8192;
const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

function toPem(csrText: string): string {
  const trimmed = csrText.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed.replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST');
  const body = trimmed.replace(/\s/g, '').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----`;
}

/** What Sectigo would refuse about this CSR, or undefined when nothing predicts a refusal. */
export function predictCsrRefusal(csrText: string): CsrRefusal | undefined {
  const results = analyseCsrText(csrText, 'csr');
  if (results.length > 1) return { predictedErrorCode: -4, message: `The CSR text holds ${results.length} blocks; send exactly one certificate request.` };
  const result = results[0];
  if (result === undefined || (!isCsrReport(result) && result.code === 'internal-error')) return predictKeyRefusal(csrText);
  if (!isCsrReport(result)) return { predictedErrorCode: -4, message: `The CSR cannot be used: ${result.error}.` };
  const refusal = result.findings.find((finding) => finding.severity === 'error' && (finding.sectigoErrorCode === -13 || finding.sectigoErrorCode === -4));
  if (refusal) return { predictedErrorCode: refusal.sectigoErrorCode === -13 ? -13 : -4, message: refusal.message };
  return undefined;
}

/** The fallback: the key alone, read with @peculiar/x509 and Node's crypto. */
export function predictKeyRefusal(csrText: string): CsrRefusal | undefined {
  let request: Pkcs10CertificateRequest;
  try {
    request = new Pkcs10CertificateRequest(toPem(csrText));
  } catch {
    return { predictedErrorCode: -4, message: 'The CSR cannot be read as a PKCS#10 certificate request.' };
  }
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    return { predictedErrorCode: -13, message: 'The CSR\'s public key is of a kind Sectigo does not accept (use RSA 2048-8192 bits or EC P-256/P-384/P-521).' };
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
      return { predictedErrorCode: -13, message: `The CSR has a ${bits}-bit RSA key; Sectigo accepts ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits.` };
    }
    return undefined;
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    return ACCEPTED_CURVES.has(curve) ? undefined : { predictedErrorCode: -13, message: `The CSR has an EC key on ${curve}; Sectigo accepts P-256, P-384 and P-521 only.` };
  }
  return { predictedErrorCode: -13, message: `The CSR has a ${key.asymmetricKeyType ?? 'unknown'} key; Sectigo accepts RSA 2048-8192 bits or EC P-256/P-384/P-521.` };
}
