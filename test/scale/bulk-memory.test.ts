// The shape of a bulk run's memory (npm run test:scale, part of npm test): the command line's peak
// resident memory at 10,000 and at 40,000 targets, and when the same command runs again on the
// finished 40,000-target journal, differs by less than MARGIN_BYTES. A run that kept something per
// target (the first format kept about 12 KB: every answer, every journal line, every failure) would
// differ by hundreds of megabytes; what a run keeps per target now is a packed index entry (under
// 100 bytes). The rest of the margin is the garbage collector's timing, which moves a peak by ten
// or twenty megabytes from one run to the next on a shared machine. The fake server answers at full
// speed; the command line runs its own build (dist/cli.js) under a faster clock (fast-clock.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { megabytes, runAtScale, writeOrderList, type ScaleRun } from './bulk-scale';
import type { BulkSummary } from '../../src/core/sectigo/bulk/summary';
import { parseTargetList } from '../../src/core/sectigo/bulk/targets';

/** 30,000 more targets may cost at most this much more peak memory (about 1 KB a target). */
const MARGIN_BYTES = 32 * 1024 * 1024;
const CLI = resolve('dist/cli.js');

let fake: FakeSectigo;
let dir: string;
before(async () => {
  fake = await startFakeSectigo();
  dir = mkdtempSync(join(tmpdir(), 'bulk-memory-'));
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function summaryOf(run: ScaleRun): BulkSummary {
  return JSON.parse(readFileSync(run.stdoutPath, 'utf8')) as BulkSummary;
}

test('peak memory at 10,000 and 40,000 targets, and resuming the finished 40,000, differs by less than the margin', async (t) => {
  const small = await runAtScale({ cli: CLI, fake, dir, label: 'ten-thousand', targets: 10_000, flags: ['--json'] });
  fake.requests.length = 0;
  const listPath = writeOrderList(join(dir, 'forty-thousand.txt'), 40_000, 40_000_001);
  const large = await runAtScale({
    cli: CLI,
    fake,
    dir,
    label: 'forty-thousand',
    targets: 40_000,
    listPath,
    flags: ['--json'],
  });
  fake.requests.length = 0;
  const again = await runAtScale({
    cli: CLI,
    fake,
    dir,
    label: 'forty-thousand-again',
    targets: 40_000,
    listPath,
    flags: ['--json'],
  });
  for (const [name, run] of [
    ['10,000', small],
    ['40,000', large],
    ['40,000 again', again],
  ] as const)
    t.diagnostic(
      `${name}: peak RSS ${megabytes(run.maxRssBytes)}, ${run.seconds.toFixed(1)} s, journal ${megabytes(run.journalBytes)}`,
    );
  // Every target was answered -4 and is in the summary's counts and in the list of failures.
  for (const [run, count] of [
    [small, 10_000],
    [large, 40_000],
    [again, 40_000],
  ] as const) {
    assert.equal(run.code, 3, readFileSync(run.stderrPath, 'utf8').slice(0, 400));
    const summary = summaryOf(run);
    assert.equal(summary.failed, count);
    assert.equal(summary.failureGroups[0]?.count, count);
    assert.equal(parseTargetList(readFileSync(summary.failedList ?? '', 'utf8')).targets.length, count);
  }
  assert.equal(fake.requests.length, 0, 'the second run sent nothing: every target had its answer');
  assert.ok(
    large.maxRssBytes - small.maxRssBytes < MARGIN_BYTES,
    `40,000 targets took ${megabytes(large.maxRssBytes)}, 10,000 took ${megabytes(small.maxRssBytes)}`,
  );
  assert.ok(
    again.maxRssBytes - small.maxRssBytes < MARGIN_BYTES,
    `resuming 40,000 took ${megabytes(again.maxRssBytes)}, 10,000 took ${megabytes(small.maxRssBytes)}`,
  );
  // The compact journal: about 110 bytes a target (the first format took about 570).
  assert.ok(large.journalBytes / 40_000 < 128, `${large.journalBytes / 40_000} bytes a target`);
});
