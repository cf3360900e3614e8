// Part of npm run bench (bench/cli.bench.ts runs it; alone: node --import tsx bench/csr-inspect.bench.ts
// [--baseline REF]). Prints figures only:
// - the batch: one `sectigo-csr inspect --json` and one `check` over 1,000 RSA-2048 requests against
//   a shell loop of `openssl req -noout -text -verify` over the same files, this tree's build (as
//   it runs, with its analysis threads, and on one thread) and the baseline's, interleaved round by
//   round (aim: at least 45× the openssl loop, per file);
// - the memory of a run over 100,000 files (peak resident set, beside a run over 1,000: bounded when
//   they are alike) and its CPU time (every thread's), this tree's and the baseline's;
// - in process, per request, signature check included: this tree's analysis and the baseline's
//   (each bundled from its src/ and loaded anew each round), interleaved, on keys judged before and
//   on keys seen for the first time (no cache of verdicts or keys helps), beside pyca/cryptography in
//   this machine's python3 (bench/pyca-csr.py); a missing python3 or cryptography skips that line;
// - hostile requests at the input cap (linear time).
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseCsrText, isCsrReport, maxInputLength } from '../src/core/csr/index';
import { buildRequest, octetString, oid, rsaSpki, sequence, set, spkiOf, tlv } from '../test/core/csr/build-csr';
import { buildBoth, repoRoot, type CliBuild } from './cli-builds';
import { median } from './cli-startup.bench';
import { bundleCore, loadFresh, requestPem } from './core-bundles';

const count = 1000;
/** The issue's aim for the batch: at least this many times the openssl loop, per file. */
export const BATCH_AIM = 45;
const batchRounds = Number(process.env.BENCH_BATCH_ROUNDS ?? 5);
const opensslRounds = Number(process.env.BENCH_OPENSSL_ROUNDS ?? 2);
const memoryFiles = Number(process.env.BENCH_MEMORY_FILES ?? 100_000);

// Distinct requests (ten keys, a thousand subjects), as a CI job would see them; and a set
// where every request has a key of its own, so that no cache of keys helps.
const keys = Array.from({ length: 10 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
const ownKeyCount = 60;
const ownKeys = Array.from({ length: ownKeyCount }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
const pems = Array.from({ length: count }, (_, i) => requestPem(keys[i % keys.length] as (typeof keys)[number], i));
const ownKeyPems = ownKeys.map((key, i) => requestPem(key, i));

/** Short names relative to `dir` (a run over 100,000 files must fit in one command line). */
function writeAll(dir: string, list: string[], prefix: string): string[] {
  mkdirSync(join(dir, prefix), { recursive: true });
  return list.map((pem, i) => {
    const name = `${prefix}/${String(i).padStart(4, '0')}.csr`;
    writeFileSync(join(dir, name), pem);
    return name;
  });
}

/** pyca/cryptography's median ms per request over the same files, or why it cannot be measured. */
function pycaMedian(dir: string, list: string[]): { median: number; version: string } | string {
  const result = spawnSync('python3', [join(repoRoot, 'bench', 'pyca-csr.py'), ...list], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) return `python3 could not be run (${result.error.message})`;
  const line = (result.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as { median?: number; version?: string; missing?: string };
    if (parsed.missing !== undefined) return parsed.missing;
    if (typeof parsed.median === 'number') return { median: parsed.median, version: parsed.version ?? '?' };
  } catch {
    // Reported below.
  }
  return `pyca-csr.py failed: ${(result.stderr ?? '').slice(0, 200)}`;
}

/** The analysis (src/core/csr/index.ts) bundled from this tree, or from `commit`'s src/, into `file`. */
/**
 * Median ms per request of one build: over `seen` (keys judged before, after a warm-up round), and
 * over `fresh` analysed once each right after loading the bundle anew (JIT warmed on `seen`).
 */
function buildTiming(file: string, seen: string[], fresh: string[]): { seen: number; fresh: number } {
  const core = loadFresh(file);
  for (const pem of seen.slice(0, 200)) core.analyseCsrText(pem);
  const freshTimes = fresh.map((pem) => {
    const start = process.hrtime.bigint();
    const [result] = core.analyseCsrText(pem);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!result || !core.isCsrReport(result) || result.signature.valid !== true)
      throw new Error('a bench request did not verify');
    return ms;
  });
  const seenTimes = seen.map((pem) => {
    const start = process.hrtime.bigint();
    core.analyseCsrText(pem);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  return { seen: median(seenTimes), fresh: median(freshTimes) };
}

/** Seconds of one process run over `files` in `dir`, its standard output read and dropped. */
function timeCli(cli: string, args: string[], dir: string, expected: number[], env: NodeJS.ProcessEnv = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    maxBuffer: 1 << 30,
    timeout: 600_000,
    env: { ...process.env, ...env },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status === null || !expected.includes(result.status))
    throw new Error(`${cli} ${args[0]} exited ${result.status}: ${result.stderr.toString().slice(0, 300)}`);
  return seconds;
}

function timeOpensslLoop(dir: string, files: string[]): { seconds: number; verified: number } {
  const start = process.hrtime.bigint();
  let verified = 0;
  for (const file of files) {
    const result = spawnSync('openssl', ['req', '-noout', '-text', '-verify', '-in', file], { cwd: dir });
    if (result.error) throw new Error(`openssl could not be run: ${result.error.message}`);
    if (result.status === 0) verified += 1;
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, verified };
}

/** Peak resident set (MiB) of one run over `files`, its output written to a file and dropped; NaN when it failed. */
function peakMemory(
  cli: string,
  args: string[],
  dir: string,
  files: string[],
): { mib: number; seconds: number; cpu?: number; failed?: string } {
  const preload = join(dir, 'report-rss.cjs');
  const report = join(dir, 'rss.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(${JSON.stringify(report)}, \`\${u.maxRSS} \${(u.userCPUTime + u.systemCPUTime) / 1e6}\`); });\n`,
  );
  const output = join(dir, 'output.txt');
  const start = process.hrtime.bigint();
  const result = spawnSync(
    'sh',
    ['-c', `"${process.execPath}" --require "${preload}" "${cli}" "$@" > "${output}"`, 'sh', ...args, ...files],
    { cwd: dir, timeout: 1_800_000, maxBuffer: 1 << 26 },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(output, { force: true });
  if (result.error) return { mib: Number.NaN, seconds, failed: result.error.message };
  if (result.status !== 0 && result.status !== 1) {
    // The baseline held every result until the end: over enough files it runs out of memory.
    const why =
      result.stderr.toString().match(/heap out of memory|JavaScript heap|Killed/)?.[0] ?? `exit ${result.status}`;
    return { mib: Number.NaN, seconds, failed: why };
  }
  // CPU time of every thread of the process (the analysis threads' too).
  const [rss, cpu] = readFileSync(report, 'utf8').split(' ').map(Number);
  return { mib: (rss ?? Number.NaN) / 1024, seconds, cpu: cpu ?? Number.NaN };
}

// Hostile requests as large as the input cap allows, each built to make one part of the
// reader work hardest. Linear time shows as the same ms/MB at 1 MiB and at 4 MiB.
const hostileKey = keys[0] as (typeof keys)[number];
const sequenceOf = (list: Uint8Array[]): Uint8Array => tlv(0x30, Buffer.concat(list));
function hostileRequest(size: number, values: (room: number) => Uint8Array[]): Uint8Array {
  const list = values(size - 1500);
  if (list.length === 0) {
    // No extensions: the room goes to the public exponent, with a real 2048-bit modulus.
    const jwk = hostileKey.publicKey.export({ format: 'jwk' });
    const modulus = BigInt(`0x${Buffer.from(jwk.n as string, 'base64url').toString('hex')}`);
    const exponent = BigInt(`0x7${'f'.repeat((size - 1500) * 2 - 1)}`);
    return buildRequest({ spki: rsaSpki(modulus, exponent), privateKey: hostileKey.privateKey });
  }
  const extensions = sequence(oid('1.2.840.113549.1.9.14'), set(sequenceOf(list)));
  return buildRequest({
    spki: spkiOf(hostileKey.publicKey),
    privateKey: hostileKey.privateKey,
    rawAttributes: [extensions],
  });
}
function nested(room: number): Uint8Array {
  // SEQUENCEs inside SEQUENCEs, each with a 4-octet length: as many levels as fit.
  const depth = Math.floor(room / 6);
  const out = Buffer.alloc(depth * 6 + 2);
  for (let level = 0; level < depth; level += 1) {
    const inner = (depth - level - 1) * 6 + 2;
    out.set([0x30, 0x84, inner >>> 24, (inner >>> 16) & 255, (inner >>> 8) & 255, inner & 255], level * 6);
  }
  out.set([0x05, 0x00], depth * 6);
  return out;
}
const hostileCases: Record<string, (room: number) => Uint8Array[]> = {
  'one OID arc filling the request': (room) => [
    sequence(
      tlv(0x06, Buffer.concat([Uint8Array.of(0x2b), Buffer.alloc(room - 20, 0xff), Uint8Array.of(1)])),
      octetString(Uint8Array.of(5, 0)),
    ),
  ],
  'one OID of a million arcs': (room) => [
    sequence(tlv(0x06, Buffer.alloc(room - 20, 0x01)), octetString(Uint8Array.of(5, 0))),
  ],
  'the same extension repeated': (room) =>
    Array.from({ length: Math.floor(room / 11) }, () => sequence(oid('2.5.29.37'), octetString(Uint8Array.of(5, 0)))),
  'a SAN of a million names': (room) => [
    sequence(
      oid('2.5.29.17'),
      octetString(
        sequenceOf(Array.from({ length: Math.floor((room - 40) / 4) }, () => tlv(0x82, Uint8Array.of(0x61, 0x62)))),
      ),
    ),
  ],
  'an extension value nested to the end': (room) => [sequence(oid('1.2.3.4'), octetString(nested(room - 40)))],
  'an RSA exponent filling the request': () => [],
  'an extension value of two million NULLs': (room) => [
    sequence(
      oid('1.2.3.4'),
      octetString(sequenceOf(Array.from({ length: Math.floor((room - 40) / 2) }, () => Uint8Array.of(5, 0)))),
    ),
  ],
};
function timeOnce(der: Uint8Array): number {
  const start = process.hrtime.bigint();
  const [result] = analyseCsrText(der);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result === undefined || (!isCsrReport(result) && result.code === 'internal-error'))
    throw new Error('a hostile request broke the analysis');
  return elapsed;
}

export interface BatchFigures {
  /** openssl's seconds per file over ours, for inspect --json and check (this tree's and the baseline's). */
  inspect: { current: number; oneThread: number; baseline: number };
  check: { current: number; oneThread: number; baseline: number };
  /** Peak MiB of inspect --json over 1,000 and `memoryFiles` files. */
  memory: { files: number; current: [number, number]; baseline: [number, number]; sarif: [number, number] };
  /** In process, ms per request. */
  inProcess: { current: number; baseline: number; pyca: number | string; pycaVersion: string };
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export async function benchCsrInspect(
  current: CliBuild,
  baseline: CliBuild,
  baselineCommit: string,
): Promise<BatchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'csr-bench-'));
  try {
    const files = writeAll(dir, pems, 'r');
    const ownKeyFiles = writeAll(dir, ownKeyPems, 'k');

    // The batch, interleaved: each round runs every command once, in a rotating order.
    // This tree twice: as a user runs it (threads beside the main one from 128 files, one per core
    // besides the main thread's) and on the main thread alone, so that what the threads give and
    // what each file costs are both seen.
    const oneThread = { SECTIGO_CSR_THREADS: '0' };
    const runs = [
      {
        label: `inspect --json, ${current.label}`,
        cli: current.cli,
        args: ['inspect', '--json'],
        times: [] as number[],
      },
      {
        label: `inspect --json, ${current.label}, one thread`,
        cli: current.cli,
        args: ['inspect', '--json'],
        times: [] as number[],
        env: oneThread,
      },
      {
        label: `inspect --json, ${baseline.label}`,
        cli: baseline.cli,
        args: ['inspect', '--json'],
        times: [] as number[],
      },
      { label: `check, ${current.label}`, cli: current.cli, args: ['check'], times: [] as number[] },
      {
        label: `check, ${current.label}, one thread`,
        cli: current.cli,
        args: ['check'],
        times: [] as number[],
        env: oneThread,
      },
      { label: `check, ${baseline.label}`, cli: baseline.cli, args: ['check'], times: [] as number[] },
    ];
    const openssl: number[] = [];
    let verified = 0;
    for (let round = 0; round < batchRounds; round += 1) {
      for (let i = 0; i < runs.length; i += 1) {
        const run = runs[(i + round) % runs.length] as (typeof runs)[number];
        run.times.push(timeCli(run.cli, [...run.args, ...files], dir, [0], 'env' in run ? run.env : {}));
      }
      if (round < opensslRounds) {
        const loop = timeOpensslLoop(dir, files);
        openssl.push(loop.seconds);
        verified = loop.verified;
      }
    }
    const opensslPerFile = median(openssl) / count;
    const ratio = (times: number[]): number => opensslPerFile / (median(times) / count);
    const row = (label: string, seconds: number, extra = ''): string =>
      `  ${label.padEnd(44)}${seconds.toFixed(3).padStart(8)} s${((seconds / count) * 1000).toFixed(3).padStart(9)} ms/file${extra}`;
    out(
      `CSR inspection, ${count} RSA-2048 requests (signature check included), medians of ${batchRounds} interleaved rounds (openssl: ${openssl.length}):`,
    );
    out(row(`openssl req -noout -text -verify, ${count} runs`, median(openssl)));
    for (const run of runs)
      out(row(run.label, median(run.times), `   ${ratio(run.times).toFixed(1).padStart(5)}× the openssl loop`));
    out(`  aim: at least ${BATCH_AIM}× the openssl loop per file (openssl verified ${verified}/${count})`);

    // Memory: the same requests again and again, as hard links, so that only the count grows. Names
    // as short as they come, run from their folder: 100,000 of them just fit one command line (2 MiB
    // with their pointers), which the baseline needs (this tree also takes --files-from).
    const folder = join(dir, 'm');
    mkdirSync(folder);
    const many = Array.from({ length: memoryFiles }, (_, i) => `${i}.csr`);
    many.forEach((name, i) => linkSync(join(dir, files[i % count] as string), join(folder, name)));
    const few = many.slice(0, count);
    const memory = {
      current: peakMemory(current.cli, ['inspect', '--json'], folder, few),
      currentMany: peakMemory(current.cli, ['inspect', '--json'], folder, many),
      baseline: peakMemory(baseline.cli, ['inspect', '--json'], folder, few),
      baselineMany: peakMemory(baseline.cli, ['inspect', '--json'], folder, many),
      sarif: peakMemory(current.cli, ['check', '--format', 'sarif'], folder, few),
      sarifMany: peakMemory(current.cli, ['check', '--format', 'sarif'], folder, many),
    };
    const mib = (figure: { mib: number; seconds: number; cpu?: number; failed?: string }): string =>
      figure.failed === undefined
        ? `${figure.mib.toFixed(0).padStart(5)} MiB (${figure.seconds.toFixed(1)} s, CPU ${(figure.cpu ?? Number.NaN).toFixed(1)} s)`
        : `failed after ${figure.seconds.toFixed(1)} s: ${figure.failed}`;
    out(
      `Peak memory (resident set) of one run over ${count.toLocaleString('en-US')} and ${memoryFiles.toLocaleString('en-US')} files:`,
    );
    out(`  ${`inspect --json, ${current.label}`.padEnd(44)}${mib(memory.current)}   ${mib(memory.currentMany)}`);
    out(`  ${`check --format sarif, ${current.label}`.padEnd(44)}${mib(memory.sarif)}   ${mib(memory.sarifMany)}`);
    out(`  ${`inspect --json, ${baseline.label}`.padEnd(44)}${mib(memory.baseline)}   ${mib(memory.baselineMany)}`);

    // In process, per request: this tree's analysis and the baseline's, each bundled and loaded
    // anew each round, interleaved; pyca's over the same files between the rounds.
    const oursFile = await bundleCore(join(dir, 'ours.cjs'));
    const theirsFile = await bundleCore(join(dir, 'baseline.cjs'), baselineCommit);
    const timings = {
      current: [] as { seen: number; fresh: number }[],
      baseline: [] as { seen: number; fresh: number }[],
    };
    const peer = { seen: [] as number[], fresh: [] as number[] };
    let pycaVersion = '';
    let pycaMissing: string | undefined;
    for (let round = 0; round < 5; round += 1) {
      timings.baseline.push(buildTiming(theirsFile, pems, ownKeyPems));
      timings.current.push(buildTiming(oursFile, pems, ownKeyPems));
      if (round < 3 && pycaMissing === undefined) {
        for (const [list, into] of [
          [files, peer.seen],
          [ownKeyFiles, peer.fresh],
        ] as const) {
          const measured = pycaMedian(dir, list);
          if (typeof measured === 'string') pycaMissing = measured;
          else {
            into.push(measured.median);
            pycaVersion = measured.version;
          }
        }
      }
    }
    const pick = (list: { seen: number; fresh: number }[], key: 'seen' | 'fresh'): number =>
      median(list.map((one) => one[key]));
    const inProcess = {
      current: pick(timings.current, 'seen'),
      baseline: pick(timings.baseline, 'seen'),
      currentFresh: pick(timings.current, 'fresh'),
      baselineFresh: pick(timings.baseline, 'fresh'),
    };
    const pyca = pycaMissing ?? median(peer.seen);
    const pycaFresh = pycaMissing ?? median(peer.fresh);
    const cell = (value: number): string => value.toFixed(3).padStart(9);
    out(
      `In process, per request, signature check included (each build bundled from its src/ and loaded anew each round; medians of 5 interleaved rounds, pyca of 3):`,
    );
    out(`  ${''.padEnd(48)}${'baseline'.padStart(9)}${'this'.padStart(9)}${'pyca'.padStart(9)}  this / pyca`);
    const pycaCells = (value: number | string, ours: number): string =>
      typeof value === 'string' ? '   skipped' : `${cell(value)}  ${(ours / value).toFixed(2)}×`;
    out(
      `  ${`keys judged before (${count.toLocaleString('en-US')} requests, 10 keys)`.padEnd(48)}${cell(inProcess.baseline)}${cell(inProcess.current)}${pycaCells(pyca, inProcess.current)}`,
    );
    out(
      `  ${`each key seen for the first time (${ownKeyCount} keys)`.padEnd(48)}${cell(inProcess.baselineFresh)}${cell(inProcess.currentFresh)}${pycaCells(pycaFresh, inProcess.currentFresh)}`,
    );
    if (typeof pyca === 'string') out(`  pyca/cryptography skipped: ${pyca}`);
    else
      out(
        `  (pyca/cryptography ${pycaVersion}: parse, signature, key size, subject, extensions; aim: this / pyca at most 1.0)`,
      );

    const hostileRows: string[] = [];
    let worst = { label: '', ms: 0, bytes: 0 };
    for (const [label, values] of Object.entries(hostileCases)) {
      const small = hostileRequest(maxInputLength / 4, values);
      const large = hostileRequest(maxInputLength, values);
      if (large.length > maxInputLength) throw new Error(`${label}: ${large.length} bytes is over the input cap`);
      const smallMs = Math.min(timeOnce(small), timeOnce(small));
      const largeMs = Math.min(timeOnce(large), timeOnce(large));
      const perMb = (ms: number, bytes: number): string => (ms / (bytes / 1048576)).toFixed(1).padStart(7);
      hostileRows.push(
        `  ${label.padEnd(42)}${largeMs.toFixed(1).padStart(8)} ms${perMb(largeMs, large.length)} ms/MB (1 MiB:${perMb(smallMs, small.length)} ms/MB)`,
      );
      if (largeMs > worst.ms) worst = { label, ms: largeMs, bytes: large.length };
    }
    out(`Hostile requests at the 4 MiB input cap (best of 2; equal ms/MB at 1 and 4 MiB means linear time):`);
    for (const line of hostileRows) out(line);
    out(
      `  ${'worst case constructed'.padEnd(42)}${worst.ms.toFixed(1).padStart(8)} ms for ${worst.bytes.toLocaleString('en-US')} bytes (${worst.label})`,
    );
    out(`(node ${process.version}; ${spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim()})`);

    const [oursInspect, oursInspectAlone, theirInspect, oursCheck, oursCheckAlone, theirCheck] = runs as [
      (typeof runs)[0],
      (typeof runs)[0],
      (typeof runs)[0],
      (typeof runs)[0],
      (typeof runs)[0],
      (typeof runs)[0],
    ];
    return {
      inspect: {
        current: ratio(oursInspect.times),
        oneThread: ratio(oursInspectAlone.times),
        baseline: ratio(theirInspect.times),
      },
      check: {
        current: ratio(oursCheck.times),
        oneThread: ratio(oursCheckAlone.times),
        baseline: ratio(theirCheck.times),
      },
      memory: {
        files: memoryFiles,
        current: [memory.current.mib, memory.currentMany.mib],
        baseline: [memory.baseline.mib, memory.baselineMany.mib],
        sarif: [memory.sarif.mib, memory.sarifMany.mib],
      },
      inProcess: { current: inProcess.current, baseline: inProcess.baseline, pyca, pycaVersion },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const builds = buildBoth();
  benchCsrInspect(builds.current, builds.baseline, builds.baselineRef.commit)
    .finally(() => builds.close())
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    });
}
