// Figures the README quotes from the editor's code, read from the one constant each: the editor's
// modules import 'vscode' and cannot load in plain Node, so their source is read as text. A change
// of the constant without the sentence (or the other way round) fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(repoRoot, file), 'utf8');
/** The README as one line of words: a sentence may wrap anywhere. */
const readme = read('README.md').replace(/\s+/g, ' ');

/** The value of `const NAME = <digits>[ * 1024]...;` in a source file. */
function constant(file: string, name: string): number {
  const match = new RegExp(`const ${name} = ([0-9_ *]+);`).exec(read(file));
  assert.ok(match?.[1], `${file} has no numeric ${name}`);
  return match[1]
    .split('*')
    .map((factor) => Number(factor.trim().replace(/_/g, '')))
    .reduce((product, factor) => product * factor, 1);
}

test('the README gives the pause after which Problems follow an edit as the code waits it', () => {
  const delay = constant('src/vscode/csr-editor/diagnostics.ts', 'DIAGNOSTIC_DELAY_MS');
  const said = /Problems follow your edits after a (\d+) ms pause/.exec(readme);
  assert.ok(said, 'the README no longer says how long Problems wait after an edit');
  assert.equal(Number(said[1]), delay);
});

test('the README gives the size above which one request is analysed in a worker as the code has it', () => {
  const bytes = constant('src/vscode/csr-editor/block-run.ts', 'WORKER_THRESHOLD_BYTES');
  const said = /a single request over (\d+) KiB of DER[^.]* in a worker thread/.exec(readme);
  assert.ok(said, 'the README no longer says which requests go to a worker thread');
  assert.equal(Number(said[1]) * 1024, bytes);
});
