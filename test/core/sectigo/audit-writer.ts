// A separate process appending to one audit record (the audit record tests run two at once, and
// kill one mid-write): `node --import tsx audit-writer.ts FILE PREFIX COUNT`.
import { OrdersStore } from '../../../src/core/sectigo/orders-store';

const [file, prefix, count] = process.argv.slice(2);
async function main(): Promise<void> {
  const store = new OrdersStore(`${file}.orders.json`, 200, file);
  for (let index = 0; index < Number(count); index++) {
    await store.add({
      id: `${prefix}-${index}`,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, index)).toISOString(),
      endpoint: 'AutoRevokeSSL',
      identifierKind: 'orderNumber',
      identifier: String(1_000_000 + index),
      state: 'revoked',
      baseUrl: 'https://secure.trust-provider.com/products/',
      loginName: 'op',
      // A long message, so a line takes several pages' worth of bytes and a kill can tear it.
      message: 'x'.repeat(6000),
    });
    if (process.send) process.send(index);
  }
}

void main();
