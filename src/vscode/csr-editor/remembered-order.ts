// The order a request was refused for: when a replace with the old request failed with -13, the
// orders history holds the order number, and the new request is offered for that same order.
// A read of the history only; the history itself is core/sectigo/orders-store.ts, written by the calls.
import type * as vscode from 'vscode';
import type { OrderHistoryReader } from '../../core/sectigo/orders-store';
import { StateKeys } from '../shared/ids';
import { keyRefusedErrorCode } from './new-key-fix';

/** The order number of the newest replace of block `blockIndex` of `csrUri` that Sectigo answered with -13, if any. */
export async function orderRefusedFor(
  history: OrderHistoryReader,
  csrUri: vscode.Uri,
  blockIndex: number,
): Promise<string | undefined> {
  try {
    const { entries } = await history.load();
    const entry = entries.find(
      (candidate) =>
        candidate.endpoint === 'AutoReplaceSMIME' &&
        candidate.identifierKind === 'orderNumber' &&
        candidate.errorCode === keyRefusedErrorCode &&
        candidate.csrUri === csrUri.toString() &&
        (candidate.csrBlockIndex ?? 0) === blockIndex,
    );
    return entry?.identifier;
  } catch {
    // The history is a convenience here: without it the user types the order number.
    return undefined;
  }
}

/** How many new requests keep their order: the newest, so the record stays small. */
export const MAX_REMEMBERED_ORDERS = 50;
const STATE_KEY = StateKeys.ordersOfNewRequests;

/**
 * New requests made for an order (request URI → order number): their Replace lens names the
 * order, across reloads. Kept in the extension's global state (a Memento, passed in).
 */
export class RememberedOrders {
  constructor(private readonly state: vscode.Memento) {}

  private read(): [string, string][] {
    const stored = this.state.get<unknown>(STATE_KEY);
    if (!Array.isArray(stored)) return [];
    return stored.filter(
      (pair): pair is [string, string] =>
        Array.isArray(pair) &&
        typeof pair[0] === 'string' &&
        typeof pair[1] === 'string' &&
        /^[0-9]{1,20}$/.test(pair[1]),
    );
  }

  async remember(csrUri: vscode.Uri, orderNumber: string): Promise<void> {
    const key = csrUri.toString();
    const pairs = [...this.read().filter(([uri]) => uri !== key), [key, orderNumber] as [string, string]];
    await this.state.update(STATE_KEY, pairs.slice(-MAX_REMEMBERED_ORDERS));
  }

  /** The order a new request was made for after a -13, if any. */
  orderFor(csrUri: vscode.Uri): string | undefined {
    const key = csrUri.toString();
    return this.read().find(([uri]) => uri === key)?.[1];
  }
}
