// The command line's own SHA-256 (src/core/csr/sha256.ts) is Node's: every length across the first
// blocks (where the padding spills into another block at 56 bytes), and larger inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sha256 } from '../../../src/core/csr/sha256';

const nodeSha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

test('SHA-256 of every length from 0 to 300 bytes, and of larger inputs, is what Node computes', () => {
  for (let length = 0; length <= 300; length += 1) {
    const data = randomBytes(length);
    assert.equal(Buffer.from(sha256(data)).toString('hex'), nodeSha256(data), `${length} bytes`);
  }
  for (const length of [1000, 4096, 65_537, 1_000_003]) {
    const data = randomBytes(length);
    assert.equal(Buffer.from(sha256(data)).toString('hex'), nodeSha256(data), `${length} bytes`);
  }
  // A view into a larger buffer hashes its own bytes only.
  const backing = randomBytes(100);
  assert.equal(Buffer.from(sha256(backing.subarray(10, 70))).toString('hex'), nodeSha256(backing.subarray(10, 70)));
  assert.equal(Buffer.from(sha256(new Uint8Array(0))).toString('hex'), nodeSha256(new Uint8Array(0)));
});
