// What a bulk run knows of each target of its list, in one small number each: the first list line
// that names it (so a repeat is merged), where the journal says it stands, the error code it last
// failed with, and whether that came in this run. Kept in a key table outside the JavaScript heap
// (key-table.ts): 100,000 targets cost 7 MB; every other fact of a run is counted or streamed,
// never kept per target.
import type { JournalOutcome } from './journal';
import { KeyTable } from './key-table';
import { targetKey, type BulkTarget } from './targets';

/** Where a target stands: not in the journal yet, sent without an answer, or its last outcome. */
export type TargetStatus = 'unsent' | 'in-flight' | JournalOutcome;
const STATUSES: readonly TargetStatus[] = [
  'unsent',
  'in-flight',
  'revoked',
  'failed',
  'unknown',
  'not-sent',
  'call-limit',
];

// The packing: ((line × CODE_SLOTS + code slot) × 2 + this run) × 8 + status, below 2^31.
const STATUS_SLOTS = 8;
const CODE_SLOTS = 64;
/** Slot 0: no code; the last slot: a code beyond the ones kept (a hostile server's hundredth code). */
const OTHER_CODE_SLOT = CODE_SLOTS - 1;
/** The highest list line the packing holds (a list has at most MAX_LIST_LINES, far below). */
export const MAX_INDEXED_LINE = 2 ** 21 - 1;

export interface TargetState {
  status: TargetStatus;
  /** The first line of the list that names this target. */
  line: number;
  /** The error code of the last outcome, when kept. */
  code?: number;
  /** The last outcome came in this run (not read from the journal of an earlier one). */
  thisRun: boolean;
}

/** The counts a run plans with, before anything is sent. */
export interface ResumePlan {
  /** Distinct targets in the list. */
  total: number;
  /** Not in the journal, unknown outcome, not sent, or answered -42: sent now. */
  toSend: number;
  /** Answered 0 or -21 in an earlier run: not sent again. */
  done: number;
  /** Failed with an API error earlier and not retried (no --retry-failed): reported again. */
  failedBefore: number;
  /** Of toSend, how many the journal shows as possibly sent already (outcome unknown). */
  unknownBefore: number;
  /** The first targets to send, in list order, for a preview (at most PREVIEW_TARGETS). */
  firstToSend: BulkTarget[];
}

/** Targets a preview names before a run. */
export const PREVIEW_TARGETS = 10;

/** Whether a target in this state is sent by this run. */
export function isToSend(status: TargetStatus, retryFailed: boolean): boolean {
  return status !== 'revoked' && (status !== 'failed' || retryFailed);
}

export class RunIndex {
  private readonly entries = new KeyTable();
  private readonly codeSlots = new Map<number, number>();
  private readonly codes: number[] = [0];
  /** One message per (status, code slot), for a summary's groups: the first one seen. */
  private readonly samples = new Map<number, string>();

  /** Distinct targets listed. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * A target of the list, in list order. Returns the first line that named it when this one
   * repeats it (the run sends it once), else undefined.
   */
  list(target: Pick<BulkTarget, 'kind' | 'value' | 'line'>): number | undefined {
    const key = targetKey(target);
    const known = this.entries.get(key);
    if (known !== undefined) return lineOf(known);
    if (!Number.isInteger(target.line) || target.line < 1 || target.line > MAX_INDEXED_LINE)
      throw new RangeError(`A list line must be from 1 to ${MAX_INDEXED_LINE} (got ${target.line}).`);
    this.entries.set(key, pack(target.line, 0, false, 0));
    return undefined;
  }

  /** What the journal, or this run, says of a listed target; a target the list does not name is not kept. */
  record(key: string, status: TargetStatus, code?: number, message?: string, thisRun = false): void {
    const known = this.entries.get(key);
    if (known === undefined) return;
    const slot = code === undefined ? 0 : this.slotOf(code);
    this.entries.set(key, pack(lineOf(known), slot, thisRun, STATUSES.indexOf(status)));
    if (message !== undefined && (status === 'failed' || status === 'unknown' || status === 'not-sent')) {
      const sampleKey = STATUSES.indexOf(status) * CODE_SLOTS + slot;
      if (!this.samples.has(sampleKey) && this.samples.size < CODE_SLOTS * 4) this.samples.set(sampleKey, message);
    }
  }

  get(key: string): TargetState | undefined {
    const packed = this.entries.get(key);
    return packed === undefined ? undefined : this.stateOf(packed);
  }

  private stateOf(packed: number): TargetState {
    const slot = codeSlotOf(packed);
    return {
      status: STATUSES[packed % STATUS_SLOTS] ?? 'unsent',
      line: lineOf(packed),
      ...(slot !== 0 && slot !== OTHER_CODE_SLOT && { code: this.codes[slot] }),
      thisRun: Math.floor(packed / STATUS_SLOTS) % 2 === 1,
    };
  }

  /** Whether this line of the list is where the target is first named (a repeat is not sent again). */
  isFirst(target: Pick<BulkTarget, 'kind' | 'value' | 'line'>): boolean {
    return this.get(targetKey(target))?.line === target.line;
  }

  /** Whether a message for this status and code would be kept as its sample (none is yet). */
  wantsSample(status: TargetStatus, code: number | undefined): boolean {
    if (status !== 'failed' && status !== 'unknown' && status !== 'not-sent') return false;
    const slot = code === undefined ? 0 : this.codeSlots.get(code);
    // A code not seen yet has no sample.
    if (slot === undefined) return true;
    return !this.samples.has(STATUSES.indexOf(status) * CODE_SLOTS + slot) && this.samples.size < CODE_SLOTS * 4;
  }

  /** A message Sectigo (or the transport) gave for this status and code: the first one recorded. */
  sample(status: TargetStatus, code: number | undefined): string | undefined {
    const slot = code === undefined ? 0 : (this.codeSlots.get(code) ?? OTHER_CODE_SLOT);
    return this.samples.get(STATUSES.indexOf(status) * CODE_SLOTS + slot);
  }

  /** Every listed target's state (in no particular order). */
  *states(): IterableIterator<TargetState> {
    for (const packed of this.entries.numbers()) yield this.stateOf(packed);
  }

  /** The counts of what is done, failed and left (the first targets left are the caller's to find: a list line has more than its key). */
  plan(retryFailed: boolean): Omit<ResumePlan, 'firstToSend'> {
    const plan = { total: 0, toSend: 0, done: 0, failedBefore: 0, unknownBefore: 0 };
    for (const state of this.states()) {
      plan.total++;
      if (state.status === 'revoked') plan.done++;
      else if (!isToSend(state.status, retryFailed)) plan.failedBefore++;
      else {
        plan.toSend++;
        if (state.status === 'in-flight' || state.status === 'unknown') plan.unknownBefore++;
      }
    }
    return plan;
  }

  private slotOf(code: number): number {
    const known = this.codeSlots.get(code);
    if (known !== undefined) return known;
    if (this.codes.length >= OTHER_CODE_SLOT) return OTHER_CODE_SLOT;
    this.codes.push(code);
    this.codeSlots.set(code, this.codes.length - 1);
    return this.codes.length - 1;
  }
}

function pack(line: number, codeSlot: number, thisRun: boolean, status: number): number {
  return ((line * CODE_SLOTS + codeSlot) * 2 + (thisRun ? 1 : 0)) * STATUS_SLOTS + status;
}

function lineOf(packed: number): number {
  return Math.floor(packed / (STATUS_SLOTS * 2 * CODE_SLOTS));
}

function codeSlotOf(packed: number): number {
  return Math.floor(packed / (STATUS_SLOTS * 2)) % CODE_SLOTS;
}
