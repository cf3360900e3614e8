// The one naming of what a call did, for the command line and the editor alike: a test call
// (test=Y) that Sectigo accepted revoked nothing, so its words never say "revoked" on their
// own; "revoked" is kept for real revocations Sectigo accepted. A -21 is "already revoked" in every
// word, whether the call was a test or not: the certificate is revoked. Every summary,
// notification, progress line, tree state and log line takes its words from here.
import { formatCount } from '../format-count';
import type { TargetOutcomeKind } from './bulk/run';

/** What a target accepted by Sectigo is called: by a test call, or really revoked. */
export function acceptedWords(test: boolean): string {
  return test ? 'accepted by the test call (nothing revoked)' : 'revoked';
}

/** The short form for a tree row or a progress line. */
export function acceptedShort(test: boolean): string {
  return test ? 'test accepted (nothing revoked)' : 'revoked';
}

/** What a -21 is called, test or real: the certificate is revoked (not by this call). */
export const ALREADY_REVOKED_WORDS = 'already revoked (-21)';

/** The shortest form, for a tree row that must fit the default sidebar width: the tooltip and the screen reader get acceptedWords. */
export function acceptedTiny(test: boolean): string {
  return test ? 'test accepted' : 'revoked';
}

/** One target's outcome in words, test or real; a -21 is "already revoked" in both. */
export function outcomeWords(outcome: TargetOutcomeKind, test: boolean, alreadyRevoked = false): string {
  switch (outcome) {
    case 'revoked':
      return alreadyRevoked ? ALREADY_REVOKED_WORDS : acceptedWords(test);
    case 'failed':
      return 'failed';
    case 'unknown':
      return 'outcome unknown';
    case 'not-sent':
      return 'not sent';
  }
}

/** "1 certificate", "3 certificates": the count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/**
 * The counts of a run in one line: "3 accepted by the test call (nothing revoked), 1 already revoked
 * (-21), 4 failed, 0 outcome unknown, 0 not sent of 8 certificates". `revoked` counts the -21
 * answers too; they are named apart, never as accepted by a test call.
 */
export function countsLine(counts: {
  test: boolean;
  revoked: number;
  alreadyRevoked?: number | undefined;
  failed: number;
  unknown: number;
  notSent: number;
  total: number;
}): string {
  const already = counts.alreadyRevoked ?? 0;
  const accepted = counts.revoked - already;
  const parts = [
    ...(accepted > 0 || already === 0 ? [`${formatCount(accepted)} ${acceptedWords(counts.test)}`] : []),
    ...(already > 0 ? [`${formatCount(already)} ${ALREADY_REVOKED_WORDS}`] : []),
    `${formatCount(counts.failed)} failed`,
    `${formatCount(counts.unknown)} outcome unknown`,
    `${formatCount(counts.notSent)} not sent`,
  ];
  return `${parts.join(', ')} of ${countOf(counts.total, 'certificate')}`;
}

/** What a run is called in a title or a headline. */
export function runWords(test: boolean): string {
  return test ? 'Test call from list (test=Y, nothing is revoked)' : 'Revocation from list';
}

/**
 * The result of a test run Sectigo accepted whole: "for all 150 certificates", "for the 1
 * certificate", and the -21 answers apart ("for 147 of 150 certificates; 3 already revoked (-21)").
 */
export function testPassedWords(total: number, alreadyRevoked: number): string {
  if (alreadyRevoked > 0)
    return `Sectigo accepted the test call (test=Y) for ${formatCount(total - alreadyRevoked)} of ${countOf(total, 'certificate')}; ${formatCount(alreadyRevoked)} ${ALREADY_REVOKED_WORDS}. Nothing was revoked.`;
  return total === 1
    ? 'Sectigo accepted the test call for the 1 certificate (test=Y). Nothing was revoked.'
    : `Sectigo accepted the test call for all ${countOf(total, 'certificate')} (test=Y). Nothing was revoked.`;
}
