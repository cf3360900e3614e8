// A test extension for the browser-host UI test: an in-memory FileSystemProvider on the `memfs`
// scheme, the kind of file system a virtual workspace (github.dev's repositories) is. It serves
// the request files packaged beside it under memfs:/csr/, and a command opens one, as a person
// opens a file of a virtual workspace. Another command calls the Sectigo extension's language model
// tools with vscode.lm.invokeTool, as agent mode does, and writes what they answered into the
// workspace folder (TOOL_RESULTS_FILE) for the test to read. Browser entry only: it runs in the
// web worker extension host.
import * as vscode from 'vscode';

export const MEMFS_SCHEME = 'memfs';
/** Where the tools' answers are written, in the workspace folder. */
export const TOOL_RESULTS_FILE = 'tool-results.json';
const SECTIGO_EXTENSION = 'sectigo-csr-tools.sectigo-csr-tools';

/** One tool call as the test sees it: the text parts it answered, or the error it threw. */
export interface ToolCallRecord {
  readonly name: string;
  readonly input: object;
  readonly parts?: (string | null)[];
  readonly error?: string;
}

export interface ToolResultsFile {
  /** Whether the Sectigo extension was active before the first call (the call activates it). */
  readonly activeBefore: boolean | null;
  /** Whether this extension host has Node (the web worker host has not). */
  readonly hostHasNode: boolean;
  readonly calls: ToolCallRecord[];
}

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

async function invokeSectigoTools(calls: readonly (readonly [string, object])[]): Promise<void> {
  const activeBefore = vscode.extensions.getExtension(SECTIGO_EXTENSION)?.isActive ?? null;
  const records: ToolCallRecord[] = [];
  for (const [name, input] of calls) {
    try {
      const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
      records.push({
        name,
        input,
        parts: result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : null)),
      });
    } catch (error) {
      records.push({ name, input, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder === undefined) throw new Error('the tool test needs a workspace folder');
  const file: ToolResultsFile = {
    activeBefore,
    hostHasNode:
      typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string',
    calls: records,
  };
  await vscode.workspace.fs.writeFile(
    vscode.Uri.joinPath(folder, TOOL_RESULTS_FILE),
    new TextEncoder().encode(JSON.stringify(file)),
  );
  void vscode.window.showInformationMessage(`Sectigo tools invoked: ${records.length} calls`);
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
    vscode.commands.registerCommand('memfsTest.invokeSectigoTools', () =>
      invokeSectigoTools([
        ['sectigo_inspect_csr', { path: 'weak-rsa-1024.csr' }],
        ['sectigo_check_csrs', { glob: '*.csr' }],
        ['sectigo_explain_finding', { code: 'rsa-key-too-small' }],
        // A memfs file is no file of the workspace folder; a climb out of it neither.
        ['sectigo_inspect_csr', { path: 'memfs:/csr/memfs-weak.csr' }],
        ['sectigo_inspect_csr', { path: '../outside.csr' }],
        ['sectigo_inspect_csr', { text: 'not a request' }],
      ]),
    ),
  );
}

export function deactivate(): void {}
