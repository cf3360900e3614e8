// The fast paths of the RSA weak-key checks against plain references written here: small factors
// up to 65537 (one division of the primes' product and one gcd, then trial division only when that
// gcd is not 1) against trial division by every prime; Lehmer's gcd against Euclid's; Wiener's
// expansion that stops where no convergent can factor against the whole expansion as it was; the
// popcount of rsapoly against the binary digits. Generated cases (fast-check) plant small factors
// and small private exponents at and around each bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrimeSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  greatestCommonDivisor,
  integerSquareRoot,
  smallFactorBound,
  sharesSmallFactorByDivision,
  sharesSmallFactorByWasm,
  smallPrimeFactor,
  smallPrimeFactorByBigInt,
  smallPrimeFactorByTrialDivision,
} from '../../../src/core/csr/rsa-weakness';
import { smallFactorWasmBase64 } from '../../../src/core/csr/small-factors-wasm';
import { hasPolynomialPattern } from '../../../src/core/csr/key-rules/rsa-modulus-polynomial-pattern';
import { wienerPrivateExponent } from '../../../src/core/csr/key-rules/rsa-small-private-exponent';

/** Every prime up to the bound, by a sieve written here. */
const primes: number[] = [];
{
  const composite = new Uint8Array(smallFactorBound + 1);
  for (let i = 2; i <= smallFactorBound; i += 1) {
    if (composite[i] === 1) continue;
    primes.push(i);
    for (let j = i * i; j <= smallFactorBound; j += i) composite[j] = 1;
  }
}

/** The reference: each prime in turn, as a BigInt remainder; a prime is not its own small factor. */
function trialDivision(modulus: bigint): number | null {
  if (modulus <= 1n) return null;
  for (const prime of primes) {
    const p = BigInt(prime);
    if (modulus % p === 0n && p !== modulus) return prime;
  }
  return null;
}

function euclid(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A random odd number of exactly `bits` bits with no prime factor up to the bound (a product of two primes). */
function cleanModulus(bits: number): bigint {
  const half = Math.floor(bits / 2);
  return generatePrimeSync(half, { bigint: true }) * generatePrimeSync(bits - half, { bigint: true });
}

const rsa2048 = cleanModulus(2048);
const boundaryPrimes = [2, 3, 5, 743, 751, 757, 31337, 65519, 65521, 65537];
/** The first primes past the bound: never small factors. */
const pastBound = [65539n, 65543n, 65551n];

test('the primes of the reference are those of the bound: 6,543 of them, the last 65537', () => {
  assert.equal(primes.length, 6543);
  assert.equal(primes.at(-1), 65537);
  assert.equal(smallFactorBound, 65537);
});

test('a small factor at each boundary is found by the fast path, alone and with others', () => {
  assert.equal(smallPrimeFactor(rsa2048), null);
  for (const prime of boundaryPrimes) {
    const p = BigInt(prime);
    assert.equal(smallPrimeFactor(p * rsa2048), prime, `${prime} × RSA-2048`);
    assert.equal(smallPrimeFactor(p * p * rsa2048), prime, `${prime}² × RSA-2048`);
    // Two small factors: the smaller one is named, whichever way round they were planted.
    assert.equal(smallPrimeFactor(p * 65537n * rsa2048), prime, `${prime} × 65537 × RSA-2048`);
    assert.equal(smallPrimeFactor(p * 3n * rsa2048), Math.min(prime, 3), `${prime} × 3 × RSA-2048`);
  }
  for (const past of pastBound) {
    assert.equal(smallPrimeFactor(past * rsa2048), null, `${past} is past the bound`);
    assert.equal(smallPrimeFactor(past * 65537n * rsa2048), 65537, `${past} × 65537`);
  }
  assert.equal(smallPrimeFactor(65539n * 65543n), null, 'two primes just past the bound');
});

test('the rare path: moduli that are small primes, their powers and products, and the primes product itself', () => {
  assert.equal(smallPrimeFactor(0n), null);
  assert.equal(smallPrimeFactor(1n), null);
  assert.equal(smallPrimeFactor(-15n), null);
  for (const prime of boundaryPrimes) {
    const p = BigInt(prime);
    assert.equal(smallPrimeFactor(p), null, `${prime} is not its own small factor`);
    assert.equal(smallPrimeFactor(p * p), prime, `${prime}²`);
    assert.equal(smallPrimeFactor(p ** 5n), prime, `${prime}⁵`);
  }
  assert.equal(smallPrimeFactor(4n), 2);
  assert.equal(smallPrimeFactor(15n), 3);
  assert.equal(smallPrimeFactor(65537n * 65539n), 65537);
  assert.equal(smallPrimeFactor(65539n), null);
  const everyPrime = primes.reduce((product, prime) => product * BigInt(prime), 1n);
  assert.equal(smallPrimeFactor(everyPrime), 2, 'the product of all the primes: the modulus is the gcd');
  assert.equal(smallPrimeFactor(everyPrime / 2n), 3);
  assert.equal(smallPrimeFactor(everyPrime / 2n / 3n), 5);
  assert.equal(smallPrimeFactor(65537n * everyPrime * rsa2048), 2, 'a modulus longer than the product');
  // Past the product's 94,000 bits: the division leaves the product whole.
  const huge = cleanModulus(1024) ** 100n;
  assert.equal(smallPrimeFactor(huge), null);
  assert.equal(smallPrimeFactor(huge * 65521n), 65521);
});

test('generated: the fast path and trial division agree on moduli with planted small factors', () => {
  const prime = fc.constantFrom(...primes);
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: (1n << 2048n) - 1n }),
      fc.array(fc.oneof(prime, fc.constantFrom(...boundaryPrimes)), { maxLength: 3 }),
      fc.array(fc.constantFrom(...pastBound), { maxLength: 2 }),
      (base, planted, past) => {
        const modulus = [...planted.map(BigInt), ...past].reduce((product, factor) => product * factor, base | 1n);
        const expected = trialDivision(modulus);
        assert.equal(smallPrimeFactor(modulus), expected);
        assert.equal(smallPrimeFactorByTrialDivision(modulus), expected);
      },
    ),
    { numRuns: 150 },
  );
  // Clean cofactors, so that only the planted primes can be found.
  fc.assert(
    fc.property(fc.array(prime, { minLength: 1, maxLength: 2 }), (planted) => {
      const modulus = planted.reduce((product, factor) => product * BigInt(factor), rsa2048);
      assert.equal(smallPrimeFactor(modulus), Math.min(...planted));
    }),
    { numRuns: 100 },
  );
});

test('generated: the WebAssembly module (its reduction, and its gcd after a division), the BigInt path and trial division agree, at every size the module takes and past it', () => {
  // The module answers in Node (a broken one would leave every answer to the BigInt path unseen),
  // for every random modulus of each size (a gcd quotient past 2^30 is one in about 2^30).
  assert.equal(sharesSmallFactorByWasm(rsa2048, rsa2048.toString(16)), false);
  assert.equal(sharesSmallFactorByDivision(rsa2048, rsa2048.toString(16)), false);
  for (const bytes of [8, 256, 512, 1024, 2040]) {
    for (let i = 0; i < 10; i += 1) {
      const modulus = BigInt(`0x${randomBytes(bytes).toString('hex')}`) | 1n | (1n << BigInt(bytes * 8 - 1));
      const expected = trialDivision(modulus) !== null;
      assert.equal(sharesSmallFactorByWasm(modulus, modulus.toString(16)), expected, `${bytes} bytes`);
      assert.equal(sharesSmallFactorByWasm(modulus * 65537n, (modulus * 65537n).toString(16)), true);
      assert.equal(sharesSmallFactorByDivision(modulus, modulus.toString(16)), expected, `${bytes} bytes`);
      assert.equal(sharesSmallFactorByDivision(modulus * 65537n, (modulus * 65537n).toString(16)), true);
    }
  }
  assert.equal(sharesSmallFactorByWasm(rsa2048 * 65537n, (rsa2048 * 65537n).toString(16)), true);
  assert.equal(sharesSmallFactorByWasm(rsa2048 * 65539n, (rsa2048 * 65539n).toString(16)), false);
  const prime = fc.constantFrom(...primes);
  fc.assert(
    fc.property(
      fc.oneof(
        fc.bigInt({ min: 2n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: 2n, max: (1n << 2048n) - 1n }),
        fc.bigInt({ min: 1n << 4000n, max: (1n << 8192n) - 1n }),
        // The module's largest modulus (512 limbs of 32 bits) and just past it (the BigInt path).
        fc.bigInt({ min: 1n << 16300n, max: (1n << 16400n) - 1n }),
      ),
      fc.array(fc.oneof(prime, fc.constantFrom(...boundaryPrimes)), { maxLength: 2 }),
      fc.array(fc.constantFrom(...pastBound), { maxLength: 2 }),
      (base, planted, past) => {
        const modulus = [...planted.map(BigInt), ...past].reduce((product, factor) => product * factor, base | 1n);
        const expected = trialDivision(modulus);
        // Where the module answers (a quotient past 2^30 in its gcd is left to BigInts), it is right.
        const shares = sharesSmallFactorByWasm(modulus, modulus.toString(16));
        if (modulus >= 1n << 16384n && (modulus & 1n) === 1n)
          assert.equal(shares, null, 'past 16,384 bits the module is not asked');
        const divided = sharesSmallFactorByDivision(modulus, modulus.toString(16));
        if (modulus >= 1n << 16352n && (modulus & 1n) === 1n)
          assert.equal(divided, null, 'past 16,352 bits the gcd is not asked');
        const sharesAny = expected !== null || (modulus <= 65537n && primes.includes(Number(modulus)));
        for (const [path, answer] of [
          ['reduction', shares],
          ['division', divided],
        ] as const)
          if (answer !== null)
            assert.equal(answer, sharesAny, `${path}: ${modulus.toString(16).length} hex digits, ${expected}`);
        assert.equal(smallPrimeFactor(modulus), expected);
        assert.equal(smallPrimeFactorByBigInt(modulus), expected);
      },
    ),
    { numRuns: 120 },
  );
});

/** The module's own gcd, on two numbers of `limbs` 32-bit limbs: 0 coprime, 1 not, 2 left to BigInts. */
const coprimeInModule = (() => {
  const text = atob(smallFactorWasmBase64);
  const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0));
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as {
    memory: WebAssembly.Memory;
    aAt: WebAssembly.Global;
    bAt: WebAssembly.Global;
    coprime(limbs: number): number;
  };
  return (a: bigint, b: bigint): number => {
    const words = new Uint32Array(exports.memory.buffer);
    let limbs = 1;
    while (a >> BigInt(32 * limbs) > 0n) limbs += 1;
    for (const [at, value] of [
      [exports.aAt.value as number, a],
      [exports.bAt.value as number, b],
    ] as const) {
      let rest = value;
      for (let i = 0; i < limbs; i += 1, rest >>= 32n) words[(at >> 2) + i] = Number(rest & 0xffffffffn);
    }
    return exports.coprime(limbs);
  };
})();

test("the module's Lehmer gcd is Euclid's, decides on random operands, and leaves long divisions to BigInts", () => {
  const common = fc.constantFrom(1n, 3n, 65537n, (1n << 61n) - 1n, (1n << 127n) - 1n);
  // Random operands of one length (as n and P mod n are): decided (a quotient past 2^30 is about
  // one step in a billion), and Euclid's answer.
  for (const bytes of [8, 12, 256, 1024, 2040]) {
    for (let i = 0; i < 20; i += 1) {
      const [a, b] = [randomBytes(bytes), randomBytes(bytes)].map(
        (random) => BigInt(`0x${random.toString('hex')}`) | (1n << BigInt(bytes * 8 - 1)),
      ) as [bigint, bigint];
      const [larger, smaller] = a >= b ? [a, b] : [b, a];
      assert.equal(coprimeInModule(larger, smaller), euclid(a, b) === 1n ? 0 : 1, `${bytes} bytes`);
      assert.equal(coprimeInModule(larger * 3n, smaller * 3n), 1);
    }
  }
  // Any lengths: where the module decides, it is right.
  const sized = fc.oneof(
    fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
    fc.bigInt({ min: 1n, max: (1n << 2048n) - 1n }),
    fc.bigInt({ min: 1n, max: (1n << 16000n) - 1n }),
  );
  fc.assert(
    fc.property(sized, sized, common, (x, y, factor) => {
      const [a, b] = [x * factor, y * factor].sort((p, q) => (p < q ? 1 : p > q ? -1 : 0)) as [bigint, bigint];
      if (a >= 1n << 16384n) return;
      const answer = coprimeInModule(a, b);
      if (answer !== 2) assert.equal(answer, euclid(a, b) === 1n ? 0 : 1, `${a} ${b}`);
    }),
    { numRuns: 300 },
  );
  // Consecutive Fibonacci numbers (every quotient 1), with and without a common factor.
  let [f0, f1] = [0n, 1n];
  for (let i = 0; i < 2900; i += 1) [f0, f1] = [f1, f0 + f1];
  assert.equal(coprimeInModule(f1, f0), 0);
  assert.equal(coprimeInModule(f1 * 65537n, f0 * 65537n), 1);
  // A quotient past what the module takes: left to BigInts, never guessed.
  assert.equal(coprimeInModule(rsa2048, 12345n), 2);
  assert.equal(coprimeInModule(rsa2048, rsa2048), 1);
  assert.equal(coprimeInModule(rsa2048, 0n), 1);
  assert.equal(coprimeInModule(1n, 0n), 0);
});

test("generated: Lehmer's gcd is Euclid's, at every size and at the double's edges", () => {
  const sized = fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.bigInt({ min: 0n, max: (1n << 2100n) - 1n }),
    fc.bigInt({ min: 0n, max: (1n << 17000n) - 1n }),
    fc.constantFrom(0n, 1n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 1024n, 2n ** 1024n - 1n),
  );
  fc.assert(
    fc.property(sized, sized, fc.bigInt({ min: 1n, max: (1n << 300n) - 1n }), (a, b, common) => {
      assert.equal(greatestCommonDivisor(a, b), euclid(a, b));
      assert.equal(greatestCommonDivisor(a * common, b * common), euclid(a * common, b * common));
      assert.equal(greatestCommonDivisor(-a, b), euclid(a, b));
    }),
    { numRuns: 300 },
  );
  // Consecutive Fibonacci numbers: every quotient is 1, the longest run of Euclid's algorithm.
  let [f0, f1] = [0n, 1n];
  for (let i = 0; i < 3000; i += 1) [f0, f1] = [f1, f0 + f1];
  assert.equal(greatestCommonDivisor(f1, f0), 1n);
  assert.equal(greatestCommonDivisor(f1 * 65537n, f0 * 65537n), 65537n);
});

/** Wiener's expansion as it was before it stopped early: every convergent tried. The reference. */
function wienerEveryConvergent(n: bigint, e: bigint): bigint | null {
  const factors = (k: bigint, d: bigint): boolean => {
    if (k === 0n || d === 0n) return false;
    const ed1 = e * d - 1n;
    if (ed1 % k !== 0n) return false;
    const sum = n - ed1 / k + 1n;
    if ((sum & 1n) !== 0n) return false;
    const discriminant = sum * sum - 4n * n;
    if (discriminant < 0n) return false;
    const root = integerSquareRoot(discriminant);
    return root * root === discriminant;
  };
  let [numerator, denominator] = [e, n];
  let [h0, h1, k0, k1] = [0n, 1n, 1n, 0n];
  for (let step = 0; denominator !== 0n; step += 1) {
    const quotient = numerator / denominator;
    [numerator, denominator] = [denominator, numerator - quotient * denominator];
    const [h, k] = [quotient * h1 + h0, quotient * k1 + k0];
    if (factors(h, k)) return k;
    if (step % 2 === 0 && factors(h + h1, k + k1)) return k + k1;
    [h0, h1, k0, k1] = [h1, h, k1, k];
  }
  return null;
}

function inverse(a: bigint, m: bigint): bigint | null {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const quotient = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - quotient * r1, s1, s0 - quotient * s1];
  }
  return r0 === 1n ? ((s0 % m) + m) % m : null;
}

test("generated: Wiener's expansion, stopped where no convergent can factor, finds what the whole one finds", () => {
  const keys = Array.from({ length: 6 }, () => {
    const p = generatePrimeSync(256, { bigint: true });
    const q = generatePrimeSync(256, { bigint: true });
    return { n: p * q, phi: (p - 1n) * (q - 1n) };
  });
  let found = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...keys),
      // d (odd) from a few bits to well past Wiener's bound (n^¼/3, about 126 bits here), half of
      // them around the bound, and up to n.
      fc.oneof(fc.integer({ min: 2, max: 160 }), fc.integer({ min: 2, max: 512 })),
      fc.bigInt({ min: 0n, max: (1n << 512n) - 1n }),
      ({ n, phi }, bits, noise) => {
        const d = (((1n << BigInt(bits - 1)) | (noise & ((1n << BigInt(bits - 1)) - 1n))) % phi) | 1n;
        const e = inverse(d, phi);
        if (e === null || e >= n || e < 2n) return;
        const expected = wienerEveryConvergent(n, e);
        if (expected !== null) found += 1;
        assert.equal(wienerPrivateExponent(n, e), expected, `d of ${bits} bits`);
      },
    ),
    { numRuns: 250 },
  );
  assert.ok(found > 20, `the generated keys include weak ones (${found})`);
  // A random e, and e one off a weak one: nothing to find, and the same nothing.
  for (const { n, phi } of keys) {
    const e = inverse(65537n, phi) as bigint;
    assert.equal(wienerPrivateExponent(n, e), wienerEveryConvergent(n, e));
    const weak = inverse(generatePrimeSync(100, { bigint: true }), phi) as bigint;
    assert.notEqual(wienerPrivateExponent(n, weak), null);
    assert.equal(wienerPrivateExponent(n, weak + 2n), wienerEveryConvergent(n, weak + 2n));
  }
});

test('generated: the popcount of rsapoly is that of the binary digits', () => {
  const reference = (modulus: bigint): boolean => {
    const bits = modulus.toString(2);
    if (bits.length < 500) return false;
    const percent = (text: string): number =>
      text === '' ? 0 : Math.floor(([...text].filter((bit) => bit === '1').length * 100) / text.length);
    if (percent(bits) >= 40) return false;
    const lower = (modulus & ((1n << BigInt(bits.length >> 1)) - 1n)).toString(2);
    return (lower === '0' ? 0 : percent(lower)) < 40;
  };
  /** A number of `bits` bits, each set with probability `density` (in 1/100). */
  const sparse = fc
    .tuple(fc.integer({ min: 400, max: 4200 }), fc.integer({ min: 20, max: 55 }), fc.integer())
    .map(([bits, density, seed]) => {
      let state = seed >>> 0 || 1;
      let value = 1n;
      for (let i = 1; i < bits; i += 1) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        value = (value << 1n) | (state % 100 < density ? 1n : 0n);
      }
      return value;
    });
  let patterned = 0;
  fc.assert(
    fc.property(sparse, (modulus) => {
      const expected = reference(modulus);
      if (expected) patterned += 1;
      assert.equal(hasPolynomialPattern(modulus), expected);
    }),
    { numRuns: 300 },
  );
  assert.ok(patterned > 10, `some generated moduli have the pattern (${patterned})`);
});
