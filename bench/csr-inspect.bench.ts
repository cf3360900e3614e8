// npm run bench: 1,000 RSA-2048 requests inspected by one sectigo-csr process
// (dist/cli.js) against 1,000 runs of `openssl req -noout -text -verify`, plus the
// in-process time per request, signature check included, beside pyca/cryptography reading the
// same files in this machine's python3 (bench/pyca-csr.py), interleaved, each ratio printed
// against its baseline; and the analysis of this tree beside the analysis built from another ref's
// src/ (`-- --baseline REF`, default main), in this process, interleaved, on keys it has judged
// before and on keys it sees for the first time (no cache of verdicts or keys helps).
// Prints figures only; a missing python3 or cryptography skips that line.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { analyseCsrText, isCsrReport, maxInputLength } from '../src/core/csr/index';
import { resolveBaselineRef } from '../scripts/vscode/baseline-build';
import { sourcesAt } from './sources-at';
import {
  buildRequest,
  emailOid,
  octetString,
  oid,
  rsaSpki,
  sanEmail,
  sanExtension,
  sequence,
  set,
  spkiOf,
  tlv,
  toPemText,
} from '../test/core/csr/build-csr';

const count = 1000;
const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('dist/cli.js is missing: run `npm run build` first.\n');
  process.exit(2);
}

// Distinct requests (ten keys, a thousand subjects), as a CI job would see them; and a set
// where every request has a key of its own, so that no cache of keys helps.
const keys = Array.from({ length: 10 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
const ownKeyCount = 60;
const ownKeys = Array.from({ length: ownKeyCount }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
const requestPem = (key: (typeof keys)[number], i: number): string => {
  const mailbox = `user${i}@example.com`;
  return toPemText(
    buildRequest({
      subject: [
        ['2.5.4.6', 'GB'],
        ['2.5.4.10', 'Example Ltd'],
        ['2.5.4.3', `User ${i}`],
        [emailOid, mailbox],
      ],
      spki: spkiOf(key.publicKey),
      privateKey: key.privateKey,
      extensions: [sanExtension([sanEmail(mailbox)])],
    }),
  );
};
const pems = Array.from({ length: count }, (_, i) => requestPem(keys[i % keys.length] as (typeof keys)[number], i));
const ownKeyPems = ownKeys.map((key, i) => requestPem(key, i));
const dir = mkdtempSync(join(tmpdir(), 'csr-bench-'));
const writeAll = (list: string[], prefix: string): string[] =>
  list.map((pem, i) => {
    const file = join(dir, `${prefix}-${String(i).padStart(4, '0')}.csr`);
    writeFileSync(file, pem);
    return file;
  });
const files = writeAll(pems, 'request');
const ownKeyFiles = writeAll(ownKeyPems, 'own-key');

/** Median ms per request of the analysis in this process, signature check included. */
function inProcessMedian(list: string[]): { median: number; p95: number } {
  for (const pem of list.slice(0, 100)) analyseCsrText(pem); // warm-up
  const perRequest: number[] = [];
  for (const pem of list) {
    const t = process.hrtime.bigint();
    const [result] = analyseCsrText(pem);
    perRequest.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!result || !isCsrReport(result) || result.signature.valid !== true)
      throw new Error('a benchmark request did not verify');
  }
  perRequest.sort((a, b) => a - b);
  return {
    median: perRequest[Math.floor(perRequest.length / 2)] as number,
    p95: perRequest[Math.floor(perRequest.length * 0.95)] as number,
  };
}

type Core = typeof import('../src/core/csr/index');

/** The analysis (src/core/csr/index.ts) bundled from this tree, or from `commit`'s src/, into `file`. */
async function bundleCore(file: string, commit?: string): Promise<string> {
  await esbuild.build({
    entryPoints: [join(root, 'src', 'core', 'csr', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    outfile: file,
    logLevel: 'silent',
    absWorkingDir: root,
    plugins: commit === undefined ? [] : [sourcesAt(root, commit)],
  });
  return file;
}

/** The bundle loaded anew: its caches (verdicts of moduli, loaded keys) start empty. */
function loadFresh(file: string): Core {
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Core;
}

const middle = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

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
  return { seen: middle(seenTimes), fresh: middle(freshTimes) };
}

/** This tree's analysis and the baseline's, interleaved round by round; the median round of each. */
async function besideBaseline(
  seen: string[],
  fresh: string[],
  rounds = 5,
): Promise<{ label: string; ours: { seen: number; fresh: number }; theirs: { seen: number; fresh: number } }> {
  const flag = process.argv.indexOf('--baseline');
  const baseline = resolveBaselineRef(flag >= 0 ? process.argv[flag + 1] : 'main');
  const oursFile = await bundleCore(join(dir, 'ours.cjs'));
  const theirsFile = await bundleCore(join(dir, 'baseline.cjs'), baseline.commit);
  const ours: { seen: number; fresh: number }[] = [];
  const theirs: { seen: number; fresh: number }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    theirs.push(buildTiming(theirsFile, seen, fresh));
    ours.push(buildTiming(oursFile, seen, fresh));
  }
  const pick = (list: { seen: number; fresh: number }[]): { seen: number; fresh: number } => ({
    seen: middle(list.map((one) => one.seen)),
    fresh: middle(list.map((one) => one.fresh)),
  });
  return {
    label: `${baseline.label === 'main' ? 'main' : baseline.label}: ${baseline.subject}`,
    ours: pick(ours),
    theirs: pick(theirs),
  };
}

/** pyca/cryptography's median ms per request over the same files, or why it cannot be measured. */
function pycaMedian(list: string[]): { median: number; version: string } | string {
  const result = spawnSync('python3', [join(root, 'bench', 'pyca-csr.py'), ...list], {
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

/** Ours and the peer's, interleaved over `rounds`, the median round of each. */
function sideBySide(
  list: string[],
  pemList: string[],
  rounds = 3,
): { ours: number; peer: number | string; version: string } {
  const ours: number[] = [];
  const peer: number[] = [];
  let version = '';
  for (let round = 0; round < rounds; round += 1) {
    ours.push(inProcessMedian(pemList).median);
    const measured = pycaMedian(list);
    if (typeof measured === 'string') return { ours: ours[0] as number, peer: measured, version };
    peer.push(measured.median);
    version = measured.version;
  }
  const middle = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return { ours: middle(ours), peer: middle(peer), version };
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

function pycaRows(label: string, measured: { ours: number; peer: number | string; version: string }): string[] {
  if (typeof measured.peer === 'string')
    return [`${`vs pyca/cryptography, ${label}`.padEnd(44)}    skipped: ${measured.peer}`];
  return [
    `vs pyca/cryptography ${measured.version}, ${label} (parse, signature, key size, subject, extensions; median of 3 interleaved rounds):`,
    `  ${'sectigo-csr analysis, every check'.padEnd(42)}${measured.ours.toFixed(3).padStart(8)} ms`,
    `  ${'pyca/cryptography'.padEnd(42)}${measured.peer.toFixed(3).padStart(8)} ms`,
    `  ${'ratio (sectigo-csr / pyca, aim at most 1.0)'.padEnd(42)}${(measured.ours / measured.peer).toFixed(2).padStart(8)} x`,
  ];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  try {
    // One sectigo-csr process over all files (process start included).
    let start = process.hrtime.bigint();
    const ours = spawnSync(process.execPath, [cli, 'inspect', '--json', ...files], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const oursSeconds = seconds(start);
    if (ours.status !== 0) throw new Error(`sectigo-csr exited ${ours.status}: ${ours.stderr.slice(0, 300)}`);
    const inspected = (JSON.parse(ours.stdout) as unknown[]).length;

    // One openssl process per file, as a shell loop in CI would run it.
    start = process.hrtime.bigint();
    let opensslOk = 0;
    for (const file of files) {
      const result = spawnSync('openssl', ['req', '-noout', '-text', '-verify', '-in', file], { encoding: 'utf8' });
      if (result.error) throw new Error(`openssl could not be run: ${result.error.message}`);
      if (result.status === 0) opensslOk += 1;
    }
    const opensslSeconds = seconds(start);

    // In process: the analysis alone, per request, signature check included.
    const { median, p95 } = inProcessMedian(pems);
    const tenKeys = sideBySide(files, pems);
    const ownKey = sideBySide(ownKeyFiles, ownKeyPems);
    const baseline = await besideBaseline(pems, ownKeyPems);
    // pyca beside the first sight of each key: its own figure of the same 60 files.
    const freshPeer = typeof ownKey.peer === 'number' ? ownKey.peer : null;

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

    const row = (label: string, total: number, n: number): string =>
      `${label.padEnd(44)}${total.toFixed(2).padStart(8)} s${((total / n) * 1000).toFixed(3).padStart(10)} ms/file`;
    process.stdout.write(
      [
        `CSR inspection, ${count} RSA-2048 requests (signature check included)`,
        row(`sectigo-csr inspect --json, 1 process`, oursSeconds, inspected),
        row(`openssl req -noout -text -verify, ${count} runs`, opensslSeconds, count),
        `${'ratio (openssl / sectigo-csr, per file)'.padEnd(44)}${(opensslSeconds / count / (oursSeconds / inspected)).toFixed(1).padStart(8)} x`,
        `${'in process, per request: median'.padEnd(44)}${median.toFixed(3).padStart(8)} ms`,
        `${'in process, per request: 95th percentile'.padEnd(44)}${p95.toFixed(3).padStart(8)} ms`,
        ...pycaRows('1,000 requests, 10 keys', tenKeys),
        ...pycaRows(`${ownKeyCount} requests, a key each (its verdicts cached after the warm-up)`, ownKey),
        `This tree's analysis beside ${baseline.label} (each bundled from its src/, loaded anew each round; median of 5 interleaved rounds):`,
        `  ${'keys judged before (1,000 requests, 10 keys)'.padEnd(52)}${'baseline'.padStart(9)}${'this'.padStart(9)}${'ratio'.padStart(8)}`,
        `  ${''.padEnd(52)}${baseline.theirs.seen.toFixed(3).padStart(9)}${baseline.ours.seen.toFixed(3).padStart(9)}${(baseline.ours.seen / baseline.theirs.seen).toFixed(2).padStart(7)}x`,
        `  ${`each key seen for the first time (${ownKeyCount} keys)`.padEnd(52)}${baseline.theirs.fresh.toFixed(3).padStart(9)}${baseline.ours.fresh.toFixed(3).padStart(9)}${(baseline.ours.fresh / baseline.theirs.fresh).toFixed(2).padStart(7)}x`,
        freshPeer === null
          ? `  ${'pyca/cryptography, same 60 files'.padEnd(52)} skipped`
          : `  ${'pyca/cryptography, same 60 files (ratio: this / pyca)'.padEnd(52)}${freshPeer.toFixed(3).padStart(18)}${(baseline.ours.fresh / freshPeer).toFixed(2).padStart(7)}x`,
        `Hostile requests at the 4 MiB input cap (best of 2; equal ms/MB at 1 and 4 MiB means linear time):`,
        ...hostileRows,
        `${'worst case constructed'.padEnd(44)}${worst.ms.toFixed(1).padStart(8)} ms for ${worst.bytes.toLocaleString('en-US')} bytes (${worst.label})`,
        `(openssl verified ${opensslOk}/${count}; node ${process.version}; ${spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim()})`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
