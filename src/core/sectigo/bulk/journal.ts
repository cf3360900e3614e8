// The bulk revocation journal's records: JSON Lines. A journal starts with a header (the run-wide
// facts, once), then for each run of the command a "run" record (its start and reason), then a
// short "send" record synced to disk before each call and an "end" record after it. A journal of
// the first format (every line self-contained, "v":1) is still read, and appended to in its own
// format. Reading is line by line into a small state; nothing here holds a journal whole.
// The record format is a public interface (scripts read it): add fields, never rename.
import { jsonText as jsonSinkText } from '../../json-text';
import { oneLine } from '../../one-line';
import { explainError } from '../errors';
import type { BulkTarget } from './targets';
import { targetKey } from './targets';

/** The format this version writes. */
export const JOURNAL_FORMAT_VERSION = 2;
/** What the header's "journal" field says: a file whose first line does not say it is not ours. */
export const JOURNAL_SIGNATURE = 'sectigo-csr bulk revocation journal';
/** Every header this product writes starts with these bytes (the field order is fixed). */
export const JOURNAL_HEADER_PREFIX = `{"journal":"${JOURNAL_SIGNATURE}","v":`;
/** Every journal of the first format starts with these bytes: its first line is a "sending" line. */
export const V1_FIRST_LINE_PREFIX = '{"v":1,"event":"sending","time":"';
/** A journal line longer than this was not written by us. */
export const MAX_JOURNAL_LINE_BYTES = 64 * 1024;
/**
 * The most of one piece of server text (a message) a journal line keeps: a 70 KB errorMessage
 * would make a line the reader refuses. Longer text is cut and marked as cut.
 */
export const MAX_JOURNAL_TEXT_BYTES = 2 * 1024;
/** The most of a value of our own or the user's (a reason, a file name) a line keeps. */
const MAX_JOURNAL_VALUE_BYTES = 4 * 1024;
/** A journal larger than this is refused: 100,000 targets take about 10 MB, re-runs included. */
export const MAX_JOURNAL_BYTES = 2 * 1024 * 1024 * 1024;

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

/**
 * revoked: answered 0, or -21 (already revoked: the revocation is in effect);
 * failed: another API error; unknown: sent, no answer; not-sent: certainly had no effect;
 * call-limit: answered -42, so it will be sent again.
 */
export type JournalOutcome = 'revoked' | 'failed' | 'unknown' | 'not-sent' | 'call-limit';
const OUTCOMES: readonly JournalOutcome[] = ['revoked', 'failed', 'unknown', 'not-sent', 'call-limit'];

/** The facts of a whole run, written once in the header. Never the password. */
export interface JournalRunFacts {
  /** The URL the calls go to. */
  endpoint: string;
  loginName: string;
  /** test=Y: nothing is revoked. */
  test: boolean;
}

/** The first line of a journal. */
export interface JournalHeader extends JournalRunFacts {
  journal: typeof JOURNAL_SIGNATURE;
  v: typeof JOURNAL_FORMAT_VERSION;
  /** ISO 8601: when the journal was started. */
  created: string;
}

/** One run of the command on this journal (the first, or a resume): when it started and what it sends. */
export interface RunRecord {
  /** ISO 8601: when this run started; "at" of its end records counts from here. */
  run: string;
  /** The reason sent with each target that has none of its own (a CSV row's). */
  reason: string;
  codeReason?: number;
}

/** Written and synced before the call goes out. */
export interface SendRecord {
  /** "order:1000001", "certificate-id:…", "serial:…" */
  send: string;
  /** The line of the list. */
  line: number;
  /** A CSV row's own reason and code, when they differ from the run's. */
  reason?: string;
  codeReason?: number;
  /** For certificate:PATH: the file the serial number was read from. */
  file?: string;
}

/** Written after the call. */
export interface EndRecord {
  end: string;
  outcome: JournalOutcome;
  /** The API's error code (0 for success); absent when there was no answer. */
  code?: number;
  /**
   * The server's message or the failure, redacted and cut. Left out when it is the message the
   * previous end record with this outcome and code carried (a run of 100,000 answers of one kind
   * stores it once per run of the command).
   */
  message?: string;
  /** How long the call took, ms. */
  ms?: number;
  /** When it ended: ms after the run record's time. */
  at?: number;
}

/** A line of the first format (v1): every line repeats the run's facts. */
export interface V1Line extends JournalRunFacts {
  v: 1;
  event: 'sending' | 'ended';
  time: string;
  target: string;
  line: number;
  reason?: string;
  codeReason?: number;
  certificateFile?: string;
  outcome?: JournalOutcome;
  code?: number;
  meaning?: string;
  message?: string;
  durationMs?: number;
}

/** A "sending" line of the first format, for appending to a journal of that format. */
export function v1SendingLine(
  facts: JournalRunFacts,
  target: BulkTarget,
  reason: string,
  codeReason: number | undefined,
  time: Date,
): V1Line {
  return {
    v: 1,
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

/** An "ended" line of the first format. */
export function v1EndedLine(
  facts: JournalRunFacts,
  target: BulkTarget,
  ended: { outcome: JournalOutcome; code?: number; meaning: string; message?: string; durationMs?: number },
  time: Date,
): V1Line {
  return {
    v: 1,
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

// Every record is written through the JSON sink (json-text.ts): its values were redacted and cut
// where they were made (journalText), and the sink escapes what a terminal would act on.

/** The header line's text (its field order is what JOURNAL_HEADER_PREFIX recognises). */
export function headerText(facts: JournalRunFacts, created: Date): string {
  const header: JournalHeader = {
    journal: JOURNAL_SIGNATURE,
    v: JOURNAL_FORMAT_VERSION,
    created: created.toISOString(),
    endpoint: journalText(facts.endpoint, MAX_JOURNAL_VALUE_BYTES),
    loginName: journalText(facts.loginName, MAX_JOURNAL_VALUE_BYTES),
    test: facts.test,
  };
  return jsonSinkText(header, { redacted: true });
}

export function runRecordText(started: Date, reason: string, codeReason: number | undefined): string {
  const record: RunRecord = {
    run: started.toISOString(),
    reason: journalText(reason, MAX_JOURNAL_VALUE_BYTES),
    ...(codeReason !== undefined && { codeReason }),
  };
  return jsonSinkText(record, { redacted: true });
}

export function sendRecordText(target: BulkTarget, own: { reason?: string; codeReason?: number }): string {
  const record: SendRecord = {
    send: targetKey(target),
    line: target.line,
    ...(own.reason !== undefined && { reason: journalText(own.reason, MAX_JOURNAL_VALUE_BYTES) }),
    ...(own.codeReason !== undefined && { codeReason: own.codeReason }),
    ...(target.certificateFile !== undefined && {
      file: journalText(target.certificateFile, MAX_JOURNAL_VALUE_BYTES),
    }),
  };
  return jsonSinkText(record, { redacted: true });
}

/** An end record; its message is already cut by journalText (the writer compares it with the last one it wrote). */
export function endRecordText(key: string, ended: Omit<EndRecord, 'end'>): string {
  const record: EndRecord = {
    end: key,
    outcome: ended.outcome,
    ...(ended.code !== undefined && { code: ended.code }),
    ...(ended.message !== undefined && { message: ended.message }),
    ...(ended.ms !== undefined && { ms: Math.round(ended.ms) }),
    ...(ended.at !== undefined && { at: Math.round(ended.at) }),
  };
  return jsonSinkText(record, { redacted: true });
}

/** What an answer meant, from what the journal keeps of it: the catalogue says it once, not every line. */
export const ALREADY_REVOKED_MEANING = 'Already revoked (-21): the revocation is in effect.';
export const REVOKED_MEANING = 'Revoked (0).';

export function outcomeMeaning(outcome: JournalOutcome, code: number | undefined, message: string | undefined): string {
  switch (outcome) {
    case 'revoked':
      return code === -21 ? ALREADY_REVOKED_MEANING : (message ?? REVOKED_MEANING);
    case 'failed':
    case 'call-limit':
      return code !== undefined ? explainError('AutoRevokeSSL', code).meaning : (message ?? 'Failed.');
    case 'unknown':
      return message ?? 'Sent, but no answer came.';
    case 'not-sent':
      return message ?? 'Not sent.';
  }
}

/** One event of a journal, whatever its format: what a reader (resume, a summary, a view that pages) sees. */
export type JournalEntry =
  | {
      event: 'sending';
      target: string;
      line: number;
      /** When known (the first format dates each line; the compact one dates the end). */
      time?: Date;
      reason?: string;
      codeReason?: number;
      certificateFile?: string;
    }
  | {
      event: 'ended';
      target: string;
      /** The first format repeats the list line on each line; the compact one on the send record. */
      line?: number;
      time?: Date;
      outcome: JournalOutcome;
      code?: number;
      meaning: string;
      message?: string;
      durationMs?: number;
    };

export interface JournalProblem {
  /** 1-based line of the journal. */
  line: number;
  message: string;
}

/** Whether the file's first line makes it ours: the compact header, a first-format record, or neither. */
export type JournalFormat = 'compact' | 'v1';

/** The most distinct (outcome, code) messages a reader or writer remembers for leaving repeats out. */
const MAX_REMEMBERED_MESSAGES = 64;

/** Which remembered message an end record without one repeats. */
export function messageSlot(outcome: JournalOutcome, code: number | undefined): string {
  return `${outcome}:${code ?? ''}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a journal line by line (either format) into entries; remembers only what the next line
 * needs (the facts, the current run's start, the last message per outcome and code). The caller
 * keeps what it wants of each entry: a resume its index, a view its page.
 */
export class JournalReader {
  format: JournalFormat | undefined;
  facts: JournalRunFacts | undefined;
  readonly problems: JournalProblem[] = [];
  /** Lines read, blank ones included. */
  lines = 0;
  /** Where the file stops being a journal of this product (the first line says it is not one). */
  notAJournal = false;
  private runStart: number | undefined;
  private runReason: string | undefined;
  private runCodeReason: number | undefined;
  private readonly lastMessage = new Map<string, string>();
  /** The most problems kept: one is enough to refuse, a few to say where. */
  private static readonly MAX_PROBLEMS = 20;

  /** The entry of one line; `isLast` when it is the file's last line and had no newline (possibly torn by a crash). */
  addText(text: string, lineNumber: number, isLast = false): { torn: true } | { entry?: JournalEntry } {
    this.lines = lineNumber;
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (isLast) return { torn: true };
      this.problem(lineNumber, 'is not JSON (the journal was edited or is not a bulk revocation journal).');
      return {};
    }
    if (!isObject(parsed)) {
      this.problem(lineNumber, 'is not a bulk revocation journal entry.');
      return {};
    }
    if (this.format === undefined) return this.first(parsed, lineNumber);
    return this.format === 'compact' ? this.compact(parsed, lineNumber) : this.v1(parsed, lineNumber);
  }

  private problem(line: number, message: string): void {
    if (this.problems.length < JournalReader.MAX_PROBLEMS) this.problems.push({ line, message });
  }

  private first(parsed: Record<string, unknown>, lineNumber: number): { entry?: JournalEntry } {
    if (parsed.journal === JOURNAL_SIGNATURE) {
      if (parsed.v !== JOURNAL_FORMAT_VERSION) {
        this.problem(
          lineNumber,
          `is the header of a journal format (v ${String(parsed.v).slice(0, 10)}) this version cannot read; use a newer sectigo-csr or start a new journal.`,
        );
        return {};
      }
      if (typeof parsed.endpoint !== 'string' || typeof parsed.loginName !== 'string') {
        this.problem(lineNumber, 'is a journal header without its endpoint and login name.');
        return {};
      }
      this.format = 'compact';
      this.facts = { endpoint: parsed.endpoint, loginName: parsed.loginName, test: parsed.test === true };
      return {};
    }
    if (parsed.v === 1 && (parsed.event === 'sending' || parsed.event === 'ended')) {
      this.format = 'v1';
      return this.v1(parsed, lineNumber);
    }
    this.notAJournal = true;
    this.problem(lineNumber, 'is not the header of a bulk revocation journal.');
    return {};
  }

  private compact(parsed: Record<string, unknown>, lineNumber: number): { entry?: JournalEntry } {
    if (typeof parsed.send === 'string') {
      const line = optionalNumber(parsed.line);
      if (line === undefined) {
        this.problem(lineNumber, 'is a send record without its list line.');
        return {};
      }
      const reason = optionalString(parsed.reason) ?? this.runReason;
      const codeReason = optionalNumber(parsed.codeReason) ?? this.runCodeReason;
      const file = optionalString(parsed.file);
      return {
        entry: {
          event: 'sending',
          target: parsed.send,
          line,
          ...(reason !== undefined && { reason }),
          ...(codeReason !== undefined && { codeReason }),
          ...(file !== undefined && { certificateFile: file }),
        },
      };
    }
    if (typeof parsed.end === 'string') {
      const outcome = parsed.outcome as JournalOutcome;
      if (!OUTCOMES.includes(outcome)) {
        this.problem(lineNumber, 'is an end record with an outcome this version does not know.');
        return {};
      }
      const code = optionalNumber(parsed.code);
      const slot = messageSlot(outcome, code);
      let message = optionalString(parsed.message);
      if (message !== undefined) this.remember(slot, message);
      else message = this.lastMessage.get(slot);
      const ms = optionalNumber(parsed.ms);
      const at = optionalNumber(parsed.at);
      return {
        entry: {
          event: 'ended',
          target: parsed.end,
          ...(at !== undefined && this.runStart !== undefined && { time: new Date(this.runStart + at) }),
          outcome,
          ...(code !== undefined && { code }),
          meaning: outcomeMeaning(outcome, code, message),
          ...(message !== undefined && { message }),
          ...(ms !== undefined && { durationMs: ms }),
        },
      };
    }
    if (typeof parsed.run === 'string') {
      const start = Date.parse(parsed.run);
      this.runStart = Number.isFinite(start) ? start : undefined;
      this.runReason = optionalString(parsed.reason);
      this.runCodeReason = optionalNumber(parsed.codeReason);
      // Each run of the command leaves out its own repeats only: its writer started afresh too.
      this.lastMessage.clear();
      return {};
    }
    if (parsed.journal === JOURNAL_SIGNATURE) {
      this.problem(lineNumber, 'is a second journal header: two journals were joined.');
      return {};
    }
    // A record of a later version with a kind we do not know is skipped, not an error.
    return {};
  }

  private remember(slot: string, message: string): void {
    if (this.lastMessage.has(slot) || this.lastMessage.size < MAX_REMEMBERED_MESSAGES)
      this.lastMessage.set(slot, message);
  }

  private v1(parsed: Record<string, unknown>, lineNumber: number): { entry?: JournalEntry } {
    if (parsed.event !== 'sending' && parsed.event !== 'ended') {
      // A line from a later version with an event we do not know is skipped, not an error.
      if (typeof parsed.event === 'string') return {};
      this.problem(lineNumber, 'is not a bulk revocation journal entry.');
      return {};
    }
    if (typeof parsed.target !== 'string') {
      this.problem(lineNumber, 'is not a bulk revocation journal entry.');
      return {};
    }
    const facts = {
      endpoint: String(parsed.endpoint),
      loginName: String(parsed.loginName),
      test: parsed.test === true,
    };
    if (!this.facts) this.facts = facts;
    else if (
      facts.endpoint !== this.facts.endpoint ||
      facts.loginName !== this.facts.loginName ||
      facts.test !== this.facts.test
    ) {
      this.problem(
        lineNumber,
        "belongs to a different run (another endpoint, login name or test mode) than the journal's first line.",
      );
      return {};
    }
    const time = typeof parsed.time === 'string' ? new Date(parsed.time) : undefined;
    const when = time && Number.isFinite(time.getTime()) ? { time } : {};
    const line = optionalNumber(parsed.line) ?? 0;
    if (parsed.event === 'sending') {
      const reason = optionalString(parsed.reason);
      const codeReason = optionalNumber(parsed.codeReason);
      const file = optionalString(parsed.certificateFile);
      return {
        entry: {
          event: 'sending',
          target: parsed.target,
          line,
          ...when,
          ...(reason !== undefined && { reason }),
          ...(codeReason !== undefined && { codeReason }),
          ...(file !== undefined && { certificateFile: file }),
        },
      };
    }
    const outcome = OUTCOMES.includes(parsed.outcome as JournalOutcome)
      ? (parsed.outcome as JournalOutcome)
      : 'unknown';
    const code = optionalNumber(parsed.code);
    const message = optionalString(parsed.message);
    const durationMs = optionalNumber(parsed.durationMs);
    return {
      entry: {
        event: 'ended',
        target: parsed.target,
        line,
        ...when,
        outcome,
        ...(code !== undefined && { code }),
        meaning: optionalString(parsed.meaning) ?? outcomeMeaning(outcome, code, message),
        ...(message !== undefined && { message }),
        ...(durationMs !== undefined && { durationMs }),
      },
    };
  }
}

/** Why a journal cannot be used for this run, or undefined. */
export function journalMismatch(facts: JournalRunFacts | undefined, wanted: JournalRunFacts): string | undefined {
  if (!facts) return undefined;
  const differences: string[] = [];
  if (facts.endpoint !== wanted.endpoint) differences.push(`endpoint ${facts.endpoint}`);
  if (facts.loginName !== wanted.loginName) differences.push(`login name ${facts.loginName}`);
  if (facts.test !== wanted.test) differences.push(facts.test ? 'a test run (--test)' : 'a real run (not --test)');
  return differences.length === 0 ? undefined : `it records ${differences.join(', ')}`;
}
