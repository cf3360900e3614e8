// `sectigo-csr replace`: AutoReplaceSMIME over the core client.
import { analyseCsrText, isCsrReport, oversizeForOneRequest, refusals, type Refusal } from '../core/csr/index';
import { certainCsrRefusal } from '../core/sectigo/call-plan';
import {
  DEFAULT_RESPONSE_FORMAT,
  LANGUAGE_NAMES,
  RESPONSE_FORMATS,
  SIGNATURE_HASHES,
  validateCaCertificateId,
  validateLanguageName,
  validateOrderNumber,
  validateResponseFormat,
  validateSignatureHash,
  validateTemplateId,
} from '../core/sectigo/validate';
import type { LanguageName, ReplaceSmimeParams, SignatureHash } from '../core/sectigo/types';
import { ExitCode, type CliCommand, type CliIo } from './io';
import {
  COMMON_FLAGS_HELP,
  SINGLE_CALL_EXIT_HELP,
  UsageError,
  clientOptionsFrom,
  credentialsFromEnv,
  parseFlags,
  planFor,
  readInputFile,
  refusalWithoutYes,
  reportResult,
  runVerb,
  sendPlan,
  stringFlag,
} from './api-common';
import { outside, words } from '../core/outside-text';

const usage = words`Usage: sectigo-csr replace --order N --csr FILE [options]
Replaces an S/MIME certificate order with a new one for the CSR (AutoReplaceSMIME).
  --order N                     the order to replace (required)
  --csr FILE                    the new PKCS#10 request, PEM, Base64 or DER; - reads standard input (required)
  --signature-hash H            ${outside(SIGNATURE_HASHES.slice(0, -1).join(', '))} or ${outside(SIGNATURE_HASHES.at(-1) ?? '')}
  --ca-certificate-id N         a particular issuing CA (by agreement with Sectigo)
  --revoke-old                  also revoke the old order's certificate (needs --yes)
  --language xx                 email language: ${outside(Object.keys(LANGUAGE_NAMES).join(' '))}
  --verification-template N     SMIMEVerificationTemplateID (overrides --language)
  --request-template N          SMIMERequestTemplateID (overrides --language)
  --collection-template N       SMIMECollectionTemplateID (overrides --language)
  --response-format ${outside(RESPONSE_FORMATS.AutoReplaceSMIME.join('|'))}       ask for newline, URL-encoded or JSON answers (default ${DEFAULT_RESPONSE_FORMAT}; all are read)
A replacement is never retried automatically: if the answer is lost, check the order first.
${COMMON_FLAGS_HELP}${SINGLE_CALL_EXIT_HELP}`;

const FLAG_OF_PARAMETER: Record<string, string> = {
  orderNumber: '--order',
  csr: '--csr',
  signatureHash: '--signature-hash',
  caCertificateID: '--ca-certificate-id',
  revokeOldOrder: '--revoke-old',
  languageName: '--language',
  SMIMEVerificationTemplateID: '--verification-template',
  SMIMERequestTemplateID: '--request-template',
  SMIMECollectionTemplateID: '--collection-template',
  responseFormat: '--response-format',
  loginName: 'SECTIGO_LOGIN_NAME',
  loginPassword: 'SECTIGO_LOGIN_PASSWORD',
  baseUrl: '--base-url',
  proxy: 'proxy',
};

function checked(
  flag: string,
  value: string | undefined,
  validate: (value: string) => string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  const problem = validate(value);
  if (problem) throw new UsageError(`${flag}: ${problem}`);
  return value;
}

/**
 * The request to send, as its canonical PEM, whatever form the file has (PEM, Base64, DER, a
 * block inside other text). Refused before sending when the file holds no single request or
 * Sectigo will certainly refuse it; a likely refusal is said, and the call goes ahead.
 */
function requestToSend(bytes: Buffer, file: string, io: CliIo): { pem: string; predicted: Refusal[] } {
  const input = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // From the size alone, before anything is decoded.
  const oversize = oversizeForOneRequest(input);
  if (oversize !== null) throw new UsageError(`--csr ${file}: ${oversize}. Nothing was sent.`);
  const results = analyseCsrText(input, file);
  const reports = results.filter(isCsrReport);
  if (reports.length > 1)
    throw new UsageError(
      `--csr ${file}: holds ${reports.length} certificate requests; give a file with only the one to send.`,
    );
  const [report] = reports;
  if (report === undefined) {
    const problem = results.find((result) => !isCsrReport(result));
    throw new UsageError(
      `--csr ${file}: ${problem && !isCsrReport(problem) ? problem.error : 'holds no certificate request'}. Nothing was sent.`,
    );
  }
  const predicted = refusals(report);
  const certain = predicted.filter((refusal) => refusal.certainty === 'certain');
  if (certain.length > 0)
    throw new UsageError(`--csr ${file}: ${certain.map((refusal) => refusal.text).join(' ')} Nothing was sent.`);
  for (const refusal of predicted) io.stderr(words`sectigo-csr replace: note: ${outside(refusal.text)}\n`);
  return { pem: report.pem, predicted };
}

export const runReplace: CliCommand = async (args, io) =>
  runVerb('replace', io, args, async () => {
    const values = parseFlags(args, {
      order: { type: 'string' },
      csr: { type: 'string' },
      'signature-hash': { type: 'string' },
      'ca-certificate-id': { type: 'string' },
      'revoke-old': { type: 'boolean' },
      language: { type: 'string' },
      'verification-template': { type: 'string' },
      'request-template': { type: 'string' },
      'collection-template': { type: 'string' },
      'response-format': { type: 'string' },
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    const orderNumber = checked('--order', stringFlag(values, 'order')?.trim(), (value) =>
      validateOrderNumber(value, 'AutoReplaceSMIME'),
    );
    const csrFile = stringFlag(values, 'csr');
    if (orderNumber === undefined) throw new UsageError('--order is required.');
    if (csrFile === undefined) throw new UsageError('--csr is required.');
    const revokeOld = values['revoke-old'] === true;
    const params: ReplaceSmimeParams = { orderNumber, csr: '' };
    const signatureHash = checked('--signature-hash', stringFlag(values, 'signature-hash'), validateSignatureHash);
    if (signatureHash !== undefined) params.signatureHash = signatureHash as SignatureHash;
    const caId = checked('--ca-certificate-id', stringFlag(values, 'ca-certificate-id'), validateCaCertificateId);
    if (caId !== undefined) params.caCertificateID = Number(caId);
    if (revokeOld) params.revokeOldOrder = true;
    const language = checked('--language', stringFlag(values, 'language'), validateLanguageName);
    if (language !== undefined) params.languageName = language as LanguageName;
    const templates = [
      ['verification-template', 'SMIMEVerificationTemplateID'],
      ['request-template', 'SMIMERequestTemplateID'],
      ['collection-template', 'SMIMECollectionTemplateID'],
    ] as const;
    for (const [flag, parameter] of templates) {
      const id = checked(`--${flag}`, stringFlag(values, flag), validateTemplateId);
      if (id !== undefined) params[parameter] = Number(id);
    }
    if (language !== undefined && templates.some(([flag]) => values[flag] !== undefined)) {
      io.stderr(words`sectigo-csr replace: note: a template ID overrides --language, so the language is not sent.\n`);
    }
    const format = checked('--response-format', stringFlag(values, 'response-format'), (value) =>
      validateResponseFormat(value, 'AutoReplaceSMIME'),
    );
    if (format !== undefined) params.responseFormat = Number(format) as 0 | 1 | 2;

    const csrBytes = await readInputFile(io, csrFile, '--csr');
    if (csrBytes.toString('utf8').trim().length === 0) throw new UsageError(`--csr ${csrFile}: is empty.`);
    const request = requestToSend(csrBytes, csrFile, io);
    params.csr = request.pem;
    const credentials = credentialsFromEnv(io);
    const options = await clientOptionsFrom(values, io);
    // The call is planned once: the refusal without --yes and --json's "request" show this plan,
    // and this plan is sent. Its CSR refusal comes from the analysis above (the one rule the
    // client's pre-flight uses), so the request is not analysed a second time.
    const plan = planFor(
      { endpoint: 'AutoReplaceSMIME', params, csrName: csrFile === '-' ? 'standard input' : csrFile },
      options,
      credentials,
      () => certainCsrRefusal(request.predicted),
    );
    if (plan.irreversible && values.yes !== true) {
      io.stderr(
        refusalWithoutYes(
          'replace',
          words`--revoke-old also revokes the certificate of order ${outside(orderNumber)}, which cannot be undone. Run again with --yes to confirm. Nothing was sent.`,
          plan,
        ),
      );
      return ExitCode.usage;
    }
    const result = await sendPlan(options, plan);
    return reportResult(
      'replace',
      result,
      io,
      values.json === true,
      [credentials.loginPassword],
      (success) =>
        words`Order ${outside(orderNumber)} replaced${success.newOrderNumber ? words`: the new order number is ${outside(success.newOrderNumber)}` : words``}.${revokeOld ? words` The old order's certificate is being revoked.` : words``}`,
      (parameter) => FLAG_OF_PARAMETER[parameter] ?? parameter,
      plan,
    );
  });
