// A new file's name is on disk only once its folder is synced (Linux, macOS). Windows cannot sync
// a folder: Node opens it, then FlushFileBuffers fails with EPERM (NTFS journals names itself).
// That answer, and the few that mean "this file system or platform has no folder sync", are not
// errors; anything else (EIO, say) is, and is thrown.
import { open } from 'node:fs/promises';

/** The codes that say a folder cannot be opened or synced here, rather than that the disk failed. */
const NO_FOLDER_SYNC = new Set(['EPERM', 'EISDIR', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EBADF', 'EACCES']);

/** Syncs `folder` where the platform can; true when it did, false when folders cannot be synced here. */
export async function syncFolder(folder: string): Promise<boolean> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (NO_FOLDER_SYNC.has((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}
