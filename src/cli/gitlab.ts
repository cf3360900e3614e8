// `sectigo-csr check --format gitlab`: GitLab's code quality report (artifacts:reports:codequality),
// a JSON array with one issue per finding: description, check_name (the finding code),
// fingerprint, severity and location (the path from the repository's top folder and the
// request's lines). An input that is not a readable request is an issue too, at its first line,
// so a merge request shows it. Written as the inputs are analysed, like the SARIF log.
import { isCsrReport, type CsrAnalysisResult, type Severity } from '../core/csr/types';
import { JsonDocumentStream, type JsonDocument } from '../core/json-text';
import { findingFingerprint, ordinals, rootRelativePath, type SourceRoot } from './check-report';

/** GitLab's severities are info, minor, major, critical and blocker; the mapping is ESLint's formatter's. */
const severities: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info' };

export class GitLabCodeQuality {
  // Through the JSON sink's stream, as the SARIF log; nothing to redact in an analysis.
  private readonly stream = new JsonDocumentStream({ redacted: true });

  constructor(private readonly options: { cwd: string; root: SourceRoot }) {}

  start(): JsonDocument {
    return this.stream.open((issues) => issues);
  }

  private path(file: string): string {
    if (file === '<stdin>') return '-';
    // Outside the repository GitLab cannot show the file; its path as given still names it.
    return rootRelativePath(this.options.root, this.options.cwd, file) ?? file.split('\\').join('/');
  }

  input(results: readonly CsrAnalysisResult[]): JsonDocument[] {
    const pieces: JsonDocument[] = [];
    for (const result of results) {
      const path = this.path(result.file);
      const lines = { begin: result.range.startLine + 1, end: result.range.endLine + 1 };
      if (!isCsrReport(result)) {
        pieces.push(
          this.stream.element({
            description: `${result.file === '<stdin>' ? 'Standard input' : path}: ${result.error}`,
            check_name: result.code,
            fingerprint: findingFingerprint(result.code, '', result.index, `${path}\0${result.error}`),
            severity: 'major',
            location: { path, lines },
          }),
        );
        continue;
      }
      const places = ordinals(result.findings.map((finding) => finding.code));
      result.findings.forEach((finding, index) => {
        pieces.push(
          this.stream.element({
            description: finding.message,
            check_name: finding.code,
            // GitLab compares issues of two reports by fingerprint, and one report may not repeat one:
            // the same request in two files is two issues.
            fingerprint: findingFingerprint(finding.code, result.pem, places[index] as number, path),
            severity: severities[finding.severity],
            location: { path, lines },
          }),
        );
      });
    }
    return pieces;
  }

  end(): JsonDocument {
    return this.stream.close((issues) => issues);
  }
}
