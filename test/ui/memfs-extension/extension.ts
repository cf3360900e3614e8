// A test extension for the browser-host UI test: an in-memory FileSystemProvider on the `memfs`
// scheme, the kind of file system a virtual workspace (github.dev's repositories) is. It serves
// the request files packaged beside it under memfs:/csr/, and a command opens one, as a person
// opens a file of a virtual workspace. Browser entry only: it runs in the web worker extension host.
import * as vscode from 'vscode';

export const MEMFS_SCHEME = 'memfs';

interface Entry {
  type: vscode.FileType;
  ctime: number;
  mtime: number;
  data?: Uint8Array;
}

export class MemoryFileSystem implements vscode.FileSystemProvider {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor() {
    this.entries.set('/', { type: vscode.FileType.Directory, ctime: Date.now(), mtime: Date.now() });
  }

  private parent(path: string): string {
    return path.slice(0, path.lastIndexOf('/')) || '/';
  }

  private entry(uri: vscode.Uri): Entry {
    const found = this.entries.get(uri.path);
    if (found === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return found;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const found = this.entry(uri);
    return { type: found.type, ctime: found.ctime, mtime: found.mtime, size: found.data?.length ?? 0 };
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    this.entry(uri);
    const prefix = uri.path === '/' ? '/' : `${uri.path}/`;
    return [...this.entries]
      .filter(([path]) => path !== '/' && path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
      .map(([path, found]) => [path.slice(prefix.length), found.type]);
  }

  createDirectory(uri: vscode.Uri): void {
    if (this.entries.has(uri.path)) throw vscode.FileSystemError.FileExists(uri);
    this.entries.set(uri.path, { type: vscode.FileType.Directory, ctime: Date.now(), mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const found = this.entry(uri);
    if (found.data === undefined) throw vscode.FileSystemError.FileIsADirectory(uri);
    return found.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    const existing = this.entries.get(uri.path);
    if (existing === undefined && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (existing !== undefined && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    if (this.entries.get(this.parent(uri.path))?.type !== vscode.FileType.Directory)
      throw vscode.FileSystemError.FileNotFound(uri.with({ path: this.parent(uri.path) }));
    const now = Date.now();
    this.entries.set(uri.path, {
      type: vscode.FileType.File,
      ctime: existing?.ctime ?? now,
      mtime: now,
      data: content,
    });
    this.changed.fire([{ type: existing ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.entry(uri);
    this.entries.delete(uri.path);
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(from: vscode.Uri, to: vscode.Uri, options: { overwrite: boolean }): void {
    const found = this.entry(from);
    if (this.entries.has(to.path) && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
    this.entries.delete(from.path);
    this.entries.set(to.path, found);
    this.changed.fire([
      { type: vscode.FileChangeType.Deleted, uri: from },
      { type: vscode.FileChangeType.Created, uri: to },
    ]);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const memfs = new MemoryFileSystem();
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(MEMFS_SCHEME, memfs, { isCaseSensitive: true }),
  );
  const folder = vscode.Uri.from({ scheme: MEMFS_SCHEME, path: '/csr' });
  memfs.createDirectory(folder);
  const packaged = vscode.Uri.joinPath(context.extensionUri, 'csr');
  for (const [name, type] of await vscode.workspace.fs.readDirectory(packaged)) {
    if (type !== vscode.FileType.File) continue;
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(packaged, name));
    memfs.writeFile(vscode.Uri.joinPath(folder, name), bytes, { create: true, overwrite: false });
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('memfsTest.openRequest', async () => {
      const names = memfs.readDirectory(folder).map(([name]) => name);
      const name = await vscode.window.showQuickPick(names, { title: 'A request on the memory file system' });
      if (name !== undefined) await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, name));
    }),
  );
}

export function deactivate(): void {}
