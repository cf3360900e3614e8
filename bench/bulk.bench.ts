// `npm run bench:bulk`: `sectigo-csr revoke --from` over 1,000 orders against the
// fake server with a call limit and 20 ms of added latency. Prints the throughput
// as a share of the limit, the -42 answers and the total time for a run at the
// limit, one pushing at twice the limit, and one without Retry-After; then how
// long a 100,000-target list takes to parse and resume. Asserts nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNT, startFakeSectigo } from '../test/fake-sectigo/server';
import { cliRunner } from '../test/fake-sectigo/cli-harness';
import type { BulkSummary } from '../src/core/sectigo/bulk/summary';
import { parseTargetList } from '../src/core/sectigo/bulk/targets';
import { endedLine, planResume, sendingLine, type JournalRunFacts } from '../src/core/sectigo/bulk/journal';
import { readJournalFile } from '../src/core/sectigo/bulk/journal-file';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const LIMIT_CALLS = 250;
const LIMIT_WINDOW_MS = 5000;
const LATENCY_MS = 20;
const env = { SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName, SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword };

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

async function resumeAtScale(dir: string): Promise<string> {
  const targets = 100_000;
  const listText = Array.from({ length: targets }, (_, index) => String(10_000_001 + index)).join('\n');
  const facts: JournalRunFacts = {
    endpoint: 'https://127.0.0.1:1/products/!AutoRevokeSSL',
    loginName: DEMO_ACCOUNT.loginName,
    test: false,
  };
  // A journal of a run killed two thirds of the way through.
  const parsedOnce = parseTargetList(listText).targets;
  const time = new Date();
  const journalPath = join(dir, 'scale.journal.jsonl');
  const lines: string[] = [];
  for (const target of parsedOnce.slice(0, Math.floor((targets * 2) / 3))) {
    lines.push(
      JSON.stringify(sendingLine(facts, target, 'benchmark', 1, time)),
      JSON.stringify(
        endedLine(facts, target, { outcome: 'revoked', code: 0, meaning: 'Revoked (0).', durationMs: 20 }, time),
      ),
    );
  }
  writeFileSync(journalPath, `${lines.join('\n')}\n`);
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const list = parseTargetList(listText);
  const parsedAt = performance.now();
  const journal = await readJournalFile(journalPath);
  const plan = planResume(list.targets, journal.state, false);
  const ready = performance.now();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  return `100,000-target list: parse ${(parsedAt - started).toFixed(0)} ms; journal of ${journal.state.lines} lines (${(journal.bytes / 1024 / 1024).toFixed(1)} MB) read and resume planned in ${(ready - parsedAt).toFixed(0)} ms; ${plan.toSend.length} left to send; heap +${heapMb.toFixed(0)} MB`;
}

async function run(): Promise<void> {
  if (!Number.isInteger(ORDERS) || ORDERS < 1) throw new Error('BENCH_ORDERS must be a positive whole number.');
  const dir = mkdtempSync(join(tmpdir(), 'bench-bulk-'));
  const perSecond = (LIMIT_CALLS * 1000) / LIMIT_WINDOW_MS;
  try {
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
    process.stdout.write(`${await resumeAtScale(dir)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`bench:bulk failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
