// `inspect` and `check` must stay fast: neither they nor anything they import statically may reach
// the X.509 library or the key generator, which only `new` loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = join(__dirname, '..', '..');
// Static imports only (`import ... from`, `export ... from`, bare `import '...'`); `import()` is lazy on purpose.
const staticImport = /^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm;

function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  if (!entry.endsWith('.ts')) return seen;
  for (const match of readFileSync(entry, 'utf8').matchAll(staticImport)) {
    const specifier = match[1] ?? '';
    if (!specifier.startsWith('.')) {
      seen.add(specifier);
      continue;
    }
    const base = resolve(dirname(entry), specifier);
    const file = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (file !== undefined) staticGraph(file, seen);
  }
  return seen;
}

test('inspect and check never load @peculiar/x509 or the key generator', () => {
  const graph = [...staticGraph(join(root, 'src', 'cli', 'inspect.ts'))];
  assert.ok(
    graph.some((module) => module.endsWith(join('cli', 'report-json.ts'))),
    'the walk follows imports',
  );
  assert.deepEqual(
    graph.filter(
      (module) => module.startsWith('@peculiar') || module === 'reflect-metadata' || module.includes('csr-new'),
    ),
    [],
  );
  // And `new` does reach the generator, so the walk would notice it.
  assert.ok([...staticGraph(join(root, 'src', 'cli', 'new.ts'))].includes('@peculiar/x509'));
});
