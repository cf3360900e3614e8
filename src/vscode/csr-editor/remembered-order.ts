// The order a request was refused for: when a replace with the old request failed with -13, the
// orders history holds the order number, and the new request is offered for that same order.
// A read of the history only; the history itself belongs to the calls (./calls/orders-store).
import type * as vscode from 'vscode';
import type { OrderHistoryReader } from '../calls/orders-store';
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

/** New requests made for an order (URI string → order number), for this session: their Replace lens names the order. */
const ordersOfNewRequests = new Map<string, string>();

export function rememberOrderFor(csrUri: vscode.Uri, orderNumber: string): void {
  ordersOfNewRequests.set(csrUri.toString(), orderNumber);
}

/** The order a new request was made for, if it was made in this session after a -13. */
export function rememberedOrderFor(csrUri: vscode.Uri): string | undefined {
  return ordersOfNewRequests.get(csrUri.toString());
}
