// Packages the memfs test extension (./extension.ts, bundled for the web worker) with the
// request files it serves, as a .vsix code-server installs like any other.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { repoRoot } from '../../../scripts/vscode/code-server';

const here = join(repoRoot, 'test', 'ui', 'memfs-extension');

/** Writes the extension into `dir` with `requests` (file name → text) under csr/; returns the .vsix path. */
export function packageMemfsExtension(dir: string, requests: Readonly<Record<string, string>>): string {
  mkdirSync(join(dir, 'csr'), { recursive: true });
  copyFileSync(join(here, 'package.json'), join(dir, 'package.json'));
  writeFileSync(
    join(dir, 'README.md'),
    '# memfs test extension\n\nServes request files on memfs:/csr/ for the UI tests.\n',
  );
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  for (const [name, text] of Object.entries(requests)) writeFileSync(join(dir, 'csr', name), text);
  buildSync({
    entryPoints: [join(here, 'extension.ts')],
    outfile: join(dir, 'extension.js'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const out = join(dir, 'memfs-csr-test.vsix');
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', out], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`vsce package of the memfs test extension failed:\n${result.stdout}${result.stderr}`);
  return out;
}
