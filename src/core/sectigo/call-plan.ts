// The call plan: one pure function from the user's answers (which endpoint, its parameters,
// the account: login and base URL) to what will happen: the URL, the exact form body, the
// preview a person confirms, and the refusal predicted locally. Every front end renders from
// it (the VS Code confirmation, the CLI's refusal without --yes, SECTIGO_CSR_DEBUG, --json)
// and the client sends exactly plan.form to plan.url, so a preview cannot drift from the
// request. No 'vscode' and no heavy imports here: the CSR pre-flight is passed in.
import { joinText, outside, plainText, textFrom, tokenText, words, type Text } from '../outside-text';
import { buildReplaceForm, buildRevokeForm, type FormFields } from './request';
import type { Credentials, Endpoint, ReplaceSmimeParams, RevokeSslParams } from './types';
import { validateCredentials, validateReplaceParams, validateRevokeParams } from './validate';

/** Sectigo's production API base: the only endpoint a real certificate changes at. */
export const PRODUCTION_BASE_URL = 'https://secure.trust-provider.com/products/';

export const PASSWORD_MASK = '••••••••';

export type CallAnswers =
  | {
      endpoint: 'AutoReplaceSMIME';
      params: ReplaceSmimeParams;
      /** How the CSR is named in the preview (a file name); its text is never shown. */
      csrName?: string;
    }
  | { endpoint: 'AutoRevokeSSL'; params: RevokeSslParams };

/** Where the call goes and as whom: an account is a login and the endpoint it was saved for. */
export interface PlanAccount {
  loginName: string;
  baseUrl: string;
}

export interface PreviewLine {
  name: string;
  /** The value as shown: the sent value, except the password (masked) and the CSR (name and length). */
  shown: string;
}

export interface PlannedRefusal {
  parameter: string;
  /** What Sectigo would answer: -3 missing, -4 invalid, -13 key size. */
  predictedErrorCode: number;
  message: string;
  /** Set for a prediction from the CSR analysis, which a person may override (Send Anyway); a parameter that fails validation is never sent. */
  overridable?: true;
}

/**
 * Why a call was not sent, as one sentence: "{message} ({parameter}; Sectigo would answer {code}.)".
 * The one wording for the command line ({@link refusalSentence}) and the editor, which translates
 * this template (vscode.l10n) with the same holes.
 */
export const REFUSAL_TEMPLATE = '{0} ({1}; Sectigo would answer {2}.)';

/** A refusal found before sending, in {@link REFUSAL_TEMPLATE}'s words: the message and parameter are outside text. */
export function refusalSentence(refusal: Pick<PlannedRefusal, 'message' | 'parameter' | 'predictedErrorCode'>): Text {
  return textFrom(REFUSAL_TEMPLATE, outside(refusal.message), outside(refusal.parameter), refusal.predictedErrorCode);
}

export interface CallPlan {
  endpoint: Endpoint;
  /** The one place the endpoint URL is built. */
  url: string;
  /** host[:port] of the base URL, for `login @ host`. */
  host: string;
  loginName: string;
  /** Whether the base URL is Sectigo's production API. */
  production: boolean;
  /** Exactly the fields the client sends, in order (the password included: never print it). */
  form: FormFields;
  /** One line per sent field, same order and names as form. */
  preview: PreviewLine[];
  /** The first reason Sectigo would refuse, predicted locally; undefined when none is known. */
  refusal: PlannedRefusal | undefined;
  /** Whether this call cannot be undone (a real revocation, or a replace that revokes the old order). */
  irreversible: boolean;
}

/** What the CSR pre-flight says (w/ core/csr); injected so this module stays light. */
export type CsrRefusalPredictor = (csrText: string) => { predictedErrorCode: number; message: string } | undefined;

/** The part of a refusal of the CSR analysis (core/csr/refusals) that a plan carries. */
export interface CsrRefusalFinding {
  certainty: 'certain' | 'likely';
  sectigoErrorCode: number;
  message: string;
}

/**
 * The refusal a plan carries for a CSR: the first certain one (Sectigo answers -4 or -13); a
 * likely refusal is said to the person but never stops a call. The one mapping, for the client's
 * pre-flight and for the editor, which has the analysis of the request already.
 */
export function certainCsrRefusal(
  found: readonly CsrRefusalFinding[],
): { predictedErrorCode: -4 | -13; message: string } | undefined {
  const certain = found.find((refusal) => refusal.certainty === 'certain');
  if (certain === undefined) return undefined;
  return { predictedErrorCode: certain.sectigoErrorCode === -4 ? -4 : -13, message: certain.message };
}

export function endpointUrl(baseUrl: string, endpoint: Endpoint): string {
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}!${endpoint}`;
}

/** host[:port], or the text itself when it is not a URL. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * A URL as the request would go to it, in one spelling, or undefined when it is not a URL. The URL
 * parser (the one undici sends with) already folds the scheme and host to lower case (and the host
 * to its IDNA form), drops the scheme's default port (:443), reads \ as /, drops tabs and line
 * breaks, and resolves `.` and `..` segments, `%2e` included. Beyond it: a host's trailing dots go
 * (DNS reads `host.` as `host`), and a percent-escape of a character that needs none is decoded
 * (`%70roducts` is `products`), the others written in upper case. `loose` also ignores the path's
 * letter case and repeated slashes, which servers commonly ignore: for the one question where a
 * wrong "no" is the dangerous answer (is this production?).
 */
function normalUrl(value: string, loose: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  const decoded = url.pathname.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const character = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(character) ? character : escape.toUpperCase();
  });
  // Decoding may have made a dot segment (%2E%2E is .. once decoded): resolve again.
  let path = new URL(`https://host${decoded}`).pathname;
  if (loose) path = path.replace(/\/{2,}/g, '/').toLowerCase();
  const host = url.hostname.replace(/\.+$/, '');
  return `${url.protocol}//${url.username || url.password ? '@' : ''}${host}${url.port ? `:${url.port}` : ''}${path}${url.search}`;
}

/** Whether two URLs name the same resource once parsed (see normalUrl); text that is no URL only equals itself. */
export function sameUrl(a: string, b: string): boolean {
  const first = normalUrl(a, false);
  return first === undefined ? a === b : first === normalUrl(b, false);
}

/** Whether two base URLs are the same API: they make the same endpoint URLs. */
export function sameBaseUrl(a: string, b: string): boolean {
  return sameUrl(endpointUrl(a, 'AutoRevokeSSL'), endpointUrl(b, 'AutoRevokeSSL'));
}

/**
 * Whether a base URL is Sectigo's production API, decided on the parsed URL (scheme, host in any
 * case with or without trailing dots, the default port written or not, the path in any spelling
 * that reaches /products/): the one production rule, for the status bar, pickers, confirmations,
 * the order history and the command line. A spelling that may reach production counts as it.
 */
export function isProductionBaseUrl(baseUrl: string): boolean {
  const endpoint = (value: string): string | undefined => normalUrl(endpointUrl(value.trim(), 'AutoRevokeSSL'), true);
  const candidate = endpoint(baseUrl);
  return candidate !== undefined && candidate === endpoint(PRODUCTION_BASE_URL);
}

/** The single call site of the refusal prediction: parameter validation, then the CSR pre-flight. */
function predictRefusal(
  answers: CallAnswers,
  credentials: Credentials,
  predictCsr: CsrRefusalPredictor | undefined,
): PlannedRefusal | undefined {
  const credentialProblem = validateCredentials(credentials);
  if (credentialProblem) return credentialProblem;
  if (answers.endpoint === 'AutoRevokeSSL') return validateRevokeParams(answers.params);
  const problem = validateReplaceParams(answers.params);
  if (problem) return problem;
  const csrRefusal = predictCsr?.(answers.params.csr);
  return csrRefusal && { parameter: 'csr', ...csrRefusal, overridable: true };
}

function shownValue(answers: CallAnswers, name: string, value: string): string {
  if (name === 'loginPassword') return PASSWORD_MASK;
  if (name === 'csr') {
    const csrName = answers.endpoint === 'AutoReplaceSMIME' && answers.csrName ? answers.csrName : 'CSR';
    return `${csrName} (${value.length} characters)`;
  }
  return value;
}

export function planCall(
  answers: CallAnswers,
  account: PlanAccount,
  credentials: Credentials,
  predictCsr?: CsrRefusalPredictor,
): CallPlan {
  const form =
    answers.endpoint === 'AutoReplaceSMIME'
      ? buildReplaceForm(credentials, answers.params)
      : buildRevokeForm(credentials, answers.params);
  const irreversible =
    answers.endpoint === 'AutoReplaceSMIME' ? answers.params.revokeOldOrder === true : answers.params.test !== true;
  return {
    endpoint: answers.endpoint,
    url: endpointUrl(account.baseUrl, answers.endpoint),
    host: hostOf(account.baseUrl),
    loginName: account.loginName,
    production: isProductionBaseUrl(account.baseUrl),
    form,
    preview: form.map(([name, value]) => ({ name, shown: shownValue(answers, name, value) })),
    refusal: predictRefusal(answers, credentials, predictCsr),
    irreversible,
  };
}

/** `login @ host`, the way the status bar and every confirmation name an account. */
export function accountLabel(loginName: string, baseUrl: string): string {
  return `${loginName} @ ${hostOf(baseUrl)}`;
}

/**
 * The preview's lines: the target first (method, URL), then one parameter a line, "name = value".
 * Texts (outside-text.ts): the parameter's name is the program's word, the URL and value outside
 * values, so each sink shows a line as it must (the terminal never lets a value begin a line).
 */
export function previewLines(plan: CallPlan): Text[] {
  return [
    words`POST ${outside(plan.url)}`,
    ...plan.preview.map((line) => words`${tokenText(line.name)} = ${outside(line.shown)}`),
  ];
}

/** The preview as text: previewLines, one a line. */
export function previewText(plan: CallPlan): string {
  return plainText(joinText(previewLines(plan), words`\n`));
}

/** One preview line as previewText shows it. */
function lineText(line: PreviewLine): string {
  return `${line.name} = ${line.shown}`;
}

/** A field that differs between two plans of one call: `from` or `to` is undefined where the field is not sent. */
export interface FieldChange {
  name: string;
  from?: string;
  to?: string;
}

/** The fields whose shown values differ from `from` to `to`, in the order of `from`, then those only `to` sends. */
export function planChanges(from: CallPlan, to: CallPlan): FieldChange[] {
  const before = new Map(from.preview.map((line) => [line.name, line.shown]));
  const after = new Map(to.preview.map((line) => [line.name, line.shown]));
  const changes: FieldChange[] = [];
  for (const [name, shown] of before) {
    const now = after.get(name);
    if (now !== shown) changes.push({ name, from: shown, ...(now !== undefined && { to: now }) });
  }
  for (const [name, shown] of after) if (!before.has(name)) changes.push({ name, to: shown });
  return changes;
}

/**
 * What `to` sends, said against `from` that is shown in full: "the same request without
 * revokeOldOrder = Y", "the same request with test = N instead of test = Y". A confirmation with
 * two buttons shows one plan and says the other's difference in these words, so each button's
 * text is rendered from the request that button sends. A plan to another URL is shown whole.
 */
export function sameRequestExcept(from: CallPlan, to: CallPlan): string {
  if (from.url !== to.url || from.loginName !== to.loginName) return `this request:\n${previewText(to)}`;
  const changes = planChanges(from, to);
  if (changes.length === 0) return 'the same request';
  const parts = changes.map((change) => {
    const now = change.to !== undefined && lineText({ name: change.name, shown: change.to });
    const was = change.from !== undefined && lineText({ name: change.name, shown: change.from });
    if (!now) return `without ${was}`;
    return was ? `with ${now} instead of ${was}` : `with ${now}`;
  });
  return `the same request ${parts.join(', ')}`;
}

/** The preview as a record (for --json and logs). */
export function previewRecord(plan: CallPlan): { url: string; parameters: Record<string, string> } {
  return { url: plan.url, parameters: Object.fromEntries(plan.preview.map((line) => [line.name, line.shown])) };
}
