// The shape of a CSR analysis. This is the contract between the analysis, the
// `sectigo-csr` command line (whose --json output is these objects, a public
// interface), the API client's pre-flight check, and the VS Code adapters.
// Change it only by adding fields. What the request or its file says (the file's name, the subject,
// the alternative names, a template's name) is outside text (core/outside-text.ts): a sink shows it.
import type { Outside } from '../outside-text';

export type Severity = 'error' | 'warning' | 'info';

/** Zero-based, end exclusive, like a VS Code Range; lines split on \n (a \r before it is not a character of the line). */
export interface SourceRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export interface Finding {
  severity: Severity;
  /** Stable machine code, kebab-case, e.g. 'rsa-key-too-small'. Scripts depend on it. */
  code: string;
  /** One sentence a person understands. Never contains a secret (challenge password). */
  message: string;
  /** The Sectigo errorCode this predicts (e.g. -13), or null. */
  sectigoErrorCode: number | null;
  range: SourceRange;
}

export interface SubjectPart {
  /** Short name where known (CN, O, OU, L, ST, C, E, street, postalCode, ...), else the OID. */
  type: string;
  oid: string;
  value: Outside;
}

export interface PublicKeyInfo {
  /** 'RSA', 'RSASSA-PSS', 'EC', 'Ed25519', 'Ed448', 'DSA', or the OID when unknown. */
  algorithm: string;
  /** Key size in bits (RSA modulus bits, EC field size, DSA p bits, 256/456 for EdDSA), or null when unknown. */
  size: number | null;
  /** 'P-256', 'P-384', 'P-521', 'secp256k1', 'brainpoolP256r1', ... or the curve OID; null when not EC. */
  curve: string | null;
  /** RSA public exponent as a decimal string (it can be huge), null when not RSA. */
  exponent: string | null;
}

export interface SignatureInfo {
  /** e.g. 'sha256WithRSAEncryption', 'RSASSA-PSS', 'ecdsa-with-SHA384', 'Ed25519', or the OID. */
  algorithm: string;
  /** 'MD2' | 'MD4' | 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SM3' | null (EdDSA / unknown). */
  hash: string | null;
  /** true verified, false does not verify, null could not be checked (see verifyError). */
  valid: boolean | null;
  /** Why the check could not run, when valid is null. */
  verifyError?: string;
}

export interface ExtensionInfo {
  oid: string;
  name: string;
  critical: boolean;
}

export interface MicrosoftTemplate {
  /** 1.3.6.1.4.1.311.20.2: the template name (v1). */
  v1: { name: Outside } | null;
  /** 1.3.6.1.4.1.311.21.7: template OID and versions (v2). */
  v2: { templateId: string; majorVersion: number | null; minorVersion: number | null } | null;
}

export interface CsrReport {
  /** The input's name as the caller gave it (a path, "<stdin>"). */
  file: Outside;
  /** Position of this CSR among the blocks of its file, from 0. */
  index: number;
  /** Where the block (PEM armour included) stands in the file. */
  range: SourceRange;
  subject: { text: Outside; parts: SubjectPart[] };
  /** 'email:a@b.c', 'DNS:x.y', 'IP:1.2.3.4', 'URI:https://...', 'othername:<oid>:<value>', 'dirName:...', 'registeredID:...' */
  subjectAltNames: Outside[];
  publicKey: PublicKeyInfo;
  signature: SignatureInfo;
  extensions: ExtensionInfo[];
  microsoftTemplate: MicrosoftTemplate | null;
  /** The PKCS#9 challengePassword attribute is present. Its value is never reported. */
  challengePassword: boolean;
  /** Other attribute OIDs present (besides extensionRequest and challengePassword). */
  otherAttributes: string[];
  findings: Finding[];
  /** The request as a canonical PEM block (64-column Base64), what a client sends as `csr`. */
  pem: string;
}

export interface CsrInputError {
  file: Outside;
  index: number;
  range: SourceRange;
  /** A specific, readable message: "this is a certificate, not a certificate request". */
  error: string;
  /** Stable machine code, e.g. 'not-a-csr-certificate', 'empty-input', 'input-too-large', 'bad-base64', 'bad-der'. */
  code: string;
}

export type CsrAnalysisResult = CsrReport | CsrInputError;

export function isCsrReport(result: CsrAnalysisResult): result is CsrReport {
  return (result as CsrInputError).error === undefined;
}

/** The values of AutoReplaceSMIME's signatureHash parameter, in the order Sectigo's document lists them: defined here once. */
export const SIGNATURE_HASH_OPTIONS = ['NO_PREFERENCE', 'INFER_FROM_CSR', 'PREFER_SHA2', 'REQUIRE_SHA2'] as const;

/** What the signatureHash parameter of AutoReplaceSMIME would do with this CSR. */
export type SignatureHashOption = (typeof SIGNATURE_HASH_OPTIONS)[number];
