// Building the form bodies. Parameter names are sent exactly as the documents
// spell them; optional parameters only when set, and only to an endpoint whose
// document lists them (an endpoint may answer -2 to anything it does not know).
import type { Credentials, ReplaceSmimeParams, RevokeSslParams } from './types';
import { DEFAULT_RESPONSE_FORMAT, normalizeSerialNumber } from './validate';

export { DEFAULT_RESPONSE_FORMAT };

export type FormFields = Array<[name: string, value: string]>;

export function buildReplaceForm(credentials: Credentials, params: ReplaceSmimeParams): FormFields {
  const fields: FormFields = [
    ['loginName', credentials.loginName],
    ['loginPassword', credentials.loginPassword],
    ['orderNumber', params.orderNumber.trim()],
    ['csr', params.csr.trim()],
  ];
  if (params.signatureHash !== undefined) fields.push(['signatureHash', params.signatureHash]);
  if (params.caCertificateID !== undefined) fields.push(['caCertificateID', String(params.caCertificateID)]);
  if (params.revokeOldOrder !== undefined) fields.push(['revokeOldOrder', params.revokeOldOrder ? 'Y' : 'N']);
  fields.push(['responseFormat', String(params.responseFormat ?? DEFAULT_RESPONSE_FORMAT)]);
  const templateIds = [
    ['SMIMEVerificationTemplateID', params.SMIMEVerificationTemplateID],
    ['SMIMERequestTemplateID', params.SMIMERequestTemplateID],
    ['SMIMECollectionTemplateID', params.SMIMECollectionTemplateID],
  ] as const;
  // The document says languageName is ignored once any template ID is given; not sending it keeps the request honest.
  if (params.languageName !== undefined && templateIds.every(([, id]) => id === undefined))
    fields.push(['languageName', params.languageName]);
  for (const [name, id] of templateIds) if (id !== undefined) fields.push([name, String(id)]);
  return fields;
}

export function buildRevokeForm(credentials: Credentials, params: RevokeSslParams): FormFields {
  const fields: FormFields = [
    ['loginName', credentials.loginName],
    ['loginPassword', credentials.loginPassword],
  ];
  if (params.orderNumber) fields.push(['orderNumber', params.orderNumber.trim()]);
  if (params.certificateID) fields.push(['certificateID', params.certificateID]);
  if (params.serialNumber) fields.push(['serialNumber', normalizeSerialNumber(params.serialNumber)]);
  fields.push(['revocationReason', params.revocationReason]);
  // Documented as required with a default of 0: always say it.
  fields.push(['codeReason', String(params.codeReason ?? 0)]);
  if (params.test !== undefined) fields.push(['test', params.test ? 'Y' : 'N']);
  fields.push(['responseFormat', String(params.responseFormat ?? DEFAULT_RESPONSE_FORMAT)]);
  return fields;
}

/** application/x-www-form-urlencoded, UTF-8: every &, =, %, + and space in a value is escaped. */
export function encodeForm(fields: FormFields): string {
  const search = new URLSearchParams();
  for (const [name, value] of fields) search.append(name, value);
  return search.toString();
}
