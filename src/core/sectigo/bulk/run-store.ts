// Bulk runs kept in a folder (the extension's global storage): for each run, a
// manifest with the checked targets and the choices made, beside its journal. A run
// whose manifest is not marked finished was interrupted (reload, crash) and can be
// resumed from its journal without the list file, which may have moved since.
import { jsonText } from '../../json-text';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { placeJournal, readJournal } from './journal-file';
import { RunIndex, isToSend } from './run-index';
import type { RevocationCode } from '../types';
import { MAX_LIST_BYTES, targetKey, type BulkTarget } from './targets';

export interface BulkRunManifest {
  v: 1;
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
  targets: BulkTarget[];
  finished?: boolean;
  /** Set with `finished` when the person discarded the rest: what is left is never sent. */
  discarded?: boolean;
}

export interface InterruptedRun {
  manifest: BulkRunManifest;
  journalPath: string;
  total: number;
  /** Not done yet: to send again (unknown, not sent, or never started). */
  left: number;
  /** The targets left, in the list's order. */
  leftTargets: BulkTarget[];
  /** Answered by Sectigo in earlier runs: accepted (not sent again), failed with an API error. */
  done: number;
  failed: number;
  /** Of `left`, how many may have reached Sectigo (the answer was never journalled). */
  unknown: number;
}

const MANIFEST_SUFFIX = '.run.json';
/** A manifest holds the checked targets of a list of at most MAX_LIST_BYTES, and a few fields. */
const MAX_MANIFEST_BYTES = MAX_LIST_BYTES * 2;

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

export class BulkRunStore {
  constructor(readonly directory: string) {}

  journalPath(id: string): string {
    return join(this.directory, `${id}.journal.jsonl`);
  }

  private manifestPath(id: string): string {
    return join(this.directory, `${id}${MANIFEST_SUFFIX}`);
  }

  async save(manifest: BulkRunManifest): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const path = this.manifestPath(manifest.id);
    // Written aside and renamed over: a crash leaves the old manifest or the new one, never half.
    await writeFile(`${path}.tmp`, jsonText(manifest, { redacted: true }), { encoding: 'utf8', mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }

  async markFinished(manifest: BulkRunManifest): Promise<void> {
    await this.save({ ...manifest, finished: true });
  }

  /** The person gave up the rest of the run: it is no longer offered, and its journal stays. */
  async discard(manifest: BulkRunManifest): Promise<void> {
    await this.save({ ...manifest, finished: true, discarded: true });
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
    const journalPath = this.journalPath(manifest.id);
    try {
      const index = new RunIndex();
      for (const target of manifest.targets) index.list(target);
      await readJournal(await placeJournal(journalPath), journalPath, { index });
      const plan = index.plan(false);
      if (plan.toSend === 0) return undefined;
      const leftTargets = manifest.targets.filter((target) => {
        const state = index.get(targetKey(target));
        return state !== undefined && state.line === target.line && isToSend(state.status, false);
      });
      return {
        manifest,
        journalPath,
        total: manifest.targets.length,
        left: plan.toSend,
        leftTargets,
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
      const manifest = JSON.parse(await readFile(path, 'utf8')) as Partial<BulkRunManifest>;
      if (
        manifest.v !== 1 ||
        typeof manifest.id !== 'string' ||
        !/^[\w-]+$/.test(manifest.id) ||
        !Array.isArray(manifest.targets)
      )
        return undefined;
      if (
        typeof manifest.endpoint !== 'string' ||
        typeof manifest.loginName !== 'string' ||
        typeof manifest.createdAt !== 'string'
      )
        return undefined;
      const targets = manifest.targets.filter(
        (target: Partial<BulkTarget>) =>
          (target.kind === 'order' || target.kind === 'certificate-id' || target.kind === 'serial') &&
          typeof target.value === 'string' &&
          typeof target.line === 'number',
      );
      return {
        ...(manifest as BulkRunManifest),
        targets,
        test: manifest.test === true,
        ...(manifest.discarded === true && { discarded: true }),
      };
    } catch {
      return undefined;
    }
  }
}
