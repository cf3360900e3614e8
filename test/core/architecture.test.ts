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
