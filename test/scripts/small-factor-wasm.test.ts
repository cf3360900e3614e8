// The WebAssembly module of the small-factor check is ours and built from its source: rebuilding
// src/core/csr/small-factors.wat with the script gives the shipped bytes, and the product in the
// module's data is that of every prime up to badkeys' bound, by a sieve and a product written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSmallFactorWasm, moduleText, smallFactorWasmModule } from '../../scripts/make-small-factor-wasm';
import { smallFactorBound, smallFactorProduct } from '../../src/core/csr/rsa-weakness';
import { smallFactorProductHex, smallFactorWasmBase64 } from '../../src/core/csr/small-factors-wasm';

test('the shipped module is built from small-factors.wat by the script', async () => {
  const bytes = await buildSmallFactorWasm();
  assert.equal(Buffer.from(bytes).toString('base64'), smallFactorWasmBase64);
  assert.equal(readFileSync(smallFactorWasmModule, 'utf8'), moduleText(bytes));
});

test("the shipped product is that of every prime up to 65537, and loadProduct puts it in the module's 27-bit limbs", () => {
  let product = 1n;
  for (let i = 2; i <= smallFactorBound; i += 1) {
    let prime = true;
    for (let d = 2; d * d <= i; d += 1)
      if (i % d === 0) {
        prime = false;
        break;
      }
    if (prime) product *= BigInt(i);
  }
  assert.equal(BigInt(`0x${smallFactorProductHex}`), product);
  assert.equal(smallFactorProduct(), product);
  const bytes = Uint8Array.from(atob(smallFactorWasmBase64), (char) => char.charCodeAt(0));
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as {
    memory: WebAssembly.Memory;
    workAt: WebAssembly.Global;
    nAt: WebAssembly.Global;
    productLimbs: WebAssembly.Global;
    loadProduct(words: number): number;
  };
  const limbs = new Uint32Array(exports.memory.buffer);
  // Nothing is in the module before loadProduct: it ships no data.
  assert.ok(limbs.every((limb) => limb === 0));
  const words = Math.ceil(smallFactorProductHex.length / 8);
  for (let i = 0, rest = product; i < words; i += 1, rest >>= 32n)
    limbs[((exports.workAt.value as number) >> 2) + i] = Number(rest & 0xffffffffn);
  const count = exports.loadProduct(words);
  const padded = exports.productLimbs.value as number;
  assert.ok(count <= padded && padded % 4 === 0 && padded - count < 4, `${count} limbs, ${padded} padded`);
  let read = 0n;
  for (let i = count - 1; i >= 0; i -= 1) {
    assert.ok((limbs[i] as number) < 2 ** 27, `limb ${i}`);
    read = (read << 27n) | BigInt(limbs[i] as number);
  }
  assert.equal(read, product);
  // Zero limbs pad it to whole vectors of four, and nothing else follows before n's place.
  for (let i = count; i < (exports.nAt.value as number) >> 2; i += 1) assert.equal(limbs[i], 0, `limb ${i}`);
});
