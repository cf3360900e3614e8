// Reading a file for a tool in Node (desktop and remote windows): a file on disk has its symbolic
// links resolved before it is judged, so a link inside a workspace folder cannot lead a tool out of
// it, and is read by core/bounded-read.ts (kind and size known first: a named pipe or a device is
// refused at once). Files on other file systems go through VS Code's (./workspace-reader.ts).
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type * as vscode from 'vscode';
import { readBoundedFile } from '../../core/bounded-read';
import type { WorkspaceReader } from './editor-tools';
import { readThroughWorkspace } from './workspace-reader';

function isInside(child: string, parent: string): boolean {
  const path = relative(parent, child);
  return path === '' || (!isAbsolute(path) && path.split(sep)[0] !== '..');
}

async function realFolders(folders: readonly vscode.Uri[]): Promise<string[]> {
  const real: string[] = [];
  for (const folder of folders) {
    if (folder.scheme !== 'file') continue;
    try {
      real.push(await realpath(folder.fsPath));
    } catch {
      // A folder that is gone holds nothing to read.
    }
  }
  return real;
}

export const nodeReader: WorkspaceReader = {
  async read(uri, maxBytes, folders) {
    if (uri.scheme !== 'file') return readThroughWorkspace(uri, maxBytes);
    let real: string;
    try {
      real = await realpath(uri.fsPath);
    } catch {
      return { kind: 'refused', code: 'unreadable', reason: 'no such file' };
    }
    if (!(await realFolders(folders)).some((folder) => isInside(real, folder)))
      return {
        kind: 'refused',
        code: 'unreadable',
        reason:
          'it is outside the workspace folders (symbolic links resolved), which are the only places these tools read',
        outside: true,
      };
    const read = await readBoundedFile(real, maxBytes);
    if (read.kind === 'ok') return { kind: 'ok', input: read.bytes };
    return {
      kind: 'refused',
      code: read.tooLarge ? 'input-too-large' : 'unreadable',
      reason: `the file ${read.reason}`,
    };
  },
};
