// VS Code's own parsers, loaded from the code-server the UI tests run (VS Code 1.100.3), so the
// plain-Node tests check each sink against what the workbench really does, not a copy of it:
// - parseLinkedText (src/vs/base/common/linkedText.ts): how a notification, a progress
//   notification and a quick input's prompt find links. Its TypeScript source is taken from the
//   workbench's source map and transpiled (the @memoize decorator, a cache, left out).
// - marked 14 (src/vs/base/common/marked/marked.js): how hovers and tooltips render Markdown,
//   configured as VS Code's markdownRenderer.ts configures it (gfm, no HTML).
// - markdown-it 12, as the built-in Markdown extension bundles it (the inspect report's preview),
//   configured as its getEngine does: html on, linkify on with fuzzyLink off.
// The sources are cut out of code-server once into .cache/vscode-renderers/; code-server is
// installed first when it is missing (as the UI tests do), never skipped.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { CODE_SERVER_VERSION, codeServerCacheDir, ensureCodeServer, repoRoot } from '../scripts/vscode/code-server';

const vscodeDir = join(codeServerCacheDir, 'node_modules', 'code-server', 'lib', 'vscode');
const cacheDir = join(repoRoot, '.cache', 'vscode-renderers', CODE_SERVER_VERSION);

/** A link as VS Code's LinkedText has it. */
export interface LinkNode {
  label: string;
  href: string;
  title?: string;
}
export type LinkedTextNode = string | LinkNode;

function extractFromSourceMap(): void {
  const map = JSON.parse(
    readFileSync(join(vscodeDir, 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js.map'), 'utf8'),
  ) as {
    sources: string[];
    sourcesContent: (string | null)[];
  };
  const find = (suffix: string): string => {
    const index = map.sources.findIndex((source) => source.endsWith(suffix));
    const content = index === -1 ? null : map.sourcesContent[index];
    if (!content) throw new Error(`${suffix} is not in code-server's workbench source map`);
    return content;
  };
  const linked = find('vs/base/common/linkedText.ts')
    .replace(/^import \{ memoize \} from .*$/m, '')
    .replace(/^\s*@memoize\s*$/m, '');
  const js = ts.transpileModule(linked, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  writeFileSync(join(cacheDir, 'linkedText.cjs'), js);
  writeFileSync(join(cacheDir, 'marked.mjs'), find('vs/base/common/marked/marked.js'));
}

function extractMarkdownIt(): void {
  const bundle = readFileSync(
    join(vscodeDir, 'extensions', 'markdown-language-features', 'dist', 'extension.js'),
    'utf8',
  );
  // The engine's module id, as getEngine() requires it, and the bundle's own require function.
  const id =
    /getEngine\(e\)\{this\._md\|\|\(this\._md=\(async\(\)=>\{let e,t=\(await Promise\.resolve\(\)\.then\(\(\(\)=>o\(n\((\d+)\)/.exec(
      bundle,
    )?.[1];
  const entry =
    'var r=n(5256),i=exports;for(var a in r)i[a]=r[a];r.__esModule&&Object.defineProperty(i,"__esModule",{value:!0})';
  if (id === undefined || !bundle.includes(entry))
    throw new Error('the Markdown extension of this code-server is not shaped as this loader expects');
  // Instead of running the extension (which needs the vscode module), hand out the bundle's require.
  writeFileSync(
    join(cacheDir, 'markdown-language-features.cjs'),
    bundle.replace(entry, `exports.webpackRequire=n;exports.markdownItId=${id}`),
  );
}

let loaded:
  | {
      parseLinkedText: (text: string) => { nodes: LinkedTextNode[] };
      marked: { parse(source: string, options: object): string };
      markdownIt: { render(source: string): string };
    }
  | undefined;

/** Loads (extracting first if needed) the three renderers. */
export async function vscodeRenderers(): Promise<NonNullable<typeof loaded>> {
  if (loaded) return loaded;
  ensureCodeServer();
  const done = join(cacheDir, '.extracted');
  if (!existsSync(done)) {
    mkdirSync(cacheDir, { recursive: true });
    extractFromSourceMap();
    extractMarkdownIt();
    writeFileSync(done, new Date().toISOString());
  }
  const require = createRequire(import.meta.url);
  const { parseLinkedText } = require(join(cacheDir, 'linkedText.cjs')) as {
    parseLinkedText: (text: string) => { nodes: LinkedTextNode[] };
  };
  const { marked } = (await import(pathToFileURL(join(cacheDir, 'marked.mjs')).href)) as {
    marked: { parse(source: string, options: object): string };
  };
  const bundle = require(join(cacheDir, 'markdown-language-features.cjs')) as {
    webpackRequire(id: number): { default?: unknown } & object;
    markdownItId: number;
  };
  const exported = bundle.webpackRequire(bundle.markdownItId);
  const MarkdownIt = ('default' in exported ? exported.default : exported) as new (options: object) => {
    linkify: { set(options: object): void };
    set(options: object): void;
    render(source: string): string;
  };
  // As getEngine() and _getConfig() (markdown.preview.linkify defaults to true).
  const engine = new MarkdownIt({ html: true });
  engine.linkify.set({ fuzzyLink: false });
  engine.set({ breaks: false, linkify: true, typographer: false });
  loaded = { parseLinkedText, marked, markdownIt: engine };
  return loaded;
}

/** What VS Code's hover renders for a MarkdownString without HTML (marked, as markdownRenderer.ts calls it, before sanitising). */
export function markedHtml(renderers: NonNullable<typeof loaded>, source: string): string {
  return renderers.marked.parse(source, { gfm: true, breaks: false, async: false });
}
