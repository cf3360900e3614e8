// A new key pair and a signed PKCS#10 request for it, built with WebCrypto (globalThis.crypto:
// Node 20 and browsers alike, so the editor's browser build uses this module as it is) and
// @peculiar/x509, then read back by the project's own analysis, which the caller gives (Node's,
// or the browser's with its own signature check): a request with an error finding is never
// handed out. Making the pair is pure; writing it is the caller's (pair-on-node-fs.ts on Node's file
// system, pair-through-any-fs.ts through another). This module loads the X.509 library, so only the
// `new` command and the editor's "create a compliant key" command import it (never `inspect`).
import 'reflect-metadata';
import {
  Name,
  Pkcs10CertificateRequestGenerator,
  SubjectAlternativeNameExtension,
  cryptoProvider,
  type JsonAttributeAndValue,
} from '@peculiar/x509';
import { isCsrReport, type CsrAnalysisResult, type CsrReport } from '../csr/types';
import { privateKeyPem } from './private-key-pem';
import { emailAddressOid, type KeyType, type RequestSubject, type SubjectAttribute } from './subject';

cryptoProvider.set(globalThis.crypto);

interface KeyRecipe {
  generate: RsaHashedKeyGenParams | EcKeyGenParams;
  sign: Algorithm | EcdsaParams;
}

const rsa = (bits: number): KeyRecipe => ({
  generate: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: bits,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  sign: { name: 'RSASSA-PKCS1-v1_5' },
});

/** Key generation and signature per key type: SHA-256, or SHA-384 for P-384 (matching the curve's strength). */
const recipes: Record<KeyType, KeyRecipe> = {
  'rsa-2048': rsa(2048),
  'rsa-3072': rsa(3072),
  'rsa-4096': rsa(4096),
  'ec-p256': {
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
  },
  'ec-p384': {
    generate: { name: 'ECDSA', namedCurve: 'P-384' },
    sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams,
  },
};

const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const countryOid = '2.5.4.6';
const domainComponentOid = '0.9.2342.19200300.100.1.25';

/** The value as DER would carry it: IA5String for mailboxes and domain components, else PrintableString where it fits, else UTF8String. */
function attributeValue(attribute: SubjectAttribute): JsonAttributeAndValue[string][number] {
  if (attribute.hexDer) return `#${attribute.value}`;
  if (attribute.oid === emailAddressOid || attribute.oid === domainComponentOid) return { ia5String: attribute.value };
  if (attribute.oid === countryOid || printable.test(attribute.value)) return { printableString: attribute.value };
  return { utf8String: attribute.value };
}

function toName(subject: RequestSubject): Name {
  return new Name(
    subject.rdns.map((rdn) => {
      const item: Record<string, (string | Record<string, string>)[]> = {};
      for (const attribute of rdn)
        (item[attribute.oid] ??= []).push(attributeValue(attribute) as string | Record<string, string>);
      return item as JsonAttributeAndValue;
    }),
  );
}

export interface NewRequest {
  /** The request, canonical PEM. */
  csrPem: string;
  /** The private key, PKCS#8 PEM (encrypted when a passphrase was given). Never print or log it. */
  keyPem: string;
  /** The project's analysis of the new request. */
  report: CsrReport;
}

/** Thrown when the request built does not pass the analysis; nothing is handed out. */
export class NonCompliantRequestError extends Error {
  constructor(
    readonly report: CsrReport | null,
    message: string,
  ) {
    super(message);
    this.name = 'NonCompliantRequestError';
  }
}

/** The project's analysis of a request's DER, as the host runs it. */
export type AnalyseRequest = (der: Uint8Array, file: string) => CsrAnalysisResult[] | Promise<CsrAnalysisResult[]>;

/**
 * Generates a key of `keyType`, builds and signs a request for `subject` (the e-mails go to the
 * SAN as rfc822Names), checks it with `analyse`, and exports the key (encrypted with
 * `passphrase` unless it is null). `file` names the request in the report.
 */
export async function makeRequestPair(
  analyse: AnalyseRequest,
  subject: RequestSubject,
  keyType: KeyType,
  passphrase: string | null,
  file = '<new>',
): Promise<NewRequest> {
  const recipe = recipes[keyType];
  const keys = (await globalThis.crypto.subtle.generateKey(recipe.generate, true, ['sign', 'verify'])) as CryptoKeyPair;
  const request = await Pkcs10CertificateRequestGenerator.create({
    name: toName(subject),
    keys,
    signingAlgorithm: recipe.sign,
    extensions:
      subject.emails.length === 0
        ? []
        : [new SubjectAlternativeNameExtension(subject.emails.map((value) => ({ type: 'email' as const, value })))],
  });
  const results = await analyse(new Uint8Array(request.rawData), file);
  const report = results[0];
  if (results.length !== 1 || report === undefined || !isCsrReport(report)) {
    throw new NonCompliantRequestError(
      null,
      'the request built could not be read back by the analysis (this is a bug)',
    );
  }
  const errors = report.findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) {
    throw new NonCompliantRequestError(
      report,
      `the new request would not pass: ${errors.map((finding) => `${finding.code}: ${finding.message}`).join(' ')}`,
    );
  }
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey));
  try {
    return { csrPem: report.pem, keyPem: await privateKeyPem(pkcs8, passphrase), report };
  } finally {
    pkcs8.fill(0);
  }
}
