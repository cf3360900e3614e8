// `sectigo-csr revoke`: AutoRevokeSSL over the core client.
import { isCertificateRefusal, readCertificateFile } from '../core/certificate-file';
import {
  normalizeSerialNumber,
  validateCertificateId,
  validateCodeReason,
  validateOrderNumber,
  validateRevocationReason,
  validateSerialNumber,
} from '../core/sectigo/validate';
import type { RevocationCode, RevokeSslParams } from '../core/sectigo/types';
import { outside, words, type Text } from '../core/outside-text';
import { ExitCode, type CliCommand, type CliIo } from './io';
import {
  COMMON_FLAGS_HELP,
  REVOCATION_CODES_TEXT,
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

const usage = words`Usage: sectigo-csr revoke (--order N | --certificate-id N | --serial HEX | --certificate FILE) --reason TEXT [options]
Revokes an SSL certificate (AutoRevokeSSL).
  --order N              the order number
  --certificate-id N     Sectigo's certificate ID (up to 16 digits)
  --serial HEX           the serial number in hex (colons allowed)
  --certificate FILE     read the serial number from a PEM or DER certificate
  --reason TEXT          why (kept for your reference; required)
  --reason-code C        ${outside(REVOCATION_CODES_TEXT)}
  --test                 test=Y: Sectigo checks the call but revokes nothing
A real revocation needs --yes. A revocation whose answer was lost is retried once: "already revoked" then means done.
Many certificates at once: sectigo-csr revoke --from LIST (see sectigo-csr revoke --from LIST --help).
${COMMON_FLAGS_HELP}${SINGLE_CALL_EXIT_HELP}`;

const FLAG_OF_PARAMETER: Record<string, string> = {
  orderNumber: '--order',
  certificateID: '--certificate-id',
  serialNumber: '--serial',
  revocationReason: '--reason',
  codeReason: '--reason-code',
  test: '--test',
  responseFormat: 'responseFormat',
  loginName: 'SECTIGO_LOGIN_NAME',
  loginPassword: 'SECTIGO_LOGIN_PASSWORD',
  baseUrl: '--base-url',
  proxy: 'proxy',
};

/** The serial number of the certificate in a PEM or DER file. */
async function serialFromCertificate(io: CliIo, file: string): Promise<string> {
  const read = readCertificateFile(await readInputFile(io, file, '--certificate'));
  if (isCertificateRefusal(read))
    throw new UsageError(
      `--certificate ${file}: ${read.problem}${read.code === 'serial-too-long' ? ' Use --order or --certificate-id instead.' : ''}`,
    );
  // The file name and the subject are outside text: the subject of a crafted chain may hold line
  // breaks and "::error" (the issue's forged GitHub Actions command); the sink keeps it on this line.
  if (read.certificates > 1)
    io.stderr(
      words`sectigo-csr revoke: ${outside(file)} holds ${read.certificates} certificates; using the first (${outside(read.subject)}).\n`,
    );
  return read.serial;
}

export const runRevoke: CliCommand = async (args, io) => {
  // A list of certificates is its own command with its own flags, loaded only when used.
  if (args.some((arg) => arg === '--from' || arg.startsWith('--from=')))
    return (await import('./bulk-revoke')).runBulkRevoke(args, io);
  return runVerb('revoke', io, args, async () => {
    const values = parseFlags(args, {
      order: { type: 'string' },
      'certificate-id': { type: 'string' },
      serial: { type: 'string' },
      certificate: { type: 'string' },
      reason: { type: 'string' },
      'reason-code': { type: 'string' },
      test: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    const identifiers = ['order', 'certificate-id', 'serial', 'certificate'].filter(
      (flag) => values[flag] !== undefined,
    );
    if (identifiers.length !== 1) {
      throw new UsageError(
        identifiers.length === 0
          ? 'Say which certificate: give one of --order, --certificate-id, --serial or --certificate.'
          : `Give only one of --order, --certificate-id, --serial or --certificate (got ${identifiers.map((flag) => `--${flag}`).join(' and ')}).`,
      );
    }
    const reason = stringFlag(values, 'reason');
    if (reason === undefined)
      throw new UsageError('--reason is required (a note for your records; Sectigo takes no action on it).');
    const reasonProblem = validateRevocationReason(reason);
    if (reasonProblem) throw new UsageError(`--reason: ${reasonProblem}`);
    const params: RevokeSslParams = { revocationReason: reason };
    const order = stringFlag(values, 'order')?.trim();
    const certificateId = stringFlag(values, 'certificate-id')?.trim();
    const serial = stringFlag(values, 'serial');
    const certificateFile = stringFlag(values, 'certificate');
    let target: Text;
    if (order !== undefined) {
      const problem = validateOrderNumber(order, 'AutoRevokeSSL');
      if (problem) throw new UsageError(`--order: ${problem}`);
      params.orderNumber = order;
      target = words`order ${outside(order)}`;
    } else if (certificateId !== undefined) {
      const problem = validateCertificateId(certificateId);
      if (problem) throw new UsageError(`--certificate-id: ${problem}`);
      params.certificateID = certificateId;
      target = words`certificate ID ${outside(certificateId)}`;
    } else if (serial !== undefined) {
      const problem = validateSerialNumber(serial);
      if (problem) throw new UsageError(`--serial: ${problem}`);
      params.serialNumber = normalizeSerialNumber(serial);
      target = words`serial number ${outside(params.serialNumber)}`;
    } else {
      params.serialNumber = await serialFromCertificate(io, certificateFile ?? '');
      target = words`serial number ${outside(params.serialNumber)} (from ${outside(certificateFile ?? '')})`;
    }
    const code = stringFlag(values, 'reason-code');
    if (code !== undefined) {
      const problem = validateCodeReason(code);
      if (problem) throw new UsageError(`--reason-code: ${problem}`);
      params.codeReason = Number(code) as RevocationCode;
    }
    const testOnly = values.test === true;
    if (testOnly) params.test = true;
    const credentials = credentialsFromEnv(io);
    const options = await clientOptionsFrom(values, io);
    const plan = planFor({ endpoint: 'AutoRevokeSSL', params }, options, credentials);
    if (plan.irreversible && values.yes !== true) {
      io.stderr(
        refusalWithoutYes(
          'revoke',
          words`this revokes the certificate with ${target}, which cannot be undone. Run again with --yes to confirm, or with --test to check the call without revoking. Nothing was sent.`,
          plan,
        ),
      );
      return ExitCode.usage;
    }
    // The plan shown (refusal without --yes, --json's "request") is the plan sent.
    const result = await sendPlan(options, plan);
    return reportResult(
      'revoke',
      result,
      io,
      values.json === true,
      [credentials.loginPassword],
      () =>
        testOnly
          ? words`Test revocation of ${target} accepted (test=Y: nothing was revoked).`
          : words`Revoked the certificate with ${target}.`,
      (parameter) => FLAG_OF_PARAMETER[parameter] ?? parameter,
      plan,
    );
  });
};
