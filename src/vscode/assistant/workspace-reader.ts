// Reading a file for a tool through VS Code's file system: the browser's web worker host and any
// file system that is not the local disk (a virtual workspace, a remote one). Its stat says the
// kind and size before the read, so a folder or a file over the bound is refused unread. Where a
// file lies was checked by its URI before (./editor-tools.ts); such file systems show no links.
import * as vscode from 'vscode';
import type { FileRead } from '../../core/assistant/check-run';
import type { WorkspaceReader } from './editor-tools';
import { formatCount } from '../../core/format-count';

export async function readThroughWorkspace(uri: vscode.Uri, maxBytes: number): Promise<FileRead> {
  let info: vscode.FileStat;
  try {
    info = await vscode.workspace.fs.stat(uri);
  } catch {
    return { kind: 'refused', code: 'unreadable', reason: 'no such file' };
  }
  if ((info.type & vscode.FileType.File) === 0)
    return { kind: 'refused', code: 'unreadable', reason: 'this is not a regular file' };
  if (info.size > maxBytes)
    return {
      kind: 'refused',
      code: 'input-too-large',
      reason: `the file is ${formatCount(info.size)} bytes, over the limit of ${formatCount(maxBytes)} bytes`,
    };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    // A file that grew between the stat and the read is still held to the bound.
    if (bytes.byteLength > maxBytes)
      return {
        kind: 'refused',
        code: 'input-too-large',
        reason: `the file is over the limit of ${formatCount(maxBytes)} bytes`,
      };
    return { kind: 'ok', input: bytes };
  } catch (error) {
    return {
      kind: 'refused',
      code: 'unreadable',
      reason: `it cannot be read (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

export const workspaceReader: WorkspaceReader = { read: (uri, maxBytes) => readThroughWorkspace(uri, maxBytes) };
