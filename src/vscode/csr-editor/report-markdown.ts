// Markdown for the hover and the inspect report. Everything that comes from the CSR passes
// markdownText (core): a subject can hold any character, and it must show as text, never as
// markup or a link.
import * as vscode from 'vscode';
import { markdownCode, markdownText } from '../../core/markdown-text';
import { findingSentence } from '../../core/csr/refusals';
import type { CsrAnalysisResult, CsrInputError, CsrReport, Finding, SignatureHashOption } from '../../core/csr/types';
import { isCsrReport } from '../../core/csr/types';
import { MAX_EDITOR_CHARACTERS, type DocumentAnalysis } from './analysis';
import { describeLines } from './ranges';

const MEGABYTE = 1024 * 1024;

/** The parts of the analysis module the markdown needs (passed in: that module loads lazily). */
export interface CsrTexts {
  summariseCsr(report: CsrReport): string;
  explainSignatureHash(hash: string | null, option: SignatureHashOption): string;
}

const SIGNATURE_HASH_OPTIONS: readonly SignatureHashOption[] = [
  'NO_PREFERENCE',
  'INFER_FROM_CSR',
  'PREFER_SHA2',
  'REQUIRE_SHA2',
];

/** Text shown literally (also inside a table cell): the one escaping for every piece of request text. */
export const escapeMarkdown = markdownText;

/** Inline code for a token of known shape (an OID, a code); any other text is shown escaped instead. */
const code = markdownCode;

export function severityLabel(severity: Finding['severity']): string {
  switch (severity) {
    case 'error':
      return vscode.l10n.t('Error');
    case 'warning':
      return vscode.l10n.t('Warning');
    case 'info':
      return vscode.l10n.t('Info');
  }
}

/** The core's sentence for the finding ("Sectigo will answer -13: …", "Sectigo may refuse (-13): …"), the same on every surface. */
export function findingText(finding: Finding): string {
  return findingSentence(finding);
}

function yesNo(value: boolean): string {
  return value ? vscode.l10n.t('yes') : vscode.l10n.t('no');
}

export function signatureStatus(report: CsrReport): string {
  if (report.signature.valid === true) return vscode.l10n.t('verifies with the request’s own key');
  if (report.signature.valid === false)
    return vscode.l10n.t('does NOT verify: the request was altered or signed with another key');
  return vscode.l10n.t('could not be checked ({0})', report.signature.verifyError ?? vscode.l10n.t('no reason given'));
}

function keyDescription(report: CsrReport): string {
  const key = report.publicKey;
  const parts = [key.algorithm];
  if (key.size !== null) parts.push(vscode.l10n.t('{0} bits', key.size));
  if (key.curve !== null) parts.push(key.curve);
  if (key.exponent !== null) parts.push(vscode.l10n.t('exponent {0}', key.exponent));
  return parts.join(', ');
}

function templateDescription(report: CsrReport): string | undefined {
  const template = report.microsoftTemplate;
  if (template === null) return undefined;
  const parts: string[] = [];
  if (template.v1 !== null) parts.push(vscode.l10n.t('name {0}', code(template.v1.name)));
  if (template.v2 !== null) {
    const { templateId, majorVersion, minorVersion } = template.v2;
    const version =
      majorVersion === null
        ? ''
        : ` ${vscode.l10n.t('version {0}', `${majorVersion}${minorVersion === null ? '' : `.${minorVersion}`}`)}`;
    parts.push(vscode.l10n.t('template {0}', code(templateId)) + version);
  }
  return parts.join('; ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function findingsTable(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [vscode.l10n.t('No findings: nothing here that Sectigo is known to refuse.')];
  return table(
    [vscode.l10n.t('Severity'), vscode.l10n.t('Line'), vscode.l10n.t('Sectigo answer'), vscode.l10n.t('Finding')],
    findings.map((finding) => [
      severityLabel(finding.severity),
      String(finding.range.startLine + 1),
      finding.sectigoErrorCode === null ? '—' : code(String(finding.sectigoErrorCode)),
      `${escapeMarkdown(finding.message)} (${code(finding.code)})`,
    ]),
  );
}

function reportSection(report: CsrReport, total: number, texts: CsrTexts): string[] {
  const lines: string[] = [];
  const title =
    total > 1
      ? vscode.l10n.t('Request {0} of {1} ({2})', report.index + 1, total, describeLines(report.range))
      : vscode.l10n.t('Request ({0})', describeLines(report.range));
  lines.push(`## ${escapeMarkdown(title)}`, '', `**${escapeMarkdown(texts.summariseCsr(report))}**`, '');

  lines.push(`### ${vscode.l10n.t('Findings')}`, '', ...findingsTable(report.findings), '');

  lines.push(`### ${vscode.l10n.t('Subject')}`, '');
  if (report.subject.parts.length === 0) lines.push(vscode.l10n.t('The subject is empty.'));
  else {
    lines.push(code(report.subject.text), '');
    lines.push(
      ...table(
        [vscode.l10n.t('Field'), vscode.l10n.t('OID'), vscode.l10n.t('Value')],
        report.subject.parts.map((part) => [escapeMarkdown(part.type), code(part.oid), escapeMarkdown(part.value)]),
      ),
    );
  }
  lines.push('');

  lines.push(`### ${vscode.l10n.t('Subject alternative names')}`, '');
  if (report.subjectAltNames.length === 0) lines.push(vscode.l10n.t('None.'));
  // As code: an address or URI from the request is shown as text, never turned into a link.
  else lines.push(...report.subjectAltNames.map((name) => `- ${code(name)}`));
  lines.push('');

  lines.push(`### ${vscode.l10n.t('Public key')}`, '');
  lines.push(
    ...table(
      [vscode.l10n.t('Property'), vscode.l10n.t('Value')],
      [
        [vscode.l10n.t('Algorithm'), escapeMarkdown(report.publicKey.algorithm)],
        [
          vscode.l10n.t('Size'),
          report.publicKey.size === null ? '—' : vscode.l10n.t('{0} bits', report.publicKey.size),
        ],
        [vscode.l10n.t('Curve'), report.publicKey.curve === null ? '—' : escapeMarkdown(report.publicKey.curve)],
        [
          vscode.l10n.t('Exponent'),
          report.publicKey.exponent === null ? '—' : escapeMarkdown(report.publicKey.exponent),
        ],
      ],
    ),
    '',
  );

  lines.push(`### ${vscode.l10n.t('Signature')}`, '');
  lines.push(
    ...table(
      [vscode.l10n.t('Property'), vscode.l10n.t('Value')],
      [
        [vscode.l10n.t('Algorithm'), escapeMarkdown(report.signature.algorithm)],
        [vscode.l10n.t('Hash'), report.signature.hash === null ? '—' : escapeMarkdown(report.signature.hash)],
        [vscode.l10n.t('Signature'), escapeMarkdown(signatureStatus(report))],
      ],
    ),
    '',
  );
  lines.push(vscode.l10n.t('What AutoReplaceSMIME’s {0} parameter does with this request:', code('signatureHash')), '');
  lines.push(
    ...table(
      [vscode.l10n.t('Option'), vscode.l10n.t('Effect')],
      SIGNATURE_HASH_OPTIONS.map((option) => [
        code(option),
        escapeMarkdown(texts.explainSignatureHash(report.signature.hash, option)),
      ]),
    ),
    '',
  );

  lines.push(`### ${vscode.l10n.t('Requested extensions')}`, '');
  if (report.extensions.length === 0) lines.push(vscode.l10n.t('None.'));
  else
    lines.push(
      ...table(
        [vscode.l10n.t('Name'), vscode.l10n.t('OID'), vscode.l10n.t('Critical')],
        report.extensions.map((extension) => [
          escapeMarkdown(extension.name),
          code(extension.oid),
          yesNo(extension.critical),
        ]),
      ),
    );
  lines.push('');

  lines.push(`### ${vscode.l10n.t('Microsoft certificate template')}`, '');
  lines.push(templateDescription(report) ?? vscode.l10n.t('None.'), '');

  lines.push(`### ${vscode.l10n.t('Attributes')}`, '');
  lines.push(
    `- ${vscode.l10n.t('Challenge password')}: ${report.challengePassword ? vscode.l10n.t('present (its value is never shown)') : vscode.l10n.t('absent')}`,
  );
  for (const oid of report.otherAttributes) lines.push(`- ${vscode.l10n.t('Other attribute')}: ${code(oid)}`);
  lines.push('');
  return lines;
}

function inputErrorSection(error: CsrInputError, total: number): string[] {
  const title =
    total > 1
      ? vscode.l10n.t(
          'Block {0} of {1} ({2}): not a usable request',
          error.index + 1,
          total,
          describeLines(error.range),
        )
      : vscode.l10n.t('Not a usable request ({0})', describeLines(error.range));
  return [
    `## ${escapeMarkdown(title)}`,
    '',
    escapeMarkdown(error.error),
    '',
    `${vscode.l10n.t('Code')}: ${code(error.code)}`,
    '',
  ];
}

/** Text for an analysis that did not run (plain text: it is also a problem message and a lens title). */
export function skippedText(analysis: Exclude<DocumentAnalysis, { kind: 'analysed' }>): string {
  return analysis.kind === 'binary'
    ? vscode.l10n.t(
        'This looks like a binary file, not a PEM or Base64 certificate request, so it is not checked in the editor. Run “sectigo-csr check” on it instead.',
      )
    : vscode.l10n.t(
        'This text is too large to check in the editor ({0} MB; the limit is {1} MB). Run “sectigo-csr check” on the file instead.',
        (analysis.characters / MEGABYTE).toFixed(1),
        MAX_EDITOR_CHARACTERS / MEGABYTE,
      );
}

/** The whole read-only report: one section per block of the source. */
export function reportMarkdown(source: string, analysis: DocumentAnalysis, texts: CsrTexts, only?: number): string {
  const lines = [`# ${escapeMarkdown(vscode.l10n.t('CSR report: {0}', source))}`, ''];
  if (analysis.kind !== 'analysed') {
    lines.push(escapeMarkdown(skippedText(analysis)), '');
    return lines.join('\n');
  }
  const chosen = analysis.results.filter((result) => only === undefined || result.index === only);
  if (chosen.length === 0) {
    lines.push(
      only === undefined
        ? vscode.l10n.t('No certificate request was found in this text.')
        : vscode.l10n.t('Block {0} is no longer in this file.', only + 1),
      '',
    );
    return lines.join('\n');
  }
  for (const result of chosen) lines.push(...sectionOf(result, analysis.results.length, texts));
  return lines.join('\n');
}

function sectionOf(result: CsrAnalysisResult, total: number, texts: CsrTexts): string[] {
  return isCsrReport(result) ? reportSection(result, total, texts) : inputErrorSection(result, total);
}

/** The hover: the decoded request in brief, with a link to the full report. */
export function hoverMarkdown(result: CsrAnalysisResult, texts: CsrTexts, inspectLink: string): string {
  if (!isCsrReport(result))
    return [
      `**${escapeMarkdown(vscode.l10n.t('Not a usable certificate request'))}**`,
      '',
      escapeMarkdown(result.error),
    ].join('\n');
  const lines = [`**${escapeMarkdown(texts.summariseCsr(result))}**`, ''];
  const rows: [string, string][] = [
    [
      vscode.l10n.t('Subject'),
      result.subject.text === '' ? vscode.l10n.t('(empty)') : escapeMarkdown(result.subject.text),
    ],
    [
      vscode.l10n.t('Alternative names'),
      result.subjectAltNames.length === 0 ? vscode.l10n.t('none') : result.subjectAltNames.map(code).join(', '),
    ],
    [vscode.l10n.t('Key'), escapeMarkdown(keyDescription(result))],
    [
      vscode.l10n.t('Signature'),
      `${escapeMarkdown(result.signature.algorithm)}, ${escapeMarkdown(signatureStatus(result))}`,
    ],
    [
      vscode.l10n.t('Extensions'),
      result.extensions.length === 0
        ? vscode.l10n.t('none')
        : result.extensions.map((extension) => escapeMarkdown(extension.name)).join(', '),
    ],
  ];
  const template = templateDescription(result);
  if (template !== undefined) rows.push([vscode.l10n.t('Template'), template]);
  if (result.challengePassword)
    rows.push([vscode.l10n.t('Challenge password'), vscode.l10n.t('present (value not shown)')]);
  lines.push(...rows.map(([name, value]) => `- ${name}: ${value}`), '');
  if (result.findings.length > 0) {
    lines.push(`**${vscode.l10n.t('Findings')}**`, '');
    lines.push(
      ...result.findings.map(
        (finding) => `- ${severityLabel(finding.severity)}: ${escapeMarkdown(findingText(finding))}`,
      ),
      '',
    );
  }
  lines.push(`[${vscode.l10n.t('Open the full report')}](${inspectLink})`);
  return lines.join('\n');
}
