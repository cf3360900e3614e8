// Two keys that share a prime are both broken: the greatest common divisor of their moduli is
// that prime (Heninger et al., "Mining your Ps and Qs", 2012; badkeys' sharedprimes ships the
// primes found shared on the internet, which this project cannot obtain). Across a batch (the
// requests `check` and `inspect` were given, the requests of a workspace), Bernstein's batch GCD
// finds every such pair at once: a product tree of the moduli, then a remainder tree of the
// product modulo each modulus squared, (P mod n²)/n sharing a factor with n exactly when another
// modulus does. Bounded in count and time; the same key in two requests (a renewal) is not a
// shared prime and is compared once.
import { findingCodes } from './findings';
import { findRequests } from './input';
import { decodeRequest } from './pkcs10';
import type { CsrAnalysisResult, CsrReport, Finding } from './types';
import { isCsrReport } from './types';

/** At most this many distinct RSA moduli are compared; past it, none are (the README says so). */
export const maxSharedPrimeKeys = 5000;
/** The comparison gives up past this many milliseconds, checked between the trees' levels. */
export const sharedPrimeDeadlineMs = 5000;

export type SharedPrimeOutcome =
  | { kind: 'compared'; keys: number; pairs: [number, number][] }
  | { kind: 'too-many'; keys: number }
  | { kind: 'too-slow'; keys: number };

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * Pairs of indexes (into `moduli`, which must be distinct) whose moduli share a factor.
 * `now` is the clock (injected for tests); the deadline is checked before each level of work.
 */
export function findSharedPrimes(
  moduli: readonly bigint[],
  options: { maxKeys?: number; deadlineMs?: number; now?: () => number } = {},
): SharedPrimeOutcome {
  const keys = moduli.length;
  if (keys > (options.maxKeys ?? maxSharedPrimeKeys)) return { kind: 'too-many', keys };
  if (keys < 2) return { kind: 'compared', keys, pairs: [] };
  const now = options.now ?? (() => Date.now());
  const deadline = now() + (options.deadlineMs ?? sharedPrimeDeadlineMs);
  // Product tree, leaves first.
  const levels: bigint[][] = [moduli.slice()];
  while ((levels[levels.length - 1] as bigint[]).length > 1) {
    if (now() > deadline) return { kind: 'too-slow', keys };
    const below = levels[levels.length - 1] as bigint[];
    const level: bigint[] = [];
    for (let i = 0; i < below.length; i += 2)
      level.push(i + 1 < below.length ? (below[i] as bigint) * (below[i + 1] as bigint) : (below[i] as bigint));
    levels.push(level);
  }
  // Remainder tree, root first: each node's remainder is its parent's modulo the node squared.
  let remainders = levels[levels.length - 1] as bigint[];
  for (let depth = levels.length - 2; depth >= 0; depth -= 1) {
    if (now() > deadline) return { kind: 'too-slow', keys };
    const level = levels[depth] as bigint[];
    remainders = level.map((node, i) => (remainders[i >> 1] as bigint) % (node * node));
  }
  const suspects: number[] = [];
  moduli.forEach((n, i) => {
    if (gcd((remainders[i] as bigint) / n, n) !== 1n) suspects.push(i);
  });
  // Few keys share primes: the pairs are found among the suspects alone.
  const pairs: [number, number][] = [];
  for (let a = 0; a < suspects.length; a += 1) {
    for (let b = a + 1; b < suspects.length; b += 1) {
      // A batch built so that every key is a suspect would otherwise hold the caller for minutes.
      if (now() > deadline) return { kind: 'too-slow', keys };
      const i = suspects[a] as number;
      const j = suspects[b] as number;
      if (gcd(moduli[i] as bigint, moduli[j] as bigint) !== 1n) pairs.push([i, j]);
    }
  }
  return { kind: 'compared', keys, pairs };
}

/** Where a request is, for a message: "alice.csr" or "alice.csr, request 2". */
function placeOf(report: CsrReport): string {
  return report.index === 0 ? report.file : `${report.file}, request ${report.index + 1}`;
}

/** The RSA modulus of a reported request, read again from its PEM (a report carries no numbers), or null. */
export function reportedRsaModulus(report: CsrReport): bigint | null {
  if (report.publicKey.algorithm !== 'RSA' && report.publicKey.algorithm !== 'RSASSA-PSS') return null;
  const [block] = findRequests(report.pem);
  if (block?.kind !== 'request') return null;
  try {
    const modulus = decodeRequest(block.der).rsaModulus;
    return modulus !== null && modulus > 1n ? modulus : null;
  } catch {
    return null;
  }
}

/**
 * The results with an `rsa-shared-prime` finding added to every request whose RSA key shares a
 * prime with another's, naming the other. The results are not changed in place.
 */
export function withSharedPrimeFindings(
  results: readonly CsrAnalysisResult[],
  moduliOf: (report: CsrReport) => bigint | null = reportedRsaModulus,
  options?: Parameters<typeof findSharedPrimes>[1],
): { results: CsrAnalysisResult[]; outcome: SharedPrimeOutcome } {
  const distinct = new Map<bigint, number>();
  const owners: CsrReport[][] = [];
  for (const result of results) {
    // A modulus with a small factor is broken already and said so; it would share that factor with
    // every other such modulus, one finding per pair.
    if (!isCsrReport(result) || result.findings.some((finding) => finding.code === 'rsa-small-factor')) continue;
    const n = moduliOf(result);
    if (n === null) continue;
    let index = distinct.get(n);
    if (index === undefined) {
      index = owners.length;
      distinct.set(n, index);
      owners.push([]);
    }
    (owners[index] as CsrReport[]).push(result);
  }
  const outcome = findSharedPrimes([...distinct.keys()], options);
  if (outcome.kind !== 'compared' || outcome.pairs.length === 0) return { results: [...results], outcome };
  const added = new Map<CsrReport, Finding[]>();
  const note = (report: CsrReport, other: CsrReport): void => {
    const list = added.get(report) ?? [];
    list.push({
      severity: findingCodes['rsa-shared-prime'],
      code: 'rsa-shared-prime',
      message: `The RSA modulus shares a prime factor with the key of ${placeOf(other)}, so both keys can be factored in an instant.`,
      sectigoErrorCode: null,
      range: report.findings[0]?.range ?? {
        startLine: report.range.startLine,
        startCharacter: 0,
        endLine: report.range.startLine,
        endCharacter: 0,
      },
    });
    added.set(report, list);
  };
  for (const [i, j] of outcome.pairs)
    for (const a of owners[i] as CsrReport[])
      for (const b of owners[j] as CsrReport[]) {
        note(a, b);
        note(b, a);
      }
  return {
    results: results.map((result) =>
      isCsrReport(result) && added.has(result)
        ? { ...result, findings: [...result.findings, ...(added.get(result) as Finding[])] }
        : result,
    ),
    outcome,
  };
}
