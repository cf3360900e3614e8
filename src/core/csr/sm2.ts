// SM2 signatures (GB/T 32918, RFC 8998) in plain JavaScript, for Node and the browser alike:
// the curve arithmetic below, SM3 from sm3.ts.
import { bigIntToBytes, bytesToBigInt } from './bytes';
import { parseDerSignature } from './der-signature';
import { sm3 } from './sm3';
import type { VerificationJob, VerifyOutcome } from './verifier';

// SM2's curve (GB/T 32918.5, RFC 8998). Its arithmetic is written out here, a page of BigInt in
// Jacobian coordinates, rather than taken from @noble/curves: the command line's bundle stays
// small (its start is measured), and SM2 requests are rare enough that speed does not matter.
const p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const n = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const a = p - 3n;
const b = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const gx = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const gy = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** Jacobian (X, Y, Z): x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. */
type Jacobian = [bigint, bigint, bigint];
const infinity: Jacobian = [1n, 1n, 0n];
const mod = (value: bigint): bigint => ((value % p) + p) % p;

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = mod(base);
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if ((rest & 1n) === 1n) result = (result * square) % p;
    square = (square * square) % p;
  }
  return result;
}

function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return infinity;
  // a = -3: alpha = 3 (X - Z²)(X + Z²).
  const delta = mod(z * z);
  const gamma = mod(y * y);
  const beta = mod(x * gamma);
  const alpha = mod(3n * (x - delta) * (x + delta));
  const x3 = mod(alpha * alpha - 8n * beta);
  const z3 = mod((y + z) * (y + z) - gamma - delta);
  const y3 = mod(alpha * (4n * beta - x3) - 8n * gamma * gamma);
  return [x3, y3, z3];
}

function add(one: Jacobian, other: Jacobian): Jacobian {
  if (one[2] === 0n) return other;
  if (other[2] === 0n) return one;
  const [x1, y1, z1] = one;
  const [x2, y2, z2] = other;
  const z1z1 = mod(z1 * z1);
  const z2z2 = mod(z2 * z2);
  const u1 = mod(x1 * z2z2);
  const u2 = mod(x2 * z1z1);
  const s1 = mod(y1 * z2 * z2z2);
  const s2 = mod(y2 * z1 * z1z1);
  if (u1 === u2) return s1 === s2 ? double(one) : infinity;
  const h = mod(u2 - u1);
  const r = mod(s2 - s1);
  const hh = mod(h * h);
  const hhh = mod(h * hh);
  const x3 = mod(r * r - hhh - 2n * u1 * hh);
  return [x3, mod(r * (u1 * hh - x3) - s1 * hhh), mod(h * z1 * z2)];
}

/** u·G + v·P by one shared chain of doublings (Shamir's trick). */
function linearCombination(u: bigint, v: bigint, point: Jacobian): Jacobian {
  const g: Jacobian = [gx, gy, 1n];
  const both = add(g, point);
  let result = infinity;
  for (let bit = BigInt(Math.max(u.toString(2).length, v.toString(2).length)) - 1n; bit >= 0n; bit -= 1n) {
    result = double(result);
    const fromU = (u >> bit) & 1n;
    const fromV = (v >> bit) & 1n;
    if (fromU === 1n && fromV === 1n) result = add(result, both);
    else if (fromU === 1n) result = add(result, g);
    else if (fromV === 1n) result = add(result, point);
  }
  return result;
}

function affine([x, y, z]: Jacobian): [bigint, bigint] {
  const inverse = power(z, p - 2n);
  const inverse2 = (inverse * inverse) % p;
  return [mod(x * inverse2), mod(y * inverse2 * inverse)];
}

/** SEC 1 2.3.4: an uncompressed or compressed point on the curve, or a reason it is none. */
function decodePoint(bytes: Uint8Array): [bigint, bigint] | string {
  const size = 32;
  if (bytes[0] === 0x04 && bytes.length === 1 + 2 * size) {
    const x = bytesToBigInt(bytes.subarray(1, 1 + size));
    const y = bytesToBigInt(bytes.subarray(1 + size));
    if (x >= p || y >= p || mod(y * y) !== mod(x * x * x + a * x + b)) return 'the point is not on the SM2 curve';
    return [x, y];
  }
  if ((bytes[0] === 0x02 || bytes[0] === 0x03) && bytes.length === 1 + size) {
    const x = bytesToBigInt(bytes.subarray(1));
    if (x >= p) return 'the point is not on the SM2 curve';
    const rhs = mod(x * x * x + a * x + b);
    // p = 3 (mod 4): the square root is one power.
    let y = power(rhs, (p + 1n) / 4n);
    if (mod(y * y) !== rhs) return 'the point is not on the SM2 curve';
    if ((y & 1n) !== BigInt((bytes[0] as number) & 1)) y = p - y;
    return [x, y];
  }
  return 'the point is not an SM2 point encoding';
}

const defaultId = new TextEncoder().encode('1234567812345678');
const emptyId = new Uint8Array(0);

/**
 * GB/T 32918.2 7.1: e = SM3(Z || M), t = r + s, and r must equal e + x of (s·G + t·P), modulo n,
 * where Z hashes the signer's ID with the curve and the key. The standard's default ID is
 * 1234567812345678 (GM/T 0009, RFC 8998), what SM2 tools sign with; OpenSSL 3 signs with an empty
 * ID unless told otherwise (`openssl req -sigopt distid:...`), and its verify does the same, so
 * Node's crypto alone would call every standard SM2 request invalid. A signature that verifies
 * under either ID proves possession of the key: both are accepted, here for Node and the browser.
 */
export function verifySm2(job: VerificationJob & { family: 'sm2' }): VerifyOutcome {
  const { request } = job;
  const decoded = decodePoint(request.ecPoint ?? new Uint8Array(0));
  if (typeof decoded === 'string') return { valid: null, verifyError: `the public key cannot be loaded: ${decoded}` };
  const parsed = parseDerSignature(request.signature);
  if (parsed === null || parsed.r <= 0n || parsed.s <= 0n || parsed.r >= n || parsed.s >= n) return { valid: false };
  const t = (parsed.r + parsed.s) % n;
  if (t === 0n) return { valid: false };
  const sum = linearCombination(parsed.s, t, [decoded[0], decoded[1], 1n]);
  if (sum[2] === 0n) return { valid: false };
  const x1 = affine(sum)[0];
  const curveAndKey = [a, b, gx, gy, decoded[0], decoded[1]].flatMap((value) => [...bigIntToBytes(value, 32)]);
  const verifiesWith = (id: Uint8Array): boolean => {
    const z = sm3(new Uint8Array([(id.length * 8) >>> 8, (id.length * 8) & 255, ...id, ...curveAndKey]));
    const e = bytesToBigInt(sm3(new Uint8Array([...z, ...request.signedBytes])));
    return (e + x1) % n === parsed.r;
  };
  return { valid: verifiesWith(defaultId) || verifiesWith(emptyId) };
}
