// The lock of a journal: a file beside it (`<journal>.lock`, in the same folder), so that every
// process that can write the journal sees it, whatever its TMPDIR, its container or its machine.
// Taken by exclusive create; it names its owner (process, host) and the journal's identity
// (device and inode). A lock of a dead owner, or of a journal that was replaced, is taken over;
// one with no owner in it is never taken over while younger than UNOWNED_LOCK_MIN_AGE_MS (a run
// may be writing it). A takeover is itself exclusive: it claims the stale lock by creating a file
// named after that very lock, so of two processes taking over one dead lock exactly one wins.
import { constants } from 'node:fs';
import { lstat, open, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { jsonText } from '../../json-text';

export const LOCK_SUFFIX = '.lock';
/** An empty, unreadable or foreign lock younger than this may be one a run is creating: never taken over. */
export const UNOWNED_LOCK_MIN_AGE_MS = 60_000;
/** A lock is tiny; a larger file at the lock's path was not written by us and is never removed. */
const MAX_LOCK_BYTES = 4096;

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

/** A file's identity: the same whatever path names it. */
export interface FileIdentity {
  dev: string;
  ino: string;
}

/** Who holds a lock: written whole right after the exclusive create. */
interface LockOwner {
  pid: number;
  host: string;
  /** Tells this lock from every other one (a reused PID, a second run of the same process). */
  nonce: string;
  journal: FileIdentity;
  created: string;
}

/** Another run holds the journal, or may be about to: nothing was done. */
export class JournalBusyError extends Error {}

export function lockPathOf(journalPath: string): string {
  return `${journalPath}${LOCK_SUFFIX}`;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

function kindOf(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function ownerOf(text: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (
      Number.isSafeInteger(parsed.pid) &&
      (parsed.pid as number) > 0 &&
      typeof parsed.host === 'string' &&
      typeof parsed.nonce === 'string' &&
      /^[0-9a-f]{16,64}$/.test(parsed.nonce) &&
      typeof parsed.journal?.dev === 'string' &&
      typeof parsed.journal.ino === 'string'
    )
      return parsed as LockOwner;
  } catch {
    // Not ours, or not whole yet.
  }
  return undefined;
}

/** Writes a new lock with its owner; false when a lock is already there. Never opens an existing file. */
async function createLock(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(jsonText(owner, { redacted: true }));
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(lockPath).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
}

/** What is at the lock's path now: nothing, or a lock with its tag (this lock and no other) and its owner if readable. */
type FoundLock = { kind: 'none' } | { kind: 'lock'; tag: string; owner?: LockOwner; ageMs: number };

async function readLock(lockPath: string, now: number): Promise<FoundLock> {
  let info;
  try {
    info = await lstat(lockPath, { bigint: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  if (!info.isFile())
    throw new JournalBusyError(
      `${lockPath} is ${kindOf(info)}, not a lock written by sectigo-csr; it was left as it is. Remove it, then run again.`,
    );
  if (info.size > BigInt(MAX_LOCK_BYTES))
    throw new JournalBusyError(
      `${lockPath} is ${info.size} bytes, not a lock written by sectigo-csr; it was left as it is. Remove it if no run is using the journal.`,
    );
  const ageMs = now - Number(info.mtimeMs);
  // This lock file and no later one at the same path: its inode and its last change.
  const fileTag = `${info.ino.toString(16)}-${info.ctimeNs.toString(16)}`;
  let text: string | undefined;
  try {
    const handle = await open(lockPath, constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING);
    try {
      const opened = await handle.stat({ bigint: true });
      if (opened.ino !== info.ino || !opened.isFile()) return { kind: 'lock', tag: fileTag, ageMs: 0 };
      const buffer = Buffer.alloc(MAX_LOCK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'none' };
    // Unreadable (another user's, say): judged by its age like an empty one.
  }
  const owner = text === undefined ? undefined : ownerOf(text);
  return owner ? { kind: 'lock', tag: owner.nonce, owner, ageMs } : { kind: 'lock', tag: fileTag, ageMs };
}

/** Why the lock found is not to be taken over, or undefined when it is stale. */
function whyBusy(
  found: Extract<FoundLock, { kind: 'lock' }>,
  lockPath: string,
  journal: FileIdentity,
): string | undefined {
  const { owner } = found;
  if (!owner) {
    if (found.ageMs >= UNOWNED_LOCK_MIN_AGE_MS) return undefined;
    return `its lock ${lockPath} has no owner written in it yet (a run may be starting). Try again in a minute; if no run is using this journal, delete that file.`;
  }
  // A lock of another file (the journal was deleted or replaced since) does not hold this one.
  if (owner.journal.dev !== journal.dev || owner.journal.ino !== journal.ino) return undefined;
  if (owner.host !== hostname())
    return `a run on ${owner.host} (process ${owner.pid}) holds its lock ${lockPath}; if no run is using this journal there, delete that file.`;
  if (owner.pid === process.pid) return 'this journal is already being used by a run in this process.';
  if (isAlive(owner.pid)) return `another run (process ${owner.pid}) is using this journal; wait for it to end.`;
  return undefined;
}

/**
 * Removes the lock tagged `tag` while no other process can: the claim file named after that
 * lock is created exclusively first, so one process alone acts on it; the lock is checked to be
 * that one still, then removed. Returns whether it was removed (false: it changed meanwhile).
 */
async function removeClaimed(lockPath: string, tag: string, now: () => number): Promise<boolean> {
  const claim = `${lockPath}.takeover-${tag}`;
  try {
    const handle = await open(claim, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
    await handle.close();
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const info = await lstat(claim).catch(() => undefined);
    if (info && now() - info.mtimeMs >= UNOWNED_LOCK_MIN_AGE_MS)
      throw new JournalBusyError(
        `a run stopped while taking over the lock ${lockPath}; if no run is using this journal, delete ${lockPath} and ${claim}.`,
      );
    throw new JournalBusyError('another run is taking this journal over at this moment; wait for it to end.');
  }
  try {
    const found = await readLock(lockPath, now());
    if (found.kind === 'none' || found.tag !== tag) return false;
    await unlink(lockPath).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
    return true;
  } finally {
    await unlink(claim).catch(() => undefined);
  }
}

/**
 * Takes the lock of the journal at `journalPath` (its real path) whose identity is `journal`, so
 * that two runs (two terminals, two VS Code windows, two machines on a shared folder) never work
 * from one journal at once. Returns the release. Throws JournalBusyError when another run holds
 * it or may be about to; any other error means the lock cannot be made here (a read-only folder).
 */
export async function lockJournal(
  journalPath: string,
  journal: FileIdentity,
  now: () => number = Date.now,
): Promise<() => Promise<void>> {
  const lockPath = lockPathOf(journalPath);
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(16).toString('hex'),
    journal,
    created: new Date(now()).toISOString(),
  };
  const release = async (): Promise<void> => {
    // Only our own lock, and through its claim: never one another run is taking over.
    await removeClaimed(lockPath, owner.nonce, now).catch(() => undefined);
  };
  for (let attempt = 0; attempt < 4; attempt++) {
    if (await createLock(lockPath, owner)) return release;
    const found = await readLock(lockPath, now());
    if (found.kind === 'none') continue;
    const busy = whyBusy(found, lockPath, journal);
    if (busy !== undefined) throw new JournalBusyError(busy);
    // Stale: removed under its claim, then created again by whoever comes first (one process).
    await removeClaimed(lockPath, found.tag, now);
  }
  throw new JournalBusyError(`its lock ${lockPath} changed hands several times while this run tried to take it.`);
}
