// `npm run package`: makes the .vsix with @vscode/vsce. esbuild bundles every runtime
// dependency into dist/, so node_modules is left out (--no-dependencies) and .vscodeignore keeps
// only what a user runs or reads. vsce runs `vscode:prepublish` (the minified production build)
// first. Relative README links are kept as they are (the screenshots ship inside the .vsix), so
// the README renders in VS Code's extension page even offline.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');

export function vsixPath(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
}

/**
 * Builds the production bundle and the .vsix; returns the .vsix path. Throws with vsce's output
 * on failure. Tests pass their own `out` so that runs at the same time do not share one file.
 */
export function packageExtension(options: { quiet?: boolean; out?: string } = {}): string {
  const out = options.out ?? vsixPath();
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: options.quiet ? 'pipe' : 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(
      `vsce package failed (exit ${result.status}).${options.quiet ? `\n${result.stdout ?? ''}${result.stderr ?? ''}` : ''}`,
    );
  }
  return out;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const out = packageExtension();
    process.stdout.write(`${out} (${Math.round(statSync(out).size / 1024)} KiB)\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
