// The bulk runs kept in global storage: an unfinished run with targets left is
// found again (what "Resume the interrupted revocation (312 of 1,000 left)?" counts),
// a finished or fully answered one is not, and a damaged manifest is skipped.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BulkRunStore,
  hasUnfinishedRun,
  unfinishedRunCheckNeeded,
  targetsDigest,
  type NewRun,
} from '../../../../src/core/sectigo/bulk/run-store';
import { v1EndedLine, v1SendingLine } from '../../../../src/core/sectigo/bulk/journal';
import { parseTargetList, type BulkTarget } from '../../../../src/core/sectigo/bulk/targets';
import { recordOfInterrupted, unfinishedRunOf } from '../../../../src/core/sectigo/bulk/stored-run';

const dir = mkdtempSync(join(tmpdir(), 'bulk-runs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function manifest(id: string, count: number, createdAt: string): NewRun & { targets: BulkTarget[] } {
  const targets = parseTargetList(Array.from({ length: count }, (_, index) => String(index + 1)).join('\n')).targets;
  return {
    v: 2,
    total: targets.length,
    targetsDigest: targetsDigest(targets),
    id,
    createdAt,
    source: 'incident.txt',
    endpoint: 'https://example.test/products/!AutoRevokeSSL',
    loginName: 'reseller',
    test: false,
    reason: 'lost',
    targets,
  };
}

test('interrupted runs: targets left counted from the journal, finished and damaged runs skipped', async () => {
  const store = new BulkRunStore(dir);
  const older = manifest('older', 10, '2026-01-01T00:00:00Z');
  const newer = manifest('newer', 1000, '2026-02-01T00:00:00Z');
  const complete = manifest('complete', 2, '2026-03-01T00:00:00Z');
  for (const run of [older, newer, complete]) await store.save(run);
  const facts = { endpoint: newer.endpoint, loginName: newer.loginName, test: false };
  const time = new Date();
  const lines: string[] = [];
  for (const target of newer.targets.slice(0, 688)) {
    lines.push(
      JSON.stringify(v1SendingLine(facts, target, 'lost', undefined, time)),
      JSON.stringify(v1EndedLine(facts, target, { outcome: 'revoked', code: 0, meaning: 'Revoked.' }, time)),
    );
  }
  // In flight at the crash: still to send.
  lines.push(JSON.stringify(v1SendingLine(facts, newer.targets[688]!, 'lost', undefined, time)));
  writeFileSync(store.journalPath('newer'), `${lines.join('\n')}\n`);
  writeFileSync(
    store.journalPath('complete'),
    complete.targets
      .map((target) =>
        JSON.stringify(v1EndedLine(facts, target, { outcome: 'revoked', code: 0, meaning: 'Revoked.' }, time)),
      )
      .join('\n'),
  );
  writeFileSync(join(dir, 'broken.run.json'), '{"v":1,"id":');
  const runs = await store.interrupted();
  assert.deepEqual(
    runs.map((run) => [run.manifest.id, run.left, run.total, run.done, run.unknown]),
    [
      ['newer', 312, 1000, 688, 1],
      ['older', 10, 10, 0, 0],
    ],
  );
  // The record the Orders view shows for it: counts from the journal, not finished.
  const record = recordOfInterrupted(runs[0]!);
  assert.deepEqual(
    [record.accepted, record.unknown, record.notSent, record.total, record.finished, record.baseUrl],
    [688, 1, 311, 1000, false, 'https://example.test/products/'],
  );
  await store.markFinished(older);
  assert.deepEqual(
    (await store.interrupted()).map((run) => run.manifest.id),
    ['newer'],
  );
  // Discarded: no longer offered, and read back as discarded (its journal stays).
  await store.discard(newer);
  assert.deepEqual(await store.interrupted(), []);
  assert.equal((await store.get('newer'))?.discarded, true);
});

test('the unfinished run a list would repeat: same source or same targets, the newest first', () => {
  const a = manifest('a', 3, '2026-01-01T00:00:00Z');
  const b = { ...manifest('b', 3, '2026-02-01T00:00:00Z'), source: 'other.csv' };
  const runs = [{ manifest: a }, { manifest: b }];
  const same = parseTargetList('3\n2\n1').targets;
  assert.equal(unfinishedRunOf(runs, same, 'moved.txt')?.manifest.id, 'b', 'the same targets, in any order');
  assert.equal(unfinishedRunOf(runs, parseTargetList('9').targets, 'incident.txt')?.manifest.id, 'a');
  assert.equal(unfinishedRunOf(runs, parseTargetList('1\n2').targets, 'elsewhere.txt'), undefined);
});

test('a missing folder has no interrupted runs', async () => {
  assert.deepEqual(await new BulkRunStore(join(dir, 'nothing-here')).interrupted(), []);
});

test("the editor's first look after activation: an unfinished manifest is seen, finished and damaged ones are not", async () => {
  const folder = join(dir, 'first-look');
  const store = new BulkRunStore(folder);
  assert.equal(await hasUnfinishedRun(folder), false, 'no folder yet');
  const run = manifest('first-look', 3, '2026-04-01T00:00:00Z');
  await store.markFinished(run);
  writeFileSync(join(folder, 'broken.run.json'), '{"v":1,"id":');
  assert.equal(await hasUnfinishedRun(folder), false, 'only a finished and a damaged manifest');
  await store.save({ ...run, id: 'first-look-2' });
  assert.equal(await hasUnfinishedRun(folder), true);
});

test('the look after activation also loads the bulk code for a stale record: the history marks a run unfinished that the folder no longer holds', async () => {
  const folder = join(dir, 'stale-record');
  assert.equal(await unfinishedRunCheckNeeded(folder, []), false, 'nothing anywhere');
  assert.equal(await unfinishedRunCheckNeeded(folder, [{ finished: true }]), false, 'a finished record, no folder');
  assert.equal(await unfinishedRunCheckNeeded(folder, [{ finished: true }, { finished: false }]), true);
  await new BulkRunStore(folder).save(manifest('stale-record', 2, '2026-04-02T00:00:00Z'));
  assert.equal(await unfinishedRunCheckNeeded(folder, [{ finished: true }]), true, 'an unfinished run in the folder');
});

test('a run saved by the previous version (every target in its manifest) is read, resumed from its journal, and rewritten with its targets beside it', async () => {
  const folder = join(dir, 'first-format');
  mkdirSync(folder, { recursive: true });
  const fixture = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'bulk', 'first-format.run.json');
  copyFileSync(fixture, join(folder, 'mxfirst-format.run.json'));
  const old = JSON.parse(readFileSync(fixture, 'utf8')) as { endpoint: string; targets: BulkTarget[] };
  const store = new BulkRunStore(folder);
  // The first target answered before the window closed; the rest never sent.
  const facts = { endpoint: old.endpoint, loginName: 'reseller', test: false };
  const time = new Date();
  writeFileSync(
    store.journalPath('mxfirst-format'),
    [
      v1SendingLine(facts, old.targets[0]!, 'key compromise', 1, time),
      v1EndedLine(facts, old.targets[0]!, { outcome: 'revoked', code: 0, meaning: 'Revoked.' }, time),
    ]
      .map((line) => JSON.stringify(line))
      .join('\n') + '\n',
  );
  assert.equal(await hasUnfinishedRun(folder), true);
  const [run] = await store.interrupted();
  assert.deepEqual(
    [run?.manifest.id, run?.total, run?.left, run?.done, run?.manifest.codeReason, run?.manifest.reason],
    ['mxfirst-format', 4, 3, 1, 1, 'key compromise'],
  );
  assert.deepEqual(await store.loadTargets(run!.manifest), old.targets);
  assert.deepEqual(
    (await store.leftTargets(run!.manifest)).map((target) => target.line),
    [3, 4, 5],
  );
  // Rewritten in the new format: the targets in their own file, the manifest small.
  const rewritten = JSON.parse(readFileSync(join(folder, 'mxfirst-format.run.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  assert.equal(rewritten.v, 2);
  assert.equal(rewritten.targets, undefined);
  assert.equal(rewritten.total, 4);
  assert.ok(existsSync(join(folder, 'mxfirst-format.targets.jsonl')));
  assert.equal(rewritten.targetsDigest, targetsDigest(old.targets));
  assert.deepEqual((await store.get('mxfirst-format'))?.total, 4);
});

test("a run's targets file that was tampered with stops the read instead of guessing", async () => {
  const folder = join(dir, 'tampered');
  const store = new BulkRunStore(folder);
  const run = manifest('tampered', 3, '2026-05-01T00:00:00Z');
  await store.save(run);
  assert.deepEqual(await store.loadTargets(run), run.targets);
  writeFileSync(join(folder, 'tampered.targets.jsonl'), '{"kind":"order","value":"1","line":1}\n{"kind":"rm -rf"}\n');
  await assert.rejects(store.loadTargets(run), /line 2 is not a target/);
});

test('marking a new run finished or discarded writes its manifest again, never its targets', async () => {
  const folder = join(dir, 'finished-new-run');
  const store = new BulkRunStore(folder);
  const run = manifest('finished-new-run', 3, '2026-06-01T00:00:00Z');
  await store.save(run);
  const targetsFile = join(folder, 'finished-new-run.targets.jsonl');
  // A marker only a rewrite of the targets would remove.
  writeFileSync(targetsFile, '{"kind":"order","value":"9","line":1}\n');
  await store.markFinished(run);
  await store.discard(run);
  assert.equal(readFileSync(targetsFile, 'utf8'), '{"kind":"order","value":"9","line":1}\n');
  assert.equal((await store.get('finished-new-run'))?.discarded, true);
});
