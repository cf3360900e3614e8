// The history of calls the user made, shared by every window, in two files of the extension's
// global storage:
// - the audit record (audit-record.ts, audit.jsonl): every call that may have changed something at
//   Sectigo (each real revocation and replacement, whatever it answered, each -21, each real bulk
//   run), only ever appended to, kept until the user removes an entry on purpose;
// - orders.json: the rest (test calls, test runs), bounded: beyond `limit` items the oldest
//   finished ones go, a test run together with its entries. Each change re-reads it, applies
//   itself and writes a temporary file renamed over the old one (atomic on one file system), so
//   two windows do not lose each other's entries and a crash never leaves half a file. A file
//   that cannot be read is renamed aside (orders.corrupt-<time>.json), never overwritten.
// groupOrders() (order-summaries.ts) turns both into one summary per order for the tree, its state
// from its strongest fact (order-state.ts). No 'vscode' here: the tree, the CSR editor and the plain-Node tests share it.
import { jsonText } from '../json-text';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { readBoundedFile } from '../bounded-read';
import { newLocalId } from '../local-id';
import { dirname, join } from 'node:path';
import { AUDIT_FILE_NAME, AuditRecord } from './audit-record';
import { ORDER_STATES, type OrderState } from './order-state';
import { orderKeyOf } from './order-summaries';
import type { Endpoint } from './types';

export type { OrderState } from './order-state';

export const ORDERS_FILE_NAME = 'orders.json';
export { AUDIT_FILE_NAME } from './audit-record';
/** Items (a test call, or a test run with its entries) orders.json keeps; the audit record is not counted. */
export const DEFAULT_ORDERS_LIMIT = 200;
/**
 * Pending work is never dropped to make room, but the file stays bounded: beyond this many times
 * the limit even pending entries go, oldest first (a history that large is not read by a person).
 */
export const PENDING_CEILING_FACTOR = 5;
/** Room for one entry in the file, generously: a real one (order, endpoint, a redacted message) takes well under 2 KB. */
const MAX_ENTRY_BYTES = 16 * 1024;
const FILE_VERSION = 1;

export type OrderIdentifier = 'orderNumber' | 'serialNumber' | 'certificateID';

export interface OrderEntry {
  id: string;
  /** ISO 8601. */
  time: string;
  endpoint: Endpoint;
  /** What the call named the certificate by, and its value. */
  identifierKind: OrderIdentifier;
  identifier: string;
  state: OrderState;
  /** The base URL the call went to (no credentials in it). */
  baseUrl: string;
  loginName?: string;
  newOrderNumber?: string;
  errorCode?: number;
  /** The server's or the client's message; never a secret. */
  message?: string;
  retryAfter?: string;
  /** The CSR's file as a URI string, and which block of it. */
  csrUri?: string;
  csrBlockIndex?: number;
  certificateUri?: string;
  revokeOldOrder?: boolean;
  test?: boolean;
  codeReason?: number;
  revocationReason?: string;
  durationMs?: number;
  /** The info line this call wrote to the log. */
  logLine?: string;
  /** Set on an order's call made by a bulk run (BulkRunRecord.id); earlier versions also set it on a run's failures. */
  bulkRunId?: string;
}

/** A bulk run as the history keeps it: one entry for the whole list; every target's answer is in its journal. */
export interface BulkRunRecord {
  /** The stored run's id (its manifest and journal). */
  id: string;
  /** ISO 8601, when the run was made. */
  time: string;
  /** ISO 8601, when the record last changed. */
  updated: string;
  source: string;
  /** The AutoRevokeSSL URL the run goes to. */
  endpoint: string;
  baseUrl: string;
  loginName: string;
  test: boolean;
  total: number;
  /** Accepted by Sectigo: revoked, or (test) accepted by the test call; the -21 answers included. */
  accepted: number;
  /** Of `accepted`: answered -21, already revoked (absent in records of earlier versions). */
  alreadyRevoked?: number;
  failed: number;
  unknown: number;
  notSent: number;
  journal: string;
  /** Nothing unknown or unsent is left (or the person discarded the rest). */
  finished: boolean;
  /** The person discarded the rest: what was left was never sent. */
  discarded?: boolean;
}

/** What the history holds: the calls, the bulk runs, and how many finished test entries were dropped to make room. */
export interface HistoryState {
  entries: OrderEntry[];
  runs: BulkRunRecord[];
  dropped: number;
}

interface OrdersFile {
  version: number;
  entries: OrderEntry[];
  runs?: BulkRunRecord[];
  dropped?: number;
}

export interface LoadOutcome extends HistoryState {
  /** Set when the history file could not be read and was renamed to this path. */
  corruptFileMovedTo?: string;
  /** Set when the audit record could not be read (it is left as it is): why, for the view to say. */
  auditProblem?: string;
  /** Lines of the audit record that could not be read (a line torn by a crash): skipped. */
  auditSkippedLines?: number;
}

const EMPTY_HISTORY: HistoryState = { entries: [], runs: [], dropped: 0 };

/**
 * Whether a call belongs in the audit record: it may have changed something at Sectigo (every
 * replacement, every real revocation whatever it answered), or it proves a certificate revoked (a
 * -21, to a test call too). Test calls otherwise go to the bounded history.
 */
export function belongsInAuditRecord(entry: Pick<OrderEntry, 'endpoint' | 'test' | 'errorCode'>): boolean {
  return entry.endpoint === 'AutoReplaceSMIME' || entry.test !== true || entry.errorCode === -21;
}

/** Whether a bulk run belongs in the audit record: every real one (its targets and answers are in its journal). */
export function runBelongsInAuditRecord(run: Pick<BulkRunRecord, 'test'>): boolean {
  return !run.test;
}

/**
 * Whether an entry of the bounded history is pending work, never dropped to make room: the latest
 * call of an order acted on one by one, and an order's latest state from a bulk run when it still
 * waits (an unknown outcome, or a test accepted whose real revocation is to come).
 */
function isPending(entry: OrderEntry, latestOfOrder: boolean): boolean {
  if (entry.state === 'replaced') return true;
  if (!latestOfOrder) return false;
  if (entry.bulkRunId === undefined) return true;
  return entry.state === 'outcome-unknown' || entry.state === 'test-revoked';
}

/**
 * The bounded history (test calls and test runs; the audit record is not its to bound) cut to
 * `limit` items: a call, or a run with the entries beneath it. Entries of a run that is gone go
 * first; then the oldest finished items; pending work and unfinished runs stay (up to
 * PENDING_CEILING_FACTOR × limit). `dropped` counts everything that went, over the file's life.
 * Pure: the store and the tests share it.
 */
export function retainHistory(state: HistoryState, limit: number): HistoryState {
  const runIds = new Set(state.runs.map((run) => run.id));
  // An entry beneath a run that is no longer kept says nothing on its own.
  const orphans = state.entries.filter((entry) => entry.bulkRunId !== undefined && !runIds.has(entry.bulkRunId));
  const entries = state.entries
    .filter((entry) => entry.bulkRunId === undefined || runIds.has(entry.bulkRunId))
    .sort((a, b) => b.time.localeCompare(a.time));
  const runs = [...state.runs].sort((a, b) => b.time.localeCompare(a.time));
  // Earlier versions kept a run's failures and unknown outcomes beneath it (bulkRunId); they go with their run.
  const beneath = (entry: OrderEntry): boolean => entry.bulkRunId !== undefined;
  const alone = entries.filter((entry) => !beneath(entry));
  const items = alone.length + runs.length;
  if (items <= limit) return { entries, runs, dropped: state.dropped + orphans.length };
  const seenOrders = new Set<string>();
  type Item = { time: string; pending: boolean; entry?: OrderEntry; run?: BulkRunRecord };
  const list: Item[] = [];
  for (const entry of alone) {
    const key = orderKeyOf(entry);
    list.push({ time: entry.time, pending: isPending(entry, !seenOrders.has(key)), entry });
    seenOrders.add(key);
  }
  for (const run of runs) list.push({ time: run.updated ?? run.time, pending: !run.finished, run });
  const drop = new Set<Item>();
  const oldestFirst = (candidates: Item[]): Item[] => candidates.sort((a, b) => a.time.localeCompare(b.time));
  let over = list.length - limit;
  for (const item of oldestFirst(list.filter((candidate) => !candidate.pending))) {
    if (over <= 0) break;
    drop.add(item);
    over--;
  }
  let overCeiling = list.length - drop.size - limit * PENDING_CEILING_FACTOR;
  for (const item of oldestFirst(list.filter((candidate) => candidate.pending))) {
    if (overCeiling <= 0) break;
    drop.add(item);
    overCeiling--;
  }
  const gone = new Set<unknown>([...drop].map((item) => item.entry ?? item.run));
  const goneRuns = new Set([...drop].flatMap((item) => (item.run ? [item.run.id] : [])));
  // A run goes with the entries beneath it.
  const keptEntries = entries.filter(
    (entry) => !gone.has(entry) && !(entry.bulkRunId !== undefined && goneRuns.has(entry.bulkRunId) && beneath(entry)),
  );
  return {
    entries: keptEntries,
    runs: runs.filter((run) => !gone.has(run)),
    dropped: state.dropped + orphans.length + (entries.length - keptEntries.length) + goneRuns.size,
  };
}

function isRun(value: unknown): value is BulkRunRecord {
  const run = value as Partial<BulkRunRecord> | null;
  return (
    typeof run === 'object' &&
    run !== null &&
    typeof run.id === 'string' &&
    typeof run.time === 'string' &&
    typeof run.source === 'string' &&
    typeof run.baseUrl === 'string' &&
    typeof run.loginName === 'string' &&
    typeof run.total === 'number' &&
    typeof run.finished === 'boolean'
  );
}

/** Files written by earlier versions may hold states no call produces any more ('refused-locally', 'cancelled'): read them as failed. */
function migrateEntry(entry: OrderEntry): OrderEntry {
  return (ORDER_STATES as readonly string[]).includes(entry.state) ? entry : { ...entry, state: 'failed' };
}

function isEntry(value: unknown): value is OrderEntry {
  const entry = value as Partial<OrderEntry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    typeof entry.time === 'string' &&
    (entry.endpoint === 'AutoReplaceSMIME' || entry.endpoint === 'AutoRevokeSSL') &&
    typeof entry.identifier === 'string' &&
    typeof entry.state === 'string'
  );
}

const newestFirst = <T extends { time: string }>(items: T[]): T[] => items.sort((a, b) => b.time.localeCompare(a.time));

/** What a surface outside the calls may do with the history: read it (the CSR editor finds the order a request was refused for). */
export type OrderHistoryReader = Pick<OrdersStore, 'load'>;

/** What Clear Order History removes: the bounded history only, or the audit record too. */
export type ClearScope = 'history' | 'all';

export class OrdersStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /** A corrupt file moved aside by any read, until the tree reports it (whichever caller's read found it). */
  private unreportedCorruptFile: string | undefined;
  readonly audit: AuditRecord<OrderEntry, BulkRunRecord>;

  constructor(
    readonly file: string,
    private readonly limit = DEFAULT_ORDERS_LIMIT,
    readonly auditFile = join(dirname(file), AUDIT_FILE_NAME),
  ) {
    this.audit = new AuditRecord<OrderEntry, BulkRunRecord>(auditFile, {
      call: (value): value is OrderEntry => isEntry(value),
      run: isRun,
      idOf: (item) => item.id,
    });
  }

  static inDirectory(directory: string, limit = DEFAULT_ORDERS_LIMIT): OrdersStore {
    return new OrdersStore(join(directory, ORDERS_FILE_NAME), limit);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Tells listeners the file changed: after each change made through this store, and when a read moved a corrupt file aside. */
  private notifyChanged(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * The audit record and the bounded history together, newest first (an item in both, during a
   * move from an earlier version's file, once). A missing file is empty; an audit record that
   * cannot be read is reported, and the history is still read.
   */
  async load(): Promise<LoadOutcome> {
    return this.serialised(async () => {
      const history = await this.read();
      let audit: Awaited<ReturnType<typeof this.audit.read>> | undefined;
      let auditProblem: string | undefined;
      try {
        audit = await this.audit.read();
      } catch (error) {
        auditProblem = (error as Error).message;
      }
      const auditCalls = new Set(audit?.calls.map((call) => call.id));
      const auditRuns = new Set(audit?.runs.map((run) => run.id));
      return {
        ...history,
        entries: newestFirst([
          ...(audit?.calls.map(migrateEntry) ?? []),
          ...history.entries.filter((entry) => !auditCalls.has(entry.id)),
        ]),
        runs: newestFirst([...(audit?.runs ?? []), ...history.runs.filter((run) => !auditRuns.has(run.id))]),
        ...(auditProblem !== undefined && { auditProblem }),
        ...(audit !== undefined && audit.skippedLines > 0 && { auditSkippedLines: audit.skippedLines }),
      };
    });
  }

  /** The path a corrupt history was moved to since the last call, once: the one notice to show. */
  takeCorruptFileNotice(): string | undefined {
    const path = this.unreportedCorruptFile;
    this.unreportedCorruptFile = undefined;
    return path;
  }

  /** Records a call: in the audit record when it may have changed something at Sectigo, else in the bounded history. */
  async add(entry: OrderEntry): Promise<void> {
    if (belongsInAuditRecord(entry)) {
      await this.audit.append({ calls: [entry] });
      this.notifyChanged();
      return;
    }
    await this.change((state) => ({
      ...state,
      entries: [entry, ...state.entries.filter((existing) => existing.id !== entry.id)],
    }));
  }

  /** Records a bulk run, or updates its record (counts, finished) when it is already there: a real run in the audit record. */
  async recordRun(run: BulkRunRecord): Promise<void> {
    if (runBelongsInAuditRecord(run)) {
      await this.audit.append({ runs: [run] });
      this.notifyChanged();
      return;
    }
    await this.change((state) => ({
      ...state,
      runs: [run, ...state.runs.filter((existing) => existing.id !== run.id)],
    }));
  }

  /** Removes the calls with these ids (one call, or every call of an order), from the audit record too: the user chose to. */
  async remove(...ids: string[]): Promise<void> {
    const inAudit = await this.auditIds();
    const audited = ids.filter((id) => inAudit.has(id));
    if (audited.length > 0) await this.audit.remove(audited);
    await this.change((state) => ({ ...state, entries: state.entries.filter((entry) => !ids.includes(entry.id)) }));
  }

  /** Removes a run's record and the entries beneath it. */
  async removeRun(id: string): Promise<void> {
    const { calls, runs } = await this.audit.read().catch(() => ({ calls: [], runs: [] }));
    const audited = [
      ...runs.filter((run) => run.id === id).map((run) => run.id),
      ...calls.filter((call) => call.bulkRunId === id).map((call) => call.id),
    ];
    if (audited.length > 0) await this.audit.remove(audited);
    await this.change((state) => ({
      ...state,
      runs: state.runs.filter((run) => run.id !== id),
      entries: state.entries.filter((entry) => entry.bulkRunId !== id),
    }));
  }

  /** Empties the bounded history; with 'all', the audit record too (the user chose to). */
  async clear(scope: ClearScope = 'all'): Promise<void> {
    if (scope === 'all') await this.audit.clear();
    await this.change(() => EMPTY_HISTORY);
  }

  async get(id: string): Promise<OrderEntry | undefined> {
    return (await this.load()).entries.find((entry) => entry.id === id);
  }

  private async auditIds(): Promise<Set<string>> {
    const { calls, runs } = await this.audit.read();
    return new Set([...calls.map((call) => call.id), ...runs.map((run) => run.id)]);
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async change(apply: (state: HistoryState) => HistoryState): Promise<void> {
    await this.serialised(async () => {
      const { entries, runs, dropped } = await this.read();
      // What an earlier version kept here but belongs in the audit record moves there first (a crash
      // between the two writes leaves it in both, read once), so bounding can never drop it.
      const movingEntries = entries.filter(belongsInAuditRecord);
      const movingRuns = runs.filter(runBelongsInAuditRecord);
      if (movingEntries.length + movingRuns.length > 0)
        await this.audit.append({ calls: movingEntries, runs: movingRuns });
      const kept = {
        entries: entries.filter((entry) => !belongsInAuditRecord(entry)),
        runs: runs.filter((run) => !runBelongsInAuditRecord(run)),
        dropped,
      };
      const next = apply(kept);
      await this.write(
        retainHistory(
          {
            ...next,
            entries: next.entries.filter((entry) => !belongsInAuditRecord(entry)),
            runs: next.runs.filter((run) => !runBelongsInAuditRecord(run)),
          },
          this.limit,
        ),
      );
    });
    this.notifyChanged();
  }

  /** The most the file can hold when written by this store: the pending ceiling's items of at most MAX_ENTRY_BYTES. */
  private get maxFileBytes(): number {
    return this.limit * PENDING_CEILING_FACTOR * MAX_ENTRY_BYTES;
  }

  private async read(): Promise<LoadOutcome> {
    try {
      const info = await stat(this.file);
      // Larger than this store ever writes: not its file. Kept aside like a corrupt one, never read whole.
      if (info.isFile() && info.size > this.maxFileBytes)
        return { ...EMPTY_HISTORY, corruptFileMovedTo: await this.moveAside() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...EMPTY_HISTORY };
      throw new Error(`The order history ${this.file} cannot be read.`, { cause: error });
    }
    // A regular file within the cap, opened without blocking: a FIFO or a device in its place is refused at once.
    const read = await readBoundedFile(this.file, this.maxFileBytes);
    if (read.kind === 'refused') throw new Error(`The order history ${this.file} cannot be used: ${read.reason}.`);
    const text = read.bytes.toString('utf8');
    try {
      const parsed = JSON.parse(text) as Partial<OrdersFile>;
      if (!Array.isArray(parsed.entries)) throw new Error('no entries array');
      // Files of earlier versions have no runs and no dropped count: read as none.
      return {
        entries: newestFirst(parsed.entries.filter(isEntry).map(migrateEntry)),
        runs: newestFirst(Array.isArray(parsed.runs) ? parsed.runs.filter(isRun) : []),
        dropped: typeof parsed.dropped === 'number' && parsed.dropped >= 0 ? Math.floor(parsed.dropped) : 0,
      };
    } catch {
      return { ...EMPTY_HISTORY, corruptFileMovedTo: await this.moveAside() };
    }
  }

  /**
   * Renames the file aside (never overwritten) and returns where it went. The notice is kept
   * until the tree takes it, and listeners (the tree) re-read and report it, whoever's read found it.
   */
  private async moveAside(): Promise<string> {
    const aside = join(dirname(this.file), `orders.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await rename(this.file, aside);
    this.unreportedCorruptFile = aside;
    queueMicrotask(() => this.notifyChanged());
    return aside;
  }

  private async write(state: HistoryState): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
    const content: OrdersFile = { version: FILE_VERSION, ...state };
    // The JSON sink (strings bounded, invisible characters escaped); its values are read back as they were.
    await writeFile(temporary, jsonText(content, { indent: 1, redacted: true }) + '\n', {
      encoding: 'utf8',
      mode: 0o600,
    });
    await rename(temporary, this.file);
  }
}

/** An order entry's id (and a bulk run's): the product's one id generator. */
export const newEntryId = newLocalId;

export { groupOrders, orderKeyOf, type OrderSummary } from './order-summaries';
