// Bulk runs kept in a folder (the extension's global storage): for each run, a manifest with the
// choices made and the count of its targets, the checked targets in a file of their own beside it
// (one JSON line each, read as a stream, never held whole), and its journal. A run whose manifest
// is not marked finished was interrupted (reload, crash) and can be resumed from its journal
// without the list file, which may have moved since. A manifest of the first format (every target
// inside it) is read once more and rewritten in this one.
import { createHash } from 'node:crypto';
import { jsonText } from '../../json-text';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byteLines } from './byte-lines';
import { placeJournal, readJournal } from './journal-file';
import { RunIndex, isToSend } from './run-index';
import type { RevocationCode } from '../types';
import { isRevocationCode } from '../validate';
import { MAX_LIST_BYTES, MAX_LIST_LINE_BYTES, targetKey, type BulkTarget } from './targets';

export interface BulkRunManifest {
  v: 2;
  id: string;
  /** ISO 8601. */
  createdAt: string;
  /** Where the targets came from, for display ("incident.csv", "3 selected orders"). */
  source: string;
  endpoint: string;
  loginName: string;
  test: boolean;
  reason: string | undefined;
  codeReason?: RevocationCode;
  /** How many targets the list named (repeats included); they are in the run's targets file. */
  total: number;
  /** The distinct targets' digest (targetsDigest): a list that repeats the run is known without reading them. */
  targetsDigest: string;
  finished?: boolean;
  /** Set with `finished` when the person discarded the rest: what is left is never sent. */
  discarded?: boolean;
}

/** A run not saved yet: its manifest, and its targets as read from the list or as another run kept them. */
export type NewRun = BulkRunManifest & ({ targets: readonly BulkTarget[] } | { targetsOf: string });

/** The targets of a run, in list order, read afresh from its targets file each time they are iterated. */
export interface StoredTargets {
  read(): AsyncIterable<BulkTarget>;
}

/** The digest of a list's distinct targets, whatever their order or repeats (sha256 of the sorted keys). */
export function targetsDigest(targets: readonly BulkTarget[]): string {
  const keys = [...new Set(targets.map(targetKey))].sort();
  const hash = createHash('sha256');
  for (const key of keys) hash.update(`${key}\n`);
  return hash.digest('hex');
}

export interface InterruptedRun {
  manifest: BulkRunManifest;
  journalPath: string;
  total: number;
  /** Not done yet: to send again (unknown, not sent, or never started). */
  left: number;
  /** Answered by Sectigo in earlier runs: accepted (not sent again), failed with an API error. */
  done: number;
  failed: number;
  /** Of `left`, how many may have reached Sectigo (the answer was never journalled). */
  unknown: number;
}

const MANIFEST_SUFFIX = '.run.json';
const TARGETS_SUFFIX = '.targets.jsonl';
/** A manifest of the first format held the checked targets of a list of at most MAX_LIST_BYTES, and a few fields. */
const MAX_MANIFEST_BYTES = MAX_LIST_BYTES * 2;
/** A line of a targets file: a target as its list named it (a certificate's path, a reason of its own). */
const MAX_TARGET_LINE_BYTES = MAX_LIST_LINE_BYTES * 2;

/** A stored target read back, or undefined when it is not one (the folder is not trusted more than a list). */
function targetOf(value: unknown): BulkTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const target = value as Partial<BulkTarget>;
  if (
    (target.kind !== 'order' && target.kind !== 'certificate-id' && target.kind !== 'serial') ||
    typeof target.value !== 'string' ||
    typeof target.line !== 'number' ||
    !Number.isSafeInteger(target.line)
  )
    return undefined;
  return {
    kind: target.kind,
    value: target.value,
    line: target.line,
    ...(typeof target.reason === 'string' && { reason: target.reason }),
    ...(typeof target.codeReason === 'number' &&
      isRevocationCode(target.codeReason) && { codeReason: target.codeReason }),
    ...(typeof target.certificateFile === 'string' && { certificateFile: target.certificateFile }),
  };
}

/**
 * Whether the folder holds a run not marked finished: the cheap first look the editor takes
 * after activation, before it loads the bulk code to offer a resume (which also reads the
 * journals). Reads with fs/promises; a manifest over the size a manifest can reach is skipped.
 */
export async function hasUnfinishedRun(directory: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return false;
  }
  for (const name of names.filter((file) => file.endsWith(MANIFEST_SUFFIX))) {
    try {
      const path = join(directory, name);
      if ((await stat(path)).size > MAX_MANIFEST_BYTES) continue;
      const manifest = JSON.parse(await readFile(path, 'utf8')) as { finished?: unknown };
      if (manifest.finished !== true) return true;
    } catch {
      continue;
    }
  }
  return false;
}

/**
 * Whether the look after activation must load the bulk code: a run folder holds an unfinished
 * run (to offer its resume), or the order history still marks a run unfinished whose run is gone
 * or finished (another window finished it, its files were removed): that record must be marked
 * finished, or the Orders view keeps a badge and a Resume that can only fail.
 */
export async function unfinishedRunCheckNeeded(
  directory: string,
  recordedRuns: readonly { readonly finished: boolean }[],
): Promise<boolean> {
  return recordedRuns.some((run) => !run.finished) || (await hasUnfinishedRun(directory));
}

/** A run's manifest without the targets a new run carries until it is saved. */
function manifestOf(run: BulkRunManifest | NewRun): BulkRunManifest {
  const {
    targets: _targets,
    targetsOf: _targetsOf,
    ...manifest
  } = run as BulkRunManifest & {
    targets?: unknown;
    targetsOf?: unknown;
  };
  return manifest;
}

export class BulkRunStore {
  constructor(readonly directory: string) {}

  journalPath(id: string): string {
    return join(this.directory, `${id}.journal.jsonl`);
  }

  private manifestPath(id: string): string {
    return join(this.directory, `${id}${MANIFEST_SUFFIX}`);
  }

  private targetsPath(id: string): string {
    return join(this.directory, `${id}${TARGETS_SUFFIX}`);
  }

  /**
   * Saves a run's manifest; a new run's targets first (the list's, or a copy of another run's
   * file), so a manifest on disk always has its targets beside it.
   */
  async save(run: BulkRunManifest | NewRun): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const { targets, targetsOf, ...manifest } = run as BulkRunManifest & {
      targets?: readonly BulkTarget[];
      targetsOf?: string;
    };
    if (targets) await this.writeTargets(manifest.id, targets);
    else if (targetsOf !== undefined && targetsOf !== manifest.id) {
      await copyFile(this.targetsPath(targetsOf), `${this.targetsPath(manifest.id)}.tmp`);
      await rename(`${this.targetsPath(manifest.id)}.tmp`, this.targetsPath(manifest.id));
    }
    const path = this.manifestPath(manifest.id);
    // Written aside and renamed over: a crash leaves the old manifest or the new one, never half.
    await writeFile(`${path}.tmp`, jsonText(manifest, { redacted: true }), { encoding: 'utf8', mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }

  private async writeTargets(id: string, targets: readonly BulkTarget[]): Promise<void> {
    const path = this.targetsPath(id);
    const handle = await open(`${path}.tmp`, 'w', 0o600);
    try {
      const lines: string[] = [];
      const flush = async (): Promise<void> => {
        if (lines.length > 0) await handle.write(`${lines.join('\n')}\n`);
        lines.length = 0;
      };
      for (const target of targets) {
        lines.push(jsonText(target, { redacted: true }));
        if (lines.length >= 1_000) await flush();
      }
      await flush();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(`${path}.tmp`, path);
  }

  /** The run's targets, streamed from its file; a line that is not a target stops the read (nothing is guessed). */
  targets(manifest: Pick<BulkRunManifest, 'id'>): StoredTargets {
    const path = this.targetsPath(manifest.id);
    return {
      async *read() {
        const handle = await open(path, 'r');
        try {
          const { size } = await handle.stat();
          let number = 0;
          for await (const line of byteLines(handle, size, MAX_TARGET_LINE_BYTES)) {
            number++;
            if (line.bytes.length === 0 && !line.tooLong) continue;
            let target: BulkTarget | undefined;
            try {
              target = line.tooLong ? undefined : targetOf(JSON.parse(line.bytes.toString('utf8')));
            } catch {
              target = undefined;
            }
            if (!target) throw new Error(`${path}: line ${number} is not a target of the run.`);
            yield target;
          }
        } finally {
          await handle.close();
        }
      },
    };
  }

  /** The run's targets, all of them, for a dialog that names them (a confirmation); its file is not held open. */
  async loadTargets(manifest: Pick<BulkRunManifest, 'id'>): Promise<BulkTarget[]> {
    const targets: BulkTarget[] = [];
    for await (const target of this.targets(manifest).read()) targets.push(target);
    return targets;
  }

  /** The targets an unfinished run still has to send, in the list's order (for its confirmation). */
  async leftTargets(manifest: BulkRunManifest): Promise<BulkTarget[]> {
    const index = await this.indexOf(manifest);
    const left: BulkTarget[] = [];
    for await (const target of this.targets(manifest).read()) {
      const state = index.get(targetKey(target));
      if (state !== undefined && state.line === target.line && isToSend(state.status, false)) left.push(target);
    }
    return left;
  }

  private async indexOf(manifest: BulkRunManifest): Promise<RunIndex> {
    const journalPath = this.journalPath(manifest.id);
    const index = new RunIndex();
    for await (const target of this.targets(manifest).read()) index.list(target);
    await readJournal(await placeJournal(journalPath), journalPath, { index });
    return index;
  }

  /** Marks the run finished: its manifest alone is written again (a new run's targets are already beside it). */
  async markFinished(manifest: BulkRunManifest): Promise<void> {
    await this.save({ ...manifestOf(manifest), finished: true });
  }

  /** The person gave up the rest of the run: it is no longer offered, and its journal stays. */
  async discard(manifest: BulkRunManifest): Promise<void> {
    await this.save({ ...manifestOf(manifest), finished: true, discarded: true });
  }

  /** The run with this id, or undefined when it is not kept (or cannot be read). */
  async get(id: string): Promise<BulkRunManifest | undefined> {
    if (!/^[\w-]+$/.test(id)) return undefined;
    return this.read(this.manifestPath(id));
  }

  /** Runs not marked finished that still have targets to send, newest first. A manifest that cannot be read is skipped. */
  async interrupted(): Promise<InterruptedRun[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return [];
    }
    const runs: InterruptedRun[] = [];
    for (const name of names.filter((file) => file.endsWith(MANIFEST_SUFFIX))) {
      const manifest = await this.read(join(this.directory, name));
      const run = manifest && (await this.progressOf(manifest));
      if (run) runs.push(run);
    }
    return runs.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  }

  /** The run with this id while it is unfinished with targets left, else undefined. */
  async unfinished(id: string): Promise<InterruptedRun | undefined> {
    const manifest = await this.get(id);
    return manifest && this.progressOf(manifest);
  }

  /** How far an unfinished run got, from its journal; undefined when it is finished or nothing is left. */
  private async progressOf(manifest: BulkRunManifest): Promise<InterruptedRun | undefined> {
    if (manifest.finished) return undefined;
    try {
      const plan = (await this.indexOf(manifest)).plan(false);
      if (plan.toSend === 0) return undefined;
      return {
        manifest,
        journalPath: this.journalPath(manifest.id),
        total: manifest.total,
        left: plan.toSend,
        done: plan.done,
        failed: plan.failedBefore,
        unknown: plan.unknownBefore,
      };
    } catch {
      return undefined;
    }
  }

  private async read(path: string): Promise<BulkRunManifest | undefined> {
    try {
      if ((await stat(path)).size > MAX_MANIFEST_BYTES) return undefined;
      const manifest = JSON.parse(await readFile(path, 'utf8')) as Partial<Omit<BulkRunManifest, 'v'>> & {
        v?: unknown;
        targets?: unknown;
      };
      if (
        (manifest.v !== 1 && manifest.v !== 2) ||
        typeof manifest.id !== 'string' ||
        !/^[\w-]+$/.test(manifest.id) ||
        typeof manifest.endpoint !== 'string' ||
        typeof manifest.loginName !== 'string' ||
        typeof manifest.createdAt !== 'string' ||
        typeof manifest.source !== 'string'
      )
        return undefined;
      const fields = {
        id: manifest.id,
        createdAt: manifest.createdAt,
        source: manifest.source,
        endpoint: manifest.endpoint,
        loginName: manifest.loginName,
        test: manifest.test === true,
        reason: typeof manifest.reason === 'string' ? manifest.reason : undefined,
        ...(typeof manifest.codeReason === 'number' &&
          isRevocationCode(manifest.codeReason) && { codeReason: manifest.codeReason }),
        ...(manifest.finished === true && { finished: true }),
        ...(manifest.discarded === true && { discarded: true }),
      };
      if (manifest.v === 1) {
        // The first format: its targets inside it. Rewritten once in this one (targets beside it).
        if (!Array.isArray(manifest.targets)) return undefined;
        const targets = manifest.targets.flatMap((value: unknown) => targetOf(value) ?? []);
        const upgraded: NewRun = {
          v: 2,
          ...fields,
          total: targets.length,
          targetsDigest: targetsDigest(targets),
          targets,
        };
        await this.save(upgraded);
        const { targets: _written, ...saved } = upgraded;
        return saved;
      }
      if (
        typeof manifest.total !== 'number' ||
        !Number.isSafeInteger(manifest.total) ||
        manifest.total < 0 ||
        typeof manifest.targetsDigest !== 'string'
      )
        return undefined;
      return { v: 2, ...fields, total: manifest.total, targetsDigest: manifest.targetsDigest };
    } catch {
      return undefined;
    }
  }

  /** Removes a run's files that a failed save left aside (never the run's own). */
  async removeLeftovers(id: string): Promise<void> {
    await rm(`${this.targetsPath(id)}.tmp`, { force: true });
    await rm(`${this.manifestPath(id)}.tmp`, { force: true });
  }
}
