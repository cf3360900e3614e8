// The history of calls the user made, in one JSON file in the extension's global storage,
// shared by every window; groupOrders() turns it into one summary per order for the tree. Each change re-reads the file, applies itself and writes
// a temporary file that is renamed over the old one (atomic on one file system), so two
// windows do not lose each other's entries and a crash never leaves half a file. A file
// that cannot be read is renamed aside (orders.corrupt-<time>.json), never overwritten.
// No 'vscode' here: the tree, the CSR editor (reading it) and the plain-Node tests use the same class.
import { jsonText } from '../json-text';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { readBoundedFile } from '../bounded-read';
import { dirname, join } from 'node:path';
import { isProductionBaseUrl } from './call-plan';
import type { Endpoint } from './types';

export const ORDERS_FILE_NAME = 'orders.json';
export const DEFAULT_ORDERS_LIMIT = 200;
/**
 * Pending work is never dropped to make room, but the file stays bounded: beyond this many times
 * the limit even pending entries go, oldest first (a history that large is not read by a person).
 */
export const PENDING_CEILING_FACTOR = 5;
/** Room for one entry in the file, generously: a real one (order, endpoint, a redacted message) takes well under 2 KB. */
const MAX_ENTRY_BYTES = 16 * 1024;
const FILE_VERSION = 1;

/** What a call left an order in. A call refused locally or cancelled before sending records nothing. */
export type OrderState = 'replaced' | 'revoked' | 'test-revoked' | 'failed' | 'outcome-unknown';

const ORDER_STATES: readonly string[] = [
  'replaced',
  'revoked',
  'test-revoked',
  'failed',
  'outcome-unknown',
] satisfies OrderState[];

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
  /** Set on the failures and unknown outcomes of a bulk run: the run (BulkRunRecord.id) they sit beneath. */
  bulkRunId?: string;
}

/** A bulk run as the history keeps it: one entry for the whole list, its failures and unknowns beneath it. */
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
  /** Accepted by Sectigo: revoked, or (test) accepted by the test call. */
  accepted: number;
  failed: number;
  unknown: number;
  notSent: number;
  journal: string;
  /** Nothing unknown or unsent is left (or the person discarded the rest). */
  finished: boolean;
  /** The person discarded the rest: what was left was never sent. */
  discarded?: boolean;
}

/** What the file holds: the calls, the bulk runs, and how many finished entries were dropped to make room. */
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
  /** Set when the file could not be read and was renamed to this path. */
  corruptFileMovedTo?: string;
}

const EMPTY_HISTORY: HistoryState = { entries: [], runs: [], dropped: 0 };

/**
 * Whether an entry is pending work, never dropped to make room: a replace; the latest call of an
 * order acted on one by one; and, from a bulk run, an order's latest state when it still waits
 * (an unknown outcome, or a test accepted whose real revocation is to come).
 */
function isPending(entry: OrderEntry, latestOfOrder: boolean): boolean {
  if (entry.state === 'replaced') return true;
  if (!latestOfOrder) return false;
  if (entry.bulkRunId === undefined) return true;
  return entry.state === 'outcome-unknown' || entry.state === 'test-revoked';
}

/**
 * The history cut to `limit` items (a call or a run each): the oldest finished ones go first,
 * pending work and unfinished runs stay (up to PENDING_CEILING_FACTOR × limit), and `dropped`
 * counts everything that went, over the file's life. Pure: the store and the tests share it.
 */
export function retainHistory(state: HistoryState, limit: number): HistoryState {
  const entries = [...state.entries].sort((a, b) => b.time.localeCompare(a.time));
  const runs = [...state.runs].sort((a, b) => b.time.localeCompare(a.time));
  if (entries.length + runs.length <= limit) return { entries, runs, dropped: state.dropped };
  const seenOrders = new Set<string>();
  type Item = { time: string; pending: boolean; entry?: OrderEntry; run?: BulkRunRecord };
  const items: Item[] = [];
  for (const entry of entries) {
    const key = orderKeyOf(entry);
    items.push({ time: entry.time, pending: isPending(entry, !seenOrders.has(key)), entry });
    seenOrders.add(key);
  }
  for (const run of runs) items.push({ time: run.time, pending: !run.finished, run });
  const drop = new Set<Item>();
  const oldestFirst = (list: Item[]): Item[] => list.sort((a, b) => a.time.localeCompare(b.time));
  let over = items.length - limit;
  for (const item of oldestFirst(items.filter((candidate) => !candidate.pending))) {
    if (over <= 0) break;
    drop.add(item);
    over--;
  }
  let overCeiling = items.length - drop.size - limit * PENDING_CEILING_FACTOR;
  for (const item of oldestFirst(items.filter((candidate) => candidate.pending))) {
    if (overCeiling <= 0) break;
    drop.add(item);
    overCeiling--;
  }
  const gone = new Set<unknown>([...drop].map((item) => item.entry ?? item.run));
  return {
    entries: entries.filter((entry) => !gone.has(entry)),
    runs: runs.filter((run) => !gone.has(run)),
    dropped: state.dropped + drop.size,
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
  return ORDER_STATES.includes(entry.state) ? entry : { ...entry, state: 'failed' };
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

/** What a surface outside the calls may do with the history: read it (the CSR editor finds the order a request was refused for). */
export type OrderHistoryReader = Pick<OrdersStore, 'load'>;

export class OrdersStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /** A corrupt file moved aside by any read, until the tree reports it (whichever caller's read found it). */
  private unreportedCorruptFile: string | undefined;

  constructor(
    readonly file: string,
    private readonly limit = DEFAULT_ORDERS_LIMIT,
  ) {}

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

  /** The entries, newest first. A missing file is an empty history. */
  async load(): Promise<LoadOutcome> {
    return this.serialised(() => this.read());
  }

  /** The path a corrupt history was moved to since the last call, once: the one notice to show. */
  takeCorruptFileNotice(): string | undefined {
    const path = this.unreportedCorruptFile;
    this.unreportedCorruptFile = undefined;
    return path;
  }

  async add(entry: OrderEntry): Promise<void> {
    await this.change((state) => ({
      ...state,
      entries: [entry, ...state.entries.filter((existing) => existing.id !== entry.id)],
    }));
  }

  /** Records a bulk run, or updates its record (counts, finished) when it is already there. */
  async recordRun(run: BulkRunRecord): Promise<void> {
    await this.change((state) => ({
      ...state,
      runs: [run, ...state.runs.filter((existing) => existing.id !== run.id)],
    }));
  }

  /** Removes the calls with these ids (one call, or every call of an order). */
  async remove(...ids: string[]): Promise<void> {
    await this.change((state) => ({ ...state, entries: state.entries.filter((entry) => !ids.includes(entry.id)) }));
  }

  /** Removes a run's record and the entries beneath it. */
  async removeRun(id: string): Promise<void> {
    await this.change((state) => ({
      ...state,
      runs: state.runs.filter((run) => run.id !== id),
      entries: state.entries.filter((entry) => entry.bulkRunId !== id),
    }));
  }

  async clear(): Promise<void> {
    await this.change(() => EMPTY_HISTORY);
  }

  async get(id: string): Promise<OrderEntry | undefined> {
    return (await this.load()).entries.find((entry) => entry.id === id);
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async change(apply: (state: HistoryState) => HistoryState): Promise<void> {
    await this.serialised(async () => {
      const { entries, runs, dropped } = await this.read();
      await this.write(retainHistory(apply({ entries, runs, dropped }), this.limit));
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
        entries: parsed.entries
          .filter(isEntry)
          .map(migrateEntry)
          .sort((a, b) => b.time.localeCompare(a.time)),
        runs: (Array.isArray(parsed.runs) ? parsed.runs.filter(isRun) : []).sort((a, b) =>
          b.time.localeCompare(a.time),
        ),
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

export function newEntryId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * One order as the tree shows it: every call that named the same certificate at the same
 * endpoint, newest first, and the state they leave it in. Exported for views that build on it.
 */
export interface OrderSummary {
  /** Stable id of the order: identifier kind, identifier and endpoint. */
  key: string;
  identifierKind: OrderIdentifier;
  identifier: string;
  baseUrl: string;
  production: boolean;
  loginName: string | undefined;
  /** S/MIME when any call replaced it (AutoReplaceSMIME); SSL otherwise. */
  kind: 'smime' | 'ssl';
  state: OrderState;
  /** The calls, newest first; calls[0] is the latest. */
  calls: OrderEntry[];
  newOrderNumber: string | undefined;
  csrUri: string | undefined;
  csrBlockIndex: number | undefined;
  certificateUri: string | undefined;
}

export function orderKeyOf(entry: Pick<OrderEntry, 'identifierKind' | 'identifier' | 'baseUrl'>): string {
  return `${entry.identifierKind}:${entry.identifier}@${entry.baseUrl}`;
}

/** Groups calls (newest first) into orders (newest activity first). A real revocation is final: a later failure does not undo it. */
export function groupOrders(entries: readonly OrderEntry[]): OrderSummary[] {
  const byKey = new Map<string, OrderEntry[]>();
  for (const entry of entries) {
    const key = orderKeyOf(entry);
    const calls = byKey.get(key);
    if (calls) calls.push(entry);
    else byKey.set(key, [entry]);
  }
  return [...byKey.entries()].map(([key, calls]) => {
    const latest = calls[0] as OrderEntry;
    const revoked = calls.some((call) => call.state === 'revoked');
    const withCsr = calls.find((call) => call.csrUri !== undefined);
    const withCertificate = calls.find((call) => call.certificateUri !== undefined);
    const replaced = calls.find((call) => call.state === 'replaced' && call.newOrderNumber !== undefined);
    return {
      key,
      identifierKind: latest.identifierKind,
      identifier: latest.identifier,
      baseUrl: latest.baseUrl,
      production: isProductionBaseUrl(latest.baseUrl),
      loginName: latest.loginName,
      kind: calls.some((call) => call.endpoint === 'AutoReplaceSMIME') ? 'smime' : 'ssl',
      state: revoked ? 'revoked' : latest.state,
      calls,
      newOrderNumber: replaced?.newOrderNumber,
      csrUri: withCsr?.csrUri,
      csrBlockIndex: withCsr?.csrBlockIndex,
      certificateUri: withCertificate?.certificateUri,
    };
  });
}
