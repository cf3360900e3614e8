// The Sectigo API client: the two verbs over the transport. A caller that showed a plan sends
// that plan (send); the two verbs plan their call (validation first) and send it the same way. It posts
// exactly the plan's form, and reads the answer through the one boundary that
// validates and redacts it. Every outcome becomes an ApiResult; nothing here throws
// for bad input or a bad network. Retries are decided on the transport's typed
// failure reason, never on a message's wording.
import type { ApiResult, CallOptions, ClientOptions, Endpoint, SectigoApi } from './types';
import { explainError, parseRetryAfter, readRetryAfter } from './errors';
import { predictCsrRefusal } from './csr-preflight';
import { redactOwnText } from './redact';
import { encodeForm } from './request';
import { readAnswer, serverText, type ServerAnswer } from './response';
import { PRODUCTION_BASE_URL, endpointUrl, planCall, previewText, type CallPlan } from './call-plan';
import { createTransport, type Exchange, type FailureReason, type Transport, type TransportLog } from './transport';

export { DEFAULT_TIMEOUT_MS, isLoopbackAddress, proxyFor, validateBaseUrl, type FailureReason } from './transport';

export const DEFAULT_BASE_URL = PRODUCTION_BASE_URL;

export const OUTCOME_UNKNOWN_REPLACE = 'outcome unknown: check the order before trying again';

/**
 * After which failures a revocation is sent once more: the request may have arrived but no usable
 * answer came back. A revocation can be repeated safely (a second one answers -21 "already
 * revoked"). Not after a timeout (the user already waited that long), not after a body over the
 * cap, and never when nothing was sent (refused, untrusted: a retry fails the same way).
 */
const RETRY_REVOCATION_AFTER: ReadonlySet<FailureReason | 'redirect' | 'not-an-api-answer'> = new Set([
  'connection-lost',
  'cut-off',
  'network',
  'redirect',
  'not-an-api-answer',
] as const);

/** An ApiResult, and for a failure its typed reason (what a retry is decided on). */
interface Sent {
  result: ApiResult;
  reason?: FailureReason | 'redirect' | 'not-an-api-answer';
}

/** What the verbs need of one client: its transport, its log (secrets removed) and its base URL. */
interface ClientContext {
  transport: Transport;
  log: TransportLog;
  baseUrl: string;
}

/** Sends exactly plan.form to plan.url (what the preview showed is what goes out) and reads the answer. */
async function send(
  context: ClientContext,
  plan: CallPlan,
  call: CallOptions,
  deadlineAt = Date.now() + context.transport.timeoutMs,
): Promise<Sent> {
  const { endpoint, form: fields, url } = plan;
  const password = fields.find(([name]) => name === 'loginPassword')?.[1] ?? '';
  const secrets = [password, ...context.transport.proxySecrets];
  const exchange = await context.transport.post({
    label: endpoint,
    url,
    body: encodeForm(fields),
    secrets: [password],
    ...(call.signal && { signal: call.signal }),
    deadlineAt,
    preview: previewText(plan),
  });
  return answerOf(context.log, endpoint, exchange, secrets);
}

function answerOf(log: TransportLog, endpoint: Endpoint, exchange: Exchange, secrets: readonly string[]): Sent {
  switch (exchange.kind) {
    case 'refused':
      return {
        result: {
          kind: 'validation-error',
          endpoint,
          parameter: exchange.parameter,
          predictedErrorCode: -1,
          message: exchange.message,
        },
      };
    case 'cancelled':
      return { result: { kind: 'cancelled', endpoint, outcome: exchange.outcome, message: exchange.message } };
    case 'failed':
      return {
        result: {
          kind: 'transport-error',
          endpoint,
          outcome: exchange.outcome,
          message: exchange.message,
          ...(exchange.httpStatus !== undefined && { httpStatus: exchange.httpStatus }),
          durationMs: exchange.durationMs,
        },
        reason: exchange.reason,
      };
    case 'answered':
      return readAnswered(log, endpoint, exchange, secrets);
  }
}

type Answered = Extract<Exchange, { kind: 'answered' }>;

/** An answer that is no API answer (a redirect, a page): the request was sent, so its outcome is unknown. */
function notAnApiAnswer(
  log: TransportLog,
  endpoint: Endpoint,
  exchange: Answered,
  secrets: readonly string[],
  what: { reason: 'redirect' | 'not-an-api-answer'; message: string; logged: string; bodyExcerpt?: string },
): Sent {
  log('info', `${endpoint} ${what.logged}`, secrets);
  return {
    result: {
      kind: 'transport-error',
      endpoint,
      outcome: 'unknown',
      message: what.message,
      httpStatus: exchange.status,
      ...(what.bodyExcerpt !== undefined && { bodyExcerpt: what.bodyExcerpt }),
      durationMs: exchange.durationMs,
    },
    reason: what.reason,
  };
}

function readAnswered(log: TransportLog, endpoint: Endpoint, exchange: Answered, secrets: readonly string[]): Sent {
  const { status, contentType, durationMs } = exchange;
  if (status >= 300 && status < 400) {
    // Redirects are not followed: a POST turned into a GET would answer -17, and the password must not follow a redirect elsewhere.
    const target = exchange.location ? serverText(exchange.location, secrets) : 'somewhere unnamed';
    const message = `The server answered with a redirect (HTTP ${status}) to ${target} instead of an API answer. Check the base URL. The request may have reached that server.`;
    return notAnApiAnswer(log, endpoint, exchange, secrets, { reason: 'redirect', message, logged: message });
  }
  const answer = readAnswer(endpoint, exchange.body, contentType, secrets);
  if (answer.kind === 'unexpected') {
    const type = contentType ? `, ${serverText(contentType.split(';')[0] ?? '', secrets)}` : '';
    const message = `Not an answer from the Sectigo API: ${answer.reason} (HTTP ${status}${type}). The request may have reached Sectigo.`;
    return notAnApiAnswer(log, endpoint, exchange, secrets, {
      reason: 'not-an-api-answer',
      message,
      logged: `${message} Body starts: ${JSON.stringify(answer.excerpt)}`,
      bodyExcerpt: answer.excerpt,
    });
  }
  if (status !== 200) log('warn', `${endpoint} answered with HTTP ${status}; reading the API answer anyway.`);
  log(
    'info',
    `${endpoint} answered errorCode ${answer.errorCode} (format ${answer.format}, HTTP ${status}, ${durationMs} ms)`,
  );
  return { result: apiResultOf(endpoint, exchange, answer) };
}

/** A documented answer as the call's result: success, or the error explained (with -42's next safe try). */
function apiResultOf(endpoint: Endpoint, exchange: Answered, answer: ServerAnswer): ApiResult {
  const { status, durationMs } = exchange;
  if (answer.errorCode === 0)
    return {
      kind: 'success',
      endpoint,
      errorCode: 0,
      ...(answer.newOrderNumber !== undefined && { newOrderNumber: answer.newOrderNumber }),
      responseFormat: answer.format,
      httpStatus: status,
      durationMs,
    };
  const explanation = explainError(endpoint, answer.errorCode);
  const now = Date.now();
  return {
    kind: 'api-error',
    endpoint,
    errorCode: answer.errorCode,
    errorMessage: answer.errorMessage ?? explanation.documentedMessage,
    explanation,
    ...(answer.errorCode === -42 && {
      retryAfter: new Date(parseRetryAfter(exchange.retryAfter, now)).toISOString(),
    }),
    // Whether the wait came from the server (a believable Retry-After) or is our default: a bulk run paces itself by the first.
    ...(answer.errorCode === -42 &&
      readRetryAfter(exchange.retryAfter, now) !== undefined && { retryAfterFromServer: true }),
    responseFormat: answer.format,
    httpStatus: status,
    durationMs,
  };
}

/** A plan's refusal as the call's outcome, unless the caller insists on sending a predicted one. */
function refused(log: TransportLog, plan: CallPlan, call: CallOptions): ApiResult | undefined {
  const refusal = plan.refusal;
  if (!refusal) return undefined;
  const { overridable, ...problem } = refusal;
  if (!overridable || !call.allowPredictedRefusal)
    return { kind: 'validation-error', endpoint: plan.endpoint, ...problem };
  log('warn', `Sending although Sectigo will answer ${refusal.predictedErrorCode}: ${refusal.message}`);
  return undefined;
}

// Never retried: a replacement creates an order, and nothing makes a second one harmless.
async function sendReplace(context: ClientContext, plan: CallPlan, call: CallOptions): Promise<ApiResult> {
  const { result } = await send(context, plan, call);
  if ((result.kind === 'transport-error' || result.kind === 'cancelled') && result.outcome === 'unknown') {
    return { ...result, message: `${result.message} Replacement ${OUTCOME_UNKNOWN_REPLACE}.` };
  }
  return result;
}

async function sendRevoke(context: ClientContext, plan: CallPlan, call: CallOptions): Promise<ApiResult> {
  const endpoint = plan.endpoint;
  // The retry shares the first attempt's deadline: one --timeout bounds the whole revocation.
  const deadlineAt = Date.now() + context.transport.timeoutMs;
  const first = await send(context, plan, call, deadlineAt);
  if (first.result.kind !== 'transport-error') return first.result;
  const retrySafe =
    first.result.outcome === 'unknown' &&
    first.reason !== undefined &&
    RETRY_REVOCATION_AFTER.has(first.reason) &&
    !call.signal?.aborted &&
    Date.now() < deadlineAt;
  if (!retrySafe) return first.result;
  context.log('info', `${endpoint}: retrying once after: ${first.result.message}`);
  const { result: second } = await send(context, plan, call, deadlineAt);
  // A real revocation is the plan's irreversible call; a test one (test=Y) answering -21 is no success.
  if (second.kind === 'api-error' && second.errorCode === -21 && plan.irreversible) {
    return {
      kind: 'success',
      endpoint,
      errorCode: 0,
      responseFormat: second.responseFormat,
      httpStatus: second.httpStatus,
      durationMs: second.durationMs,
      attempts: 2,
      note: 'The first answer was lost; the retry says the certificate is revoked (-21), so the revocation is in effect (it may have been revoked earlier).',
    };
  }
  return second.kind === 'success' || second.kind === 'api-error' ? { ...second, attempts: 2 } : second;
}

/** Sends one plan as planned; a plan made for another base URL than this client's is refused, never sent. */
async function sendPlan(context: ClientContext, plan: CallPlan, call: CallOptions = {}): Promise<ApiResult> {
  const ownUrl = endpointUrl(context.baseUrl, plan.endpoint);
  if (plan.url !== ownUrl)
    return {
      kind: 'validation-error',
      endpoint: plan.endpoint,
      parameter: 'url',
      predictedErrorCode: -1,
      message: `The call was planned for ${plan.url}, but this client sends to ${ownUrl}. Nothing was sent.`,
    };
  const refusal = refused(context.log, plan, call);
  if (refusal) return refusal;
  return plan.endpoint === 'AutoReplaceSMIME' ? sendReplace(context, plan, call) : sendRevoke(context, plan, call);
}

/** The client: the verbs above over one transport, its log removing the proxy's credentials too. */
export function createSectigoClient(options: ClientOptions = {}): SectigoApi {
  let proxySecrets: readonly string[] = [];
  const log: TransportLog = (level, message, secrets = []) => {
    options.log?.(level, redactOwnText(message, [...secrets, ...proxySecrets]));
  };
  const transport = createTransport(options, log);
  proxySecrets = transport.proxySecrets;
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const context: ClientContext = { transport, log, baseUrl };

  return {
    send: (plan, call) => sendPlan(context, plan, call),

    replaceSmime: (credentials, params, call = {}) =>
      sendPlan(
        context,
        planCall(
          { endpoint: 'AutoReplaceSMIME', params },
          { loginName: credentials.loginName, baseUrl },
          credentials,
          predictCsrRefusal,
        ),
        call,
      ),

    revokeSsl: (credentials, params, call = {}) =>
      sendPlan(
        context,
        planCall({ endpoint: 'AutoRevokeSSL', params }, { loginName: credentials.loginName, baseUrl }, credentials),
        call,
      ),

    close: () => transport.close(),
  };
}
