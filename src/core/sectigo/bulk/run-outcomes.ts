// Every target's answer in a bulk run, read from the run's journal: the one way the editor reads
// per-target outcomes (the Orders view's run entries, the summary of what a run sent, the counts of
// a run's record). The journal's format is journal.ts's and journal-file.ts's business; this reads
// it only through journalEntries (either format, as a stream), so a new format keeps this working.
//
// A page is asked for by offset and limit, optionally of some outcomes only, in the list's order.
// The journal is read once per version of the file (its size and modification time) into columns
// of typed arrays, a few numbers per target (its key packed as key-table.ts packs it, its line,
// outcome, code, send count and time, and its texts as numbers into a table of the distinct ones):
// 100,000 targets take about 6 MB outside the JavaScript heap, and a page makes objects for its
// own targets only. A run whose texts are too many to keep (every answer a different message) has
// them read again from the journal for the page's targets alone.
import { stat } from 'node:fs/promises';
import { journalEntries } from './journal-file';
import { KEY_BYTES, packKey, packedHash, unpackKey } from './key-table';
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

/** The distinct texts (messages, meanings) kept; past this, a text is read again for its page. */
const MAX_KEPT_TEXTS = 1_024;
const NO_TEXT = -1;
const TEXT_NOT_KEPT = -2;
const NO_CODE = -0x80000000;
const MAX_SENDS = 0xffff;

/** What the journal says of a target so far: its last answer, or in flight when sent since. */
const STATUSES = ['in-flight', 'revoked', 'failed', 'unknown', 'not-sent', 'call-limit'] as const;
type Status = (typeof STATUSES)[number];
const STATUS_CODES: Readonly<Record<Status, number>> = {
  'in-flight': 0,
  revoked: 1,
  failed: 2,
  unknown: 3,
  'not-sent': 4,
  'call-limit': 5,
};

function outcomeOf(status: Status, code: number): RunOutcomeKind {
  switch (status) {
    case 'revoked':
      return code === -21 ? 'already-revoked' : 'accepted';
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
const INITIAL_TARGETS = 1_024;

/** The distinct texts of a journal, each kept once and named by its number; at most MAX_KEPT_TEXTS. */
class TextTable {
  private readonly numbers = new Map<string, number>();
  readonly texts: string[] = [];

  numberOf(text: string | undefined): number {
    if (text === undefined) return NO_TEXT;
    const known = this.numbers.get(text);
    if (known !== undefined) return known;
    if (this.texts.length >= MAX_KEPT_TEXTS) return TEXT_NOT_KEPT;
    this.texts.push(text);
    this.numbers.set(text, this.texts.length - 1);
    return this.texts.length - 1;
  }
}

/**
 * A journal's targets in columns: entry i is the i-th target the journal names. Its key is packed
 * (key-table.ts) in `keys`, and found again through an open-addressing table of entry numbers that
 * compares the packed bytes in place: about 8 bytes a target beside the key's 20.
 */
class OutcomeColumns {
  size = 0;
  /** Entry + 1 per slot, 0 for an empty one; never more than half full. */
  private slots = new Int32Array(INITIAL_TARGETS * 2);
  private readonly probe = new Uint8Array(KEY_BYTES);
  keys = new Uint8Array(INITIAL_TARGETS * KEY_BYTES);
  /** Keys that do not pack (an order number of more than 38 digits), both ways. */
  private readonly unpackedEntries = new Map<string, number>();
  private readonly unpacked = new Map<number, string>();
  lines = new Int32Array(INITIAL_TARGETS);
  statuses = new Uint8Array(INITIAL_TARGETS);
  sends = new Uint16Array(INITIAL_TARGETS);
  codes = new Int32Array(INITIAL_TARGETS);
  times = new Float64Array(INITIAL_TARGETS);
  messages = new Int32Array(INITIAL_TARGETS);
  meanings = new Int32Array(INITIAL_TARGETS);
  readonly texts = new TextTable();

  /** Whether the journal names this target. */
  has(key: string): boolean {
    if (!packKey(key, this.probe, 0)) return this.unpackedEntries.has(key);
    return this.slots[this.slotOf(this.probe, 0)] !== 0;
  }

  /** The entry of a target, added when new; undefined for a key of no kind a list has. */
  entryOf(key: string): number | undefined {
    const packed = packKey(key, this.probe, 0);
    if (!packed) {
      const known = this.unpackedEntries.get(key);
      if (known !== undefined) return known;
      if (!KINDS.includes(key.slice(0, key.indexOf(':')) as TargetKind)) return undefined;
    } else {
      const known = this.slots[this.slotOf(this.probe, 0)] as number;
      if (known !== 0) return known - 1;
    }
    if (this.size === this.lines.length) this.grow();
    const entry = this.size++;
    if (packed) {
      this.keys.set(this.probe, entry * KEY_BYTES);
      this.slots[this.slotOf(this.probe, 0)] = entry + 1;
    } else {
      this.unpackedEntries.set(key, entry);
      this.unpacked.set(entry, key);
    }
    this.codes[entry] = NO_CODE;
    this.times[entry] = Number.NaN;
    this.messages[entry] = NO_TEXT;
    this.meanings[entry] = NO_TEXT;
    return entry;
  }

  /** The slot holding the entry whose key is packed at `at` of `bytes`, or the empty slot where it goes. */
  private slotOf(bytes: Uint8Array, at: number): number {
    const mask = this.slots.length - 1;
    for (let slot = packedHash(bytes, at) & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number;
      if (held === 0) return slot;
      const from = (held - 1) * KEY_BYTES;
      let same = true;
      for (let index = 0; index < KEY_BYTES && same; index++) same = this.keys[from + index] === bytes[at + index];
      if (same) return slot;
    }
  }

  /** The columns cut to the entries they hold, once the journal is read (a run keeps them while it is paged). */
  trim(): void {
    const cut = <T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(from: T, length: number): T =>
      from.slice(0, length) as T;
    this.keys = cut(this.keys, this.size * KEY_BYTES);
    this.lines = cut(this.lines, this.size);
    this.statuses = cut(this.statuses, this.size);
    this.sends = cut(this.sends, this.size);
    this.codes = cut(this.codes, this.size);
    this.times = cut(this.times, this.size);
    this.messages = cut(this.messages, this.size);
    this.meanings = cut(this.meanings, this.size);
  }

  keyOf(entry: number): string {
    return this.unpacked.get(entry) ?? unpackKey(this.keys, entry * KEY_BYTES);
  }

  outcomeOf(entry: number): RunOutcomeKind {
    return outcomeOf(STATUSES[this.statuses[entry] as number] ?? 'unknown', this.codes[entry] as number);
  }

  private grow(): void {
    const grown = <T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(
      from: T,
      make: (length: number) => T,
    ): T => {
      const to = make(from.length * 2);
      to.set(from);
      return to;
    };
    this.keys = grown(this.keys, (length) => new Uint8Array(length));
    this.lines = grown(this.lines, (length) => new Int32Array(length));
    this.statuses = grown(this.statuses, (length) => new Uint8Array(length));
    this.sends = grown(this.sends, (length) => new Uint16Array(length));
    this.codes = grown(this.codes, (length) => new Int32Array(length));
    this.times = grown(this.times, (length) => new Float64Array(length));
    this.messages = grown(this.messages, (length) => new Int32Array(length));
    this.meanings = grown(this.meanings, (length) => new Int32Array(length));
    // The slots stay at most half full: rebuilt at twice the size from the keys.
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.size; entry++)
      if (!this.unpacked.has(entry)) this.slots[this.slotOf(this.keys, entry * KEY_BYTES)] = entry + 1;
  }
}

interface Indexed {
  size: number;
  mtimeMs: number;
  columns: OutcomeColumns;
  /** The entries in the list's order (by line, then in the journal's order). */
  order: Int32Array;
  counts: RunOutcomeCounts;
}

/** The journals read last (path → index): paging through one run, or two runs side by side, reads each once. */
const recent = new Map<string, Indexed>();
const RECENT_JOURNALS = 2;

function emptyCounts(): RunOutcomeCounts {
  return { accepted: 0, 'already-revoked': 0, failed: 0, unknown: 0, 'not-sent': 0 };
}

async function index(journalPath: string): Promise<Indexed> {
  let info;
  try {
    info = await stat(journalPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { size: 0, mtimeMs: 0, columns: new OutcomeColumns(), order: new Int32Array(0), counts: emptyCounts() };
    throw error;
  }
  const known = recent.get(journalPath);
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known;
  const columns = new OutcomeColumns();
  for await (const entry of journalEntries(journalPath)) {
    const at = columns.entryOf(entry.target);
    if (at === undefined) continue;
    if (entry.event === 'sending') {
      columns.statuses[at] = STATUS_CODES['in-flight'];
      columns.lines[at] = entry.line;
      columns.sends[at] = Math.min(MAX_SENDS, (columns.sends[at] as number) + 1);
      continue;
    }
    columns.statuses[at] = STATUS_CODES[entry.outcome];
    if (entry.line !== undefined) columns.lines[at] = entry.line;
    columns.codes[at] = entry.code ?? NO_CODE;
    columns.meanings[at] = columns.texts.numberOf(entry.meaning);
    columns.messages[at] = columns.texts.numberOf(entry.message);
    columns.times[at] = entry.time?.getTime() ?? Number.NaN;
  }
  columns.trim();
  const counts = emptyCounts();
  const order = new Int32Array(columns.size);
  for (let entry = 0; entry < columns.size; entry++) {
    order[entry] = entry;
    counts[columns.outcomeOf(entry)]++;
  }
  const { lines } = columns;
  order.sort((a, b) => (lines[a] as number) - (lines[b] as number) || a - b);
  const indexed = { size: info.size, mtimeMs: info.mtimeMs, columns, order, counts };
  recent.delete(journalPath);
  recent.set(journalPath, indexed);
  while (recent.size > RECENT_JOURNALS) recent.delete(recent.keys().next().value as string);
  return indexed;
}

/** The texts of the page's targets whose texts were not kept, read again from the journal (their last answer's). */
async function textsNotKept(
  journalPath: string,
  keys: ReadonlySet<string>,
): Promise<Map<string, { message?: string; meaning?: string }>> {
  const found = new Map<string, { message?: string; meaning?: string }>();
  if (keys.size === 0) return found;
  for await (const entry of journalEntries(journalPath))
    if (entry.event === 'ended' && keys.has(entry.target))
      found.set(entry.target, {
        meaning: entry.meaning,
        ...(entry.message !== undefined && { message: entry.message }),
      });
  return found;
}

/** The outcome of one entry, as a page shows it. */
function outcomeAt(
  columns: OutcomeColumns,
  entry: number,
  reread: ReadonlyMap<string, { message?: string; meaning?: string }>,
): RunOutcome {
  const target = columns.keyOf(entry);
  const colon = target.indexOf(':');
  const text = (number: number, again: string | undefined): string | undefined =>
    number === TEXT_NOT_KEPT ? again : number === NO_TEXT ? undefined : columns.texts.texts[number];
  const code = columns.codes[entry] as number;
  const time = columns.times[entry] as number;
  const meaning = text(columns.meanings[entry] as number, reread.get(target)?.meaning);
  const message = text(columns.messages[entry] as number, reread.get(target)?.message);
  return {
    target,
    kind: target.slice(0, colon) as TargetKind,
    value: target.slice(colon + 1),
    line: columns.lines[entry] as number,
    outcome: columns.outcomeOf(entry),
    ...(code !== NO_CODE && { code }),
    ...(meaning !== undefined && { meaning }),
    ...(message !== undefined && { message }),
    ...(!Number.isNaN(time) && { time: new Date(time).toISOString() }),
    sends: columns.sends[entry] as number,
  };
}

/** Whether the run's journal names a target (sent at least once): what was never sent is the rest of the list. */
export async function journalNames(journalPath: string): Promise<(key: string) => boolean> {
  const { columns } = await index(journalPath);
  return (key) => columns.has(key);
}

/**
 * A page of a run's outcomes from its journal, in the list's order, with the counts of the whole
 * run. A journal not written yet is a run with no answers. Throws when the journal cannot be read.
 */
export async function readRunOutcomes(journalPath: string, query: RunOutcomeQuery = {}): Promise<RunOutcomePage> {
  const { columns, order, counts } = await index(journalPath);
  const filter = query.filter && new Set(query.filter);
  const matching = filter ? [...filter].reduce((sum, kind) => sum + counts[kind], 0) : columns.size;
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const limit = Math.min(MAX_RUN_OUTCOME_PAGE, Math.max(0, Math.floor(query.limit ?? DEFAULT_PAGE)));
  const page: number[] = [];
  if (limit > 0)
    for (let at = 0, seen = 0; at < order.length && page.length < limit; at++) {
      const entry = order[at] as number;
      if (filter && !filter.has(columns.outcomeOf(entry))) continue;
      if (seen++ >= offset) page.push(entry);
    }
  const notKept = new Set(
    page
      .filter((entry) => columns.messages[entry] === TEXT_NOT_KEPT || columns.meanings[entry] === TEXT_NOT_KEPT)
      .map((entry) => columns.keyOf(entry)),
  );
  const reread = await textsNotKept(journalPath, notKept);
  return {
    outcomes: page.map((entry) => outcomeAt(columns, entry, reread)),
    matching,
    counts: { ...counts },
  };
}
