// The CSR analysis: pure TypeScript over node:crypto, shared by the command line,
// the API client's pre-flight check and the VS Code adapters.
import { DerError, announcedLength } from './der';
import { evaluateRules, maxCsrCharacters } from './findings';
import { findRequests, type FoundBlock, type FoundRequest } from './input';
import { classifyNonRequest, decodeRequest, nameToRfc4514 } from './pkcs10';
import type { CsrAnalysisResult, CsrInputError, CsrReport, SignatureInfo } from './types';
import { verifyRequestSignature } from './verify';

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
export { findingSentence, refusalCertainty, refusals, type Refusal, type RefusalCertainty } from './refusals';
export { findRequests, maxInputLength, type FoundBlock, type FoundRequest } from './input';

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
  const limit = maxCsrCharacters.toLocaleString('en-US');
  if (announcedLength(input) === input.length) {
    const length = pemLength(input.length);
    return length > maxCsrCharacters
      ? `as PEM the request would be ${length.toLocaleString('en-US')} characters; Sectigo accepts at most ${limit}`
      : null;
  }
  return input.length > 2 * maxCsrCharacters
    ? `the file is ${input.length.toLocaleString('en-US')} bytes, too long for one request (at most ${limit} characters as PEM)`
    : null;
}

/** A canonical PEM block: the standard header and 64-column Base64. */
export function toPem(der: Uint8Array): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

function analyseRequest(block: FoundRequest, file: string, index: number): CsrReport | CsrInputError {
  const asProblem = (code: string, error: string): CsrInputError => ({ file, index, range: block.range, error, code });
  const other = classifyNonRequest(block.der);
  if (other !== null) return asProblem(other.code, other.error);
  let request;
  try {
    request = decodeRequest(block.der);
  } catch (error) {
    if (error instanceof DerError)
      return asProblem('bad-der', `this is not a valid certificate request: ${error.message}`);
    return asProblem(
      'bad-der',
      `this is not a valid certificate request: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const verified = verifyRequestSignature(request);
  const signature: SignatureInfo = {
    algorithm: request.signatureAlgorithm.name,
    hash: request.signatureAlgorithm.hash,
    valid: verified.valid,
  };
  if (verified.verifyError !== undefined) signature.verifyError = verified.verifyError;
  const parts = request.subjectRdns.flat();
  const pem = toPem(block.der);
  const findings = evaluateRules({
    request,
    signature,
    subjectParts: parts,
    pemLength: pem.length,
    anchor: block.anchor,
  });
  return {
    file,
    index,
    range: block.range,
    subject: { text: nameToRfc4514(request.subjectRdns), parts },
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
}

/**
 * One block of `findRequests(input)`, the `index`-th, analysed alone: the result analyseCsrText
 * gives for it, so an editor can analyse the blocks in the order it needs them and keep the
 * results of blocks an edit left alone. May throw on a bug (analyseCsrText never does).
 */
export function analyseFoundBlock(block: FoundBlock, file: string, index: number): CsrAnalysisResult {
  return block.kind === 'request'
    ? analyseRequest(block, file, index)
    : { file, index, range: block.range, error: block.error, code: block.code };
}

/**
 * Analyses every certificate request in `input` (PEM blocks, bare Base64 or DER).
 * One result per block, in order; inputs that hold no request give one error result.
 * Never throws.
 */
export function analyseCsrText(input: string | Uint8Array, file = '<input>'): CsrAnalysisResult[] {
  try {
    return findRequests(input).map((block, index) => analyseFoundBlock(block, file, index));
  } catch (error) {
    // Defensive: a bug must still come back as a result, never as a crash of the caller.
    return [
      {
        file,
        index: 0,
        range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 },
        code: 'internal-error',
        error: `the analysis failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
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
