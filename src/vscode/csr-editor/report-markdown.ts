// Markdown for the hover and the inspect report, built with core's `markup`: the markup is the
// program's (literals), everything that comes from the CSR is an outside value, which the Markdown
// sink shows as a code span (core/markdown-text.ts): a subject can hold any character, and it must
// show as text, never as markup or a link, in the hover (marked) and in the report's preview
// (markdown-it with linkify).
import { findingSentence } from '../../core/csr/refusals';
import type { CsrAnalysisResult, CsrInputError, CsrReport, Finding, SignatureHashOption } from '../../core/csr/types';
import { SIGNATURE_HASH_OPTIONS, isCsrReport } from '../../core/csr/types';
import { joinMarkdown, markup, type Markdown, type MarkdownHole } from '../../core/markdown-text';
import { joinText, outside, words, type Text } from '../../core/outside-text';
import { t } from '../shared/text';
import { MAX_EDITOR_CHARACTERS, type DocumentAnalysis } from './analysis';
import { describeLines } from './ranges';

const MEGABYTE = 1024 * 1024;

/** The parts of the analysis module the markdown needs (passed in: that module loads lazily). */
export interface CsrTexts {
  summariseCsr(report: CsrReport): string;
  explainSignatureHash(hash: string | null, option: SignatureHashOption): string;
}

export function severityLabel(severity: Finding['severity']): Text {
  switch (severity) {
    case 'error':
      return t('Error');
    case 'warning':
      return t('Warning');
    case 'info':
      return t('Info');
  }
}

function yesNo(value: boolean): Text {
  return value ? t('yes') : t('no');
}

export function signatureStatus(report: CsrReport): Text {
  if (report.signature.valid === true) return t('verifies with the request’s own key');
  if (report.signature.valid === false) return t('does NOT verify: the request was altered or signed with another key');
  return t(
    'could not be checked ({0})',
    report.signature.verifyError !== undefined && report.signature.verifyError !== null
      ? outside(report.signature.verifyError)
      : t('no reason given'),
  );
}

function keyDescription(report: CsrReport): Text {
  const key = report.publicKey;
  const parts: Text[] = [words`${outside(key.algorithm)}`];
  if (key.size !== null) parts.push(t('{0} bits', key.size));
  if (key.curve !== null) parts.push(words`${outside(key.curve)}`);
  if (key.exponent !== null) parts.push(t('exponent {0}', outside(String(key.exponent))));
  return joinText(parts, words`, `);
}

function templateDescription(report: CsrReport): Text | undefined {
  const template = report.microsoftTemplate;
  if (template === null) return undefined;
  const parts: Text[] = [];
  if (template.v1 !== null) parts.push(t('name {0}', outside(template.v1.name)));
  if (template.v2 !== null) {
    const { templateId, majorVersion, minorVersion } = template.v2;
    const version =
      majorVersion === null
        ? words``
        : words` ${t('version {0}', outside(`${majorVersion}${minorVersion === null ? '' : `.${minorVersion}`}`))}`;
    parts.push(words`${t('template {0}', outside(templateId))}${version}`);
  }
  return joinText(parts, words`; `);
}

/** A Markdown table: its header and rows (each cell shown safely; outside values as code spans). */
function table(header: readonly Text[], rows: readonly (readonly MarkdownHole[])[]): Markdown[] {
  const row = (cells: readonly MarkdownHole[]): Markdown => markup`| ${joinMarkdown(cells, CELL)} |`;
  return [
    row(header),
    markup`|${joinMarkdown(
      header.map(() => RULE),
      PIPE,
    )}|`,
    ...rows.map(row),
  ];
}

const CELL = markup` | `;
const PIPE = markup`|`;
const RULE = markup` --- `;
const DASH = markup`—`;
const COMMA = markup`, `;

function findingsTable(findings: readonly Finding[]): Markdown[] {
  if (findings.length === 0) return [markup`${t('No findings: nothing here that Sectigo is known to refuse.')}`];
  return table(
    [t('Severity'), t('Line'), t('Sectigo answer'), t('Finding')],
    findings.map((finding) => [
      severityLabel(finding.severity),
      finding.range.startLine + 1,
      finding.sectigoErrorCode === null ? DASH : outside(String(finding.sectigoErrorCode)),
      markup`${outside(finding.message)} (${outside(finding.code)})`,
    ]),
  );
}

function reportSection(report: CsrReport, total: number, texts: CsrTexts): Markdown[] {
  const lines: Markdown[] = [];
  const blank = markup``;
  const title =
    total > 1
      ? t('Request {0} of {1} ({2})', report.index + 1, total, describeLines(report.range))
      : t('Request ({0})', describeLines(report.range));
  lines.push(markup`## ${title}`, blank, markup`**${outside(texts.summariseCsr(report))}**`, blank);

  lines.push(markup`### ${t('Findings')}`, blank, ...findingsTable(report.findings), blank);

  lines.push(markup`### ${t('Subject')}`, blank);
  if (report.subject.parts.length === 0) lines.push(markup`${t('The subject is empty.')}`);
  else {
    lines.push(markup`${outside(report.subject.text)}`, blank);
    lines.push(
      ...table(
        [t('Field'), t('OID'), t('Value')],
        report.subject.parts.map((part) => [outside(part.type), outside(part.oid), outside(part.value)]),
      ),
    );
  }
  lines.push(blank);

  lines.push(markup`### ${t('Subject alternative names')}`, blank);
  if (report.subjectAltNames.length === 0) lines.push(markup`${t('None.')}`);
  // An address or URI from the request is shown as text, never turned into a link.
  else lines.push(...report.subjectAltNames.map((name) => markup`- ${outside(name)}`));
  lines.push(blank);

  lines.push(markup`### ${t('Public key')}`, blank);
  lines.push(
    ...table(
      [t('Property'), t('Value')],
      [
        [t('Algorithm'), outside(report.publicKey.algorithm)],
        [t('Size'), report.publicKey.size === null ? DASH : t('{0} bits', report.publicKey.size)],
        [t('Curve'), report.publicKey.curve === null ? DASH : outside(report.publicKey.curve)],
        [t('Exponent'), report.publicKey.exponent === null ? DASH : outside(String(report.publicKey.exponent))],
      ],
    ),
    blank,
  );

  lines.push(markup`### ${t('Signature')}`, blank);
  lines.push(
    ...table(
      [t('Property'), t('Value')],
      [
        [t('Algorithm'), outside(report.signature.algorithm)],
        [t('Hash'), report.signature.hash === null ? DASH : outside(report.signature.hash)],
        [t('Signature'), signatureStatus(report)],
      ],
    ),
    blank,
  );
  lines.push(
    markup`${t('What AutoReplaceSMIME’s {0} parameter does with this request:', outside('signatureHash'))}`,
    blank,
  );
  lines.push(
    ...table(
      [t('Option'), t('Effect')],
      SIGNATURE_HASH_OPTIONS.map((option) => [
        outside(option),
        outside(texts.explainSignatureHash(report.signature.hash, option)),
      ]),
    ),
    blank,
  );

  lines.push(markup`### ${t('Requested extensions')}`, blank);
  if (report.extensions.length === 0) lines.push(markup`${t('None.')}`);
  else
    lines.push(
      ...table(
        [t('Name'), t('OID'), t('Critical')],
        report.extensions.map((extension) => [
          outside(extension.name),
          outside(extension.oid),
          yesNo(extension.critical),
        ]),
      ),
    );
  lines.push(blank);

  lines.push(markup`### ${t('Microsoft certificate template')}`, blank);
  lines.push(markup`${templateDescription(report) ?? t('None.')}`, blank);

  lines.push(markup`### ${t('Attributes')}`, blank);
  lines.push(
    markup`- ${t('Challenge password')}: ${report.challengePassword ? t('present (its value is never shown)') : t('absent')}`,
  );
  for (const oid of report.otherAttributes) lines.push(markup`- ${t('Other attribute')}: ${outside(oid)}`);
  lines.push(blank);
  return lines;
}

function inputErrorSection(error: CsrInputError, total: number): Markdown[] {
  const title =
    total > 1
      ? t('Block {0} of {1} ({2}): not a usable request', error.index + 1, total, describeLines(error.range))
      : t('Not a usable request ({0})', describeLines(error.range));
  return [
    markup`## ${title}`,
    markup``,
    markup`${outside(error.error)}`,
    markup``,
    markup`${t('Code')}: ${outside(error.code)}`,
    markup``,
  ];
}

/** Text for an analysis that did not run (a problem message and a lens title as well as the report's). */
export function skippedText(analysis: Exclude<DocumentAnalysis, { kind: 'analysed' }>): Text {
  return analysis.kind === 'binary'
    ? t(
        'This looks like a binary file, not a PEM or Base64 certificate request, so it is not checked in the editor. Run “sectigo-csr check” on it instead.',
      )
    : t(
        'This text is too large to check in the editor ({0} MB; the limit is {1} MB). Run “sectigo-csr check” on the file instead.',
        outside((analysis.characters / MEGABYTE).toFixed(1)),
        MAX_EDITOR_CHARACTERS / MEGABYTE,
      );
}

const LINE = markup`\n`;

/** The whole read-only report: one section per block of the source (a file's name, or the selection or clipboard). */
export function reportMarkdown(source: Text, analysis: DocumentAnalysis, texts: CsrTexts, only?: number): Markdown {
  const lines = [markup`# ${t('CSR report: {0}', source)}`, markup``];
  if (analysis.kind !== 'analysed') {
    lines.push(markup`${skippedText(analysis)}`, markup``);
    return joinMarkdown(lines, LINE);
  }
  const chosen = analysis.results.filter((result) => only === undefined || result.index === only);
  if (chosen.length === 0) {
    lines.push(
      markup`${
        only === undefined
          ? t('No certificate request was found in this text.')
          : t('Block {0} is no longer in this file.', only + 1)
      }`,
      markup``,
    );
    return joinMarkdown(lines, LINE);
  }
  for (const result of chosen) lines.push(...sectionOf(result, analysis.results.length, texts));
  return joinMarkdown(lines, LINE);
}

function sectionOf(result: CsrAnalysisResult, total: number, texts: CsrTexts): Markdown[] {
  return isCsrReport(result) ? reportSection(result, total, texts) : inputErrorSection(result, total);
}

/** The hover: the decoded request in brief, with a link (the program's own) to the full report. */
export function hoverMarkdown(result: CsrAnalysisResult, texts: CsrTexts, inspectLink: Markdown): Markdown {
  if (!isCsrReport(result))
    return joinMarkdown(
      [markup`**${t('Not a usable certificate request')}**`, markup``, markup`${outside(result.error)}`],
      LINE,
    );
  const lines = [markup`**${outside(texts.summariseCsr(result))}**`, markup``];
  const rows: [Text, MarkdownHole][] = [
    [t('Subject'), result.subject.text === '' ? t('(empty)') : outside(result.subject.text)],
    [
      t('Alternative names'),
      result.subjectAltNames.length === 0
        ? t('none')
        : joinMarkdown(
            result.subjectAltNames.map((name) => outside(name)),
            COMMA,
          ),
    ],
    [t('Key'), keyDescription(result)],
    [t('Signature'), markup`${outside(result.signature.algorithm)}, ${signatureStatus(result)}`],
    [
      t('Extensions'),
      result.extensions.length === 0
        ? t('none')
        : joinMarkdown(
            result.extensions.map((extension) => outside(extension.name)),
            COMMA,
          ),
    ],
  ];
  const template = templateDescription(result);
  if (template !== undefined) rows.push([t('Template'), template]);
  if (result.challengePassword) rows.push([t('Challenge password'), t('present (value not shown)')]);
  lines.push(...rows.map(([name, value]) => markup`- ${name}: ${value}`), markup``);
  if (result.findings.length > 0) {
    lines.push(markup`**${t('Findings')}**`, markup``);
    lines.push(
      ...result.findings.map(
        (finding) => markup`- ${severityLabel(finding.severity)}: ${outside(findingSentence(finding))}`,
      ),
      markup``,
    );
  }
  lines.push(inspectLink);
  return joinMarkdown(lines, LINE);
}
