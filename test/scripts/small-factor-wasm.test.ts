// The WebAssembly module of the small-factor check is ours and built from its source: rebuilding
// src/core/csr/small-factors.wat with the script gives the shipped bytes, and the product in the
// module's data is that of every prime up to badkeys' bound, by a sieve and a product written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSmallFactorWasm, moduleText, smallFactorWasmModule } from '../../scripts/make-small-factor-wasm';
import { smallFactorBound } from '../../src/core/csr/rsa-weakness';
import { smallFactorWasmBase64 } from '../../src/core/csr/small-factors-wasm';

test('the shipped module is built from small-factors.wat by the script', async () => {
  const bytes = await buildSmallFactorWasm();
  assert.equal(Buffer.from(bytes).toString('base64'), smallFactorWasmBase64);
  assert.equal(readFileSync(smallFactorWasmModule, 'utf8'), moduleText(bytes));
});

test("the module's data is the product of every prime up to 65537, in 27-bit limbs", () => {
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
  const bytes = Uint8Array.from(atob(smallFactorWasmBase64), (char) => char.charCodeAt(0));
  const memory = (new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as { memory: WebAssembly.Memory })
    .memory;
  const limbs = new Uint32Array(memory.buffer);
  const count = Math.ceil(product.toString(2).length / 27);
  let read = 0n;
  for (let i = count - 1; i >= 0; i -= 1) {
    assert.ok((limbs[i] as number) < 2 ** 27, `limb ${i}`);
    read = (read << 27n) | BigInt(limbs[i] as number);
  }
  assert.equal(read, product);
  // Zero limbs pad it to whole vectors of four, and nothing else follows before n's place.
  for (let i = count; i < count + 8; i += 1) assert.equal(limbs[i], 0, `limb ${i}`);
});
