// Every target's answer in a bulk run, read from the run's journal: the one way the editor reads
// per-target outcomes (the Orders view's run entries, the summary of what a run sent, the counts of
// a run's record). The journal's format is journal.ts's and journal-file.ts's business; this reads
// it only through journalEntries (either format, as a stream), so a new format keeps this working.
//
// A page is asked for by offset and limit, optionally of some outcomes only, in the list's order.
// The journal is read once per version of the file (its size and modification time): the pages of
// a 100,000-target run that follow the first come from memory.
import { stat } from 'node:fs/promises';
import { journalEntries } from './journal-file';
import type { JournalOutcome } from './journal';
import type { TargetKind } from './targets';

/**
 * What a target's answer was: accepted (revoked, or for a test run accepted by the test call),
 * already revoked (-21), failed (another API error), unknown (sent, no answer: in flight when the
 * run stopped, or a transport failure after sending), not sent (certainly had no effect, or -42
 * and to be sent again).
 */
export type RunOutcomeKind = 'accepted' | 'already-revoked' | 'failed' | 'unknown' | 'not-sent';

export const RUN_OUTCOME_KINDS: readonly RunOutcomeKind[] = [
  'failed',
  'unknown',
  'accepted',
  'already-revoked',
  'not-sent',
];

export interface RunOutcome {
  /** "order:1000001", "certificate-id:…", "serial:…" (targetKey). */
  target: string;
  kind: TargetKind;
  value: string;
  /** The line of the list. */
  line: number;
  outcome: RunOutcomeKind;
  /** The API's code (0 for success); absent when no answer came. */
  code?: number;
  meaning?: string;
  /** The server's message or the transport failure, as journalled (redacted). */
  message?: string;
  /** ISO 8601 of the last answer. */
  time?: string;
  /** How many times it was sent. */
  sends: number;
}

export type RunOutcomeCounts = Record<RunOutcomeKind, number>;

export interface RunOutcomePage {
  /** The page asked for, in the list's order. */
  outcomes: RunOutcome[];
  /** How many outcomes match the filter (all of them without one). */
  matching: number;
  /** Every target the journal names, by outcome. */
  counts: RunOutcomeCounts;
}

export interface RunOutcomeQuery {
  offset?: number;
  /** At most this many (default 500); 0 asks for the counts only. */
  limit?: number;
  /** Only these outcomes. */
  filter?: readonly RunOutcomeKind[];
}

/** The most one page holds, whatever is asked. */
export const MAX_RUN_OUTCOME_PAGE = 5_000;
const DEFAULT_PAGE = 500;

interface Indexed {
  size: number;
  mtimeMs: number;
  outcomes: RunOutcome[];
  counts: RunOutcomeCounts;
}

/** The journals read last (path → index): paging through one run, or two runs side by side, reads each once. */
const recent = new Map<string, Indexed>();
const RECENT_JOURNALS = 2;

function emptyCounts(): RunOutcomeCounts {
  return { accepted: 0, 'already-revoked': 0, failed: 0, unknown: 0, 'not-sent': 0 };
}

/** What the journal says of one target so far: its last answer, or in flight when sent since. */
interface TargetState {
  status: JournalOutcome | 'in-flight';
  line: number;
  sends: number;
  code?: number;
  meaning?: string;
  message?: string;
  time?: string;
}

function outcomeOf(state: TargetState): RunOutcomeKind {
  switch (state.status) {
    case 'revoked':
      return state.code === -21 ? 'already-revoked' : 'accepted';
    case 'failed':
      return 'failed';
    case 'unknown':
    case 'in-flight':
      return 'unknown';
    case 'not-sent':
    case 'call-limit':
      return 'not-sent';
  }
}

const KINDS: readonly TargetKind[] = ['order', 'certificate-id', 'serial'];

async function index(journalPath: string): Promise<Indexed> {
  let info;
  try {
    info = await stat(journalPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { size: 0, mtimeMs: 0, outcomes: [], counts: emptyCounts() };
    throw error;
  }
  const known = recent.get(journalPath);
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known;
  const targets = new Map<string, TargetState>();
  for await (const entry of journalEntries(journalPath)) {
    const known = targets.get(entry.target);
    if (entry.event === 'sending') {
      const sends = (known?.sends ?? 0) + 1;
      targets.set(entry.target, { ...known, status: 'in-flight', line: entry.line, sends });
      continue;
    }
    targets.set(entry.target, {
      status: entry.outcome,
      line: entry.line ?? known?.line ?? 0,
      sends: known?.sends ?? 0,
      ...(entry.code !== undefined && { code: entry.code }),
      meaning: entry.meaning,
      ...(entry.message !== undefined && { message: entry.message }),
      ...(entry.time !== undefined && { time: entry.time.toISOString() }),
    });
  }
  const counts = emptyCounts();
  const outcomes: RunOutcome[] = [];
  for (const [target, state] of targets) {
    const colon = target.indexOf(':');
    const kind = target.slice(0, colon) as TargetKind;
    if (!KINDS.includes(kind)) continue;
    const outcome = outcomeOf(state);
    counts[outcome]++;
    outcomes.push({
      target,
      kind,
      value: target.slice(colon + 1),
      line: state.line,
      outcome,
      ...(state.code !== undefined && { code: state.code }),
      ...(state.meaning !== undefined && { meaning: state.meaning }),
      ...(state.message !== undefined && { message: state.message }),
      ...(state.time !== undefined && { time: state.time }),
      sends: state.sends,
    });
  }
  outcomes.sort((a, b) => a.line - b.line || a.target.localeCompare(b.target));
  const indexed = { size: info.size, mtimeMs: info.mtimeMs, outcomes, counts };
  recent.delete(journalPath);
  recent.set(journalPath, indexed);
  while (recent.size > RECENT_JOURNALS) recent.delete(recent.keys().next().value as string);
  return indexed;
}

/**
 * A page of a run's outcomes from its journal, in the list's order, with the counts of the whole
 * run. A journal not written yet is a run with no answers. Throws when the journal cannot be read.
 */
export async function readRunOutcomes(journalPath: string, query: RunOutcomeQuery = {}): Promise<RunOutcomePage> {
  const { outcomes, counts } = await index(journalPath);
  const filter = query.filter && new Set(query.filter);
  const matching = filter ? outcomes.filter((outcome) => filter.has(outcome.outcome)) : outcomes;
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const limit = Math.min(MAX_RUN_OUTCOME_PAGE, Math.max(0, Math.floor(query.limit ?? DEFAULT_PAGE)));
  return { outcomes: matching.slice(offset, offset + limit), matching: matching.length, counts: { ...counts } };
}
