// Which certificates a client trusts: Node's roots, NODE_EXTRA_CA_CERTS and the caller's own,
// in one TLS context built once per client.
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { MAX_INPUT_FILE_BYTES, readBoundedFileSync } from '../bounded-read';
import type { ClientOptions } from './types';

/** Node's own roots, NODE_EXTRA_CA_CERTS and the caller's extra certificates: passing `ca` replaces Node's defaults, so all three are listed. */
export function trustedCertificates(
  options: ClientOptions,
  env: Record<string, string | undefined>,
  log: (level: 'warn', message: string) => void,
): string[] {
  const certificates = [...rootCertificates];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    const read = readBoundedFileSync(extraFile, MAX_INPUT_FILE_BYTES);
    if (read.kind === 'ok') certificates.push(read.bytes.toString('utf8'));
    else
      log(
        'warn',
        `NODE_EXTRA_CA_CERTS names ${extraFile}, which cannot be used (${read.reason}); continuing without it.`,
      );
  }
  certificates.push(...(options.extraCaCertificates ?? []));
  return certificates;
}

/** A TLS context from the trusted certificates; a certificate that cannot be read becomes a message, never a throw. */
export function buildSecureContext(certificates: string[]): { secureContext: SecureContext; problem?: string } {
  try {
    return { secureContext: createSecureContext({ ca: certificates }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      secureContext: createSecureContext(),
      problem: `The extra CA certificates (the CA file setting, --ca-file or NODE_EXTRA_CA_CERTS) cannot be used: ${reason}. Nothing was sent.`,
    };
  }
}
