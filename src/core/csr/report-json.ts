// The --json form of a CSR analysis result, shared by `inspect --json`, `new --json` and the
// assistants' inspect tool: a public interface, scripts parse it. Types only from the analysis, so
// the editor's tools can take it without the analysis itself.
import { isCsrReport, type CsrAnalysisResult } from './types';

/** The --json object for one result: exactly the documented fields. */
export function toJson(result: CsrAnalysisResult): Record<string, unknown> {
  if (!isCsrReport(result)) return { file: result.file, index: result.index, error: result.error, code: result.code };
  return {
    file: result.file,
    index: result.index,
    subject: result.subject.text,
    subjectAltNames: result.subjectAltNames,
    publicKey: {
      algorithm: result.publicKey.algorithm,
      size: result.publicKey.size,
      curve: result.publicKey.curve,
      exponent: result.publicKey.exponent,
    },
    signature: { algorithm: result.signature.algorithm, hash: result.signature.hash, valid: result.signature.valid },
    extensions: result.extensions.map((extension) => ({
      oid: extension.oid,
      name: extension.name,
      critical: extension.critical,
    })),
    microsoftTemplate: result.microsoftTemplate,
    findings: result.findings.map((finding) => ({
      severity: finding.severity,
      code: finding.code,
      message: finding.message,
      sectigoErrorCode: finding.sectigoErrorCode,
      range: finding.range,
    })),
  };
}
