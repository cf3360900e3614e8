// Throwaway CSRs made in-process for tests and the demo (WebCrypto, no openssl).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type CsrKeyKind = { kind: 'rsa'; bits: number } | { kind: 'ec'; curve: 'P-256' | 'P-384' | 'P-521' };

export async function makeCsrPem(key: CsrKeyKind, email = 'someone@example.com'): Promise<string> {
  const algorithm =
    key.kind === 'rsa'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          hash: 'SHA-256',
          publicExponent: new Uint8Array([1, 0, 1]),
          modulusLength: key.bits,
        }
      : { name: 'ECDSA', namedCurve: key.curve, hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${email}, E=${email}`,
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: email }])],
  });
  return csr.toString('pem');
}

/** A throwaway self-signed certificate with the given serial number (hex), for certificate-file tests. */
export async function makeCertificatePem(serialNumber: string): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: 'CN=www.example.test',
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: algorithm,
  });
  return certificate.toString('pem') + '\n';
}
