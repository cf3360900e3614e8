// The one loader of the browser build's lazy chunks, as ../bundles/load.ts is for Node's. A web
// worker extension host can require nothing but 'vscode', so a chunk is read from the extension's
// own folder through workspace.fs (what vscode.dev serves an extension's files through) and run
// as CommonJS, the way the extension host runs the browser entry itself: its require gives
// 'vscode' (this host's module) and nothing else.
import * as vscode from 'vscode';

/** Each chunk by name (its file in dist/) and what it exports. */
export interface Chunks {
  /** The key and request generator (@peculiar/x509). */
  'browser-csr-new': typeof import('./key-generator-chunk');
  /** The assistants' tools (language model tools), run on their first call. */
  'browser-assistant-tools': typeof import('./assistant-tools-chunk');
}

export type ChunkName = keyof Chunks;

/** Larger than any chunk the build makes (the generator is about 215 KiB); a bigger file is not ours. */
const MAX_CHUNK_BYTES = 2 * 1024 * 1024;

const loading = new Map<ChunkName, Promise<unknown>>();

async function evaluate(extensionUri: vscode.Uri, name: ChunkName): Promise<unknown> {
  const file = vscode.Uri.joinPath(extensionUri, 'dist', `${name}.js`);
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(file)).size;
  } catch (error) {
    throw new Error(`The browser chunk ${name}.js is missing (the extension is incomplete): ${String(error)}`);
  }
  if (size > MAX_CHUNK_BYTES) throw new Error(`The browser chunk ${name}.js is ${size} bytes, more than it can be.`);
  const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  const module: { exports: unknown } = { exports: {} };
  const requireVscode = (id: string): typeof vscode => {
    if (id === 'vscode') return vscode;
    throw new Error(`the browser chunk ${name}.js asked for "${id}", which a web worker does not have`);
  };
  // The extension's own file, built with it (scripts/browser-build.mjs): run it as the host runs the entry.
  const run = new Function('module', 'exports', 'require', `${source}\n//# sourceURL=${file.toString(true)}`) as (
    module: { exports: unknown },
    exports: unknown,
    require: (id: string) => typeof vscode,
  ) => void;
  run(module, module.exports, requireVscode);
  return module.exports;
}

/** The chunk's exports; the first call reads and runs it, later calls reuse it. */
export function loadChunk<N extends ChunkName>(extensionUri: vscode.Uri, name: N): Promise<Chunks[N]> {
  let pending = loading.get(name) as Promise<Chunks[N]> | undefined;
  if (pending === undefined) {
    pending = evaluate(extensionUri, name) as Promise<Chunks[N]>;
    loading.set(name, pending);
    // A failed load is not kept, so the next use tries again.
    pending.catch(() => loading.delete(name));
  }
  return pending;
}
