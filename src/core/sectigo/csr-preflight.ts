// The CSR checked before it is sent, by the project's one reading of a request (core/csr)
// and its one refusal rule (refusals): a certain refusal stops the call unless the caller
// insists; a text that is not exactly one request is -4. There is no second parser: when
// the analysis cannot read the text, neither can Sectigo.
import { certainCsrRefusal } from './call-plan';
import { analyseCsrText, isCsrReport, refusals, type Refusal, type SourceRange } from '../csr/index';

export interface CsrRefusal {
  predictedErrorCode: -4 | -13;
  message: string;
}

/** Whether anything but whitespace stands outside `range` in `text` (lines split on \n). */
function textOutside(text: string, range: SourceRange): boolean {
  const lines = text.split('\n');
  const before = [
    ...lines.slice(0, range.startLine),
    (lines[range.startLine] ?? '').slice(0, range.startCharacter),
  ].join('\n');
  const after = [(lines[range.endLine] ?? '').slice(range.endCharacter), ...lines.slice(range.endLine + 1)].join('\n');
  return /\S/.test(before) || /\S/.test(after);
}

/** The refusals the analysis predicts for the text given as `csr`, certain ones first. */
export function csrRefusals(csrText: string): Refusal[] | CsrRefusal {
  const results = analyseCsrText(csrText, 'csr');
  if (results.length > 1)
    return {
      predictedErrorCode: -4,
      message: `The CSR text holds ${results.length} blocks; send exactly one certificate request.`,
    };
  const result = results[0];
  if (result === undefined) return { predictedErrorCode: -4, message: 'The CSR cannot be used: it holds no request.' };
  if (!isCsrReport(result)) return { predictedErrorCode: -4, message: `The CSR cannot be used: ${result.error}.` };
  if (textOutside(csrText, result.range)) {
    return { predictedErrorCode: -4, message: 'The CSR has other text around its PEM block; send the block alone.' };
  }
  return refusals(result);
}

/** What Sectigo will certainly refuse about this CSR, or undefined when nothing certain predicts a refusal. */
export function predictCsrRefusal(csrText: string): CsrRefusal | undefined {
  const found = csrRefusals(csrText);
  if (!Array.isArray(found)) return found;
  // The message without "Sectigo will answer": a validation error states its predicted code itself.
  return certainCsrRefusal(found);
}
