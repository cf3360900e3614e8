// Part of npm run bench (bench/cli.bench.ts runs it; alone: node --import tsx bench/cli-startup.bench.ts
// [--baseline REF]): how long one `sectigo-csr check one.csr` takes, process start included, against
// a bare `node -e 0` and against the baseline's build, interleaved run by run so that all three
// see the same machine load; the median of each, and of the paired differences. Aim for check:
// at most 1.10× node -e 0. Prints figures only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBoth, repoRoot, type CliBuild } from './cli-builds';

const oneCsr = join(repoRoot, 'test', 'fixtures', 'csr', 'rsa-2048.csr');
const warmups = 3;
const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 41);
/** The aim for one file's check, as a multiple of node -e 0. */
export const STARTUP_AIM = 1.1;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Wall time of one process, in milliseconds; a failed run stops the benchmark. */
function timed(args: string[], expectedStatus: number): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== expectedStatus)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${(result.stderr ?? '').slice(0, 300)}`);
  return ms;
}

/**
 * The CPU time (user and system, all of its threads) of one process, in milliseconds, as the process
 * itself reports it at exit (a preload, given to every command alike). Less moved by other
 * processes than the wall time: on a shared machine the steadier of the two figures.
 */
function cpuTimed(args: string[], reporter: string, report: string): number {
  const result = spawnSync(process.execPath, ['--require', reporter, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(readFileSync(report, 'utf8'));
}

export interface StartupFigures {
  /** CPU time ratios to node -e 0 (this tree's check, the baseline's). */
  cpu: { current: number; baseline: number };
  node: number;
  current: number;
  baseline: number;
  /** Median of (check − node -e 0) taken run by run. */
  currentOverNode: number;
  baselineOverNode: number;
}

export function benchCliStartup(current: CliBuild, baseline: CliBuild): StartupFigures {
  const commands: { label: string; args: string[]; times: number[] }[] = [
    { label: 'node -e 0', args: ['-e', '0'], times: [] },
    { label: `check one.csr, ${current.label}`, args: [current.cli, 'check', oneCsr], times: [] },
    { label: `check one.csr, ${baseline.label}`, args: [baseline.cli, 'check', oneCsr], times: [] },
    { label: `inspect one.csr, ${current.label}`, args: [current.cli, 'inspect', oneCsr], times: [] },
  ];
  const scratch = mkdtempSync(join(tmpdir(), 'cli-startup-'));
  const reporter = join(scratch, 'cpu.cjs');
  const report = join(scratch, 'cpu.txt');
  writeFileSync(
    reporter,
    `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(${JSON.stringify(report)}, String((u.user + u.system) / 1000)); });\n`,
  );
  const cpu = new Map<string, number[]>(commands.map((command) => [command.label, []]));
  try {
    for (let round = 0; round < warmups + rounds; round += 1) {
      // Each round in another order, so that no command always follows the same one.
      const order = commands.map((_, index) => (index + round) % commands.length);
      for (const index of order) {
        const command = commands[index] as (typeof commands)[number];
        const ms = timed(command.args, 0);
        const cpuMs = cpuTimed(command.args, reporter, report);
        if (round >= warmups) {
          command.times.push(ms);
          cpu.get(command.label)?.push(cpuMs);
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const [bare, ours, theirs, inspect] = commands as [
    (typeof commands)[0],
    (typeof commands)[0],
    (typeof commands)[0],
    (typeof commands)[0],
  ];
  const node = median(bare.times);
  const overNode = (times: number[]): number => median(times.map((ms, i) => ms - (bare.times[i] as number)));
  const cpuRatio = (command: (typeof commands)[number]): number =>
    median(cpu.get(command.label) ?? []) / median(cpu.get(bare.label) ?? []);
  const figures: StartupFigures = {
    cpu: { current: cpuRatio(ours), baseline: cpuRatio(theirs) },
    node,
    current: median(ours.times),
    baseline: median(theirs.times),
    currentOverNode: overNode(ours.times),
    baselineOverNode: overNode(theirs.times),
  };
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  out(
    `\nOne command, process start included (median of ${rounds} interleaved runs; paired: the median of each run's difference to node -e 0):`,
  );
  out(`  ${'node -e 0'.padEnd(42)}${node.toFixed(1).padStart(8)} ms`);
  for (const command of [ours, theirs, inspect]) {
    const ms = median(command.times);
    out(
      `  ${command.label.padEnd(42)}${ms.toFixed(1).padStart(8)} ms   ${(ms / node).toFixed(2)}× node -e 0   paired +${overNode(command.times).toFixed(1)} ms`,
    );
  }
  const nodeCpu = median(cpu.get(bare.label) ?? []);
  out(`  CPU time, user and system, all threads (median of the same rounds):`);
  for (const command of commands) {
    const ms = median(cpu.get(command.label) ?? []);
    out(`    ${command.label.padEnd(40)}${ms.toFixed(1).padStart(8)} ms   ${(ms / nodeCpu).toFixed(2)}× node -e 0`);
  }
  out(
    `  aim for check: at most ${STARTUP_AIM.toFixed(2)}× node -e 0; this tree / baseline: ${(figures.current / figures.baseline).toFixed(2)}×`,
  );
  return figures;
}

if (require.main === module) {
  const builds = buildBoth();
  try {
    benchCliStartup(builds.current, builds.baseline);
  } finally {
    builds.close();
  }
}
