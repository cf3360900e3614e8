// The editor's block runner (src/vscode/csr-editor/block-run.ts) holding back the blocks out of
// view: the ones in view are done first and alone, the others start only when the hold is
// released, and the whole still says what one whole analysis says. No VS Code in it, so plain Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as core from '../../../src/core/csr/index';
import { SupersededError, analyseBlocks } from '../../../src/vscode/csr-editor/block-run';
import type { AnalysisHost } from '../../../src/vscode/csr-editor/host';
import { buildRequest, spkiOf, toPemText } from './build-csr';

const BLOCKS = 40;
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const text = Array.from({ length: BLOCKS }, (_, index) =>
  toPemText(
    buildRequest({
      subject: [['2.5.4.3', `Person ${index}`]],
      spki: spkiOf(key.publicKey),
      privateKey: key.privateKey,
    }),
  ),
).join('');
const host: AnalysisHost = {
  loadCore: () => Promise.resolve(core),
  yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
};
/** The first two blocks are "in view" (each request is a few lines, so line 10 is inside the second). */
const inView = (range: { startLine: number }): boolean => range.startLine <= 10;
const turns = (count: number): Promise<void> =>
  Array.from({ length: count }).reduce<Promise<void>>(
    (previous) => previous.then(() => new Promise((resolve) => setImmediate(resolve))),
    Promise.resolve(),
  );

test('the blocks out of view wait for the hold, and then the whole equals one whole analysis', async () => {
  let release = (): void => undefined;
  const hold = new Promise<void>((resolve) => (release = resolve));
  const asked: number[] = [];
  const run = analyseBlocks(host, core, text, 'many.csr', {
    first: inView,
    holdRest: (blocks) => {
      asked.push(blocks);
      return hold;
    },
  });
  await run.firstDone;
  const inViewCount = run.results.filter((result) => result !== undefined).length;
  assert.equal(inViewCount, 2);
  assert.deepEqual(asked, [BLOCKS - 2]);
  // Many turns of the event loop later, still only the blocks in view.
  await turns(20);
  assert.equal(run.results.filter((result) => result !== undefined).length, 2);
  release();
  assert.deepEqual(await run.done, core.analyseCsrText(text, 'many.csr'));
});

test('no hold given back (a short rest) runs straight through', async () => {
  const run = analyseBlocks(host, core, text, 'many.csr', { first: inView, holdRest: () => undefined });
  assert.deepEqual(await run.done, core.analyseCsrText(text, 'many.csr'));
});

test('a run cancelled while held ends as superseded when the hold lets go, having analysed none of the rest', async () => {
  let release = (): void => undefined;
  const hold = new Promise<void>((resolve) => (release = resolve));
  const run = analyseBlocks(host, core, text, 'many.csr', { first: inView, holdRest: () => hold });
  await run.firstDone;
  run.cancel();
  release();
  await assert.rejects(run.done, SupersededError);
  assert.equal(run.results.filter((result) => result !== undefined).length, 2);
});

test('with every block in view nothing is held', async () => {
  let asked = false;
  const run = analyseBlocks(host, core, text, 'many.csr', {
    first: () => true,
    holdRest: () => {
      asked = true;
      return new Promise<void>(() => undefined);
    },
  });
  assert.equal((await run.done).length, BLOCKS);
  assert.equal(asked, false);
});
