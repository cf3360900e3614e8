// Weak RSA moduli that a careful CA refuses. Every test of a modulus runs once: rsaWeaknesses
// remembers the verdicts of the last moduli judged.
import { hasPolynomialPattern } from './key-rules/rsa-modulus-polynomial-pattern';
import { smallFactorProductHex, smallFactorWasmBase64 } from './small-factors-wasm';

function primesBelow(limit: number): number[] {
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let i = 2; i < limit; i += 1) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return primes;
}

/** badkeys' smallfactors bound: every prime up to and including 65537 is tried. */
export const smallFactorBound = 65537;

interface Chunk {
  product: bigint;
  primes: number[];
}

// Reduce a number once per chunk whose product fits a double exactly, then finish with Number
// arithmetic: one BigInt division for three to six primes.
function chunk(primes: number[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: number[] = [];
  let product = 1;
  for (const prime of primes) {
    if (product * prime > Number.MAX_SAFE_INTEGER) {
      chunks.push({ product: BigInt(product), primes: current });
      current = [];
      product = 1;
    }
    current.push(prime);
    product *= prime;
  }
  if (current.length > 0) chunks.push({ product: BigInt(product), primes: current });
  return chunks;
}

/** Every prime up to the bound, made when a modulus has such a factor (to name the smallest). */
let smallFactorPrimes: number[] | undefined;
/** The same primes in chunks for trial division. */
let smallFactorChunks: Chunk[] | undefined;
/** The product of every prime up to the bound (94,000 bits), read from its shipped hexadecimal at first use. */
let smallFactorProductValue: bigint | undefined;

function smallFactorPrimeList(): number[] {
  smallFactorPrimes ??= primesBelow(smallFactorBound + 1);
  return smallFactorPrimes;
}

export function smallFactorProduct(): bigint {
  smallFactorProductValue ??= BigInt(`0x${smallFactorProductHex}`);
  return smallFactorProductValue;
}

/** The exact double 2^52: Lehmer's leading parts stay below it, so that every step is exact. */
const leadingLimit = 2 ** 52;
const largestSafeInteger = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * gcd(a, b) of non-negative numbers by Lehmer's method (Knuth, TAOCP 2, 4.5.2, algorithm L): the
 * quotients of Euclid's algorithm are found from the leading 50 to 52 bits of both numbers in
 * doubles, and applied to the BigInts as one matrix every 25 bits or so, where Euclid's algorithm
 * would divide 2,048-bit numbers about 1,200 times. The matrix is unimodular, so the gcd is kept
 * whatever the doubles say; a step that does not shrink the numbers is done as a division.
 */
export function greatestCommonDivisor(first: bigint, second: bigint): bigint {
  let a = first < 0n ? -first : first;
  let b = second < 0n ? -second : second;
  if (a < b) [a, b] = [b, a];
  let shift = 0n;
  while (b > largestSafeInteger) {
    // The shift that leaves a with 50 to 52 bits: a shrinks by about 25 bits a round.
    let x = Number(a >> shift);
    while (x >= leadingLimit) {
      // Past 2^1024 a double is Infinity: shift by whole kilobits first.
      shift += Number.isFinite(x) ? BigInt(Math.max(1, Math.ceil(Math.log2(x)) - 51)) : 1000n;
      x = Number(a >> shift);
    }
    while (x < leadingLimit / 4 && shift > 0n) {
      const down = BigInt(Math.min(Number(shift), 51 - Math.floor(Math.log2(x + 1))));
      shift -= down > 0n ? down : 1n;
      x = Number(a >> shift);
    }
    let y = Number(b >> shift);
    let [A, B, C, D] = [1, 0, 0, 1];
    // Algorithm L: the quotient of x/y is Euclid's quotient when both bounds of it agree.
    for (;;) {
      if (y + C === 0 || y + D === 0) break;
      const q = Math.floor((x + A) / (y + C));
      if (q !== Math.floor((x + B) / (y + D))) break;
      // Knuth's bound keeps the cofactors below x's first value (2^52); checked, so that every
      // product below is exact whatever happens.
      if (q * Math.abs(C) > leadingLimit || q * Math.abs(D) > leadingLimit) break;
      [A, C] = [C, A - q * C];
      [B, D] = [D, B - q * D];
      [x, y] = [y, x - q * y];
    }
    if (B === 0) {
      [a, b] = [b, a % b];
      continue;
    }
    const nextA = BigInt(A) * a + BigInt(B) * b;
    const nextB = BigInt(C) * a + BigInt(D) * b;
    if (nextA < 0n || nextB < 0n || nextA >= a) {
      // Not reached when the doubles are exact (they are: every value stays below 2^53); kept
      // so that a mistake there costs a division, not a wrong answer.
      [a, b] = [b, a % b];
      continue;
    }
    [a, b] = nextA >= nextB ? [nextA, nextB] : [nextB, nextA];
  }
  if (b === 0n) return a;
  let x = Number(a % b);
  let y = Number(b);
  while (x !== 0) [x, y] = [y % x, x];
  return BigInt(y);
}

/** The smallest prime up to the bound that divides `value` and is not `modulus` itself: trial division. */
function smallestPrimeDividing(value: bigint, modulus: bigint): number | null {
  smallFactorChunks ??= chunk(smallFactorPrimeList());
  for (const { product, primes } of smallFactorChunks) {
    const remainder = Number(value % product);
    for (const prime of primes) if (remainder % prime === 0 && BigInt(prime) !== modulus) return prime;
  }
  return null;
}

/** The exports of small-factors.wat. */
interface SmallFactorExports {
  memory: WebAssembly.Memory;
  nAt: WebAssembly.Global;
  aAt: WebAssembly.Global;
  bAt: WebAssembly.Global;
  workAt: WebAssembly.Global;
  maxLimbs: WebAssembly.Global;
  productLimbs: WebAssembly.Global;
  loadProduct(words: number): number;
  sharesSmallFactor(limbs: number): number;
  coprime(limbs: number): number;
}

/** The module's instance and a view of its memory; null where WebAssembly (or its SIMD) is not to be had. */
let smallFactorModule:
  | { exports: SmallFactorExports; words: Uint32Array; nAt: number; maxLimbs: number; productLoaded: boolean }
  | null
  | undefined;

function smallFactorInstance(): typeof smallFactorModule {
  if (smallFactorModule !== undefined) return smallFactorModule;
  try {
    // atob is in Node and in a browser's worker alike; a page whose policy refuses WebAssembly
    // throws here, and the BigInt path gives the same answers.
    const text = atob(smallFactorWasmBase64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
      .exports as unknown as SmallFactorExports;
    smallFactorModule = {
      exports,
      words: new Uint32Array(exports.memory.buffer),
      nAt: (exports.nAt.value as number) >> 2,
      maxLimbs: exports.maxLimbs.value as number,
      productLoaded: false,
    };
  } catch {
    smallFactorModule = null;
  }
  return smallFactorModule;
}

/** Writes a non-negative number's hexadecimal digits as 32-bit limbs, least significant first, at word `at`. */
function writeLimbs(words: Uint32Array, at: number, hex: string, limbs: number): void {
  for (let i = 0; i < limbs; i += 1) {
    const end = hex.length - i * 8;
    words[at + i] = end > 0 ? parseInt(hex.slice(Math.max(0, end - 8), end), 16) : 0;
  }
}

/** The module with P's limbs in place, loaded from the shipped hexadecimal at first use; null without one. */
function reducingModule(): typeof smallFactorModule {
  const module = smallFactorInstance();
  if (!module || module.productLoaded) return module;
  const words = Math.ceil(smallFactorProductHex.length / 8);
  writeLimbs(module.words, (module.exports.workAt.value as number) >> 2, smallFactorProductHex, words);
  if (module.exports.loadProduct(words) > (module.exports.productLimbs.value as number)) {
    // Not reached with the shipped product (a test loads it); a mismatch costs speed, not answers.
    smallFactorModule = null;
    return null;
  }
  module.productLoaded = true;
  return module;
}

/**
 * Whether the odd modulus shares a factor with the product of the primes up to the bound, by
 * small-factors.wat: Montgomery's reduction of the product by the modulus (vectors of 27-bit limbs,
 * no division) and Lehmer's gcd, 0.08 ms for RSA-2048 on this project's machine where the BigInt
 * division and gcd took 0.24 ms. null where the module is missing or leaves the answer to BigInts.
 */
export function sharesSmallFactorByWasm(modulus: bigint, hex: string): boolean | null {
  // The reduction needs an odd modulus; an even one shares 2.
  if ((modulus & 1n) === 0n) return true;
  const module = reducingModule();
  if (!module) return null;
  const limbs = Math.ceil(hex.length / 8);
  if (limbs > module.maxLimbs) return null;
  writeLimbs(module.words, module.nAt, hex, limbs);
  const answer = module.exports.sharesSmallFactor(limbs);
  return answer === 2 ? null : answer === 1;
}

/**
 * The same answer with the product reduced by BigInt's own division (native code) and the gcd in
 * the module: no Montgomery reduction, whose first run in a process compiles it twice (WebAssembly
 * tiers a long loop up in the background, and the process waits for that at exit). About 1 ms
 * less than the module's reduction for the first modulus of a process; twice its time once warm.
 * null where the module is missing or leaves the answer to BigInts.
 */
export function sharesSmallFactorByDivision(modulus: bigint, hex: string): boolean | null {
  if ((modulus & 1n) === 0n) return true;
  const rest = smallFactorProduct() % modulus;
  if (rest === 0n) return true;
  const module = smallFactorInstance();
  if (!module) return null;
  const limbs = Math.ceil(hex.length / 8) + 1;
  if (limbs > module.maxLimbs) return null;
  writeLimbs(module.words, (module.exports.aAt.value as number) >> 2, hex, limbs);
  writeLimbs(module.words, (module.exports.bAt.value as number) >> 2, rest.toString(16), limbs);
  const answer = module.exports.coprime(limbs);
  return answer === 2 ? null : answer === 1;
}

/**
 * Moduli whose small factors are found by BigInt's division before the module's reduction is
 * used: a check of a few files never runs the reduction (see sharesSmallFactorByDivision).
 */
export const SMALL_FACTOR_DIVISIONS_FIRST = 4;
let divisionsLeft = SMALL_FACTOR_DIVISIONS_FIRST;

/**
 * The smallest prime factor up to 65537 (other than the modulus itself), or null. The modulus
 * shares a factor with the product of all these primes exactly when it has one: one reduction of
 * that product by the modulus and one gcd answer for all 6,543 primes (in WebAssembly where there
 * is one, else one BigInt division and the gcd above). Only a modulus that has such a factor is
 * then divided by the primes one by one, to name the smallest.
 */
export function smallPrimeFactor(modulus: bigint, hex: string = modulus.toString(16)): number | null {
  if (modulus <= 1n) return null;
  if ((modulus & 1n) === 0n) return modulus === 2n ? null : 2;
  let shares: boolean | null;
  if (divisionsLeft > 0) {
    divisionsLeft -= 1;
    shares = sharesSmallFactorByDivision(modulus, hex);
  } else shares = sharesSmallFactorByWasm(modulus, hex);
  if (shares === false) return null;
  if (shares === true) return smallestPrimeDividing(modulus, modulus);
  return smallPrimeFactorByBigInt(modulus);
}

/** The same answer with BigInt arithmetic alone: where WebAssembly is not to be had, and for tests. */
export function smallPrimeFactorByBigInt(modulus: bigint): number | null {
  if (modulus <= 1n) return null;
  const common = greatestCommonDivisor(modulus, smallFactorProduct() % modulus);
  return common === 1n ? null : smallestPrimeDividing(common, modulus);
}

/** The same answer by trial division of the modulus by every prime in turn: the plain reference for tests. */
export function smallPrimeFactorByTrialDivision(modulus: bigint): number | null {
  return modulus <= 1n ? null : smallestPrimeDividing(modulus, modulus);
}

// ROCA (Nemec et al., CCS 2017): Infineon's primes have the form k*M + (65537^a mod M),
// so for every small prime p dividing M, the modulus N mod p lies in the subgroup of
// Z_p* generated by 65537. A random modulus falls outside that subgroup for at least
// one of these primes with overwhelming probability.
//
// Infineon's M is the product of the first 39, 71, 126 or 225 primes depending on the
// key size (Table 1 of the paper), so every ROCA modulus passes the test over the odd
// primes up to 167, and a 2048-bit one over those up to 701. Testing as many primes
// as the key size allows keeps false positives negligible (about 2^-28 with 167 as
// the bound, far lower with 701).
export const rocaPrimes = primesBelow(702).filter((p) => p > 2);

/** The largest prime in Infineon's M for a modulus of this many bits. */
export function rocaPrimeBound(bits: number): number {
  if (bits >= 3968) return 1427;
  if (bits >= 1984) return 701;
  if (bits >= 992) return 353;
  return 167;
}

/**
 * For each prime, the membership table of <65537> mod p, made when first needed: a random
 * modulus leaves the subgroup within the first few primes, so most tables are never made, and
 * the command line does not build all of them before its first request (its start is measured).
 */
const rocaSubgroups: (Uint8Array | undefined)[] = [];

function rocaSubgroup(index: number): Uint8Array {
  const known = rocaSubgroups[index];
  if (known !== undefined) return known;
  const prime = rocaPrimes[index] as number;
  const member = new Uint8Array(prime);
  const generator = 65537 % prime;
  let element = 1;
  do {
    member[element] = 1;
    element = (element * generator) % prime;
  } while (element !== 1);
  rocaSubgroups[index] = member;
  return member;
}
const rocaChunks = chunk(rocaPrimes);

export function hasRocaFingerprint(modulus: bigint, bits: number = modulus.toString(16).length * 4): boolean {
  if (modulus <= 1n) return false;
  const bound = Math.min(rocaPrimeBound(bits), 701);
  let index = 0;
  for (const { product, primes } of rocaChunks) {
    if ((primes[0] as number) > bound) break;
    const remainder = Number(modulus % product);
    for (const prime of primes) {
      if (prime > bound) break;
      const member = rocaSubgroup(index);
      index += 1;
      if (member[remainder % prime] !== 1) return false;
    }
  }
  return true;
}

/** The number of bits of a positive BigInt, without building its string in most cases. */
function bitLengthOf(n: bigint): number {
  let bits = 0;
  let rest = n;
  // Whole 1024-bit steps first: a 2048-bit modulus takes two shifts instead of a hex string.
  while (rest >= 1n << 1024n) {
    rest >>= 1024n;
    bits += 1024;
  }
  const top = Number(rest);
  return bits + (Number.isFinite(top) ? Math.floor(Math.log2(top)) + 1 : rest.toString(2).length);
}

/**
 * floor(sqrt(n)): the root of n's top half (recursively, so each level works at half the
 * precision of the next), then Newton's method from just above the root. Two or three
 * full-size divisions for a 2048-bit modulus, where starting from a double's 50 bits took six.
 */
export function integerSquareRoot(n: bigint): bigint {
  if (n < 0n) throw new RangeError('square root of a negative number');
  if (n < 1n << 52n) {
    // Exact in doubles: correct the rounding of Math.sqrt by at most one.
    let root = BigInt(Math.floor(Math.sqrt(Number(n))));
    while (root * root > n) root -= 1n;
    while ((root + 1n) * (root + 1n) <= n) root += 1n;
    return root;
  }
  const half = BigInt(bitLengthOf(n) >> 2);
  // (r + 1)·2^half is above the root: (r + 1)² > n / 4^half.
  let x = (integerSquareRoot(n >> (half * 2n)) + 1n) << half;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

// Squares modulo 64, 63, 65 and 11: a number that is not a residue of all four is
// not a square, which spares most square-root computations.
function residues(modulus: number): Uint8Array {
  const table = new Uint8Array(modulus);
  for (let i = 0; i < modulus; i += 1) table[(i * i) % modulus] = 1;
  return table;
}
const squares64 = residues(64);
// By the Chinese remainder theorem a square modulo 45045 is one modulo 63, 65 and 11: three
// small tables instead of one of 45,045 entries made at every start.
const squares63 = residues(63);
const squares65 = residues(65);
const squares11 = residues(11);
const isSquareMod45045 = (value: number): boolean =>
  squares63[value % 63] === 1 && squares65[value % 65] === 1 && squares11[value % 11] === 1;

/** Rounds of Fermat's method (badkeys and boulder use a hundred). */
export const fermatRounds = 100;

/** The two primes when Fermat's method factors the modulus within `rounds` steps, else null. */
export function fermatFactor(modulus: bigint, rounds: number = fermatRounds): [bigint, bigint] | null {
  if (modulus <= 3n || (modulus & 1n) === 0n) return null;
  let a0 = integerSquareRoot(modulus);
  if (a0 * a0 < modulus) a0 += 1n;
  // b2 = a^2 - N, tracked modulo 64 and 45045 in Numbers as a steps by one:
  // (a+1)^2 - N = a^2 - N + 2a + 1. A BigInt square is made only when both filters pass.
  const b2First = a0 * a0 - modulus;
  let b2Mod64 = Number(b2First & 63n);
  let b2Mod45045 = Number(b2First % 45045n);
  let aMod64 = Number(a0 & 63n);
  let aMod45045 = Number(a0 % 45045n);
  for (let round = 0; round < rounds; round += 1) {
    if (squares64[b2Mod64] === 1 && isSquareMod45045(b2Mod45045)) {
      const a = a0 + BigInt(round);
      const b2 = a * a - modulus;
      const b = integerSquareRoot(b2);
      if (b * b === b2) {
        const p = a - b;
        const q = a + b;
        return p > 1n ? [p, q] : null;
      }
    }
    b2Mod64 = (b2Mod64 + 2 * aMod64 + 1) & 63;
    b2Mod45045 = (b2Mod45045 + 2 * aMod45045 + 1) % 45045;
    aMod64 = (aMod64 + 1) & 63;
    aMod45045 = (aMod45045 + 1) % 45045;
  }
  return null;
}

export interface RsaWeaknesses {
  smallFactor: number | null;
  roca: boolean;
  closePrimes: boolean;
  /** badkeys rsapoly: the modulus has the sparse bits of a known weak prime generator. */
  polynomialPattern: boolean;
}

/**
 * The moduli judged last, newest at the end. The editor analyses a request again on every edit
 * and a batch often holds renewals with the same key: the weak-key tests (most of the analysis
 * time after the signature) run once per key. Bounded, so memory stays small.
 */
const judgedModuli = new Map<bigint, RsaWeaknesses>();
export const maxJudgedModuli = 256;

/** Every weak-key test of one modulus, remembered for the last maxJudgedModuli moduli. */
export function rsaWeaknesses(modulus: bigint, bits: number): RsaWeaknesses {
  const known = judgedModuli.get(modulus);
  if (known !== undefined) return known;
  // One hexadecimal string serves the small factors (the module's limbs) and rsapoly (its bits).
  const hex = modulus.toString(16);
  const smallFactor = smallPrimeFactor(modulus, hex);
  const verdict = {
    smallFactor,
    roca: hasRocaFingerprint(modulus, bits),
    closePrimes: smallFactor === null && fermatFactor(modulus) !== null,
    polynomialPattern: smallFactor === null && hasPolynomialPattern(modulus, hex),
  };
  if (judgedModuli.size >= maxJudgedModuli) judgedModuli.delete(judgedModuli.keys().next().value as bigint);
  judgedModuli.set(modulus, verdict);
  return verdict;
}
