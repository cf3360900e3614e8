// Builds from another git ref's src/ without checking it out: an esbuild plugin that reads every
// file under src/ as it is at a commit (git show), for benchmarks that compare a build with its
// baseline side by side in one process or one page. The bench's own files stay the working tree's.
import { spawnSync } from 'node:child_process';
import { relative, sep } from 'node:path';
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
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const path = relative(root, args.path).split(sep).join('/');
        if (!path.startsWith('src/')) return undefined;
        const contents = sourceAt(root, commit, path);
        return contents === undefined ? undefined : { contents, loader: 'ts' };
      });
    },
  };
}
