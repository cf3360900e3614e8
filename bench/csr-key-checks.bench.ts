// npm run bench:key-checks [-- --baseline REF] [-- --before REF]: what the analysis costs a request
// whose key it has not seen (no verdict of a modulus cached), in process, signature check included:
// this tree's analysis, the baseline's (default main) and the one from before issue 32's key rules
// (default a3ad82d), each bundled from its src/ and loaded anew each round, interleaved in a rotating
// order, beside pyca/cryptography reading the same files in this machine's python3
// (bench/pyca-csr.py). Per request, wall-clock and CPU time: the machine is shared, so CPU time is
// what the work costs, and wall time also holds the waits for a core. Prints the median of the
// rounds' medians and their range; a missing python3 or cryptography skips pyca's line.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBaselineRef } from '../scripts/vscode/baseline-build';
import { repoRoot } from './cli-builds';
import { median } from './cli-startup.bench';
import { bundleCore, loadFresh, requestPem, type Core } from './core-bundles';

const freshCount = Number(process.env.BENCH_FRESH_KEYS ?? 150);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
/** The parent of issue 32's first commit: the analysis before its key rules. */
const beforeKeyRules = 'a3ad82d';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Medians per request, wall-clock and CPU time, of analysing each of `list` once. */
function timeEach(core: Core, list: string[]): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const pem of list) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const [result] = core.analyseCsrText(pem);
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    if (!result || !core.isCsrReport(result) || result.signature.valid !== true)
      throw new Error('a bench request did not verify');
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/**
 * One round of one build, loaded anew: `fresh` analysed once each (keys never seen; JIT warmed on
 * `seen`), then `seen` again (keys judged before).
 */
function oneRound(file: string, seen: string[], fresh: string[]): { fresh: Timing; seen: Timing } {
  const core = loadFresh(file);
  for (const pem of seen) core.analyseCsrText(pem);
  const first = timeEach(core, fresh);
  return { fresh: first, seen: timeEach(core, seen) };
}

/** pyca/cryptography's medians per request over the same files, or why it cannot be measured. */
function pyca(dir: string, files: string[]): (Timing & { version: string }) | string {
  const result = spawnSync('python3', [join(repoRoot, 'bench', 'pyca-csr.py'), ...files], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) return `python3 could not be run (${result.error.message})`;
  try {
    const parsed = JSON.parse((result.stdout ?? '').trim().split('\n').pop() ?? '') as {
      median?: number;
      cpuMedian?: number;
      version?: string;
      missing?: string;
    };
    if (parsed.missing !== undefined) return parsed.missing;
    if (typeof parsed.median === 'number' && typeof parsed.cpuMedian === 'number')
      return { wall: parsed.median, cpu: parsed.cpuMedian, version: parsed.version ?? '?' };
  } catch {
    // Reported below.
  }
  return `pyca-csr.py failed: ${(result.stderr ?? '').slice(0, 200)}`;
}

async function main(): Promise<void> {
  const baseline = resolveBaselineRef(option('--baseline', 'main'));
  const before = resolveBaselineRef(option('--before', beforeKeyRules));
  const warmKeys = Array.from({ length: 10 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
  const warm = Array.from({ length: 200 }, (_, i) =>
    requestPem(warmKeys[i % warmKeys.length] as (typeof warmKeys)[0], i),
  );
  // pyca reads the fresh keys' files: it has no cache of keys, so its figure stands beside both rows.
  const fresh = Array.from({ length: freshCount }, (_, i) =>
    requestPem(generateKeyPairSync('rsa', { modulusLength: 2048 }), i),
  );
  const dir = mkdtempSync(join(tmpdir(), 'csr-key-checks-'));
  try {
    const files = fresh.map((pem, i) => {
      const name = `${i}.csr`;
      writeFileSync(join(dir, name), pem);
      return name;
    });
    const builds = [
      {
        label: `before the key rules (${before.commit.slice(0, 7)})`,
        file: await bundleCore(join(dir, 'before.cjs'), before.commit),
      },
      {
        label: `baseline (${baseline.label}, ${baseline.commit.slice(0, 7)})`,
        file: await bundleCore(join(dir, 'baseline.cjs'), baseline.commit),
      },
      { label: 'this tree', file: await bundleCore(join(dir, 'this.cjs')) },
    ].map((build) => ({ ...build, fresh: [] as Timing[], seen: [] as Timing[] }));
    const peer: Timing[] = [];
    let peerVersion = '';
    let peerMissing: string | undefined;
    for (let round = 0; round < rounds; round += 1) {
      for (let i = 0; i < builds.length; i += 1) {
        const build = builds[(i + round) % builds.length] as (typeof builds)[0];
        const measured = oneRound(build.file, warm, fresh);
        build.fresh.push(measured.fresh);
        build.seen.push(measured.seen);
      }
      if (peerMissing === undefined) {
        const measured = pyca(dir, files);
        if (typeof measured === 'string') peerMissing = measured;
        else {
          peer.push(measured);
          peerVersion = measured.version;
        }
      }
    }
    const summary = (times: Timing[], key: keyof Timing): string => {
      const values = times.map((one) => one[key]);
      return `${median(values).toFixed(3).padStart(7)} (${Math.min(...values).toFixed(3)}-${Math.max(...values).toFixed(3)})`;
    };
    const ratio = (times: Timing[], key: keyof Timing): string =>
      peer.length === 0
        ? ''
        : `${(median(times.map((one) => one[key])) / median(peer.map((one) => one[key]))).toFixed(2).padStart(6)}×`;
    const out = (line: string): void => {
      process.stdout.write(`${line}\n`);
    };
    out(
      `The analysis of an RSA-2048 request, signature check included, ms per request: median of ${rounds} interleaved rounds' medians (range of the rounds):`,
    );
    out(`  ${''.padEnd(44)}${'CPU time'.padEnd(21)} / pyca  ${'wall-clock time'.padEnd(21)} / pyca`);
    for (const [title, key] of [
      [`keys seen for the first time (${freshCount} keys)`, 'fresh'],
      [`keys judged before (${warm.length} requests, ${warmKeys.length} keys)`, 'seen'],
    ] as const) {
      out(` ${title}:`);
      for (const build of builds)
        out(
          `  ${build.label.padEnd(44)}${summary(build[key], 'cpu')}${ratio(build[key], 'cpu')}  ${summary(build[key], 'wall')}${ratio(build[key], 'wall')}`,
        );
    }
    if (peerMissing !== undefined) out(`  pyca/cryptography skipped: ${peerMissing}`);
    else
      out(
        `  ${`pyca/cryptography ${peerVersion}`.padEnd(44)}${summary(peer, 'cpu')}         ${summary(peer, 'wall')}\n  (pyca: parse, signature, key size, subject, extensions; no weak-key checks)`,
      );
    out(
      `  (node ${process.version}; load average ${loadavg()
        .map((one) => one.toFixed(1))
        .join(' ')})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
