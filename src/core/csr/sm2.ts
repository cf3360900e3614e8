// SM2 signatures (GB/T 32918, RFC 8998) in plain JavaScript, for Node and the browser alike:
// the curve arithmetic from @noble/curves, SM3 from sm3.ts (no library for it is trusted enough).
import { weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { bigIntToBytes, bytesToBigInt } from './bytes';
import { parseDerSignature } from './der-signature';
import { sm3 } from './sm3';
import type { VerificationJob, VerifyOutcome } from './verifier';

// SM2's curve (GB/T 32918.5, RFC 8998): its arithmetic from @noble/curves, built on first use, so
// a run with no SM2 request (nearly every run) never builds it.
const p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const n = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const a = p - 3n;
const b = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const gx = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const gy = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

type Sm2Point = WeierstrassPoint<bigint>;
let sm2Curve: WeierstrassPointCons<bigint> | undefined;
const curve = (): WeierstrassPointCons<bigint> => (sm2Curve ??= weierstrass({ p, n, h: 1n, a, b, Gx: gx, Gy: gy }));

/** SEC 1 2.3.4: an uncompressed or compressed point on the curve, or a reason it is none. */
function decodePoint(bytes: Uint8Array): Sm2Point | string {
  const size = 32;
  const uncompressed = bytes[0] === 0x04 && bytes.length === 1 + 2 * size;
  const compressed = (bytes[0] === 0x02 || bytes[0] === 0x03) && bytes.length === 1 + size;
  if (!uncompressed && !compressed) return 'the point is not an SM2 point encoding';
  try {
    const point = curve().fromBytes(bytes);
    point.assertValidity();
    return point;
  } catch {
    return 'the point is not on the SM2 curve';
  }
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
  // s·G + t·P, by one shared chain of doublings.
  const sum = curve().BASE.mulAddUnsafe(parsed.s, decoded, t);
  if (sum.is0()) return { valid: false };
  const x1 = sum.toAffine().x;
  const key = decoded.toAffine();
  const curveAndKey = [a, b, gx, gy, key.x, key.y].flatMap((value) => [...bigIntToBytes(value, 32)]);
  const verifiesWith = (id: Uint8Array): boolean => {
    const z = sm3(new Uint8Array([(id.length * 8) >>> 8, (id.length * 8) & 255, ...id, ...curveAndKey]));
    const e = bytesToBigInt(sm3(new Uint8Array([...z, ...request.signedBytes])));
    return (e + x1) % n === parsed.r;
  };
  return { valid: verifiesWith(defaultId) || verifiesWith(emptyId) };
}
