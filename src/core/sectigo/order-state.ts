// An order's state from its strongest fact. The calls of one order (single calls, and a bulk run's
// answer for an order already in the history) come in any order of test and real; what they say
// is weighed, not merely the latest: once Sectigo accepted a real revocation, or answered -21
// ("already revoked", to a test call as much as a real one), the certificate is revoked, whatever
// any later test call answers. Otherwise the latest call says where the order stands. Pure: the
// tree, the commands and the plain-Node property tests share it.
import type { ApiResult, Endpoint } from './types';

/** What a call left an order in. A call refused locally or cancelled before sending records nothing. */
export type OrderState = 'replaced' | 'revoked' | 'test-revoked' | 'failed' | 'outcome-unknown';

export const ORDER_STATES: readonly OrderState[] = ['replaced', 'revoked', 'test-revoked', 'failed', 'outcome-unknown'];

/** The answer AutoRevokeSSL gives for a certificate that is already revoked. */
export const ALREADY_REVOKED_CODE = -21;

/** One call as the rule reads it. */
export interface OrderFact {
  /** ISO 8601. */
  time: string;
  endpoint: Endpoint;
  state: OrderState;
  test?: boolean | undefined;
  errorCode?: number | undefined;
}

/**
 * The state an answer leaves an order in, or undefined when nothing is to be recorded (refused
 * before sending, cancelled before sending). A test call Sectigo accepted revoked nothing
 * ('test-revoked'); a -21 says the certificate is revoked, whether the call was a test or not.
 */
export function stateOfAnswer(result: ApiResult, test: boolean): OrderState | undefined {
  switch (result.kind) {
    case 'success':
      return result.endpoint === 'AutoReplaceSMIME' ? 'replaced' : test ? 'test-revoked' : 'revoked';
    case 'api-error':
      return result.endpoint === 'AutoRevokeSSL' && result.errorCode === ALREADY_REVOKED_CODE ? 'revoked' : 'failed';
    case 'validation-error':
      return undefined;
    case 'transport-error':
      return result.outcome === 'unknown' ? 'outcome-unknown' : 'failed';
    case 'cancelled':
      return result.outcome === 'unknown' ? 'outcome-unknown' : undefined;
  }
}

/** Whether a call proves the certificate revoked: a real revocation Sectigo accepted, or a -21 to any call. */
export function provesRevoked(fact: Pick<OrderFact, 'endpoint' | 'state' | 'errorCode'>): boolean {
  if (fact.endpoint !== 'AutoRevokeSSL') return false;
  // 'revoked' is recorded only for a real revocation accepted or a -21 (stateOfAnswer); the code is checked too,
  // so a -21 recorded under another state by an earlier version still counts.
  return fact.state === 'revoked' || fact.errorCode === ALREADY_REVOKED_CODE;
}

/** Whether the answer was -21: "already revoked", the words every surface uses for it. */
export function isAlreadyRevoked(fact: Pick<OrderFact, 'endpoint' | 'errorCode'>): boolean {
  return fact.endpoint === 'AutoRevokeSSL' && fact.errorCode === ALREADY_REVOKED_CODE;
}

/** The newest of the facts (by time; the first given wins a tie), or undefined for none. */
export function latestFact<T extends Pick<OrderFact, 'time'>>(facts: readonly T[]): T | undefined {
  let latest: T | undefined;
  for (const fact of facts) if (latest === undefined || fact.time > latest.time) latest = fact;
  return latest;
}

/** The order's state from its strongest fact: revoked once anything proved it, else what the latest call left. */
export function orderStateOf(facts: readonly OrderFact[]): OrderState | undefined {
  if (facts.some(provesRevoked)) return 'revoked';
  return latestFact(facts)?.state;
}
