// The shape of the editor's reads of a large bulk run (npm run test:scale): the Orders view's
// counts and a page of 500, the report's never-sent list and the resume offer's look at the folder,
// done in a process of their own (editor-run-reads.ts) on runs of 10,000 and 40,000 targets. What
// the reads still hold afterwards (the Orders view keeps a journal's index for its next page) grows
// by less than HELD_MARGIN_BYTES for the 30,000 more targets (measured: 2.0 MB, about 70 bytes a
// target of typed-array columns and packed keys). The index of an object per target that came
// before held 6.8 MB more at 40,000 than at 10,000 (about 230 bytes a target) and fails here. The peak is bounded more loosely:
// it moves with the garbage collector's young space, which grows with how fast a read allocates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ReadFigures } from './editor-run-reads';

const HELD_MARGIN_BYTES = 4 * 1024 * 1024;
const PEAK_MARGIN_BYTES = 48 * 1024 * 1024;
const SCRIPT = resolve(__dirname, 'editor-run-reads.ts');
/** A deadline for each child (a setup of 40,000 targets takes about 15 s on a loaded machine). */
const CHILD_DEADLINE_MS = 5 * 60_000;

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function child(args: string[], exposeGc = false): string {
  const ran = spawnSync(process.execPath, [...(exposeGc ? ['--expose-gc'] : []), '--import', 'tsx', SCRIPT, ...args], {
    encoding: 'utf8',
    timeout: CHILD_DEADLINE_MS,
    maxBuffer: 1024 * 1024,
  });
  assert.equal(ran.status, 0, `${args[0]} failed: ${ran.stderr.slice(0, 800)}`);
  return ran.stdout;
}

function readsOf(count: number): ReadFigures {
  const dir = mkdtempSync(join(tmpdir(), 'editor-run-reads-'));
  try {
    child(['setup', dir, String(count)]);
    return JSON.parse(child(['read', dir], true)) as ReadFigures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the editor's reads of a 40,000-target run hold and peak little more than of a 10,000-target one", (t) => {
  const small = readsOf(10_000);
  const large = readsOf(40_000);
  for (const [name, figures] of [
    ['10,000', small],
    ['40,000', large],
  ] as const)
    t.diagnostic(
      `${name}: peak RSS ${megabytes(figures.maxRssBytes)}, held after the reads ${megabytes(figures.heldBytes)} (heap ${megabytes(figures.heapUsedBytes)}, array buffers ${megabytes(figures.arrayBuffersBytes)})`,
    );
  // The reads did their work: every target counted, a full page from the middle, half left to resume.
  for (const [figures, count] of [
    [small, 10_000],
    [large, 40_000],
  ] as const) {
    assert.equal(figures.counts, count);
    assert.equal(figures.page, 500);
    assert.equal(figures.offered, 1);
    assert.equal(figures.left, count / 2);
    assert.equal(figures.neverSent, 0);
  }
  assert.equal(large.firstOnPage, String(50_000_001 + 20_000), 'the page came from the middle of the list');
  assert.ok(
    large.heldBytes - small.heldBytes < HELD_MARGIN_BYTES,
    `held ${megabytes(large.heldBytes)} at 40,000 against ${megabytes(small.heldBytes)} at 10,000`,
  );
  assert.ok(
    large.maxRssBytes - small.maxRssBytes < PEAK_MARGIN_BYTES,
    `peak ${megabytes(large.maxRssBytes)} at 40,000 against ${megabytes(small.maxRssBytes)} at 10,000`,
  );
});
