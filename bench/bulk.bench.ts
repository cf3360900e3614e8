// `npm run bench:bulk`: bulk revocation (`sectigo-csr revoke --from`) measured two ways. Asserts nothing.
//
// 1. The call limit: 1,000 orders against the fake server with a call limit and 20 ms of added
//    latency; the throughput as a share of the limit, the -42 answers and the time, for a run at the
//    limit, one pushing at twice the limit, and one without Retry-After (this build only).
// 2. Scale: a 100,000-target list against the practice server answering as fast as it can (every
//    target answered -4, as in issue 35: every one fails), then the same command again on the finished
//    journal (nothing left to send); time, the command line's peak resident memory and the journal's
//    size (and the command line's CPU time: on a shared machine the wall clock mostly measures the
//    neighbours), for this build and for a baseline build (`-- --baseline REF`, default the merge base with
//    main), side by side in one run. Each command line runs in a process of its own under a clock 100
//    times faster (test/scale/fast-clock.mjs): `--rate 100`, the documented ceiling, then starts up
//    to 10,000 calls a second, and the code under test is the build's own. The baseline keeps every
//    result in memory, so it runs with a heap cap (BENCH_BASELINE_HEAP_MB, default 1536); a run that
//    outgrows it is reported as such. BENCH_SCALE_TARGETS changes the size (default 100000).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_ACCOUNT, startFakeSectigo } from '../test/fake-sectigo/server';
import { cliRunner } from '../test/fake-sectigo/cli-harness';
import { CLOCK_FACTOR, megabytes, runAtScale, writeOrderList, type ScaleRun } from '../test/scale/bulk-scale';
import { buildBaseline, resolveBaselineRef } from '../scripts/vscode/baseline-build';
import type { BulkSummary } from '../src/core/sectigo/bulk/summary';
import { spawnSync } from 'node:child_process';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const SCALE_TARGETS = Number(process.env.BENCH_SCALE_TARGETS ?? 100_000);
const BASELINE_HEAP_MB = Number(process.env.BENCH_BASELINE_HEAP_MB ?? 1536);
const LIMIT_CALLS = 250;
const LIMIT_WINDOW_MS = 5000;
const LATENCY_MS = 20;
const env = { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName, SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword };
const baselineFlag = process.argv.indexOf('--baseline');
const requestedBaseline = baselineFlag >= 0 ? process.argv[baselineFlag + 1] : undefined;
const root = resolve(__dirname, '..');

interface Scenario {
  label: string;
  retryAfter: boolean;
  flags: string[];
}

async function runScenario(dir: string, scenario: Scenario): Promise<string> {
  const fake = await startFakeSectigo({
    callLimit: LIMIT_CALLS,
    callWindowMs: LIMIT_WINDOW_MS,
    retryAfter: scenario.retryAfter,
    latencyMs: LATENCY_MS,
  });
  try {
    const orders = Array.from(
      { length: ORDERS },
      (_, index) => fake.addOrder({ orderNumber: String(8_000_001 + index), state: 'issued' }).orderNumber,
    );
    const list = `bench-${scenario.label.replace(/\W+/g, '-')}.txt`;
    writeFileSync(join(dir, list), `${orders.join('\n')}\n`);
    const cli = cliRunner(() => fake, dir, env);
    const started = performance.now();
    const result = await cli.run([
      'revoke',
      '--from',
      list,
      '--reason',
      'benchmark',
      '--yes',
      '--json',
      ...scenario.flags,
    ]);
    const seconds = (performance.now() - started) / 1000;
    if (result.code !== 0) throw new Error(`${scenario.label}: exit ${result.code}: ${result.stderr.slice(0, 400)}`);
    const summary = JSON.parse(result.stdout) as BulkSummary;
    const limitPerSecond = (LIMIT_CALLS * 1000) / LIMIT_WINDOW_MS;
    const share = ORDERS / seconds / limitPerSecond;
    const minus42 = fake.requests.filter((request) => request.answeredCode === -42).length;
    return `${scenario.label.padEnd(44)} ${(share * 100).toFixed(1).padStart(5)}% of the limit  ${String(minus42).padStart(4)} × -42 (${summary.pauses} pauses)  ${seconds.toFixed(1).padStart(6)} s  ${(ORDERS / seconds).toFixed(1)} revocations/s`;
  } finally {
    await fake.close();
  }
}

async function callLimitSection(dir: string): Promise<void> {
  const perSecond = (LIMIT_CALLS * 1000) / LIMIT_WINDOW_MS;
  const scenarios: Scenario[] = [
    {
      label: `--rate ${perSecond} (the limit), Retry-After`,
      retryAfter: true,
      flags: ['--rate', String(perSecond), '--concurrency', '4'],
    },
    {
      label: `--rate ${perSecond * 2} (twice the limit), Retry-After`,
      retryAfter: true,
      flags: ['--rate', String(perSecond * 2), '--concurrency', '4'],
    },
    {
      label: `--rate ${perSecond * 2}, no Retry-After, --limit-wait 1`,
      retryAfter: false,
      flags: ['--rate', String(perSecond * 2), '--concurrency', '4', '--limit-wait', '1'],
    },
  ];
  process.stdout.write(
    `bulk revocation of ${ORDERS} orders; fake call limit ${LIMIT_CALLS} calls per ${LIMIT_WINDOW_MS / 1000} s (${perSecond}/s), ${LATENCY_MS} ms added latency (Node ${process.version})\n`,
  );
  for (const scenario of scenarios) process.stdout.write(`${await runScenario(dir, scenario)}\n`);
}

function row(build: string, what: string, run: ScaleRun): string {
  const outcome =
    run.code === 3
      ? 'exit 3 (all failed, as expected)'
      : Number.isNaN(run.maxRssBytes) || run.code === null || run.code > 4
        ? `DIED (exit ${String(run.code)}: out of its heap?)`
        : `exit ${run.code}`;
  return `${build.padEnd(10)} ${what.padEnd(34)} ${run.seconds.toFixed(1).padStart(7)} s (CPU ${(run.cpuMs / 1000).toFixed(1).padStart(6)} s)  ${(run.targets / run.seconds).toFixed(0).padStart(6)}/s  peak RSS ${megabytes(run.maxRssBytes).padStart(10)}  journal ${megabytes(run.journalBytes).padStart(9)}  ${outcome}`;
}

async function scaleSection(dir: string): Promise<void> {
  const baselineRef = resolveBaselineRef(requestedBaseline);
  process.stderr.write(`[bench:bulk] building this tree and the baseline (${baselineRef.label}) for production\n`);
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error('node esbuild.mjs --production failed');
  const baseline = buildBaseline(baselineRef.commit, join(dir, 'baseline'));
  const fake = await startFakeSectigo();
  try {
    process.stdout.write(
      `\n${SCALE_TARGETS.toLocaleString('en-US')} targets, every one answered -4, against the practice server answering at full speed; ` +
        `--rate 100 --concurrency 8 under a clock ${CLOCK_FACTOR} times faster; peak RSS is the command line's own (Node ${process.version}).\n` +
        `Baseline ${baselineRef.label}: ${baselineRef.subject}; it runs with --max-old-space-size=${BASELINE_HEAP_MB}.\n`,
    );
    const builds: Array<[name: string, cli: string, heapCapMb?: number]> = [
      ['this tree', join(root, 'dist', 'cli.js')],
      ['baseline', join(baseline.path, 'dist', 'cli.js'), BASELINE_HEAP_MB],
    ];
    for (const [name, cli, heapCapMb] of builds) {
      const label = name.replace(/\W+/g, '-');
      const listPath = writeOrderList(join(dir, `${label}.txt`), SCALE_TARGETS, 30_000_001);
      const common = {
        cli,
        fake,
        dir,
        targets: SCALE_TARGETS,
        listPath,
        ...(heapCapMb !== undefined && { heapCapMb }),
      };
      const first = await runAtScale({ ...common, label: `${label}-run` });
      process.stdout.write(`${row(name, 'run', first)}\n`);
      const again = await runAtScale({ ...common, label: `${label}-again` });
      process.stdout.write(`${row(name, 'the same command again (all done)', again)}\n`);
      fake.requests.length = 0;
    }
  } finally {
    await fake.close();
    baseline.close();
  }
}

async function run(): Promise<void> {
  if (!Number.isInteger(ORDERS) || ORDERS < 1) throw new Error('BENCH_ORDERS must be a positive whole number.');
  if (!Number.isInteger(SCALE_TARGETS) || SCALE_TARGETS < 1)
    throw new Error('BENCH_SCALE_TARGETS must be a positive whole number.');
  const dir = mkdtempSync(join(tmpdir(), 'bench-bulk-'));
  try {
    if (process.env.BENCH_SKIP_CALL_LIMIT !== '1') await callLimitSection(dir);
    await scaleSection(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`bench:bulk failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
