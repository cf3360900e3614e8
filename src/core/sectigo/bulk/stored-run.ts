// The editor's bulk runs, kept in its global storage (run-store.ts): a run made from a draft, run
// end to end through the one journalled run, the test that passed and whose real revocation
// stays offered, the orders of the history as targets, and each outcome as a history entry.
// Pure of VS Code: the editor adapts it (progress, dialogs, words), the tests run it in Node.
import { endpointUrl, isProductionBaseUrl, sameBaseUrl, sameUrl } from '../call-plan';
import type { RevocationCode } from '../types';
import { normalizeSerialNumber } from '../validate';
import {
  newEntryId,
  orderKeyOf,
  type BulkRunRecord,
  type OrderEntry,
  type OrderIdentifier,
  type OrderState,
  type OrderSummary,
} from '../orders-store';
import { runJournalledRevocation, type BulkRunReporter, type JournalledRun } from './journalled-run';
import type { TargetOutcome } from './run';
import { targetsDigest, type BulkRunManifest, type BulkRunStore, type InterruptedRun, type NewRun } from './run-store';
import { summaryVerdict, type BulkSummary } from './summary';
import { revokeParamsFor, type BulkTarget } from './targets';
import { buildRevokeForm } from '../request';
import type { RunOutcomeCounts } from './run-outcomes';

/** The choices of a run before it is confirmed: where it goes, as whom and why, and from what list. */
type RunChoices = Pick<BulkRunManifest, 'source' | 'endpoint' | 'loginName' | 'reason' | 'codeReason'>;

/**
 * What a run is made of before it is confirmed: its choices and its targets, as the list gave them
 * or (the real run after a passed test) as the tested run kept them, with their count and digest.
 */
export type RunDraft = RunChoices &
  (
    | { targets: readonly BulkTarget[] }
    | { targetsOf: string; total: number; targetsDigest: string; targets?: undefined }
  );

/** A new run of the draft's targets, test or real: its own id, so its journal starts empty. */
export function newRun(draft: RunDraft, test: boolean): NewRun {
  const base = { v: 2 as const, id: newEntryId(), createdAt: new Date().toISOString(), test };
  const choices: RunChoices = {
    source: draft.source,
    endpoint: draft.endpoint,
    loginName: draft.loginName,
    reason: draft.reason,
    ...(draft.codeReason !== undefined && { codeReason: draft.codeReason }),
  };
  if (draft.targets !== undefined)
    return {
      ...base,
      ...choices,
      total: draft.targets.length,
      targetsDigest: targetsDigest(draft.targets),
      targets: draft.targets,
    };
  return { ...base, ...choices, total: draft.total, targetsDigest: draft.targetsDigest, targetsOf: draft.targetsOf };
}

/** The draft a run was made from (the real run after a passed test reuses its test's targets, as kept). */
export function draftOf(run: BulkRunManifest): RunDraft {
  return {
    source: run.source,
    endpoint: run.endpoint,
    loginName: run.loginName,
    reason: run.reason,
    ...(run.codeReason !== undefined && { codeReason: run.codeReason }),
    targetsOf: run.id,
    total: run.total,
    targetsDigest: run.targetsDigest,
  };
}

/** The base URL a run's endpoint belongs to (the account's, when the run was made). */
export function baseUrlOfRun(run: Pick<BulkRunManifest, 'endpoint'>): string {
  const suffix = bulkEndpoint('/').slice(1);
  return run.endpoint.endsWith(suffix) ? run.endpoint.slice(0, -suffix.length) : run.endpoint;
}

/**
 * The unfinished run a list would repeat: the newest one from the same source, or with the same
 * targets. A fresh run of that list would send again what its journal says Sectigo answered, so
 * the list offers the resume instead (or an explicit discard first).
 */
export function unfinishedRunOf<T extends { manifest: BulkRunManifest }>(
  runs: readonly T[],
  targets: readonly BulkTarget[],
  source: string,
): T | undefined {
  const wanted = targetsDigest(targets);
  const newestFirst = [...runs].sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  return newestFirst.find((run) => run.manifest.source === source || run.manifest.targetsDigest === wanted);
}

/** The endpoint a bulk run of an account at `baseUrl` goes to. */
export function bulkEndpoint(baseUrl: string): string {
  return endpointUrl(baseUrl, 'AutoRevokeSSL');
}

/** Whether a run goes to Sectigo's production API: the one production rule, applied to the run's endpoint. */
export function isProductionRun(run: Pick<BulkRunManifest, 'endpoint'>): boolean {
  const suffix = bulkEndpoint('');
  return run.endpoint.endsWith(suffix) && isProductionBaseUrl(run.endpoint.slice(0, -suffix.length));
}

/** Why an account cannot continue a run: another login, or another endpoint; undefined when it can. */
export function accountMismatch(
  run: BulkRunManifest,
  loginName: string,
  baseUrl: string,
): 'login' | 'endpoint' | undefined {
  if (loginName !== run.loginName) return 'login';
  return sameUrl(bulkEndpoint(baseUrl), run.endpoint) ? undefined : 'endpoint';
}

/** A test run Sectigo accepted whole: its real revocation stays offered until it is made or another test passes. */
export interface PassedTest {
  manifestId: string;
  /** ISO 8601, when the test ended. */
  at: string;
  count: number;
  source: string;
  loginName: string;
}

/** A stored value read back as a PassedTest, or undefined when it is not one (state is untrusted). */
export function passedTestOf(value: unknown): PassedTest | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const passed = value as Partial<PassedTest>;
  if (
    typeof passed.manifestId !== 'string' ||
    typeof passed.at !== 'string' ||
    typeof passed.count !== 'number' ||
    typeof passed.source !== 'string' ||
    typeof passed.loginName !== 'string'
  )
    return undefined;
  return {
    manifestId: passed.manifestId,
    at: passed.at,
    count: passed.count,
    source: passed.source,
    loginName: passed.loginName,
  };
}

export interface StoredRunResult {
  summary: BulkSummary;
  journalPath: string;
  /** Set when this was a test that Sectigo accepted whole: the real revocation to offer. */
  passedTest?: PassedTest;
}

export type StoredRunOptions = Pick<JournalledRun, 'send' | 'secrets' | 'concurrency' | 'ratePerSecond' | 'stop'>;

/**
 * Runs what the run's journal says is left, end to end; a run with nothing unknown or unsent
 * left is marked finished (no longer offered for resuming).
 */
export async function runStoredRun(
  store: BulkRunStore,
  run: BulkRunManifest,
  options: StoredRunOptions,
  reporter: BulkRunReporter = {},
): Promise<StoredRunResult> {
  const journalPath = store.journalPath(run.id);
  const ran = await runJournalledRevocation(
    {
      ...options,
      targets: store.targets(run),
      journalPath,
      facts: { endpoint: run.endpoint, loginName: run.loginName, test: run.test },
      defaults: { reason: run.reason, ...(run.codeReason !== undefined && { codeReason: run.codeReason }) },
    },
    reporter,
  );
  if (ran.kind !== 'ran') throw new Error('The run was stopped before it started.');
  const { summary } = ran;
  if (summary.unknown === 0 && summary.notSent === 0) await store.markFinished(run);
  const passed =
    run.test && summaryVerdict(summary) === 'done'
      ? {
          manifestId: run.id,
          at: new Date().toISOString(),
          count: run.total,
          source: run.source,
          loginName: run.loginName,
        }
      : undefined;
  return { summary, journalPath, ...(passed && { passedTest: passed }) };
}

const TARGET_KIND_OF: Record<OrderIdentifier, BulkTarget['kind']> = {
  orderNumber: 'order',
  certificateID: 'certificate-id',
  serialNumber: 'serial',
};

const IDENTIFIER_OF: Record<BulkTarget['kind'], OrderIdentifier> = {
  order: 'orderNumber',
  'certificate-id': 'certificateID',
  serial: 'serialNumber',
};

/** An order of the history that a bulk revocation leaves out, and why. */
export interface SkippedOrder {
  order: OrderSummary;
  /** S/MIME (AutoRevokeSSL revokes SSL only), or already revoked. */
  why: 'smime' | 'revoked';
}

/** The orders of the history as AutoRevokeSSL targets; S/MIME orders and revoked ones are skipped. */
export function targetsOfOrders(orders: readonly OrderSummary[]): { targets: BulkTarget[]; skipped: SkippedOrder[] } {
  const targets: BulkTarget[] = [];
  const skipped: SkippedOrder[] = [];
  for (const order of orders) {
    if (order.kind !== 'ssl') skipped.push({ order, why: 'smime' });
    else if (order.state === 'revoked') skipped.push({ order, why: 'revoked' });
    else
      targets.push({
        kind: TARGET_KIND_OF[order.identifierKind],
        value: order.identifierKind === 'serialNumber' ? normalizeSerialNumber(order.identifier) : order.identifier,
        line: targets.length + 1,
      });
  }
  return { targets, skipped };
}

/**
 * The targets of a list that the history knows as S/MIME orders at this endpoint (an order replaced
 * through AutoReplaceSMIME, or the order that replaced it): AutoRevokeSSL revokes SSL certificates
 * only, so they are skipped and named, as Revoke Selected… skips them.
 */
export function withoutSmimeOrders(
  targets: readonly BulkTarget[],
  orders: readonly OrderSummary[],
  baseUrl: string,
): { targets: BulkTarget[]; skipped: Array<{ target: BulkTarget; order: OrderSummary }> } {
  const smime = new Map<string, OrderSummary>();
  for (const order of orders) {
    if (order.kind !== 'smime' || order.baseUrl !== baseUrl || order.identifierKind !== 'orderNumber') continue;
    smime.set(order.identifier, order);
    if (order.newOrderNumber !== undefined) smime.set(order.newOrderNumber, order);
  }
  const kept: BulkTarget[] = [];
  const skipped: Array<{ target: BulkTarget; order: OrderSummary }> = [];
  for (const target of targets) {
    const order = target.kind === 'order' ? smime.get(target.value) : undefined;
    if (order) skipped.push({ target, order });
    else kept.push(target);
  }
  return { targets: kept, skipped };
}

/** The orders made at another endpoint than `baseUrl`: a bulk run goes to one endpoint only. */
export function ordersElsewhere(orders: readonly OrderSummary[], baseUrl: string): OrderSummary[] {
  return orders.filter((order) => !sameBaseUrl(order.baseUrl, baseUrl));
}

/**
 * The state a target's outcome leaves its order in: a -21 is "already revoked", a revocation fact
 * even in a test run; a test call accepted revoked nothing.
 */
function stateOf(outcome: TargetOutcome, test: boolean): OrderState | undefined {
  if (outcome.outcome === 'revoked') return outcome.alreadyRevoked === true || !test ? 'revoked' : 'test-revoked';
  if (outcome.outcome === 'failed') return 'failed';
  return outcome.outcome === 'unknown' ? 'outcome-unknown' : undefined;
}

/**
 * The history entry of a target's outcome when its order is already in the history (`knownOrders`,
 * keys of orderKeyOf): a call of that order, so the order shows its new state. Every other
 * target's answer stays in the run's journal, read beneath the run's one record (run-outcomes.ts).
 */
export function historyEntryOf(
  run: BulkRunManifest,
  baseUrl: string,
  outcome: TargetOutcome,
  knownOrders: ReadonlySet<string> = new Set(),
): OrderEntry | undefined {
  const state = stateOf(outcome, run.test);
  if (state === undefined) return undefined;
  const { result, target } = outcome;
  const identifierKind = IDENTIFIER_OF[target.kind];
  if (!knownOrders.has(orderKeyOf({ identifierKind, identifier: target.value, baseUrl }))) return undefined;
  const codeReason: RevocationCode | undefined = target.codeReason ?? run.codeReason;
  return {
    id: newEntryId(),
    time: new Date().toISOString(),
    endpoint: 'AutoRevokeSSL',
    identifierKind,
    identifier: target.value,
    state,
    baseUrl,
    loginName: run.loginName,
    test: run.test,
    ...(codeReason !== undefined && { codeReason }),
    revocationReason: target.reason ?? run.reason ?? '',
    ...('durationMs' in result && { durationMs: result.durationMs }),
    ...(result.kind === 'api-error' && { errorCode: result.errorCode, message: result.errorMessage }),
    ...((result.kind === 'transport-error' || result.kind === 'cancelled') && { message: result.message }),
  };
}

/** A run's counts as its record keeps them: accepted (-21 included), of them already revoked, failed, unknown, not sent. */
export interface RunCounts {
  revoked: number;
  alreadyRevoked?: number;
  failed: number;
  unknown: number;
  notSent: number;
}

/** The run's one record in the history: its list, counts and journal; `finished` once nothing is left to send. */
export function runRecordOf(
  run: BulkRunManifest,
  baseUrl: string,
  journal: string,
  counts: RunCounts,
  finished: boolean,
  discarded = false,
): BulkRunRecord {
  return {
    id: run.id,
    time: run.createdAt,
    updated: new Date().toISOString(),
    source: run.source,
    endpoint: run.endpoint,
    baseUrl,
    loginName: run.loginName,
    test: run.test,
    total: run.total,
    accepted: counts.revoked,
    ...(counts.alreadyRevoked !== undefined && { alreadyRevoked: counts.alreadyRevoked }),
    failed: counts.failed,
    unknown: counts.unknown,
    notSent: counts.notSent,
    journal,
    finished,
    ...(discarded && { discarded: true }),
  };
}

/** A run's counts from what its journal holds (run-outcomes.ts): never sent counts as not sent. */
export function runCountsOf(counts: RunOutcomeCounts, total: number): Required<RunCounts> {
  const revoked = counts.accepted + counts['already-revoked'];
  return {
    revoked,
    alreadyRevoked: counts['already-revoked'],
    failed: counts.failed,
    unknown: counts.unknown,
    notSent: Math.max(0, total - revoked - counts.failed - counts.unknown),
  };
}

/**
 * The `test` field every call of a run sends, as its form has it ("test = Y", "test = N"): made by
 * the builder of the calls themselves (revokeParamsFor, buildRevokeForm), so the confirmation says
 * what is sent.
 */
export function testFieldOf(run: Pick<BulkRunManifest, 'reason' | 'codeReason'>, test: boolean): string {
  // Every target's form carries the same test field: any target shows it.
  const target: BulkTarget = { kind: 'order', value: '1', line: 1 };
  const form = buildRevokeForm(
    { loginName: '', loginPassword: '' },
    revokeParamsFor(target, {
      reason: run.reason,
      ...(run.codeReason !== undefined && { codeReason: run.codeReason }),
      test,
    }),
  );
  const field = form.find(([name]) => name === 'test');
  return field ? `${field[0]} = ${field[1]}` : 'test not sent';
}

/** The record of a run found unfinished (after a reload or crash), with the counts its journal holds. */
export function recordOfInterrupted(run: InterruptedRun): BulkRunRecord {
  return runRecordOf(
    run.manifest,
    baseUrlOfRun(run.manifest),
    run.journalPath,
    { revoked: run.done, failed: run.failed, unknown: run.unknown, notSent: run.left - run.unknown },
    false,
  );
}
