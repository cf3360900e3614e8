// A model sends anything: every argument is checked against its bounds before any work, and a wrong
// one gets a sentence saying what to send instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkCheckArguments,
  checkExplainArguments,
  checkInspectArguments,
} from '../../../src/core/assistant/arguments';
import {
  CHECK_DEFAULT_FILES,
  CHECK_DEFAULT_GLOB,
  CHECK_DEFAULT_SECONDS,
  CHECK_MAX_FILES,
} from '../../../src/core/assistant/limits';
import { maxInputLength } from '../../../src/core/csr/input';
import { renderModelText } from '../../../src/core/model-text';
import type { Text } from '../../../src/core/outside-text';

/** The problem as a model reads it (the model sink). */
const problem = (checked: { ok: true } | { ok: false; problem: Text }): string =>
  checked.ok ? '' : renderModelText(checked.problem);

test('inspect: a path, lines of it, text, or the active editor; never two at once', () => {
  assert.deepEqual(checkInspectArguments({ path: 'a.csr' }), {
    ok: true,
    value: { kind: 'path', path: 'a.csr', lines: null },
  });
  assert.deepEqual(checkInspectArguments({ path: 'a.csr', startLine: 3 }), {
    ok: true,
    value: { kind: 'path', path: 'a.csr', lines: { start: 3, end: Number.MAX_SAFE_INTEGER } },
  });
  assert.deepEqual(
    checkInspectArguments({ path: 'a.csr', startLine: '3', endLine: 9 }).ok,
    true,
    'a number sent as digits',
  );
  assert.deepEqual(checkInspectArguments(undefined), { ok: true, value: { kind: 'active-editor' } });
  assert.deepEqual(checkInspectArguments({}), { ok: true, value: { kind: 'active-editor' } });
  assert.match(problem(checkInspectArguments({ path: 'a', text: 'b' })), /not both/);
  assert.match(problem(checkInspectArguments({ text: 'x', startLine: 1 })), /go with path/);
  assert.match(problem(checkInspectArguments({ startLine: 1 })), /need path/);
  assert.match(problem(checkInspectArguments({ path: 'a', startLine: 0 })), /from 1/);
  assert.match(problem(checkInspectArguments({ path: 'a', startLine: 1.5 })), /whole number/);
  assert.match(problem(checkInspectArguments({ path: 'a\u0000b' })), /NUL/);
  assert.match(problem(checkInspectArguments({ text: '   ' })), /empty/);
  assert.match(problem(checkInspectArguments([])), /must be an object/);
  assert.match(problem(checkInspectArguments('a.csr')), /must be an object/);
  assert.match(problem(checkInspectArguments({ text: 'A'.repeat(maxInputLength + 1) })), /over the limit of 4,194,304/);
  assert.match(
    problem(checkInspectArguments({ ['x'.repeat(10_000)]: 1 })),
    /unknown argument "x{40}"/,
    'a long name is cut',
  );
});

test('check: defaults, bounds, and globs that stay inside', () => {
  assert.deepEqual(checkCheckArguments({}), {
    ok: true,
    value: { glob: CHECK_DEFAULT_GLOB, maxFiles: CHECK_DEFAULT_FILES, timeoutSeconds: CHECK_DEFAULT_SECONDS },
  });
  assert.equal(checkCheckArguments({ maxFiles: CHECK_MAX_FILES }).ok, true);
  assert.match(problem(checkCheckArguments({ maxFiles: CHECK_MAX_FILES + 1 })), /from 1 to 500/);
  assert.match(problem(checkCheckArguments({ maxFiles: '1e9' })), /whole number/);
  for (const glob of ['/etc/*', 'C:/x/*.csr', '\\\\server\\share\\*'])
    assert.match(problem(checkCheckArguments({ glob })), /relative/, glob);
  for (const glob of ['../*.csr', 'a/../../*.csr', '..'])
    assert.match(problem(checkCheckArguments({ glob })), /climb/, glob);
  assert.equal(checkCheckArguments({ glob: '..foo/*.csr' }).ok, true, 'a name starting with two dots is no climb');
});

test('explain: a code, as text or a number', () => {
  assert.deepEqual(checkExplainArguments({ code: ' rsa-key-too-small ' }), {
    ok: true,
    value: { code: 'rsa-key-too-small' },
  });
  assert.deepEqual(checkExplainArguments({ code: -13 }), { ok: true, value: { code: '-13' } });
  assert.match(problem(checkExplainArguments({})), /missing/);
  assert.match(problem(checkExplainArguments({ code: {} })), /must be a string/);
  assert.match(problem(checkExplainArguments({ code: 'x'.repeat(101) })), /over 100 characters/);
});
