// The one naming of what a call did, for the command line and the editor alike: a test call
// (test=Y) that Sectigo accepted revoked nothing, so its words never say "revoked" on their
// own; "revoked" is kept for real revocations Sectigo accepted. Every summary, notification,
// progress line, tree state and log line takes its words from here.
import type { TargetOutcomeKind } from './bulk/run';

/** What a target accepted by Sectigo is called: by a test call, or really revoked. */
export function acceptedWords(test: boolean): string {
  return test ? 'accepted by the test call (nothing revoked)' : 'revoked';
}

/** The short form for a tree row or a progress line. */
export function acceptedShort(test: boolean): string {
  return test ? 'test accepted (nothing revoked)' : 'revoked';
}

/** One target's outcome in words, test or real. */
export function outcomeWords(outcome: TargetOutcomeKind, test: boolean): string {
  switch (outcome) {
    case 'revoked':
      return acceptedWords(test);
    case 'failed':
      return 'failed';
    case 'unknown':
      return 'outcome unknown';
    case 'not-sent':
      return 'not sent';
  }
}

/**
 * "12,345": a count with its thousands grouped, as toLocaleString('en-US') writes it but without
 * loading the ICU data (about 9 MB of a bulk run's memory, for commas).
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return String(count);
  const digits = String(Math.abs(count));
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3)
    grouped = `${digits.slice(Math.max(0, end - 3), end)}${grouped === '' ? '' : ','}${grouped}`;
  return count < 0 ? `-${grouped}` : grouped;
}

/** "1 certificate", "3 certificates": the count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/** The counts of a run in one line: "3 accepted by the test call (nothing revoked), 4 failed, 0 outcome unknown, 0 not sent of 7". */
export function countsLine(counts: {
  test: boolean;
  revoked: number;
  failed: number;
  unknown: number;
  notSent: number;
  total: number;
}): string {
  return `${counts.revoked} ${acceptedWords(counts.test)}, ${counts.failed} failed, ${counts.unknown} outcome unknown, ${counts.notSent} not sent of ${countOf(counts.total, 'certificate')}`;
}

/** What a run is called in a title or a headline. */
export function runWords(test: boolean): string {
  return test ? 'Test call from list (test=Y, nothing is revoked)' : 'Revocation from list';
}
