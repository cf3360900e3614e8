// The CSR analysis, without any Node built-in: it runs in Node (index.ts binds Node's crypto
// as the signature check) and in a browser's web worker (browser.ts binds WebCrypto). The
// signature check is the one part that differs, passed in as a SignatureVerifier.
import { pemBlock } from './bytes';
import { announcedLength } from './der';
import { evaluateRules, maxCsrCharacters } from './findings';
import { CANONICAL_LABEL, findRequests, type FoundBlock, type FoundRequest } from './input';
import { classifyNonRequest, decodeRequest, nameToRfc4514, type DecodedRequest } from './pkcs10';
import { outside } from '../outside-text';
import { reportedRsaModulus } from './shared-primes';
import type { CsrAnalysisResult, CsrInputError, CsrReport, SignatureInfo } from './types';
import {
  errorText,
  isVerifyOutcome,
  planVerification,
  type SignatureVerifier,
  type SyncSignatureVerifier,
  type VerifyOutcome,
} from './verifier';
import { formatCount } from '../format-count';

export { isCsrReport } from './types';
export type * from './types';
export {
  acceptedCurves,
  acceptedKeysText,
  effectiveSignatureHashOption,
  explainSignatureHash,
  findingCodes,
  listedKeyTypes,
  maxCsrCharacters,
  maxRsaBits,
  minRsaBits,
  subjectLengthLimits,
  type FindingCode,
} from './findings';
export { findingHelpUri, projectHomepage } from './finding-help';
export {
  findSharedPrimes,
  maxSharedPrimeKeys,
  sharedPrimeDeadlineMs,
  withSharedPrimeFindings,
  type SharedPrimeOutcome,
} from './shared-primes';
export { findingSentence, refusalCertainty, refusals, type Refusal, type RefusalCertainty } from './refusals';
export { findRequests, maxInputLength, type FoundBlock, type FoundRequest } from './input';
export type { SignatureVerifier, SyncSignatureVerifier, VerificationJob, VerifyOutcome } from './verifier';

/** The length of the PEM block toPem makes of `derLength` bytes: header, 64-column Base64, footer. */
export function pemLength(derLength: number): number {
  const base64 = 4 * Math.ceil(derLength / 3);
  return base64 + Math.ceil(base64 / 64) + 70;
}

/**
 * Why `input` cannot be the one request to send, judged from its size alone, before any
 * decoding: DER whose PEM would pass the API's limit, or text too long to hold such a request
 * with room for the lines around it (openssl -text output, a pasted e-mail).
 */
export function oversizeForOneRequest(input: Uint8Array): string | null {
  const limit = formatCount(maxCsrCharacters);
  if (announcedLength(input) === input.length) {
    const length = pemLength(input.length);
    return length > maxCsrCharacters
      ? `as PEM the request would be ${formatCount(length)} characters; Sectigo accepts at most ${limit}`
      : null;
  }
  return input.length > 2 * maxCsrCharacters
    ? `the file is ${formatCount(input.length)} bytes, too long for one request (at most ${limit} characters as PEM)`
    : null;
}

/** A canonical PEM block: the standard header and 64-column Base64. */
export function toPem(der: Uint8Array): string {
  return pemBlock(CANONICAL_LABEL, der);
}

type Decoded = { block: FoundRequest; request: DecodedRequest } | CsrInputError;

/** The decoding half of one block's analysis: a request to verify, or why it is none. */
function decodeBlock(block: FoundRequest, file: string, index: number): Decoded {
  const asProblem = (code: string, error: string): CsrInputError => ({
    file: outside(file),
    index,
    range: block.range,
    error,
    code,
  });
  const other = classifyNonRequest(block.der);
  if (other !== null) return asProblem(other.code, other.error);
  try {
    return { block, request: decodeRequest(block.der) };
  } catch (error) {
    return asProblem('bad-der', `this is not a valid certificate request: ${errorText(error)}`);
  }
}

/** The half after the signature check: the report. */
function buildReport(
  block: FoundRequest,
  request: DecodedRequest,
  verified: VerifyOutcome,
  file: string,
  index: number,
): CsrReport {
  const signature: SignatureInfo = {
    algorithm: request.signatureAlgorithm.name,
    hash: request.signatureAlgorithm.hash,
    valid: verified.valid,
  };
  if (verified.verifyError !== undefined) signature.verifyError = verified.verifyError;
  const parts = request.subjectRdns.flat();
  const pem = block.pem ?? toPem(block.der);
  const findings = evaluateRules({
    request,
    signature,
    subjectParts: parts,
    pemLength: pem.length,
    anchor: block.anchor,
  });
  const report: CsrReport = {
    file: outside(file),
    index,
    range: block.range,
    subject: { text: outside(nameToRfc4514(request.subjectRdns)), parts },
    subjectAltNames: request.subjectAltNames,
    publicKey: request.publicKey,
    signature,
    extensions: request.extensions,
    microsoftTemplate: request.microsoftTemplate,
    challengePassword: request.challengePassword,
    otherAttributes: request.otherAttributes,
    findings,
    pem,
  };
  if (request.rsaModulus !== null && request.rsaModulus > 1n) analysedModuli.set(report, request.rsaModulus);
  return report;
}

/** The RSA modulus of each report made in this process: the batch's shared primes need it, a report carries no numbers. */
const analysedModuli = new WeakMap<CsrReport, bigint>();

/** The RSA modulus behind a report made here, else read again from its PEM (a report from a worker). */
export function rsaModulusOf(report: CsrReport): bigint | null {
  return analysedModuli.get(report) ?? reportedRsaModulus(report);
}

/**
 * Gives a report that came from another thread the modulus its thread read (a structured clone
 * keeps no WeakMap entry): rsaModulusOf then need not decode its PEM again.
 */
export function keepRsaModulus(report: CsrReport, modulus: bigint): void {
  if (modulus > 1n) analysedModuli.set(report, modulus);
}

function internalError(file: string, error: unknown): CsrAnalysisResult[] {
  // Defensive: a bug must still come back as a result, never as a crash of the caller.
  return [
    {
      file: outside(file),
      index: 0,
      range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 },
      code: 'internal-error',
      error: `the analysis failed unexpectedly: ${errorText(error)}`,
    },
  ];
}

function decodeFound(block: FoundBlock, file: string, index: number): Decoded {
  return block.kind === 'request'
    ? decodeBlock(block, file, index)
    : { file: outside(file), index, range: block.range, error: block.error, code: block.code };
}

function decodeAll(input: string | Uint8Array, file: string): Decoded[] {
  return findRequests(input).map((block, index) => decodeFound(block, file, index));
}

/**
 * One block of `findRequests(input)`, the `index`-th, analysed alone with a synchronous check:
 * the result analyseCsrTextWith gives for it, so an editor can analyse the blocks in the order
 * it needs them and keep the results of blocks an edit left alone. May throw on a bug
 * (analyseCsrTextWith never does).
 */
export function analyseFoundBlockWith(
  verifier: SyncSignatureVerifier,
  block: FoundBlock,
  file: string,
  index: number,
): CsrAnalysisResult {
  const decoded = decodeFound(block, file, index);
  if (!('request' in decoded)) return decoded;
  const plan = planVerification(decoded.request);
  return buildReport(decoded.block, decoded.request, isVerifyOutcome(plan) ? plan : verifier.verify(plan), file, index);
}

/** analyseFoundBlockWith with a signature check that may be asynchronous (the browser's WebCrypto). May reject on a bug. */
export async function analyseFoundBlockAsync(
  verifier: SignatureVerifier,
  block: FoundBlock,
  file: string,
  index: number,
): Promise<CsrAnalysisResult> {
  const decoded = decodeFound(block, file, index);
  if (!('request' in decoded)) return decoded;
  return buildReport(decoded.block, decoded.request, await verifyOrSettle(verifier, decoded.request), file, index);
}

function verifyOrSettle(verifier: SignatureVerifier, request: DecodedRequest): VerifyOutcome | Promise<VerifyOutcome> {
  const plan = planVerification(request);
  return isVerifyOutcome(plan) ? plan : verifier.verify(plan);
}

/**
 * Analyses every certificate request in `input` (PEM blocks, bare Base64 or DER) with a
 * synchronous signature check. One result per block, in order; inputs that hold no request
 * give one error result. Never throws.
 */
export function analyseCsrTextWith(
  verifier: SyncSignatureVerifier,
  input: string | Uint8Array,
  file = '<input>',
): CsrAnalysisResult[] {
  try {
    return decodeAll(input, file).map((decoded, index): CsrAnalysisResult => {
      if (!('request' in decoded)) return decoded;
      const plan = planVerification(decoded.request);
      const verified = isVerifyOutcome(plan) ? plan : verifier.verify(plan);
      return buildReport(decoded.block, decoded.request, verified, file, index);
    });
  } catch (error) {
    return internalError(file, error);
  }
}

/** The same analysis with a signature check that may be asynchronous (the browser's WebCrypto). */
export async function analyseCsrTextAsync(
  verifier: SignatureVerifier,
  input: string | Uint8Array,
  file = '<input>',
): Promise<CsrAnalysisResult[]> {
  try {
    const decoded = decodeAll(input, file);
    const verdicts = await Promise.all(
      decoded.map((one) => ('request' in one ? verifyOrSettle(verifier, one.request) : null)),
    );
    return decoded.map((one, index): CsrAnalysisResult => {
      const verified = verdicts[index];
      return 'request' in one && verified
        ? buildReport(one.block, one.request, verified, file, index)
        : (one as CsrInputError);
    });
  } catch (error) {
    return internalError(file, error);
  }
}

/** One line for a CodeLens or a status bar: "RSA 2048 · SHA-256 · signature OK · alice@example.com". */
export function summariseCsr(report: CsrReport): string {
  const key = report.publicKey;
  const keyText =
    key.algorithm === 'EC'
      ? `EC ${key.curve ?? '?'}`
      : key.size === null
        ? key.algorithm
        : `${key.algorithm} ${key.size}`;
  // EdDSA has no separate hash: its algorithm name stands in the hash's place.
  const hash = report.signature.hash ?? report.signature.algorithm;
  const verdict =
    report.signature.valid === true
      ? 'signature OK'
      : report.signature.valid === false
        ? 'signature INVALID'
        : 'signature not checked';
  const email =
    report.subjectAltNames.find((name) => name.startsWith('email:'))?.slice('email:'.length) ??
    report.subject.parts.find((part) => part.type === 'E')?.value ??
    'no email';
  return [keyText, hash, verdict, email].join(' · ');
}
