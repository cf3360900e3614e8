// The one refusal rule. Every front end (the client's pre-flight, `sectigo-csr replace`,
// the VS Code confirmation, CodeLens and Problems) asks this module what Sectigo will do
// with a request and uses its words, so the same request reads the same everywhere.
//
// Policy:
// - certain: an error finding that names a Sectigo error code. Sectigo's document says it
//   refuses such a request (RSA outside 2048-8192 bits, a curve it does not accept: "Sectigo
//   will answer -13"; a csr over maxCsrCharacters: "-4"). Sending is blocked unless the user
//   insists.
// - likely: a warning or info finding that names a code. The document does not list the
//   key type, so a refusal is expected but not promised: "Sectigo may refuse (-13)". The
//   user is told before sending; sending is not blocked.
// Only types are imported: the VS Code adapters bundle this file without the analysis.
import type { CsrReport, Finding } from './types';
import { formatCount } from '../format-count';

export type RefusalCertainty = 'certain' | 'likely';

export interface Refusal {
  certainty: RefusalCertainty;
  /** The errorCode Sectigo is expected to answer, e.g. -13. */
  sectigoErrorCode: number;
  /** The finding behind it. */
  findingCode: string;
  /** A few words for a CodeLens: "RSA 1024 bits: Sectigo refuses (-13)". */
  short: string;
  /** The full wording for notes, confirmations and Problems: "Sectigo will answer -13: The RSA key …". */
  text: string;
  /** The finding's own message, for a surface that states the code beside it. */
  message: string;
}

export function refusalCertainty(finding: Finding): RefusalCertainty | null {
  if (finding.sectigoErrorCode === null) return null;
  return finding.severity === 'error' ? 'certain' : 'likely';
}

/** A finding's message, prefixed with what Sectigo will do when it predicts a refusal. */
export function findingSentence(finding: Finding): string {
  const certainty = refusalCertainty(finding);
  if (certainty === null) return finding.message;
  return certainty === 'certain'
    ? `Sectigo will answer ${finding.sectigoErrorCode}: ${finding.message}`
    : `Sectigo may refuse (${finding.sectigoErrorCode}): ${finding.message}`;
}

/** What the request is, in the words of a refusal lens: "RSA 1024 bits", "EC secp256k1", "DSA". */
function refusedPart(report: CsrReport, finding: Finding): string {
  if (finding.code === 'csr-too-long') return `CSR of ${formatCount(report.pem.length)} characters`;
  const key = report.publicKey;
  if (key.algorithm === 'EC') return `EC ${key.curve ?? 'curve unknown'}`;
  if (finding.code === 'rsa-modulus-not-multiple-of-8') return `RSA modulus of ${key.size ?? '?'} bits`;
  return key.size === null ? key.algorithm : `${key.algorithm} ${key.size} bits`;
}

/** Every refusal the request predicts, certain ones first, one per finding. */
export function refusals(report: CsrReport): Refusal[] {
  const found: Refusal[] = [];
  for (const finding of report.findings) {
    const certainty = refusalCertainty(finding);
    if (certainty === null || finding.sectigoErrorCode === null) continue;
    const verb = certainty === 'certain' ? 'Sectigo refuses' : 'Sectigo may refuse';
    found.push({
      certainty,
      sectigoErrorCode: finding.sectigoErrorCode,
      findingCode: finding.code,
      short: `${refusedPart(report, finding)}: ${verb} (${finding.sectigoErrorCode})`,
      text: findingSentence(finding),
      message: finding.message,
    });
  }
  return found.sort((a, b) => (a.certainty === b.certainty ? 0 : a.certainty === 'certain' ? -1 : 1));
}
