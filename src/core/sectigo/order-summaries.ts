// One summary per order, for the Orders tree and the views that build on it: every call that named
// the same certificate at the same endpoint, its state from the strongest fact (order-state.ts).
import { isProductionBaseUrl } from './call-plan';
import { latestFact, orderStateOf, type OrderState } from './order-state';
import type { OrderEntry, OrderIdentifier } from './orders-store';

/**
 * One order as the tree shows it: every call that named the same certificate at the same
 * endpoint, newest first, and the state they leave it in. Exported for views that build on it.
 */
export interface OrderSummary {
  /** Stable id of the order: identifier kind, identifier and endpoint. */
  key: string;
  identifierKind: OrderIdentifier;
  identifier: string;
  baseUrl: string;
  production: boolean;
  loginName: string | undefined;
  /** S/MIME when any call replaced it (AutoReplaceSMIME); SSL otherwise. */
  kind: 'smime' | 'ssl';
  /** From the strongest fact: revoked once a real revocation or a -21 said so (orderStateOf). */
  state: OrderState;
  /** The calls, newest first; calls[0] is the latest. */
  calls: OrderEntry[];
  /** ISO 8601: the latest call's time. */
  latest: string;
  newOrderNumber: string | undefined;
  csrUri: string | undefined;
  csrBlockIndex: number | undefined;
  certificateUri: string | undefined;
}

export function orderKeyOf(entry: Pick<OrderEntry, 'identifierKind' | 'identifier' | 'baseUrl'>): string {
  return `${entry.identifierKind}:${entry.identifier}@${entry.baseUrl}`;
}

/** Groups calls into orders (newest activity first), each in the state of its strongest fact. */
export function groupOrders(entries: readonly OrderEntry[]): OrderSummary[] {
  const byKey = new Map<string, OrderEntry[]>();
  for (const entry of entries) {
    const key = orderKeyOf(entry);
    const calls = byKey.get(key);
    if (calls) calls.push(entry);
    else byKey.set(key, [entry]);
  }
  const orders = [...byKey.entries()].map(([key, unsorted]): OrderSummary => {
    const calls = [...unsorted].sort((a, b) => b.time.localeCompare(a.time));
    const latest = (latestFact(calls) ?? calls[0]) as OrderEntry;
    const withCsr = calls.find((call) => call.csrUri !== undefined);
    const withCertificate = calls.find((call) => call.certificateUri !== undefined);
    const replaced = calls.find((call) => call.state === 'replaced' && call.newOrderNumber !== undefined);
    return {
      key,
      identifierKind: latest.identifierKind,
      identifier: latest.identifier,
      baseUrl: latest.baseUrl,
      production: isProductionBaseUrl(latest.baseUrl),
      loginName: latest.loginName,
      kind: calls.some((call) => call.endpoint === 'AutoReplaceSMIME') ? 'smime' : 'ssl',
      state: orderStateOf(calls) ?? latest.state,
      calls,
      latest: latest.time,
      newOrderNumber: replaced?.newOrderNumber,
      csrUri: withCsr?.csrUri,
      csrBlockIndex: withCsr?.csrBlockIndex,
      certificateUri: withCertificate?.certificateUri,
    };
  });
  return orders.sort((a, b) => b.latest.localeCompare(a.latest));
}
