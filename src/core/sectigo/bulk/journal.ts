// The bulk revocation journal: JSON Lines, one "sending" line flushed to disk
// before each call and one "ended" line after it. Reading it back tells a new
// run what is done, what failed and what may or may not have taken effect.
// The line format is a public interface (scripts read it): add fields, never rename.
import { oneLine } from '../../one-line';
import type { BulkTarget } from './targets';
import { targetKey } from './targets';

export const JOURNAL_FORMAT_VERSION = 1;
/** A journal line longer than this was not written by us. */
export const MAX_JOURNAL_LINE_BYTES = 64 * 1024;
/**
 * The most of one piece of server text (a message) a journal line keeps: a 70 KB errorMessage
 * would make a line the reader refuses. Longer text is cut and marked as cut.
 */
export const MAX_JOURNAL_TEXT_BYTES = 2 * 1024;
/** The most of a value of our own or the user's (a reason, a file name) a line keeps. */
const MAX_JOURNAL_VALUE_BYTES = 4 * 1024;

/**
 * Text as a journal line stores it: on one line (controls and invisible characters escaped, so
 * `cat` or `tail -f` of a journal shows text, never executes it) and at most `maxBytes` of UTF-8,
 * cut at a character boundary and marked. Every line written this way can be read back.
 */
export function journalText(text: string, maxBytes: number = MAX_JOURNAL_TEXT_BYTES): string {
  const safe = oneLine(text);
  const bytes = Buffer.from(safe, 'utf8');
  if (bytes.length <= maxBytes) return safe;
  let end = maxBytes;
  // Back to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString('utf8')}… [cut: ${bytes.length - end} more bytes]`;
}

/** Three lines of at most ~1.5 KB per target for the largest list, with room for re-runs. */
export const MAX_JOURNAL_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * revoked: answered 0, or -21 (already revoked: the revocation is in effect);
 * failed: another API error; unknown: sent, no answer; not-sent: certainly had no effect;
 * call-limit: answered -42, so it will be sent again.
 */
export type JournalOutcome = 'revoked' | 'failed' | 'unknown' | 'not-sent' | 'call-limit';

/** What every line repeats, so each line stands on its own. Never the password. */
export interface JournalRunFacts {
  /** The URL the calls go to. */
  endpoint: string;
  loginName: string;
  /** test=Y: nothing is revoked. */
  test: boolean;
}

export interface SendingLine extends JournalRunFacts {
  v: typeof JOURNAL_FORMAT_VERSION;
  event: 'sending';
  time: string;
  /** "order:1000001", "certificate-id:…", "serial:…" */
  target: string;
  /** The line of the list. */
  line: number;
  reason: string;
  codeReason?: number;
  certificateFile?: string;
}

export interface EndedLine extends JournalRunFacts {
  v: typeof JOURNAL_FORMAT_VERSION;
  event: 'ended';
  time: string;
  target: string;
  line: number;
  outcome: JournalOutcome;
  /** The API's error code (0 for success); absent when there was no answer. */
  code?: number;
  /** What the code or failure means, in plain words. */
  meaning: string;
  /** The server's own message or the transport failure, redacted. */
  message?: string;
  durationMs?: number;
}

export type JournalLine = SendingLine | EndedLine;

export function sendingLine(
  facts: JournalRunFacts,
  target: BulkTarget,
  reason: string,
  codeReason: number | undefined,
  time: Date,
): SendingLine {
  return {
    v: JOURNAL_FORMAT_VERSION,
    event: 'sending',
    time: time.toISOString(),
    target: targetKey(target),
    line: target.line,
    endpoint: facts.endpoint,
    loginName: facts.loginName,
    test: facts.test,
    reason: journalText(reason, MAX_JOURNAL_VALUE_BYTES),
    ...(codeReason !== undefined && { codeReason }),
    ...(target.certificateFile !== undefined && {
      certificateFile: journalText(target.certificateFile, MAX_JOURNAL_VALUE_BYTES),
    }),
  };
}

export function endedLine(
  facts: JournalRunFacts,
  target: BulkTarget,
  ended: { outcome: JournalOutcome; code?: number; meaning: string; message?: string; durationMs?: number },
  time: Date,
): EndedLine {
  return {
    v: JOURNAL_FORMAT_VERSION,
    event: 'ended',
    time: time.toISOString(),
    target: targetKey(target),
    line: target.line,
    endpoint: facts.endpoint,
    loginName: facts.loginName,
    test: facts.test,
    outcome: ended.outcome,
    ...(ended.code !== undefined && { code: ended.code }),
    meaning: journalText(ended.meaning, MAX_JOURNAL_VALUE_BYTES),
    ...(ended.message !== undefined && { message: journalText(ended.message) }),
    ...(ended.durationMs !== undefined && { durationMs: ended.durationMs }),
  };
}

/** What the journal says about one target, after all its lines. */
export interface TargetRecord {
  /** 'in-flight': a "sending" line with no "ended" line after it: the outcome is unknown. */
  status: JournalOutcome | 'in-flight';
  /** The last "ended" line, for re-reporting a failure. */
  last?: EndedLine;
  /** How many "sending" lines. */
  sends: number;
}

export interface JournalProblem {
  /** 1-based line of the journal. */
  line: number;
  message: string;
}

/** The state a journal describes, built line by line so a large journal is never held whole. */
export class JournalState {
  readonly targets = new Map<string, TargetRecord>();
  readonly problems: JournalProblem[] = [];
  /** The run facts of the first line, to refuse resuming a different run. */
  facts: JournalRunFacts | undefined;
  lines = 0;

  /** Reads one line of text; `isLast` when it is the file's final line and had no newline after it (possibly torn by a crash). */
  addText(text: string, lineNumber: number, isLast = false): 'ok' | 'torn' {
    this.lines = lineNumber;
    if (text.trim() === '') return 'ok';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (isLast) return 'torn';
      this.problems.push({
        line: lineNumber,
        message: 'is not JSON (the journal was edited or is not a bulk revocation journal).',
      });
      return 'ok';
    }
    const line = parsed as Partial<JournalLine>;
    if (
      typeof line !== 'object' ||
      line === null ||
      typeof line.target !== 'string' ||
      (line.event !== 'sending' && line.event !== 'ended')
    ) {
      // A line from a later version with an event we do not know is skipped, not an error.
      if (
        typeof line === 'object' &&
        line !== null &&
        typeof line.event === 'string' &&
        line.event !== 'sending' &&
        line.event !== 'ended'
      )
        return 'ok';
      this.problems.push({ line: lineNumber, message: 'is not a bulk revocation journal entry.' });
      return 'ok';
    }
    this.add(line as JournalLine, lineNumber);
    return 'ok';
  }

  add(line: JournalLine, lineNumber: number): void {
    if (!this.facts)
      this.facts = { endpoint: String(line.endpoint), loginName: String(line.loginName), test: line.test === true };
    else if (
      line.endpoint !== this.facts.endpoint ||
      line.loginName !== this.facts.loginName ||
      (line.test === true) !== this.facts.test
    ) {
      this.problems.push({
        line: lineNumber,
        message:
          "belongs to a different run (another endpoint, login name or test mode) than the journal's first line.",
      });
      return;
    }
    const record = this.targets.get(line.target) ?? { status: 'in-flight', sends: 0 };
    if (line.event === 'sending') {
      record.sends++;
      record.status = 'in-flight';
    } else {
      record.status = line.outcome;
      record.last = line;
    }
    this.targets.set(line.target, record);
  }
}

export function parseJournalText(text: string): JournalState {
  const state = new JournalState();
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) lines.pop();
  lines.forEach((line, index) => state.addText(line, index + 1, !endsWithNewline && index === lines.length - 1));
  return state;
}

/** Why a journal cannot be used for this run, or undefined. */
export function journalMismatch(state: JournalState, facts: JournalRunFacts): string | undefined {
  if (!state.facts) return undefined;
  const differences: string[] = [];
  if (state.facts.endpoint !== facts.endpoint) differences.push(`endpoint ${state.facts.endpoint}`);
  if (state.facts.loginName !== facts.loginName) differences.push(`login name ${state.facts.loginName}`);
  if (state.facts.test !== facts.test)
    differences.push(state.facts.test ? 'a test run (--test)' : 'a real run (not --test)');
  return differences.length === 0 ? undefined : `it records ${differences.join(', ')}`;
}

/** How a resumed run treats each target of the list. */
export interface ResumePlan {
  /** Not in the journal, unknown outcome, not sent, or answered -42: sent now. */
  toSend: BulkTarget[];
  /** Answered 0 or -21 in an earlier run: not sent again. */
  done: Array<{ target: BulkTarget; last: EndedLine | undefined }>;
  /** Failed with an API error earlier and not retried (no --retry-failed): reported again. */
  failedBefore: Array<{ target: BulkTarget; last: EndedLine }>;
  /** Of toSend, how many the journal shows as possibly sent already (outcome unknown). */
  unknownBefore: number;
}

export function planResume(targets: readonly BulkTarget[], state: JournalState, retryFailed: boolean): ResumePlan {
  const plan: ResumePlan = { toSend: [], done: [], failedBefore: [], unknownBefore: 0 };
  for (const target of targets) {
    const record = state.targets.get(targetKey(target));
    if (!record) plan.toSend.push(target);
    else if (record.status === 'revoked') plan.done.push({ target, last: record.last });
    else if (record.status === 'failed' && record.last && !retryFailed)
      plan.failedBefore.push({ target, last: record.last });
    else {
      if (record.status === 'in-flight' || record.status === 'unknown') plan.unknownBefore++;
      plan.toSend.push(target);
    }
  }
  return plan;
}
