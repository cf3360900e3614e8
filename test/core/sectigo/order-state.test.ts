// An order's state from its strongest fact (plain Node, property-based with fast-check): whatever
// interleaving of test and real calls an order gets, once a real revocation was accepted or any
// call answered -21 it reads "revoked", in the pure rule and after the bounded history has made
// room (the fact lives in the audit record); otherwise the latest call decides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  latestFact,
  orderStateOf,
  provesRevoked,
  stateOfAnswer,
  type OrderFact,
} from '../../../src/core/sectigo/order-state';
import { OrdersStore, groupOrders, type OrderEntry } from '../../../src/core/sectigo/orders-store';
import { revokeErrorAnswer, revokedAnswer } from './bulk/answers';
import type { ApiResult } from '../../../src/core/sectigo/types';

/** One revocation call as it can happen: test or real, and what Sectigo (or the network) answered. */
interface Call {
  test: boolean;
  answer: 'accepted' | 'already-revoked' | 'failed' | 'unknown' | 'not-sent';
}

function resultOf(answer: Call['answer']): ApiResult {
  switch (answer) {
    case 'accepted':
      return revokedAnswer;
    case 'already-revoked':
      return revokeErrorAnswer(-21, 'The certificate has been revoked!');
    case 'failed':
      return revokeErrorAnswer(-4, 'invalid');
    case 'unknown':
      return {
        kind: 'transport-error',
        endpoint: 'AutoRevokeSSL',
        outcome: 'unknown',
        message: 'reset',
        durationMs: 1,
      };
    case 'not-sent':
      return {
        kind: 'transport-error',
        endpoint: 'AutoRevokeSSL',
        outcome: 'not-sent',
        message: 'refused',
        durationMs: 1,
      };
  }
}

const callArbitrary = fc.record<Call>({
  test: fc.boolean(),
  answer: fc.constantFrom('accepted', 'already-revoked', 'failed', 'unknown', 'not-sent'),
});

/** Whether a call, on its own, proves the certificate revoked: a real revocation accepted, or -21 to anything. */
const proves = (call: Call): boolean => (call.answer === 'accepted' && !call.test) || call.answer === 'already-revoked';

function factsOf(calls: readonly Call[]): OrderFact[] {
  return calls.flatMap((call, index) => {
    const state = stateOfAnswer(resultOf(call.answer), call.test);
    if (state === undefined) return [];
    const result = resultOf(call.answer);
    return [
      {
        time: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
        endpoint: 'AutoRevokeSSL' as const,
        state,
        test: call.test,
        ...(result.kind === 'api-error' && { errorCode: result.errorCode }),
      },
    ];
  });
}

describe("an order's state comes from its strongest fact", () => {
  it('reads revoked, whatever came after, once a real revocation or a -21 happened', () => {
    fc.assert(
      fc.property(fc.array(callArbitrary, { maxLength: 30 }), (calls) => {
        const facts = factsOf(calls);
        const state = orderStateOf(facts);
        if (calls.some(proves)) assert.equal(state, 'revoked');
        else assert.equal(state, latestFact(facts)?.state);
      }),
      { numRuns: 500 },
    );
  });

  it('never reads revoked from test calls Sectigo accepted, however many', () => {
    fc.assert(
      fc.property(
        fc.array(
          callArbitrary.filter((call) => !proves(call)),
          { minLength: 1, maxLength: 30 },
        ),
        (calls) => {
          assert.notEqual(orderStateOf(factsOf(calls)), 'revoked');
        },
      ),
    );
  });

  it('does not depend on the order the calls are listed in, only on their times', () => {
    fc.assert(
      fc.property(fc.array(callArbitrary, { maxLength: 20 }), fc.nat(), (calls, seed) => {
        const facts = factsOf(calls);
        const shuffled = [...facts].sort(
          (a, b) => ((a.time.charCodeAt(18) * 31 + seed) % 7) - ((b.time.charCodeAt(18) * 31 + seed) % 7),
        );
        assert.equal(orderStateOf(shuffled), orderStateOf(facts));
      }),
    );
  });

  it('a -21 to a test call is a revocation fact, a test accepted is not, and a replace never is', () => {
    assert.equal(stateOfAnswer(resultOf('already-revoked'), true), 'revoked');
    assert.equal(stateOfAnswer(resultOf('accepted'), true), 'test-revoked');
    assert.equal(provesRevoked({ endpoint: 'AutoRevokeSSL', state: 'test-revoked', errorCode: -21 }), true);
    assert.equal(provesRevoked({ endpoint: 'AutoRevokeSSL', state: 'test-revoked' }), false);
    assert.equal(provesRevoked({ endpoint: 'AutoReplaceSMIME', state: 'replaced' }), false);
  });
});

describe('the strongest fact survives a bounded history', () => {
  it('keeps "revoked" after any interleaving of test and real calls, with a history of 3 items', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ call: callArbitrary, order: fc.constantFrom('1000001', '1000002', '1000003') }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (calls) => {
          const folder = mkdtempSync(join(tmpdir(), 'sectigo-state-'));
          try {
            const store = OrdersStore.inDirectory(folder, 3);
            let second = 0;
            for (const { call, order } of calls) {
              const result = resultOf(call.answer);
              const state = stateOfAnswer(result, call.test);
              second++;
              if (state === undefined) continue;
              const entry: OrderEntry = {
                id: `e${second}`,
                time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
                endpoint: 'AutoRevokeSSL',
                identifierKind: 'orderNumber',
                identifier: order,
                state,
                baseUrl: 'https://secure.trust-provider.com/products/',
                test: call.test,
                ...(result.kind === 'api-error' && { errorCode: result.errorCode }),
              };
              await store.add(entry);
            }
            const orders = groupOrders((await OrdersStore.inDirectory(folder, 3).load()).entries);
            for (const order of ['1000001', '1000002', '1000003']) {
              const own = calls.filter((candidate) => candidate.order === order).map((candidate) => candidate.call);
              if (!own.some(proves)) continue;
              assert.equal(
                orders.find((summary) => summary.identifier === order)?.state,
                'revoked',
                `order ${order} after ${JSON.stringify(own)}`,
              );
            }
          } finally {
            rmSync(folder, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
