// Is a public key a point of its curve? The curves' constants (SEC 2, RFC 5639, GB/T 32918, RFC
// 7748/8032; a test compares them with @noble/curves) and the arithmetic a point check needs, in
// BigInt: no library, so that the Node command line, whose start is measured, loads nothing more.

/** y² = x³ + ax + b over GF(p). Every curve here has a cofactor of 1: its only small-order point is infinity. */
export interface WeierstrassCurve {
  p: bigint;
  a: bigint;
  b: bigint;
}

/** a·x² + y² = 1 + d·x²·y² over GF(p), with its cofactor. */
export interface EdwardsCurve {
  p: bigint;
  a: bigint;
  d: bigint;
  /** The key's length in bytes (RFC 8032). */
  bytes: number;
  cofactor: number;
}

const hex = (text: string): bigint => BigInt(`0x${text}`);

/** By the curve names the parser gives (oids.ts). */
export const weierstrassCurves: Record<string, WeierstrassCurve> = {
  'P-256': {
    p: hex('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: hex('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    b: hex('5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b'),
  },
  'P-384': {
    p: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    a: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
    b: hex('b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef'),
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    b: hex(
      '51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00',
    ),
  },
  secp256k1: { p: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'), a: 0n, b: 7n },
  brainpoolP256r1: {
    p: hex('a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377'),
    a: hex('7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9'),
    b: hex('26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6'),
  },
  brainpoolP384r1: {
    p: hex('8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53'),
    a: hex('7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826'),
    b: hex('04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c11'),
  },
  brainpoolP512r1: {
    p: hex(
      'aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3',
    ),
    a: hex(
      '7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca',
    ),
    b: hex(
      '3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723',
    ),
  },
  SM2: {
    p: hex('fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff'),
    a: hex('fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc'),
    b: hex('28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93'),
  },
};

export const edwardsCurves: Record<'Ed25519' | 'Ed448', EdwardsCurve> = {
  Ed25519: {
    p: (1n << 255n) - 19n,
    a: (1n << 255n) - 20n,
    d: hex('52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3'),
    bytes: 32,
    cofactor: 8,
  },
  Ed448: {
    p: (1n << 448n) - (1n << 224n) - 1n,
    a: 1n,
    d: (1n << 448n) - (1n << 224n) - 1n - 39081n,
    bytes: 57,
    cofactor: 4,
  },
};

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = ((base % modulus) + modulus) % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if ((rest & 1n) === 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** Whether `value` is a square modulo the odd prime p (0 counts): Euler's criterion. */
export function isSquareModPrime(value: bigint, p: bigint): boolean {
  const reduced = ((value % p) + p) % p;
  return reduced === 0n || modPow(reduced, (p - 1n) >> 1n, p) === 1n;
}

function readUnsigned(bytes: Uint8Array, from: number, to: number): bigint {
  let value = 0n;
  for (let i = from; i < to; i += 1) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
}

/** Why an encoded point (SEC 1 2.3.4) is no point of the curve other than infinity, or null when it is one. */
export function weierstrassPointProblem(curve: WeierstrassCurve, point: Uint8Array): string | null {
  const size = Math.ceil(curve.p.toString(16).length / 2);
  const form = point[0];
  if (point.length === 1 && form === 0x00)
    return 'it is the point at infinity, the identity, of which every multiple is itself';
  const right = (x: bigint): bigint => (((x * x + curve.a) % curve.p) * x + curve.b) % curve.p;
  if ((form === 0x02 || form === 0x03) && point.length === 1 + size) {
    const x = readUnsigned(point, 1, point.length);
    if (x >= curve.p) return 'its x coordinate is not below the field prime';
    return isSquareModPrime(right(x), curve.p) ? null : 'no point of the curve has its x coordinate';
  }
  if ((form === 0x04 || form === 0x06 || form === 0x07) && point.length === 1 + 2 * size) {
    const x = readUnsigned(point, 1, 1 + size);
    const y = readUnsigned(point, 1 + size, point.length);
    if (x >= curve.p || y >= curve.p) return 'a coordinate is not below the field prime';
    if (form !== 0x04 && (y & 1n) !== BigInt(form & 1)) return 'its hybrid encoding gives the wrong parity of y';
    return (y * y) % curve.p === right(x) ? null : 'its coordinates do not satisfy the curve equation';
  }
  return `${point.length} bytes starting 0x${(form ?? 0).toString(16).padStart(2, '0')} is no encoding of a point of this curve`;
}

/**
 * Why an EdDSA public key (RFC 8032 5.1.3 / 5.2.3) is unusable, or null: not canonical (y not
 * below p, or x = 0 with its sign bit set), no point of the curve, or a point of small order
 * (every signature then verifies for many keys: the encodings listed in smallOrderEncodings).
 */
export function edwardsPointProblem(name: 'Ed25519' | 'Ed448', key: Uint8Array): string | null {
  const curve = edwardsCurves[name];
  if (key.length !== curve.bytes) return `${key.length} bytes is no ${name} key (${curve.bytes} bytes)`;
  const little = Uint8Array.from(key).reverse();
  const sign = ((little[0] as number) & 0x80) !== 0;
  const clearedTop = Uint8Array.from(little);
  clearedTop[0] = (clearedTop[0] as number) & 0x7f;
  const y = readUnsigned(clearedTop, 0, clearedTop.length);
  if (y >= curve.p) return 'its y coordinate is not below the field prime (a non-canonical encoding)';
  const { p } = curve;
  const y2 = (y * y) % p;
  const u = (y2 - 1n + p) % p;
  const v = (((curve.d * y2) % p) - curve.a + p) % p;
  if (v === 0n) return 'no point of the curve has its y coordinate';
  if (u === 0n && sign) return 'x is 0 with its sign bit set (a non-canonical encoding)';
  // x² = u / v is a square exactly when u·v is.
  if (!isSquareModPrime(u * v, p)) return 'no point of the curve has its y coordinate';
  if (smallOrderEncodings[name].has(hexOf(key)))
    return 'it is a point of small order, for which signatures prove nothing';
  return null;
}

function hexOf(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

/**
 * The canonical encodings of the points of small order (a test derives them with @noble/curves):
 * Ed25519's eight (the identity, the point of order 2, two of order 4, four of order 8), Ed448's
 * four (the identity, (0, -1) of order 2, (±1, 0) of order 4).
 */
export const smallOrderEncodings: Record<'Ed25519' | 'Ed448', Set<string>> = {
  Ed25519: new Set([
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000080',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  ]),
  Ed448: new Set([
    `01${'00'.repeat(56)}`,
    `fe${'ff'.repeat(27)}fe${'ff'.repeat(27)}00`,
    '00'.repeat(57),
    `${'00'.repeat(56)}80`,
  ]),
};
