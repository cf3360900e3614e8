// The analysis runs without Node (issue 20): bundled for a web worker from browser.ts, it reaches
// no Node built-in, and no module of src/core/csr but the two Node bindings names one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const csrDir = join(__dirname, '..', '..', '..', 'src', 'core', 'csr');
/** The Node entry (index.ts binds Node's crypto) and Node's verifier: the only modules allowed Node. */
const nodeBindings = new Set(['index.ts', 'verify-node.ts']);

test('browser.ts bundles for a web worker with no Node built-in, and never reaches the Node bindings', async () => {
  const result = await build({
    entryPoints: [join(csrDir, 'browser.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    minify: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((input) => input.endsWith('src/core/csr/verify-web.ts')));
  assert.ok(inputs.some((input) => input.includes('@noble/curves')));
  for (const input of inputs) {
    assert.doesNotMatch(input, /^node:|(^|\/)(fs|crypto|worker_threads|buffer|path|os)$/, input);
    assert.ok(!nodeBindings.has(input.split('/').pop() ?? '') || !input.includes('src/core/csr/'), input);
  }
  const code = result.outputFiles[0]?.text ?? '';
  assert.ok(code.length > 10_000);
  assert.doesNotMatch(code, /\bBuffer\.|\brequire\(|process\.(env|versions)/);
});

test('no module of src/core/csr but the Node bindings uses Buffer, process or a Node import', () => {
  // Its folders too (key-rules/: one file per rule).
  const modules = readdirSync(csrDir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
  assert.ok(modules.length > 10);
  assert.ok(modules.some((name) => name.startsWith('key-rules')));
  for (const name of modules) {
    const source = readFileSync(join(csrDir, name), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    const usesNode = /\bBuffer\b|\bprocess\.|from '(node:[^']+|fs|crypto|path|os|worker_threads)'|require\(/.test(
      source,
    );
    assert.equal(usesNode, name === 'verify-node.ts', `${name} ${usesNode ? 'uses' : 'does not use'} Node`);
    // Node's verifier is reached only through the Node entry.
    if (name !== 'index.ts') assert.doesNotMatch(source, /from '\.\/verify-node'/, name);
  }
});
