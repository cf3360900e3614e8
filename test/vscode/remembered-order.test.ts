// The order a new request was made for (after Sectigo refused the old one with -13) is kept in
// the extension's global state: a reload keeps the new request's "Replace S/MIME order N…".
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MAX_REMEMBERED_ORDERS, RememberedOrders } from '../../src/vscode/csr-editor/remembered-order';

/** A Memento as VS Code's global state behaves: values survive a new reader of the same store. */
function memoryMemento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => {
      values.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    },
  } as vscode.Memento;
}

describe('the order a new request was made for', function () {
  it('is read back by a new reader of the same state, as after a reload', async function () {
    const state = memoryMemento();
    const uri = vscode.Uri.file('/tmp/alice.new.csr');
    await new RememberedOrders(state).remember(uri, '1000001');
    assert.equal(new RememberedOrders(state).orderFor(uri), '1000001');
    assert.equal(new RememberedOrders(state).orderFor(vscode.Uri.file('/tmp/other.csr')), undefined);
  });

  it('keeps only the newest requests, and one order per request', async function () {
    const state = memoryMemento();
    const remembered = new RememberedOrders(state);
    const uriOf = (n: number): vscode.Uri => vscode.Uri.file(`/tmp/request-${n}.csr`);
    for (let n = 0; n < MAX_REMEMBERED_ORDERS + 5; n += 1) await remembered.remember(uriOf(n), String(2_000_000 + n));
    await remembered.remember(uriOf(MAX_REMEMBERED_ORDERS + 4), '3000000');
    assert.equal(remembered.orderFor(uriOf(0)), undefined, 'the oldest is forgotten');
    assert.equal(remembered.orderFor(uriOf(5)), String(2_000_005));
    assert.equal(remembered.orderFor(uriOf(MAX_REMEMBERED_ORDERS + 4)), '3000000');
    assert.equal((state.get<unknown[]>('sectigo.ordersOfNewRequests') ?? []).length, MAX_REMEMBERED_ORDERS);
  });

  it('ignores a state it did not write (another version, or edited by hand)', async function () {
    const state = memoryMemento();
    await state.update('sectigo.ordersOfNewRequests', [['file:///tmp/a.csr', 'not a number'], 'junk', [1, 2]]);
    assert.equal(new RememberedOrders(state).orderFor(vscode.Uri.parse('file:///tmp/a.csr')), undefined);
    await state.update('sectigo.ordersOfNewRequests', { not: 'a list' });
    assert.equal(new RememberedOrders(state).orderFor(vscode.Uri.parse('file:///tmp/a.csr')), undefined);
  });
});
