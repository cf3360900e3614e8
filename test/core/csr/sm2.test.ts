// SM2 verification (sm2.ts: @noble/curves' arithmetic, SM3 by hand) against the two requests
// openssl signed (an empty ID and the standard's 1234567812345678), and every way a signature or a
// key can be wrong: each must turn the verdict, not only a valid one pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRequest, type DecodedRequest } from '../../../src/core/csr/pkcs10';
import { verifySm2 } from '../../../src/core/csr/sm2';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'csr');
const requestOf = (name: string): DecodedRequest =>
  decodeRequest(
    Buffer.from(
      readFileSync(join(fixtures, `${name}.csr`), 'latin1')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s/g, ''),
      'base64',
    ),
  );
const verify = (request: DecodedRequest) => verifySm2({ family: 'sm2', hash: 'SM3', request });
const flipped = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
};

for (const name of ['ec-SM2', 'ec-SM2-default-id']) {
  test(`${name}: valid, and invalid once the signature, the signed bytes or the key change`, () => {
    const request = requestOf(name);
    assert.ok(request.ecPoint);
    assert.deepEqual(verify(request), { valid: true });
    // A bit of r (its last byte) and of s (the signature's last byte).
    const rEnd = 4 + (request.signature[3] as number) - 1;
    assert.deepEqual(verify({ ...request, signature: flipped(request.signature, rEnd) }), { valid: false });
    assert.deepEqual(verify({ ...request, signature: flipped(request.signature, request.signature.length - 1) }), {
      valid: false,
    });
    assert.deepEqual(verify({ ...request, signedBytes: flipped(request.signedBytes, 40) }), { valid: false });
    // Another point of the curve (the generator): a key that did not sign.
    const generator = Uint8Array.from(
      Buffer.from(
        '0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
        'hex',
      ),
    );
    assert.deepEqual(verify({ ...request, ecPoint: generator }), { valid: false });
  });
}

test('the key in compressed form verifies as the uncompressed one does', () => {
  const request = requestOf('ec-SM2');
  const point = request.ecPoint as Uint8Array;
  const y = point.subarray(33);
  const compressed = Uint8Array.of(((y[31] as number) & 1) === 1 ? 0x03 : 0x02, ...point.subarray(1, 33));
  assert.deepEqual(verify({ ...request, ecPoint: compressed }), { valid: true });
  // The other root: the negated key, which did not sign.
  compressed[0] = (compressed[0] as number) ^ 1;
  assert.deepEqual(verify({ ...request, ecPoint: compressed }), { valid: false });
});

test('a key off the curve or in no SM2 encoding cannot be loaded, and r or s out of range is invalid', () => {
  const request = requestOf('ec-SM2');
  const point = request.ecPoint as Uint8Array;
  assert.deepEqual(verify({ ...request, ecPoint: flipped(point, 64) }), {
    valid: null,
    verifyError: 'the public key cannot be loaded: the point is not on the SM2 curve',
  });
  // x = p: no field element.
  const xIsP = Uint8Array.from(
    Buffer.from('02fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff', 'hex'),
  );
  assert.equal(verify({ ...request, ecPoint: xIsP }).valid, null);
  for (const bad of [point.subarray(0, 64), Uint8Array.of(0x00), Uint8Array.of(0x05, ...point.subarray(1))])
    assert.deepEqual(verify({ ...request, ecPoint: bad }), {
      valid: null,
      verifyError: 'the public key cannot be loaded: the point is not an SM2 point encoding',
    });
  // r = 0 and s = n are outside [1, n - 1].
  const n = Buffer.from('00fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123', 'hex');
  const der = (r: Uint8Array, s: Uint8Array): Uint8Array =>
    Uint8Array.of(0x30, 4 + r.length + s.length, 0x02, r.length, ...r, 0x02, s.length, ...s);
  assert.deepEqual(verify({ ...request, signature: der(Uint8Array.of(0), Uint8Array.of(1)) }), { valid: false });
  assert.deepEqual(verify({ ...request, signature: der(Uint8Array.of(1), n) }), { valid: false });
});
