// Builds from another git ref's src/ without checking it out: an esbuild plugin that reads every
// file under src/ as it is at a commit (git show), for benchmarks that compare a build with its
// baseline side by side in one process or one page. The bench's own files stay the working tree's.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type * as esbuild from 'esbuild';

/** A source file as it is at `commit`; undefined when the file is not in that commit. Bounded like every read. */
export function sourceAt(root: string, commit: string, path: string): string | undefined {
  const shown = spawnSync('git', ['show', `${commit}:${path}`], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 4 * 1024 * 1024,
  });
  return shown.status === 0 ? shown.stdout : undefined;
}

/** Every file under src/ read from `commit` instead of the working tree. */
export function sourcesAt(root: string, commit: string): esbuild.Plugin {
  return {
    name: 'sources-at-commit',
    setup(build) {
      // A module the commit has and the working tree no longer has (a file deleted since) is
      // resolved to where it was, and read from the commit like the rest.
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.importer === '') return undefined;
        const base = resolve(dirname(args.importer), args.path);
        for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
          const path = relative(root, candidate).split(sep).join('/');
          if (!path.startsWith('src/') || existsSync(candidate)) continue;
          if (sourceAt(root, commit, path) !== undefined) return { path: candidate };
        }
        return undefined;
      });
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const path = relative(root, args.path).split(sep).join('/');
        if (!path.startsWith('src/')) return undefined;
        const contents = sourceAt(root, commit, path);
        return contents === undefined ? undefined : { contents, loader: 'ts' };
      });
    },
  };
}
