// Writes the new request and its private key together on Node's file system: both completely or neither,
// never over an existing file, the key readable by its owner only (POSIX: mode 0600; Windows, where a mode
// means nothing: an access list granting the current account alone). Each file is first written
// to a fresh temporary file beside its target (O_EXCL, fsync), then hard-linked to its name, which
// fails rather than replace a file that appeared meanwhile; on any failure everything we made is removed.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { syncFolder } from '../sync-folder';
import { PairWriteError } from './pair-through-any-fs';

export { PairWriteError };

export const keyFileMode = 0o600;
const csrFileMode = 0o644;
/** How long `git check-ignore` may take before the check is given up. */
export const gitCheckTimeoutMs = 5000;
/** How long icacls may take to set the key's access list (Windows) before nothing is written. */
export const aclTimeoutMs = 10_000;

/** What keeps the key to its owner, as the messages say it: "mode 0600", or "access list: DOMAIN\user only". */
export type KeyAccess = string;

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

/** The account Windows knows the current user by, DOMAIN\name where there is a domain. */
export function windowsAccount(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.USERNAME || userInfo().username;
  return env.USERDOMAIN ? `${env.USERDOMAIN}\\${name}` : name;
}

/** icacls's arguments that leave `account` alone on `path`'s access list: inherited entries removed, full control granted. */
export function ownerOnlyAclArguments(path: string, account: string): string[] {
  return [path, '/inheritance:r', '/grant:r', `${account}:F`, '/q'];
}

/**
 * Windows: the new (still empty) file inherits its folder's access list, which may let others
 * read it; icacls replaces that with an entry for the current account alone. No shell: the path
 * and the account are arguments. icacls by its full path: Windows searches the working folder first.
 */
function restrictToCurrentAccount(path: string): Promise<KeyAccess> {
  const account = windowsAccount();
  const icacls = join(process.env.SystemRoot || 'C:\\Windows', 'System32', 'icacls.exe');
  return new Promise((done, fail) => {
    execFile(
      icacls,
      ownerOnlyAclArguments(resolve(path), account),
      { timeout: aclTimeoutMs, windowsHide: true },
      (error, _stdout, stderr) => {
        if (error === null) done(`access list: ${account} only`);
        else
          fail(
            new Error(
              `icacls could not restrict the key file to ${account} (${String(stderr).trim() || error.message}); the key is not left readable by others`,
            ),
          );
      },
    );
  });
}

/** Where the key is only its owner's: the mode on POSIX, the access list on Windows. */
function restrictKey(handle: { chmod(mode: number): Promise<void> }, path: string): Promise<KeyAccess> {
  if (process.platform === 'win32') return restrictToCurrentAccount(path);
  // The mode given to open() is narrowed by the umask; the key must be exactly owner-only.
  return handle.chmod(keyFileMode).then(() => `mode ${keyFileMode.toString(8).padStart(4, '0')}`);
}

async function writeTemporary(
  target: string,
  text: string,
  kind: 'request' | 'key',
): Promise<{ temporary: string; access: KeyAccess | undefined }> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = kind === 'key' ? keyFileMode : csrFileMode;
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  let access: KeyAccess | undefined;
  try {
    // Restricted while still empty, before the key is in it.
    if (kind === 'key') access = await restrictKey(handle, temporary);
    else await handle.chmod(mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return { temporary, access };
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

/** Writes both files, or neither; throws PairWriteError saying why. Returns what keeps the key its owner's. */
export async function writePair(paths: PairPaths, csrText: string, keyText: string): Promise<KeyAccess> {
  await checkTargetsFree(paths);
  const made: string[] = [];
  let keyAccess: KeyAccess | undefined;
  const cleanUp = async (): Promise<void> => {
    for (const path of made.reverse()) await unlink(path).catch(() => undefined);
  };
  try {
    const { temporary: csrTemporary } = await writeTemporary(paths.csr, csrText, 'request');
    made.push(csrTemporary);
    const { temporary: keyTemporary, access } = await writeTemporary(paths.key, keyText, 'key');
    made.push(keyTemporary);
    keyAccess = access;
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
  // Both names are in place; a disk that then fails to make them durable is said so, not hidden.
  try {
    await syncFolder(dirname(paths.csr));
    if (dirname(paths.key) !== dirname(paths.csr)) await syncFolder(dirname(paths.key));
  } catch (error) {
    throw new PairWriteError(
      `both files were written, but the disk reported an error making them durable: ${describe(error)}`,
      false,
    );
  }
  return keyAccess as KeyAccess;
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
