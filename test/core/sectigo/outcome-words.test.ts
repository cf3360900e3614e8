// The words every surface takes for what a run did (plain Node): a count and its noun agree ("for
// the 1 certificate", never "for all 1 certificate"), a -21 is "already revoked" and never counted
// as accepted by a test call, and a test run's words never say "revoked" of what it accepted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countsLine, outcomeWords, testPassedWords } from '../../../src/core/sectigo/outcome-words';

test('a test run accepted whole: its count and noun agree, and the -21 answers are named apart', () => {
  assert.equal(
    testPassedWords(1, 0),
    'Sectigo accepted the test call for the 1 certificate (test=Y). Nothing was revoked.',
  );
  assert.equal(
    testPassedWords(150, 0),
    'Sectigo accepted the test call for all 150 certificates (test=Y). Nothing was revoked.',
  );
  assert.equal(
    testPassedWords(150, 3),
    'Sectigo accepted the test call (test=Y) for 147 of 150 certificates; 3 already revoked (-21). Nothing was revoked.',
  );
  assert.doesNotMatch(testPassedWords(1, 0), /all 1 /);
});

test('the counts of a run name the -21 answers apart from what a test call accepted', () => {
  assert.equal(
    countsLine({ test: true, revoked: 110, alreadyRevoked: 1, failed: 40, unknown: 0, notSent: 0, total: 150 }),
    '109 accepted by the test call (nothing revoked), 1 already revoked (-21), 40 failed, 0 outcome unknown, 0 not sent of 150 certificates',
  );
  assert.equal(
    countsLine({ test: false, revoked: 5, failed: 5, unknown: 0, notSent: 0, total: 10 }),
    '5 revoked, 5 failed, 0 outcome unknown, 0 not sent of 10 certificates',
  );
  assert.equal(outcomeWords('revoked', true, true), 'already revoked (-21)');
  assert.equal(outcomeWords('revoked', true), 'accepted by the test call (nothing revoked)');
});
