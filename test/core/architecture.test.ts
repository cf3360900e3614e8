// The core must stay free of VS Code so it can be tested in plain Node and reused
// by the command line. This walks the sources and fails on any import of 'vscode'
// or of the adapters, however indirect the path looks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importPattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;

for (const root of ['src/core', 'src/cli']) {
  test(`${root} never imports vscode or src/vscode`, () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(root)) {
      for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
        const specifier = match[1] ?? '';
        if (specifier === 'vscode' || /(^|\/)vscode(\/|$)/.test(specifier)) offenders.push(`${file}: ${specifier}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
}

// House rule: a command file registers its command and nothing else reaches into it for a
// helper; what several commands share lives in a flow or plumbing module. Only the composition
// files (calls.ts, csr-editor.ts, extension.ts) import command files.
test('no module imports a command file but the composition files', () => {
  const isCommandFile = (path: string): boolean => /-(command|commands|code-action)\.ts$/.test(path);
  const composition = new Set(['src/extension.ts', 'src/vscode/calls.ts', 'src/vscode/csr-editor.ts']);
  const offenders: string[] = [];
  for (const file of sourceFiles('src')) {
    if (composition.has(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.') && isCommandFile(`${specifier}.ts`)) offenders.push(`${file}: ${specifier}`);
    }
  }
  assert.deepEqual(offenders, []);
});
