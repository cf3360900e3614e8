// The two builds of `sectigo-csr` a command-line benchmark runs side by side: this tree's, built
// as `npm run build` builds it (what `npm install`, `npm link` and the pre-commit hook give a
// user), and another git ref's, built the same way by its own esbuild.mjs in a scratch git
// worktree (`--baseline REF`; default the last tag, else the merge base with main). Build output
// goes to standard error; standard output is for figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBaseline, resolveBaselineRef, type BaselineRef } from '../scripts/vscode/baseline-build';

export const repoRoot = join(__dirname, '..');

export interface CliBuild {
  /** "this tree" or "baseline 1a2b3c4". */
  readonly label: string;
  /** Its dist/cli.js, the `sectigo-csr` command. */
  readonly cli: string;
}

export interface CliBuilds {
  readonly current: CliBuild;
  readonly baseline: CliBuild;
  readonly baselineRef: BaselineRef;
  /** Removes the baseline's worktree. */
  close(): void;
}

/** `--baseline REF` from the command line, if given. */
export function requestedBaseline(argv: readonly string[] = process.argv): string | undefined {
  const flag = argv.indexOf('--baseline');
  return flag >= 0 ? argv[flag + 1] : undefined;
}

export function buildCurrent(): CliBuild {
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error('npm run build (node esbuild.mjs) failed');
  return { label: 'this tree', cli: join(repoRoot, 'dist', 'cli.js') };
}

export function buildBoth(requested = requestedBaseline()): CliBuilds {
  const baselineRef = resolveBaselineRef(requested);
  process.stderr.write(`[bench] baseline: ${baselineRef.label}: ${baselineRef.subject}\n`);
  const current = buildCurrent();
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-csr-bench-baseline-'));
  const worktree = join(scratch, 'tree');
  const built = buildBaseline(baselineRef.commit, worktree, { production: false, shareNodeModules: true });
  const cli = join(worktree, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`the build of ${baselineRef.commit} made no dist/cli.js`);
  return {
    current,
    baseline: { label: `baseline ${baselineRef.commit.slice(0, 7)}`, cli },
    baselineRef,
    close: () => {
      built.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
