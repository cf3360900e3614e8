// `npm run bench:orders`: what the Sectigo Orders view costs with the audit record. Prints the
// size of a real call's line and of a run's record line; how long a window takes to load an audit
// record of 20,000 real calls whole (a new window) and again after one more call (its incremental
// read), beside the baseline of reading the whole file each time; and for a 100,000-target run,
// the journal's size, the first expansion of the run (its journal read once) and a later page
// (from memory), as figures and ratios. Asserts nothing.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrdersStore, type BulkRunRecord, type OrderEntry } from '../src/core/sectigo/orders-store';
import { readRunOutcomes } from '../src/core/sectigo/bulk/run-outcomes';
import { v1EndedLine, v1SendingLine, type JournalRunFacts } from '../src/core/sectigo/bulk/journal';
import { parseTargetList } from '../src/core/sectigo/bulk/targets';

const CALLS = Number(process.env.BENCH_AUDIT_CALLS ?? 20_000);
const TARGETS = Number(process.env.BENCH_RUN_TARGETS ?? 100_000);
const ROUNDS = 5;
const BASE_URL = 'https://secure.trust-provider.com/products/';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** A real revocation as the extension records it: a redacted server message, the log line. */
function realCall(index: number): OrderEntry {
  const time = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
  return {
    id: `${(Date.UTC(2026, 0, 1) + index).toString(36)}-${index.toString(36).padStart(6, '0')}`,
    time,
    endpoint: 'AutoRevokeSSL',
    identifierKind: 'orderNumber',
    identifier: String(10_000_000 + index),
    state: index % 10 === 0 ? 'failed' : 'revoked',
    baseUrl: BASE_URL,
    loginName: 'reseller-operations',
    test: false,
    codeReason: 1,
    revocationReason: 'Key compromise reported in ticket INC-20260101-0042',
    durationMs: 412,
    ...(index % 10 === 0 && { errorCode: -4, message: "The value of the orderNumber' argument is invalid!" }),
    logLine: `AutoRevokeSSL orderNumber ${10_000_000 + index} at ${BASE_URL} as reseller-operations: errorCode 0 (success), 412 ms [entry x]`,
  };
}

function runRecord(journal: string, finished: boolean): BulkRunRecord {
  return {
    id: 'mxd6n5mi-4japgw',
    time: new Date().toISOString(),
    updated: new Date().toISOString(),
    source: 'incident-2026-01.csv',
    endpoint: `${BASE_URL}!AutoRevokeSSL`,
    baseUrl: BASE_URL,
    loginName: 'reseller-operations',
    test: false,
    total: TARGETS,
    accepted: finished ? TARGETS - 500 : 0,
    alreadyRevoked: finished ? 120 : 0,
    failed: finished ? 400 : 0,
    unknown: finished ? 0 : 0,
    notSent: finished ? 100 : TARGETS,
    journal,
    finished,
  };
}

async function auditFigures(dir: string): Promise<void> {
  const store = OrdersStore.inDirectory(dir);
  for (let start = 0; start < CALLS; start += 1000)
    await store.audit.append({
      calls: Array.from({ length: Math.min(1000, CALLS - start) }, (_, offset) => realCall(start + offset)),
    });
  const bytes = statSync(store.auditFile).size;
  const journal = join(dir, 'bulk-revocations', 'run.journal.jsonl');
  const before = statSync(store.auditFile).size;
  await store.recordRun(runRecord(journal, false));
  await store.recordRun(runRecord(journal, true));
  const runLine = (statSync(store.auditFile).size - before) / 2;
  console.log(
    `audit record: ${CALLS.toLocaleString('en-US')} real calls in ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${Math.round(bytes / CALLS)} bytes a call; a run's record ${Math.round(runLine)} bytes a change`,
  );

  const whole: number[] = [];
  const incremental: number[] = [];
  const warm = OrdersStore.inDirectory(dir);
  await warm.load();
  for (let round = 0; round < ROUNDS; round++) {
    await OrdersStore.inDirectory(dir).add(realCall(CALLS + round));
    // Baseline: a store that has read nothing (a new window, or a reader without the incremental read).
    whole.push(await timed(() => OrdersStore.inDirectory(dir).load()));
    incremental.push(await timed(() => warm.load()));
  }
  console.log(
    `load after one more call, median of ${ROUNDS}: whole file ${median(whole).toFixed(1)} ms (baseline), incremental ${median(incremental).toFixed(1)} ms: ${(median(whole) / Math.max(0.001, median(incremental))).toFixed(1)}x faster`,
  );
}

async function runFigures(dir: string): Promise<void> {
  const journal = join(dir, 'run.journal.jsonl');
  const targets = parseTargetList(
    Array.from({ length: TARGETS }, (_, index) => String(20_000_000 + index)).join('\n'),
  ).targets;
  const facts: JournalRunFacts = {
    endpoint: `${BASE_URL}!AutoRevokeSSL`,
    loginName: 'reseller-operations',
    test: false,
  };
  const time = new Date();
  const chunks: string[] = [];
  for (const [index, target] of targets.entries()) {
    chunks.push(JSON.stringify(v1SendingLine(facts, target, 'Key compromise', 1, time)));
    const failed = index % 250 === 0;
    chunks.push(
      JSON.stringify(
        v1EndedLine(
          facts,
          target,
          failed
            ? { outcome: 'failed', code: -4, meaning: 'A value is invalid.', message: 'invalid', durationMs: 300 }
            : { outcome: 'revoked', code: 0, meaning: 'Revoked (0).', durationMs: 300 },
          time,
        ),
      ),
    );
  }
  writeFileSync(journal, `${chunks.join('\n')}\n`);
  const size = statSync(journal).size;
  console.log(
    `a ${TARGETS.toLocaleString('en-US')}-target run's journal (today's format): ${(size / 1024 / 1024).toFixed(1)} MiB, ${Math.round(size / TARGETS)} bytes a target`,
  );
  const first = await timed(() => readRunOutcomes(journal, { limit: 0 }));
  const pages: number[] = [];
  for (let round = 0; round < ROUNDS; round++)
    pages.push(
      await timed(() => readRunOutcomes(journal, { filter: ['accepted'], offset: 50_000 + round * 500, limit: 500 })),
    );
  console.log(
    `expanding the run: first read of its journal ${first.toFixed(0)} ms; a later page of 500, median of ${ROUNDS}: ${median(pages).toFixed(2)} ms (${(first / Math.max(0.001, median(pages))).toFixed(0)}x less)`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-orders-view-'));
  try {
    await auditFigures(dir);
    await runFigures(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
