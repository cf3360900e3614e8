// A production build of another git ref, for benchmarks that compare against it side by side:
// checked out into a scratch git worktree (the user's tree is never touched), with the
// dependencies of its own lock file (the current node_modules when the lock files match, which
// saves the install), and built with that ref's own esbuild.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './code-server';

export interface BaselineRef {
  /** What was asked for, or how the default was chosen. */
  readonly label: string;
  readonly commit: string;
  readonly subject: string;
}

export interface BaselineBuild {
  /** The worktree folder: an extension development path like the repository itself. */
  readonly path: string;
  readonly reusedNodeModules: boolean;
  /** Removes the worktree (and git's record of it). */
  close(): void;
}

function git(args: string[], cwd = repoRoot): { ok: boolean; out: string; err: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: result.status === 0, out: result.stdout.trim(), err: result.stderr.trim() };
}

function commitOf(ref: string): string | undefined {
  const parsed = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return parsed.ok && parsed.out !== '' ? parsed.out : undefined;
}

/**
 * The ref to compare with: the one asked for, else the last tag reachable from HEAD, else the
 * merge base of HEAD with main (origin/main when there is no local main).
 */
export function resolveBaselineRef(requested: string | undefined): BaselineRef {
  let label: string;
  let commit: string | undefined;
  if (requested !== undefined) {
    label = requested;
    commit = commitOf(requested);
    if (commit === undefined) throw new Error(`--baseline ${requested}: no such commit in ${repoRoot}`);
  } else {
    const tag = git(['describe', '--tags', '--abbrev=0', 'HEAD']);
    if (tag.ok && tag.out !== '') {
      label = `last tag ${tag.out}`;
      commit = commitOf(tag.out);
    } else {
      const main = ['main', 'origin/main'].find((name) => commitOf(name) !== undefined);
      if (main === undefined) throw new Error('no tag and no main branch to take a baseline from: pass --baseline REF');
      const base = git(['merge-base', 'HEAD', main]);
      if (!base.ok) throw new Error(`git merge-base HEAD ${main} failed: ${base.err}`);
      label = `merge base with ${main}`;
      commit = base.out;
    }
  }
  if (commit === undefined) throw new Error(`could not resolve the baseline (${label})`);
  return { label, commit, subject: git(['log', '-1', '--format=%h %s', commit]).out };
}

function run(command: string, args: string[], cwd: string): void {
  // Their output goes to standard error: standard output is for the benchmark's figures.
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} failed (exit ${result.status})`);
}

export interface BaselineOptions {
  /** esbuild.mjs --production (the .vsix's build), or the plain build `npm install` and `npm run build` make. Default true. */
  production?: boolean;
  /**
   * Use this tree's node_modules even when the lock files differ: for a build of the command line,
   * which needs esbuild and the bundled runtime dependencies, not the development tools a lock
   * file adds (a benchmark's baseline without an `npm ci` of its own).
   */
  shareNodeModules?: boolean;
}

/** Checks `commit` out into `path` (which must not exist yet) and builds it (for production unless told). */
export function buildBaseline(commit: string, path: string, options: BaselineOptions = {}): BaselineBuild {
  const added = git(['worktree', 'add', '--detach', '--force', path, commit]);
  if (!added.ok) throw new Error(`git worktree add ${path} ${commit} failed: ${added.err}`);
  const close = (): void => {
    git(['worktree', 'remove', '--force', path]);
    git(['worktree', 'prune']);
  };
  try {
    const theirLock = git(['show', `${commit}:package-lock.json`]);
    const ourLock = readFileSync(join(repoRoot, 'package-lock.json'), 'utf8').trim();
    const reusedNodeModules =
      (options.shareNodeModules === true || (theirLock.ok && theirLock.out === ourLock)) &&
      existsSync(join(repoRoot, 'node_modules'));
    if (reusedNodeModules) symlinkSync(join(repoRoot, 'node_modules'), join(path, 'node_modules'), 'dir');
    else run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], path);
    run(process.execPath, ['esbuild.mjs', ...(options.production === false ? [] : ['--production'])], path);
    if (!existsSync(join(path, 'dist', 'extension.js')))
      throw new Error(`the build of ${commit} made no dist/extension.js`);
    return { path, reusedNodeModules, close };
  } catch (error) {
    close();
    throw error;
  }
}
