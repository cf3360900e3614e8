// A child process of editor-bulk-memory.test.ts: `setup DIR N` writes a stored run of N targets and
// its journal (half of them answered -4, half sent without an answer, the last line torn by a crash); `read DIR`
// then does, in a process of its own, what the editor does with such a run: the Orders view's counts
// and a page of 500 from the middle, the report's "never sent" list, and the resume offer's look at
// the folder. It prints its peak RSS and what it still holds after a collection (the Orders view
// keeps the journal's index for its next page) as one JSON line.
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { runJournalledRevocation } from '../../src/core/sectigo/bulk/journalled-run';
import { journalNames, readRunOutcomes } from '../../src/core/sectigo/bulk/run-outcomes';
import { BulkRunStore } from '../../src/core/sectigo/bulk/run-store';
import { newRun } from '../../src/core/sectigo/bulk/stored-run';
import { parseTargetList, targetKey } from '../../src/core/sectigo/bulk/targets';
import { explainError } from '../../src/core/sectigo/errors';

export interface ReadFigures {
  maxRssBytes: number;
  heldBytes: number;
  heapUsedBytes: number;
  arrayBuffersBytes: number;
  counts: number;
  page: number;
  firstOnPage: string | undefined;
  neverSent: number;
  offered: number;
  left: number;
}

async function setup(dir: string, count: number): Promise<void> {
  const store = new BulkRunStore(dir);
  const targets = parseTargetList(
    Array.from({ length: count }, (_, index) => String(50_000_001 + index)).join('\n'),
  ).targets;
  const run = newRun(
    {
      targets,
      source: 'incident.txt',
      endpoint: 'https://example.test/products/!AutoRevokeSSL',
      loginName: 'reseller',
      reason: 'key compromise',
    },
    true,
  );
  await store.save(run);
  const journalPath = store.journalPath(run.id);
  const ran = await runJournalledRevocation({
    targets: store.targets(run),
    journalPath,
    facts: { endpoint: run.endpoint, loginName: run.loginName, test: true },
    defaults: { reason: run.reason },
    concurrency: 8,
    ratePerSecond: 1_000_000,
    secrets: [],
    // Half the targets answered -4, half sent without an answer: every target is in the journal, and
    // half of them are left to send (a resume is offered).
    send: async (target) =>
      Number(target.value) % 2 === 0
        ? {
            kind: 'transport-error',
            endpoint: 'AutoRevokeSSL',
            outcome: 'unknown',
            message: 'connection reset',
            durationMs: 1,
          }
        : {
            kind: 'api-error',
            endpoint: 'AutoRevokeSSL',
            errorCode: -4,
            errorMessage: "The value of the 'orderNumber' argument is invalid!",
            explanation: explainError('AutoRevokeSSL', -4),
            responseFormat: 1,
            httpStatus: 200,
            durationMs: 1,
          },
  });
  if (ran.kind !== 'ran') throw new Error('the run did not run');
  // The window closed in the middle of the last line.
  truncateSync(journalPath, statSync(journalPath).size - 5);
  writeFileSync(`${dir}/run-id`, run.id);
}

async function read(dir: string): Promise<ReadFigures> {
  const store = new BulkRunStore(dir);
  const id = readFileSync(`${dir}/run-id`, 'utf8');
  const journalPath = store.journalPath(id);
  const counts = await readRunOutcomes(journalPath, { limit: 0 });
  const journalled = Object.values(counts.counts).reduce((sum, value) => sum + value, 0);
  const page = await readRunOutcomes(journalPath, {
    filter: ['failed'],
    offset: Math.floor(counts.counts.failed / 2),
    limit: 500,
  });
  const manifest = await store.get(id);
  if (!manifest) throw new Error('the run is not kept');
  const sent = await journalNames(journalPath);
  let neverSent = 0;
  for await (const target of store.targets(manifest).read()) if (!sent(targetKey(target))) neverSent++;
  const interrupted = await store.interrupted();
  // Collected twice with a turn between: the backing stores of dead buffers are freed after the first.
  for (let round = 0; round < 3; round++) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const memory = process.memoryUsage();
  return {
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heldBytes: memory.heapUsed + memory.arrayBuffers,
    heapUsedBytes: memory.heapUsed,
    arrayBuffersBytes: memory.arrayBuffers,
    counts: journalled,
    page: page.outcomes.length,
    firstOnPage: page.outcomes[0]?.value,
    neverSent,
    offered: interrupted.length,
    left: interrupted[0]?.left ?? 0,
  };
}

async function main(): Promise<void> {
  const [mode, dir, count] = process.argv.slice(2);
  if (mode === 'setup' && dir && count) await setup(dir, Number(count));
  else if (mode === 'read' && dir) process.stdout.write(`${JSON.stringify(await read(dir))}\n`);
  else throw new Error('usage: editor-run-reads.ts setup DIR N | read DIR');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
