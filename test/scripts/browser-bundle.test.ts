// The browser bundle (package.json "browser") holds no Node built-in: it is built here with the
// options esbuild.mjs uses, which fail on any import of one, and our own sources that went into
// it are read for Node's globals (Buffer, process, require, __dirname), which no import shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { browserBuildOptions, noNodeBuiltins } from '../../scripts/browser-build.mjs';

const root = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; browser?: string };

/** Node's globals that a web worker does not have. */
const NODE_GLOBALS = new Set(['Buffer', 'process', 'require', '__dirname', '__filename', 'global', 'setImmediate']);

async function buildBrowser(): Promise<esbuild.Metafile> {
  const result = await esbuild.build({
    ...browserBuildOptions({ production: true }),
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  if (result.metafile === undefined) throw new Error('esbuild returned no metafile');
  return result.metafile;
}

/** Where `file` uses a Node global as a free name (not a property, not declared in the file). */
function nodeGlobalsUsed(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const declared = new Set<string>();
  const used: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        ((ts.isVariableDeclaration(parent) ||
          ts.isParameter(parent) ||
          ts.isFunctionDeclaration(parent) ||
          ts.isImportSpecifier(parent)) &&
          parent.name === node) ||
        ts.isTypeReferenceNode(parent) ||
        ts.isQualifiedName(parent) ||
        ts.isPropertySignature(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isPropertyDeclaration(parent);
      if (isName && !ts.isPropertyAccessExpression(parent) && !ts.isTypeReferenceNode(parent)) declared.add(node.text);
      if (!isName) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        used.push(`${file}:${line + 1}: ${node.text}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used.filter((entry) => !declared.has(entry.slice(entry.lastIndexOf(' ') + 1)));
}

test('package.json declares the browser bundle beside main', () => {
  assert.equal(manifest.main, './dist/extension.js');
  assert.equal(manifest.browser, './dist/browser.js');
  assert.deepEqual(browserBuildOptions({ production: true }).entryPoints, {
    browser: 'src/vscode/browser/extension.ts',
    'browser-csr-new': 'src/vscode/browser/key-generator-chunk.ts',
    'browser-assistant-tools': 'src/vscode/browser/assistant-tools-chunk.ts',
  });
});

test('the check fails on a Node built-in, imported bare or with node:', async () => {
  for (const specifier of ['fs', 'node:crypto', 'worker_threads', 'fs/promises']) {
    await assert.rejects(
      esbuild.build({
        stdin: { contents: `import * as x from '${specifier}'; console.log(x);`, resolveDir: root },
        bundle: true,
        platform: 'browser',
        write: false,
        logLevel: 'silent',
        plugins: [noNodeBuiltins],
      }),
      (error: Error) => error.message.includes(`cannot use the Node built-in "${specifier}"`),
    );
  }
});

/** The sources that went into one output file of the build. */
function inputsOf(metafile: esbuild.Metafile, output: string): string[] {
  const found = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`dist/${output}`));
  assert.ok(found, `the build writes dist/${output}`);
  return Object.keys(found[1].inputs);
}

test('the browser bundle builds without a Node built-in, and our sources in it use no Node global', async () => {
  const metafile = await buildBrowser();
  const inputs = Object.keys(metafile.inputs);
  const entry = inputsOf(metafile, 'browser.js');
  const generator = inputsOf(metafile, 'browser-csr-new.js');
  // The entry: the editor features and the analysis with the browser's signature check.
  for (const expected of [
    'src/vscode/browser/extension.ts',
    'src/vscode/csr-editor/codelens.ts',
    'src/core/csr/analyse.ts',
    'src/core/csr/verify-web.ts',
  ])
    assert.ok(entry.includes(expected), `${expected} is in the browser entry`);
  // The key generator and the X.509 library are the lazy chunk's alone: opening a request never loads them.
  for (const expected of ['src/core/csr-new/make-pair.ts', 'src/core/csr-new/private-key-pem.ts'])
    assert.ok(generator.includes(expected), `${expected} is in the generator chunk`);
  for (const input of entry)
    assert.doesNotMatch(input, /@peculiar|asn1js|reflect-metadata|make-pair\.ts$/, 'not in the browser entry');
  // The chunk carries no analysis of its own: the entry hands it the one already loaded.
  assert.ok(!generator.includes('src/core/csr/analyse.ts'), 'the analysis is not in the generator chunk');
  // The assistants' tools are their chunk's alone, and it too uses the analysis the entry hands it.
  const tools = inputsOf(metafile, 'browser-assistant-tools.js');
  for (const expected of ['src/vscode/assistant/editor-tools.ts', 'src/core/assistant/render.ts'])
    assert.ok(tools.includes(expected), `${expected} is in the assistant tools chunk`);
  for (const input of entry)
    assert.doesNotMatch(input, /src\/core\/assistant\/(?!tool-names)|editor-tools\.ts$/, 'not in the browser entry');
  assert.ok(!tools.includes('src/core/csr/analyse.ts'), 'the analysis is not in the assistant tools chunk');
  // Never the Node host's parts: Node's analysis and verifier, the worker thread, Node's key writer, the calls.
  for (const input of inputs) {
    assert.doesNotMatch(
      input,
      /^node:|src\/core\/csr\/(index|verify-node)\.ts$|csr-new\/generate\.ts$|node-host\.ts$|pair-on-node-fs\.ts$|new-csr-loader\.ts$|src\/vscode\/calls\/(?!command-plumbing)/,
    );
  }
  const ours = inputs.filter((input) => input.startsWith('src/'));
  const used = ours.flatMap((input) => nodeGlobalsUsed(input, readFileSync(join(root, input), 'utf8')));
  assert.deepEqual(used, [], 'Node globals used by sources of the browser bundle');
});

test('the global check sees a use of Buffer and of process, and not a property named so', () => {
  assert.deepEqual(nodeGlobalsUsed('a.ts', 'const b = Buffer.from("x"); if (process.env.X) {}'), [
    'a.ts:1: Buffer',
    'a.ts:1: process',
  ]);
  assert.deepEqual(nodeGlobalsUsed('b.ts', 'const o = { process: 1 }; o.process; type T = { Buffer: string };'), []);
});
