// Writes the new request and its private key together: both completely or neither, never over
// an existing file, the key readable by its owner only. Each file is first written to a fresh
// temporary file beside its target (O_EXCL, fsync), then hard-linked to its name, which fails
// rather than replace a file that appeared meanwhile; on any failure everything we made is removed.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PairWriteError } from './pair-writer';

export { PairWriteError };

export const keyFileMode = 0o600;
const csrFileMode = 0o644;
/** How long `git check-ignore` may take before the check is given up. */
export const gitCheckTimeoutMs = 5000;

export interface PairPaths {
  csr: string;
  key: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Refuses (PairWriteError) when either target exists, both are the same path, or a folder is missing. */
export async function checkTargetsFree(paths: PairPaths): Promise<void> {
  if (paths.csr === paths.key)
    throw new PairWriteError('the request and the key cannot be written to the same file', true);
  for (const path of [paths.csr, paths.key]) {
    const present = await exists(path).catch((error: unknown) => {
      throw new PairWriteError(`${path}: ${describe(error)}`, false);
    });
    if (present)
      throw new PairWriteError(
        `${path} already exists; it is never overwritten (choose another name or remove it)`,
        true,
      );
    const folder = await stat(dirname(path)).catch(() => null);
    if (folder === null || !folder.isDirectory())
      throw new PairWriteError(`the folder ${dirname(path)} does not exist`, false);
  }
}

async function writeTemporary(target: string, text: string, mode: number): Promise<string> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    // The mode given to open() is narrowed by the umask; the key must be exactly owner-only.
    await handle.chmod(mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temporary;
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the new names durable; not every platform can open a directory (Windows), which is fine.
  try {
    const handle = await open(directory, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return 'the file appeared while it was being written; nothing was overwritten';
  if (code === 'ENOENT') return 'the folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENAMETOOLONG') return 'the file name is too long for the file system';
  return error instanceof Error ? error.message : String(error);
}

/** Gives `temporary` the name `target` without replacing a file of that name. */
async function placeWithoutClobbering(temporary: string, target: string): Promise<void> {
  try {
    // link() never replaces an existing name (unlike rename()), so a file created meanwhile is safe.
    await link(temporary, target);
    await unlink(temporary).catch(() => undefined);
  } catch (error) {
    // Some file systems have no hard links (FAT, some network shares): check, then rename.
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes((error as NodeJS.ErrnoException).code ?? ''))
      throw error;
    if (await exists(target)) throw Object.assign(new Error('the file exists'), { code: 'EEXIST' });
    await rename(temporary, target);
  }
}

/** Writes both files, or neither; throws PairWriteError saying why. */
export async function writePair(paths: PairPaths, csrText: string, keyText: string): Promise<void> {
  await checkTargetsFree(paths);
  const made: string[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const path of made.reverse()) await unlink(path).catch(() => undefined);
  };
  try {
    const csrTemporary = await writeTemporary(paths.csr, csrText, csrFileMode);
    made.push(csrTemporary);
    const keyTemporary = await writeTemporary(paths.key, keyText, keyFileMode);
    made.push(keyTemporary);
    await placeWithoutClobbering(csrTemporary, paths.csr);
    made.push(paths.csr);
    await placeWithoutClobbering(keyTemporary, paths.key);
    made.push(paths.key);
  } catch (error) {
    // Removing a temporary name that is already gone is harmless.
    await cleanUp();
    throw new PairWriteError(
      `nothing was written: ${describe(error)}`,
      (error as NodeJS.ErrnoException).code === 'EEXIST',
    );
  }
  await syncDirectory(dirname(paths.csr));
  if (dirname(paths.key) !== dirname(paths.csr)) await syncDirectory(dirname(paths.key));
}

/**
 * Whether `path` lies in a git work tree without being ignored (so a commit could take the key
 * along). null when git is missing, the path is outside a work tree, or git did not answer in time.
 */
export function isUnignoredInGitWorkTree(path: string): Promise<boolean | null> {
  return new Promise((resolve) => {
    // No shell: the path is an argument, never part of a command line. The folder may be a
    // repository someone else prepared, and git runs programs its config names (core.fsmonitor):
    // switched off from the command line, which overrides the repository's config; --no-index
    // keeps git from reading the index at all.
    const args = [
      '-c',
      'core.fsmonitor=false',
      '-c',
      'core.hooksPath=/dev/null',
      '-C',
      dirname(path),
      'check-ignore',
      '--no-index',
      '-q',
      '--',
      basename(path),
    ];
    execFile('git', args, { timeout: gitCheckTimeoutMs, windowsHide: true }, (error) => {
      if (error === null) resolve(false);
      else if (typeof error.code === 'number' && error.code === 1) resolve(true);
      else resolve(null);
    });
  });
}
