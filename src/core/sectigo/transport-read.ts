// Reading one answer: the status and the headers the verbs use, the body streamed and stopped at
// MAX_BODY_BYTES; and a call that failed or was cancelled as its Exchange, its outcome (not sent,
// or unknown) from whether the request was written. The read part of the transport (transport.ts).
import type { Dispatcher } from 'undici';
import { redactOwnText } from './redact';
import { describeNetworkError, seconds, type Failure } from './transport-failure';
import type { Exchange, PostRequest, TransportLog } from './transport';

/** Large enough for any documented answer; a bigger body is not an API answer. */
export const MAX_BODY_BYTES = 1024 * 1024;

interface ReadContext {
  log: TransportLog;
  /** The call's secrets and the proxy's credentials: removed from every message. */
  secrets: readonly string[];
  /** Milliseconds since the call started. */
  elapsed: () => number;
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The body, or undefined when it is over the cap: a 100 MB answer never costs more than MAX_BODY_BYTES. */
async function boundedBody(response: Dispatcher.ResponseData): Promise<Buffer | undefined> {
  // Digits only (Number would read 0x10, 1e9 and spaces too); a length too long to be a safe
  // integer is over the cap all the same.
  const declared = first(response.headers['content-length'])?.trim() ?? '';
  if (/^[0-9]+$/.test(declared) && (declared.length > 15 || Number(declared) > MAX_BODY_BYTES)) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The answer as the verbs read it, or a failure when its body is over the cap. */
export async function readResponse(
  response: Dispatcher.ResponseData,
  call: PostRequest,
  { log, secrets, elapsed }: ReadContext,
): Promise<Exchange> {
  const status = response.statusCode;
  const body = await boundedBody(response);
  if (body === undefined) {
    response.body.destroy();
    const message = `The answer from ${new URL(call.url).host} is too large (over ${MAX_BODY_BYTES / 1024 / 1024} MiB): it is not an API answer, so reading stopped there. The request may have reached Sectigo.`;
    log('info', `${call.label} ${message}`, secrets);
    return {
      kind: 'failed',
      reason: 'too-large',
      outcome: 'unknown',
      message,
      httpStatus: status,
      durationMs: elapsed(),
    };
  }
  const contentType = first(response.headers['content-type']);
  const location = first(response.headers.location);
  const retryAfter = response.headers['retry-after'];
  return {
    kind: 'answered',
    status,
    ...(contentType !== undefined && { contentType }),
    ...(location !== undefined && { location }),
    ...(retryAfter !== undefined && { retryAfter }),
    body,
    durationMs: elapsed(),
  };
}

/** What the sending side knew when the call failed. */
export interface FailedCall extends ReadContext {
  /** Whether undici started writing the request: before that, the call certainly had no effect. */
  requestWritten: boolean;
  /** The deadline's own signal: aborted when the call ended by its deadline. */
  deadline: AbortSignal;
  proxy: URL | undefined;
  timeoutMs: number;
}

/** A call that threw (cancelled, timed out, a network failure) as its Exchange. */
export function failedExchange(error: unknown, call: PostRequest, facts: FailedCall): Exchange {
  const { requestWritten, deadline, proxy, timeoutMs, secrets, log, elapsed } = facts;
  const outcome = requestWritten ? 'unknown' : 'not-sent';
  if (call.signal?.aborted) {
    log(
      'info',
      `${call.label} cancelled (${outcome === 'unknown' ? 'the request may have reached the server' : 'nothing was sent'})`,
    );
    return {
      kind: 'cancelled',
      outcome,
      message:
        outcome === 'unknown'
          ? 'Cancelled after the request was sent: it may have taken effect.'
          : 'Cancelled before anything was sent.',
    };
  }
  const through = proxy === undefined ? '' : ` through the proxy ${proxy.host}`;
  const failure: Failure =
    deadline.aborted && !requestWritten
      ? {
          reason: 'connect-timeout',
          message: `Could not connect to ${new URL(call.url).host}${through} within ${seconds(timeoutMs)} s.`,
          beforeSending: true,
        }
      : describeNetworkError(deadline.aborted ? deadline.reason : error, new URL(call.url), timeoutMs, proxy, secrets);
  const certainlyNotSent = outcome === 'not-sent' || (failure.beforeSending && !requestWritten);
  const message = redactOwnText(
    `${failure.message} ${certainlyNotSent ? 'Nothing was sent: the call had no effect.' : 'The request may have reached Sectigo.'}`,
    secrets,
  );
  // 'info', not 'warn': the caller reports the result itself; a warning here would say it twice.
  log('info', `${call.label} transport failure: ${message}`, secrets);
  return {
    kind: 'failed',
    reason: failure.reason,
    outcome: certainlyNotSent ? 'not-sent' : 'unknown',
    message,
    durationMs: elapsed(),
  };
}
